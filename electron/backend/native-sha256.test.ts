import { afterEach, describe, expect, it } from 'vitest';
import { compile } from '../../shared/compile/compile';
import { portableSha256Hex, useNativeSha256 } from '../../shared/util/sha256';
import { exampleFiles, loadExample } from '../../tests/support/examples';
import { installNativeSha256, nodeSha256Hex } from './native-sha256';

function hashes(): string[] {
  return exampleFiles().flatMap((file) => {
    const r = compile(loadExample(file));
    if (!r.ok) throw new Error(file);
    return r.plan.hosts.map((h) => h.hash);
  });
}

describe('native SHA-256 in the backend', () => {
  afterEach(() => useNativeSha256(portableSha256Hex));

  it('gives every example the same plan hashes as the renderer (portable) implementation', () => {
    useNativeSha256(portableSha256Hex);
    const portable = hashes();
    installNativeSha256();
    expect(hashes()).toEqual(portable);
  });

  it('hashes non-ASCII text and lone surrogates like the portable one', () => {
    for (const text of ['', 'abc', 'aé€😀', 'x\ud800y', '\udfff', 'é'.repeat(70_000)]) expect(nodeSha256Hex(text)).toBe(portableSha256Hex(text));
  });
});

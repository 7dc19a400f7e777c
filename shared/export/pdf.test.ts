// The PDF writer: a real renderer (poppler's pdftoppm, Debian poppler-utils) draws the
// page, and its pixels are the image's: red, green, blue and white quarters.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { imagePdf } from './pdf';

const hasPdftoppm = spawnSync('pdftoppm', ['-v']).status === 0;
if (!hasPdftoppm) console.log('pdf.test: rendering skipped: no pdftoppm (Debian poppler-utils; scripts/setup.sh installs it)');
const dir = mkdtempSync(join(tmpdir(), 'wp-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A w x h image of four quarters: red, green / blue, white. */
function quarters(w: number, h: number): Uint8Array {
  const px = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const c = y < h / 2 ? (x < w / 2 ? [255, 0, 0] : [0, 255, 0]) : x < w / 2 ? [0, 0, 255] : [255, 255, 255];
      px.set(c, (y * w + x) * 3);
    }
  return px;
}

/** Binary PPM (P6) -> pixel lookup. */
function readPpm(b: Buffer): { w: number; h: number; at(x: number, y: number): number[] } {
  const m = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(b.subarray(0, 64).toString('latin1'))!;
  const off = m[0].length;
  const w = Number(m[1]);
  return { w, h: Number(m[2]), at: (x, y) => [...b.subarray(off + (y * w + x) * 3, off + (y * w + x) * 3 + 3)] };
}

describe('imagePdf', () => {
  const pdf = imagePdf({ width: 40, height: 20, deflated: deflateSync(quarters(40, 20)), pageWidth: 400, pageHeight: 200, title: 'Lab (two) \\ ü' });

  it('is a PDF with a cross-reference table whose offsets point at its objects', () => {
    const text = Buffer.from(pdf).toString('latin1');
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    const xref = Number(/startxref\n(\d+)\n/.exec(text)![1]);
    expect(text.slice(xref, xref + 4)).toBe('xref');
    const offsets = text.slice(xref).split('\n').slice(3, 9).map((l) => Number(l.slice(0, 10)));
    offsets.forEach((o, i) => expect(text.slice(o, o + 8)).toBe(`${i + 1} 0 obj\n`));
    expect(text).toContain('/Title (Lab \\(two\\) \\\\ \\374)');
  });

  it.skipIf(!hasPdftoppm)('renders with poppler to the image it holds, filling the page', () => {
    const file = join(dir, 'q.pdf');
    writeFileSync(file, pdf);
    const r = spawnSync('pdftoppm', ['-r', '72', '-singlefile', file, join(dir, 'q')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const img = readPpm(readFileSync(join(dir, 'q.ppm')));
    expect([img.w, img.h]).toEqual([400, 200]);
    expect(img.at(100, 50)).toEqual([255, 0, 0]);
    expect(img.at(300, 50)).toEqual([0, 255, 0]);
    expect(img.at(100, 150)).toEqual([0, 0, 255]);
    expect(img.at(300, 150)).toEqual([255, 255, 255]);
  });

  it('refuses sizes that make no image', () => {
    expect(() => imagePdf({ width: 0, height: 1, deflated: new Uint8Array(), pageWidth: 1, pageHeight: 1 })).toThrow('bad image size 0x1');
  });
});

// Small JSON state files in the config dir: read leniently (a missing, torn or foreign
// file is "nothing stored", never a crash), written atomically and private to the user.
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { writeFileAtomic } from '../atomicWrite';

export class JsonFile<S extends z.ZodType> {
  /** Writes are serialized so a slow write never lands after a newer one. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly schema: S,
    private readonly maxBytes = 80 * 1024 * 1024,
  ) {}

  async read(): Promise<z.output<S> | undefined> {
    await this.queue.catch(() => undefined);
    let text: string;
    try {
      const buf = await readFile(this.path);
      if (buf.length > this.maxBytes) return undefined;
      text = buf.toString('utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return undefined;
    }
    const parsed = this.schema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  }

  write(value: z.input<S>): Promise<void> {
    const run = this.queue.catch(() => undefined).then(async () => {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.path, `${JSON.stringify(value, null, 2)}\n`, 0o600);
    });
    this.queue = run;
    return run;
  }

  remove(): Promise<void> {
    const run = this.queue.catch(() => undefined).then(() =>
      unlink(this.path).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      }),
    );
    this.queue = run;
    return run;
  }
}

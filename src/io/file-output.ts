import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { openSync, fchmodSync } from 'node:fs';
import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { numberedName, safeFileName } from '../domain/file.js';
import { ConflictError, InvalidInputError, systemReason } from '../errors.js';

/**
 * Where downloaded files go (SPEC 9: exactly the stored bytes, never outside the target folder):
 * a stream (standard output), one file path, or a folder where each file gets its stored name
 * made safe and unique. Files are created exclusively (never over an existing file or through
 * a link), readable by their owner only (0600), and every file a failed download created is
 * removed.
 */

export type OutputTarget =
  | { to: 'stream'; stream: NodeJS.WritableStream }
  | { to: 'file'; path: string }
  | { to: 'dir'; path: string };

export interface Sink {
  /** Where the bytes go: a path, or null for a stream. */
  path: string | null;
  write(chunk: Buffer): Promise<void>;
  end(): Promise<void>;
}

const EXCLUSIVE = 'wx';
/** SPEC 8: a file written for a person (a RIB, a carte grise, an e-mail) is theirs alone. */
export const PRIVATE_MODE = 0o600;

/**
 * A private file beside `target`, in its folder (`.NAME.RANDOM.part`), created exclusively, mode
 * 0600: where a report or a plan is written before it takes its name (link(2), never over a file).
 */
export function createAside(target: string): { fd: number; temp: string } {
  const dir = path.dirname(target);
  for (let tries = 0; ; tries++) {
    const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.part`);
    try {
      const fd = openSync(temp, 'wx', PRIVATE_MODE);
      // the mode given to open passes through the umask, which could only take rights away
      fchmodSync(fd, PRIVATE_MODE);
      return { fd, temp };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || tries >= 10) throw err;
    }
  }
}
const MAX_TRIES = 1000;

export class Outputs {
  private readonly created: string[] = [];
  private readonly dir: string | null;

  constructor(private readonly target: OutputTarget) {
    this.dir = target.to === 'dir' ? path.resolve(target.path) : null;
  }

  /** Makes the folder when several files go to one that does not exist yet. */
  async prepare(): Promise<void> {
    if (this.dir === null) return;
    try {
      await fs.mkdir(this.dir, { recursive: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTDIR')
        throw new InvalidInputError([
          { field: '-o', message: 'file.outputNotDir', params: { path: this.dir } },
        ]);
      throw unwritable(this.dir, err);
    }
    if (!(await fs.stat(this.dir)).isDirectory())
      throw new InvalidInputError([
        { field: '-o', message: 'file.outputNotDir', params: { path: this.dir } },
      ]);
  }

  /** A sink for one file whose stored name is `name`. */
  async open(name: string): Promise<Sink> {
    const target = this.target;
    if (target.to === 'stream') return streamSink(target.stream);
    if (target.to === 'file') {
      const file = path.resolve(target.path);
      const handle = await this.create(
        file,
        () => new ConflictError('file.outputExists', { path: file }),
      );
      return fileSink(file, handle!);
    }
    const dir = this.dir!;
    const safe = safeFileName(name);
    for (let n = 1; n <= MAX_TRIES; n++) {
      const file = path.join(dir, numberedName(safe, n));
      // a safe name has no separator: this only guards the guarantee itself
      if (path.dirname(file) !== dir) throw new Error(`unsafe name ${JSON.stringify(name)}`);
      const handle = await this.create(file, () => null);
      if (handle) return fileSink(file, handle);
    }
    throw new ConflictError('file.outputExists', { path: path.join(dir, safe) });
  }

  /** Removes every file this download created (a failed download leaves nothing behind). */
  async discard(): Promise<void> {
    await Promise.all(this.created.map((f) => fs.rm(f, { force: true })));
    this.created.length = 0;
  }

  /** Opens `file` only if it does not exist; `taken` says what an existing one means. */
  private async create(file: string, taken: () => Error | null): Promise<FileHandle | null> {
    try {
      const handle = await fs.open(file, EXCLUSIVE, PRIVATE_MODE);
      this.created.push(file);
      // the mode given to open is masked by the umask, which could only take rights away; set
      // it again on the open handle all the same, whatever umask the process was started with
      await handle.chmod(PRIVATE_MODE);
      return handle;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        const e = taken();
        if (e) throw e;
        return null;
      }
      throw unwritable(path.dirname(file), err);
    }
  }
}

function fileSink(file: string, handle: FileHandle): Sink {
  return {
    path: file,
    async write(chunk) {
      for (let at = 0; at < chunk.length;)
        at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
    },
    end: () => handle.close(),
  };
}

function streamSink(stream: NodeJS.WritableStream): Sink {
  // a reader that goes away (`| head`) makes the stream fail between writes: said at the next one
  let failed: Error | null = null;
  const onError = (err: Error) => (failed = err);
  stream.on('error', onError);
  return {
    path: null,
    async write(chunk) {
      if (failed) throw failed;
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    async end() {
      stream.off('error', onError);
      if (failed) throw failed;
    },
  };
}

function unwritable(where: string, err: unknown): InvalidInputError {
  return new InvalidInputError([
    {
      field: '-o',
      message: 'file.outputUnwritable',
      params: { path: where, detail: systemReason(err) },
    },
  ]);
}

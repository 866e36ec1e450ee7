import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { ConflictError, InvalidInputError } from '../errors.js';
import { createAside } from './file-output.js';

/**
 * The file of a saved sync plan (`sync madrhas --plan OUT.json`, SPEC 8.1), as the house writes
 * every file for a person (SPEC 8): nothing may be at its name (exit 6, before any work), it is
 * written aside under a temporary name in the same folder (created exclusively, mode 0600), and
 * takes its name at the very end with link(2), which never replaces a file that appeared
 * meanwhile. A plan may be long (one line per account of a million-row export): it is written as
 * it comes and read back line by line, never held whole.
 */
export class PlanOutput {
  private out: fs.WriteStream | null = null;
  private temp: string | null = null;
  private failed: Error | null = null;

  private constructor(
    /** Where the plan goes. */
    readonly path: string,
    /** A folder of our own to remove with the plan (a dry run's plan, shown then dropped). */
    private readonly own: string | null,
  ) {}

  /** `--plan OUT`: its folder must exist (5), nothing at its name, the input least of all (6). */
  static prepare(target: string, input: string): PlanOutput {
    const out = path.resolve(target);
    const dir = path.dirname(out);
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
      throw new InvalidInputError([{ field: '--plan', message: 'plan.dir', params: { dir } }]);
    if (fs.lstatSync(out, { throwIfNoEntry: false })) {
      const real = (p: string) => {
        try {
          return fs.realpathSync(p);
        } catch {
          return null;
        }
      };
      const isInput = (real(out) ?? out) === real(input);
      throw new ConflictError(isInput ? 'plan.isInput' : 'plan.exists', { file: target });
    }
    return new PlanOutput(out, null);
  }

  /** A plan nobody asked to keep (a dry run shows it): in a private temporary folder. */
  static temporary(): PlanOutput {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-plan-'));
    return new PlanOutput(path.join(dir, 'plan.json'), dir);
  }

  /** Starts the plan over, aside (a run's second attempt starts from nothing). */
  open(): void {
    this.discard();
    let fd: number;
    try {
      ({ fd, temp: this.temp } = createAside(this.path));
    } catch (err) {
      throw unwritable(this.path, err);
    }
    this.failed = null;
    this.out = fs.createWriteStream('', { fd });
    this.out.on('error', (err) => (this.failed = err));
  }

  /** Writes text, waiting for the disk when the stream's buffer is full. */
  async write(text: string): Promise<void> {
    const out = this.out;
    if (out === null) throw new Error('plan not open');
    if (this.failed) throw unwritable(this.path, this.failed);
    if (!out.write(text))
      await new Promise<void>((resolve, reject) => {
        const done = (err?: Error) => {
          out.off('drain', done);
          out.off('error', done);
          if (err) reject(unwritable(this.path, err));
          else resolve();
        };
        out.on('drain', done);
        out.on('error', done);
      });
  }

  /** Gives the plan its name (exit 6 when a file appeared there since the run began). */
  async commit(): Promise<void> {
    const out = this.out;
    if (out === null || this.temp === null) return;
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    if (this.failed) throw unwritable(this.path, this.failed);
    try {
      fs.linkSync(this.temp, this.path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') throw new ConflictError('plan.exists', { file: this.path });
      try {
        fs.copyFileSync(this.temp, this.path, fs.constants.COPYFILE_EXCL);
      } catch (copyErr) {
        if ((copyErr as NodeJS.ErrnoException).code === 'EEXIST')
          throw new ConflictError('plan.exists', { file: this.path });
        throw unwritable(this.path, copyErr);
      }
    }
    fs.rmSync(this.temp, { force: true });
    this.temp = null;
    this.out = null;
  }

  /** Removes what was written aside (and a temporary plan with its folder). */
  discard(): void {
    this.out?.destroy();
    this.out = null;
    if (this.temp !== null) fs.rmSync(this.temp, { force: true });
    this.temp = null;
  }

  /** A temporary plan, once shown: gone with its folder. */
  remove(): void {
    this.discard();
    if (this.own !== null) fs.rmSync(this.own, { recursive: true, force: true });
  }
}

function unwritable(file: string, err: unknown): InvalidInputError {
  return new InvalidInputError([
    {
      field: '--plan',
      message: 'plan.unwritable',
      params: { file, detail: (err as NodeJS.ErrnoException).code ?? String(err) },
    },
  ]);
}

/** A file's lines (LF or CRLF), one at a time, with their 1-based numbers. */
export async function* fileLines(file: string): AsyncGenerator<{ line: number; text: string }> {
  const input = fs.createReadStream(file, { encoding: 'utf8' });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) yield { line: ++line, text };
  } finally {
    lines.close();
    input.destroy();
  }
}

/** The SHA-256 of a file's bytes, read as a stream. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Copies a file to a stream (a plan to standard output), waiting for the stream as it goes. */
export async function copyFileTo(file: string, to: NodeJS.WritableStream): Promise<void> {
  for await (const chunk of fs.createReadStream(file)) {
    if (!to.write(chunk as Buffer)) await new Promise((resolve) => to.once('drain', resolve));
  }
}

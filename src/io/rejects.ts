import fs from 'node:fs';
import path from 'node:path';
import { stringify as stringifyRows } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { spreadsheetSafe } from '../domain/text.js';
import { ConflictError, InvalidInputError } from '../errors.js';
import { BOM, type CsvRecord, type CsvSource } from './csv.js';
import { createAside } from './file-output.js';

/**
 * The rejects report (SPEC 8): the input's columns, then LIGNE and ERREURS (`|`-separated), in
 * the input's encoding and separator, CRLF; every cell made inert for a spreadsheet (the report
 * echoes the input's cells, formulas included: `=HYPERLINK(…)` comes back as `'=HYPERLINK(…)`).
 * It writes to a file of its report (RejectsReport), never to the name the user gave.
 */
export class RejectsWriter {
  private failed: Error | null = null;
  private closing: Promise<void> | null = null;
  count = 0;

  constructor(
    private readonly out: fs.WriteStream,
    private readonly source: CsvSource,
    header: readonly string[],
  ) {
    this.out.on('error', (err) => (this.failed = err));
    if (source.bom && source.encoding === 'utf8') this.out.write(BOM);
    this.write([...header, 'LIGNE', 'ERREURS']);
  }

  private write(cells: string[]): void {
    this.out.write(
      iconv.encode(
        stringifyRows([cells.map(spreadsheetSafe)], {
          delimiter: this.source.delimiter,
          record_delimiter: '\r\n',
        }),
        this.source.encoding,
      ),
    );
  }

  add(record: CsvRecord, width: number, errors: string[]): void {
    const cells = record.fields.slice(0, width);
    while (cells.length < width) cells.push('');
    this.write([...cells, String(record.line), errors.join(' | ')]);
    this.count++;
  }

  /** Writes out what is buffered and closes the file (once, however often it is asked). */
  async close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve, reject) =>
      this.out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    await this.closing;
    if (this.failed) throw this.failed;
  }

  /** Stops writing at once (the run failed). */
  destroy(): void {
    this.out.destroy();
  }
}

/** link(2) cannot make a second name here (FAT, some network shares): copy, still never over a file. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV']);

/**
 * Where a run's rejects report goes (SPEC 8): a name that must stay free until the run ends.
 * `prepareRejects` refuses it before any work when anything is there (exit 6); `open` writes the
 * report aside, under a temporary name in the same folder (created exclusively, mode 0600);
 * `commit`, at the very end of the run, gives it its name with link(2), which fails rather than
 * replace a file that appeared meanwhile (exit 6, the run rolls back), then drops the temporary
 * name; `discard` removes what the run wrote, its report included when the run fails after the
 * commit (the store's own commit refused). A run tried again (`open` a second time) starts over.
 */
export class RejectsReport {
  private writer: RejectsWriter | null = null;
  private temp: string | null = null;
  /**
   * The report under its name, as placed by `commit`: only that very file is ever removed (its
   * inode, and its change time to the nanosecond: a file put there since may reuse the inode).
   */
  private placed: fs.BigIntStats | null = null;
  private kept = false;

  constructor(readonly path: string) {}

  /** A writer for the report of a run's attempt, writing aside. */
  open(source: CsvSource, header: readonly string[]): RejectsWriter {
    this.discard();
    let fd: number;
    try {
      ({ fd, temp: this.temp } = createAside(this.path));
    } catch (err) {
      throw unwritableReport(this.path, err);
    }
    this.writer = new RejectsWriter(fs.createWriteStream('', { fd }), source, header);
    return this.writer;
  }

  /**
   * Gives the report its name, never over a file (exit 6 when one appeared since the run began).
   * `final`: the run's outcome is settled even though the store rolls back (`--strict`): the
   * report stays whatever follows.
   */
  async commit(options: { final?: boolean } = {}): Promise<void> {
    if (this.writer === null || this.temp === null) return;
    await this.writer.close();
    try {
      fs.linkSync(this.temp, this.path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') throw rejectsTaken(this.path);
      if (!NO_HARD_LINKS.has(code)) throw unwritableReport(this.path, err);
      try {
        fs.copyFileSync(this.temp, this.path, fs.constants.COPYFILE_EXCL);
      } catch (copyErr) {
        if ((copyErr as NodeJS.ErrnoException).code === 'EEXIST') throw rejectsTaken(this.path);
        throw unwritableReport(this.path, copyErr);
      }
    }
    fs.rmSync(this.temp, { force: true });
    this.temp = null;
    this.placed = fs.lstatSync(this.path, { bigint: true });
    this.kept = options.final === true;
    this.writer = null;
  }

  /** Removes what the run wrote: the report aside, and the one under its name unless it is final. */
  discard(): void {
    this.writer?.destroy();
    this.writer = null;
    if (this.temp !== null) fs.rmSync(this.temp, { force: true });
    this.temp = null;
    if (this.placed !== null && !this.kept) {
      const now = fs.lstatSync(this.path, { bigint: true, throwIfNoEntry: false });
      const was = this.placed;
      if (now && now.dev === was.dev && now.ino === was.ino && now.ctimeNs === was.ctimeNs)
        fs.rmSync(this.path, { force: true });
    }
    this.placed = null;
  }
}

/**
 * The check of `--rejects OUT` before any work (SPEC 8): its folder exists (else exit 5), and
 * nothing is at OUT — no file, no link, not even a dangling one, above all not the input itself
 * under another name (a symbolic or hard link, another spelling of its path): exit 6. None asked
 * for: null.
 */
export function prepareRejects(target: string | undefined, input: string): RejectsReport | null {
  if (target === undefined) return null;
  const out = path.resolve(target);
  const dir = path.dirname(out);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new InvalidInputError([
      { field: '--rejects', message: 'csv.rejectsDir', params: { dir } },
    ]);
  const there = fs.lstatSync(out, { throwIfNoEntry: false });
  if (there) {
    const same = (a: fs.Stats | undefined, b: fs.Stats | undefined) =>
      a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
    const followed = fs.statSync(out, { throwIfNoEntry: false });
    const source = fs.statSync(input, { throwIfNoEntry: false });
    const real = (p: string) => {
      try {
        return fs.realpathSync(p);
      } catch {
        return null;
      }
    };
    const isInput =
      same(there, source) || same(followed, source) || (real(out) ?? out) === real(input);
    throw new ConflictError(isInput ? 'csv.rejectsIsInput' : 'csv.rejectsExists', {
      file: target,
    });
  }
  return new RejectsReport(out);
}

const rejectsTaken = (file: string) => new ConflictError('csv.rejectsExists', { file });

function unwritableReport(file: string, err: unknown): InvalidInputError {
  return new InvalidInputError([
    {
      field: '--rejects',
      message: 'csv.rejectsUnwritable',
      params: { file, detail: (err as NodeJS.ErrnoException).code ?? String(err) },
    },
  ]);
}

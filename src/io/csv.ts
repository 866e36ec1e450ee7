import { isAscii, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import Papa from 'papaparse';
import iconv from 'iconv-lite';
import { fold } from '../domain/text.js';
import { InvalidInputError, systemReason } from '../errors.js';

/**
 * The CSV inputs of SPEC 8, read as streams: encoding detected (UTF-8 with or without BOM, else
 * Windows-1252), `;` or `,` as the header says, RFC 4180 quoting (PapaParse), CRLF, LF or CR
 * alone, mixed as they come (LineBreaks), blank lines skipped, the header matched by name. The rejects report
 * is io/rejects.ts.
 */

export type Encoding = 'utf8' | 'cp1252';
export type EncodingChoice = Encoding | 'auto';

export interface CsvSource {
  path: string;
  name: string;
  size: number;
  sha256: string;
  encoding: Encoding;
  bom: boolean;
  delimiter: ';' | ',';
  /** The header line's ending (the readers take each line's own: SPEC 8 allows a mix). */
  newline: '\r\n' | '\n' | '\r';
  /** Whether the file has a quote character anywhere (without, io/csv-lines.ts can read it as bytes). */
  quotes: boolean;
  /** About how many lines it holds: those of its first 64 KB, scaled to its size (for a writer to plan for it). */
  lines: number;
}

export const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * One pass over the file before anything is written: its SHA-256, whether it is valid UTF-8,
 * and its header line's separator. A file that cannot be read is exit 5.
 */
export async function inspectCsv(
  file: string,
  choice: EncodingChoice = 'auto',
): Promise<CsvSource> {
  const hash = createHash('sha256');
  const utf8 = new Utf8Check();
  let quotes = false;
  let size = 0;
  let head = Buffer.alloc(0);
  try {
    for await (const chunk of fs.createReadStream(file, {
      highWaterMark: 1 << 20,
    }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (head.length < 64 * 1024) head = Buffer.concat([head, chunk.subarray(0, 64 * 1024)]);
      if (choice !== 'cp1252') utf8.update(chunk);
      quotes ||= chunk.includes(0x22);
    }
  } catch (err) {
    throw new InvalidInputError(
      [
        {
          field: 'FILE',
          message: 'csv.unreadable',
          params: { file, detail: systemReason(err) },
        },
      ],
      'csv.unusable',
      { file: path.basename(file) },
    );
  }
  const valid = choice !== 'cp1252' && utf8.end();
  if (size === 0)
    throw new InvalidInputError(
      [{ field: 'FILE', message: 'csv.empty', params: { file } }],
      'csv.unusable',
      { file: path.basename(file) },
    );
  // forced UTF-8 on bytes that are not UTF-8 would store replacement characters in every accented name
  if (choice === 'utf8' && !valid)
    throw new InvalidInputError([{ field: '--encoding', message: 'csv.notUtf8' }], 'csv.unusable', {
      file: path.basename(file),
    });
  const bom = head.subarray(0, 3).equals(BOM);
  const encoding: Encoding = choice === 'auto' ? (valid ? 'utf8' : 'cp1252') : choice;
  const firstLine =
    iconv.decode(head.subarray(bom ? 3 : 0), encoding).split(/\r\n|\r|\n/, 1)[0] ?? '';
  const delimiter = !firstLine.includes(';') && firstLine.includes(',') ? ',' : ';';
  const after = iconv
    .decode(head.subarray(bom ? 3 : 0), encoding)
    .slice(firstLine.length, firstLine.length + 2);
  const newline = after.startsWith('\r\n') ? '\r\n' : after.startsWith('\r') ? '\r' : '\n';
  return {
    path: file,
    name: path.basename(file),
    size,
    sha256: hash.digest('hex'),
    encoding,
    bom,
    delimiter,
    newline,
    quotes,
    lines: lineEstimate(head, size),
  };
}

/**
 * About how many lines `file` holds, as `inspectCsv` says, from its first 64 KB and its size alone
 * (no pass over it); 0 when it cannot be read (inspectCsv says why) or is no regular file.
 */
export async function estimateCsvLines(file: string): Promise<number> {
  try {
    // a pipe would give away the bytes it reads: only a regular file
    if (!(await fs.promises.stat(file)).isFile()) return 0;
    const handle = await fs.promises.open(file, 'r');
    try {
      const { size } = await handle.stat();
      const head = Buffer.alloc(Math.min(size, 64 * 1024));
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      return lineEstimate(head.subarray(0, bytesRead), size);
    } finally {
      await handle.close();
    }
  } catch {
    return 0;
  }
}

/** The lines of `head` (LF, CRLF or CR alone), scaled from its bytes to the file's `size`: no pass of its own. */
function lineEstimate(head: Buffer, size: number): number {
  const count = (byte: number) => {
    let n = 0;
    for (let at = head.indexOf(byte); at >= 0; at = head.indexOf(byte, at + 1)) n++;
    return n;
  };
  const breaks = Math.max(count(0x0a), count(0x0d));
  return head.length >= size ? breaks : Math.round((breaks * size) / head.length);
}

/**
 * Whether a stream of chunks is valid UTF-8, a character cut between two chunks included (no text
 * decoded). A file cut short inside its last character (a truncated export) is still UTF-8 when
 * it holds accented characters as UTF-8 before the cut: decoded as Windows-1252 instead, every
 * `é` would read `Ã©`, and some such names (`MÃœLLER`) pass as letters. Without any before it,
 * that last byte is as likely a Windows-1252 letter.
 */
class Utf8Check {
  private ok = true;
  private multibyte = false;
  private carry = Buffer.alloc(0);

  update(chunk: Buffer): void {
    if (!this.ok) return;
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = completeUpTo(buf);
    const whole = buf.subarray(0, cut);
    this.ok = isUtf8(whole);
    this.multibyte ||= this.ok && !isAscii(whole);
    this.carry = Buffer.from(buf.subarray(cut));
  }

  end(): boolean {
    return this.ok && (this.carry.length === 0 || (this.multibyte && isCutSequence(this.carry)));
  }
}

/** A lead byte of a multi-byte UTF-8 sequence, then only continuation bytes: a character cut short. */
function isCutSequence(tail: Buffer): boolean {
  return tail[0]! >= 0xc2 && tail[0]! <= 0xf4 && tail.subarray(1).every((b) => (b & 0xc0) === 0x80);
}

/** The length of the part of `buf` that ends on a whole character (an incomplete last sequence, up to 3 bytes, left out). */
function completeUpTo(buf: Buffer): number {
  let i = buf.length - 1;
  while (i >= 0 && buf.length - i <= 3 && (buf[i]! & 0xc0) === 0x80) i--;
  if (i < 0) return buf.length;
  const lead = buf[i]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return i + need > buf.length ? i : buf.length;
}

/** A header name as SPEC 8 compares them: case, accents, spaces and underscores ignored. */
export const headerKey = (name: string) => fold(name).replace(/ /g, '');

export interface ColumnSpec {
  readonly name: string;
  readonly required: boolean;
}

export interface HeaderMatch {
  /** Column position of each known column the file has, by SPEC name. */
  positions: Map<string, number>;
  unknown: string[];
}

/** Matches a header row against the expected columns; a missing required or repeated column is exit 5. */
export function matchHeader(
  header: readonly string[],
  specs: readonly ColumnSpec[],
  file: string,
): HeaderMatch {
  const byKey = new Map(specs.map((s) => [headerKey(s.name), s.name]));
  const positions = new Map<string, number>();
  const unknown: string[] = [];
  const issues: InvalidInputError['issues'] = [];
  header.forEach((raw, i) => {
    const name = byKey.get(headerKey(raw));
    if (!name) {
      if (raw.trim() !== '') unknown.push(raw.trim());
    } else if (positions.has(name))
      issues.push({ field: name, message: 'csv.duplicateColumn', line: 1 });
    else positions.set(name, i);
  });
  for (const s of specs)
    if (s.required && !positions.has(s.name))
      issues.push({ field: s.name, message: 'csv.missingColumn', line: 1 });
  if (issues.length > 0) throw new InvalidInputError(issues, 'csv.unusable', { file });
  return { positions, unknown };
}

export interface CsvRecord {
  /** The 1-based physical line the record starts on. */
  line: number;
  fields: string[];
}

export interface OpenCsv {
  header: string[];
  /** The records after the header, one at a time. */
  records: AsyncIterable<CsvRecord>;
  /** The same records in arrays of up to `size`: one await per batch on the hot paths. */
  batches(size?: number): AsyncIterable<CsvRecord[]>;
  /** Bytes of the file read so far, for a progress bar. */
  bytesRead(): number;
  /** Stops reading (the rest of the file is not needed). */
  close(): void;
}

const lineBreaks = (fields: readonly string[]) => {
  let n = 0;
  for (const f of fields)
    if (f.includes('\n') || f.includes('\r')) n += f.match(/\r\n|\r|\n/g)!.length;
  return n;
};

/**
 * SPEC 8: "each line ends where its own line break is" — CRLF, LF or CR alone, mixed in one file
 * (a spreadsheet's CRLF header above a script's LF rows). PapaParse takes one newline for a whole
 * file, guessed or given: a CRLF file's lone LF would be read as part of a cell, and two records
 * merged. So before it, each line break outside quotes becomes LF (a CRLF one LF), and a quoted
 * field keeps its own line breaks as they are. A quote opens a quoted field only at the field's
 * start (as RFC 4180 and PapaParse have it); inside, `""` is a quote and `"` alone closes it.
 * The text passes through in chunks: a CR or a quote at a chunk's end waits for the next one.
 */
export class LineBreaks extends Transform {
  private quoted = false;
  /** The previous character of the text (a field starts after a separator or a line break). */
  private previous = '\n';
  private carry = '';

  constructor(private readonly delimiter: string) {
    super({ decodeStrings: false, encoding: 'utf8' });
  }

  override _transform(chunk: string | Buffer, _enc: string, done: TransformCallback): void {
    const text = this.carry + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    this.carry = '';
    const out = this.scan(text, false);
    if (out.length > 0) this.push(out);
    done();
  }

  override _flush(done: TransformCallback): void {
    const out = this.scan(this.carry, true);
    this.carry = '';
    if (out.length > 0) this.push(out);
    done();
  }

  /** `text` with its line breaks outside quotes as LF; what needs the next chunk is kept in `carry`. */
  scan(text: string, last: boolean): string {
    const parts: string[] = [];
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (this.quoted) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          parts.push(text.slice(i));
          break;
        }
        if (q + 1 === n && !last) {
          // `"` closing, or the first of `""`: the next chunk tells
          parts.push(text.slice(i, q));
          this.carry = '"';
          return parts.join('');
        }
        const escaped = text.charCodeAt(q + 1) === 0x22;
        parts.push(text.slice(i, escaped ? q + 2 : q + 1));
        if (!escaped) this.quoted = false;
        i = escaped ? q + 2 : q + 1;
        continue;
      }
      // outside quotes up to the next quote that opens a field (a quote inside a field is a character)
      let q = text.indexOf('"', i);
      while (q >= 0 && !this.opens(text, q)) q = text.indexOf('"', q + 1);
      let segment = text.slice(i, q < 0 ? n : q);
      if (q < 0 && !last && segment.endsWith('\r')) {
        // the first half of a CRLF, or a CR alone: the next chunk tells
        segment = segment.slice(0, -1);
        this.carry = '\r';
      }
      parts.push(segment.includes('\r') ? segment.replace(/\r\n?/g, '\n') : segment);
      if (q < 0) break;
      parts.push('"');
      this.quoted = true;
      i = q + 1;
    }
    if (n > 0) this.previous = text[n - 1]!;
    return parts.join('');
  }

  /** Whether the quote at `q` starts a field: after a separator, a line break or nothing. */
  private opens(text: string, q: number): boolean {
    const before = q > 0 ? text[q - 1]! : this.previous;
    return before === this.delimiter || before === '\n' || before === '\r';
  }
}

/**
 * Streams the records of the file with PapaParse (RFC 4180; about four times faster than
 * csv-parse here, which matters for a million-row MADRHAS export). Blank lines (and lines of
 * separators only) are skipped but counted, so each record carries the physical line it starts
 * on. The parser is paused while a batch waits, so memory holds one batch whatever the file's size.
 */
export async function openCsv(source: CsvSource): Promise<OpenCsv> {
  const input = fs.createReadStream(source.path, { start: source.bom ? 3 : 0 });
  const decoded = input.pipe(iconv.decodeStream(source.encoding));
  input.on('error', (err) => decoded.emit('error', err));
  const text = decoded.pipe(new LineBreaks(source.delimiter));
  decoded.on('error', (err) => text.emit('error', err));

  const queue: CsvRecord[] = [];
  let line = 1;
  let done = false;
  let failure: Error | null = null;
  let parser: Papa.Parser | null = null;
  let paused = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const fail = (detail: string, at: number) => {
    failure = new InvalidInputError(
      [{ field: 'FILE', message: 'csv.malformed', params: { detail }, line: at }],
      'csv.unusable',
      { file: source.name },
    );
  };
  const HIGH_WATER = 2000;

  (Papa.parse as (input: unknown, config: object) => void)(text, {
    delimiter: source.delimiter,
    // every record ends with LF once LineBreaks is through (PapaParse takes one newline per file)
    newline: '\n',
    skipEmptyLines: false,
    step(result: Papa.ParseStepResult<string[]>, p: Papa.Parser) {
      parser = p;
      const fields = result.data;
      const start = line;
      line += 1 + lineBreaks(fields);
      if (result.errors.length > 0) {
        const e = result.errors[0]!;
        fail(
          e.code === 'MissingQuotes' || e.code === 'InvalidQuotes'
            ? `csv.reason.${e.code}`
            : 'csv.reason.other',
          start,
        );
        p.abort();
        signal();
        return;
      }
      if (fields.every((f) => f.trim() === '')) return;
      queue.push({ line: start, fields });
      if (queue.length >= HIGH_WATER && !paused) {
        paused = true;
        p.pause();
      }
      signal();
    },
    complete() {
      done = true;
      signal();
    },
    error(err: Error) {
      fail(systemReason(err), line);
      done = true;
      signal();
    },
  });
  text.on('error', (err: Error) => {
    failure ??= new InvalidInputError(
      [{ field: 'FILE', message: 'csv.unreadable', params: { detail: systemReason(err) } }],
      'csv.unusable',
      { file: source.name },
    );
    done = true;
    signal();
  });

  /** The next records, up to `size`; empty when the file is done. */
  const take = async (size: number): Promise<CsvRecord[]> => {
    for (;;) {
      // the records before a malformed one are delivered first, then the failure
      if (queue.length > 0 && (queue.length >= size || done || paused || failure)) {
        const out = queue.splice(0, size);
        if (paused && queue.length < HIGH_WATER / 2) {
          paused = false;
          parser?.resume();
        }
        return out;
      }
      if (failure) throw failure;
      if (done) return [];
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  const close = () => {
    parser?.abort();
    input.destroy();
  };

  const first = await take(1);
  if (first.length === 0) {
    close();
    throw new InvalidInputError([{ field: 'FILE', message: 'csv.noHeader' }], 'csv.unusable', {
      file: source.name,
    });
  }
  return {
    header: first[0]!.fields.map((h) => h.trim()),
    bytesRead: () => input.bytesRead,
    close,
    batches: (size = 1000) => ({
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          const batch = await take(size);
          return batch.length > 0
            ? { value: batch, done: false }
            : { value: undefined, done: true };
        },
        return: async () => {
          close();
          return { value: undefined, done: true };
        },
      }),
    }),
    records: {
      [Symbol.asyncIterator]: () => {
        let buffer: CsvRecord[] = [];
        return {
          next: async () => {
            if (buffer.length === 0) buffer = await take(500);
            const rec = buffer.shift();
            return rec ? { value: rec, done: false } : { value: undefined, done: true };
          },
          return: async () => {
            close();
            return { value: undefined, done: true };
          },
        };
      },
    },
  };
}

/** The record's cells by SPEC column name (only the columns the file has). */
export function cellsOf(
  fields: readonly string[],
  positions: ReadonlyMap<string, number>,
): Map<string, string> {
  const cells = new Map<string, string>();
  for (const [name, i] of positions) cells.set(name, fields[i] ?? '');
  return cells;
}

/** The same cells without a Map per record: one view, pointed at each record in turn. */
export class CellView {
  fields: readonly string[] = [];
  constructor(private readonly positions: ReadonlyMap<string, number>) {}
  at(fields: readonly string[]): this {
    this.fields = fields;
    return this;
  }
  get(name: string): string | undefined {
    const i = this.positions.get(name);
    return i === undefined ? undefined : (this.fields[i] ?? '');
  }
}

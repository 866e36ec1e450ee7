import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import { stringify as stringifyRows } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { fold } from '../domain/text.js';
import { InvalidInputError } from '../errors.js';

/**
 * The CSV inputs of SPEC 8, read as streams: encoding detected (UTF-8 with or without BOM, else
 * Windows-1252), `;` or `,` as the header says, RFC 4180 quoting (csv-parse), CRLF or LF, blank
 * lines skipped, the header matched by name. And the rejects report, in the input's encoding.
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
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * One pass over the file before anything is written: its SHA-256, whether it is valid UTF-8,
 * and its header line's separator. A file that cannot be read is exit 5.
 */
export async function inspectCsv(file: string, choice: EncodingChoice = 'auto'): Promise<CsvSource> {
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let utf8 = true;
  let size = 0;
  let head = Buffer.alloc(0);
  try {
    for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (head.length < 64 * 1024) head = Buffer.concat([head, chunk.subarray(0, 64 * 1024)]);
      if (utf8 && choice === 'auto') {
        try {
          decoder.decode(chunk, { stream: true });
        } catch {
          utf8 = false;
        }
      }
    }
    if (utf8 && choice === 'auto') decoder.decode();
  } catch (err) {
    if (err instanceof TypeError) utf8 = false; // an incomplete sequence at the very end
    else throw new InvalidInputError([{ field: 'FILE', message: 'csv.unreadable', params: { file, detail: (err as Error).message } }], 'csv.unusable', { file: path.basename(file) });
  }
  if (size === 0) throw new InvalidInputError([{ field: 'FILE', message: 'csv.empty', params: { file } }], 'csv.unusable', { file: path.basename(file) });
  const bom = head.subarray(0, 3).equals(BOM);
  const encoding: Encoding = choice === 'auto' ? (utf8 ? 'utf8' : 'cp1252') : choice;
  const firstLine = iconv.decode(head.subarray(bom ? 3 : 0), encoding).split(/\r\n|\r|\n/, 1)[0] ?? '';
  const delimiter = !firstLine.includes(';') && firstLine.includes(',') ? ',' : ';';
  return { path: file, name: path.basename(file), size, sha256: hash.digest('hex'), encoding, bom, delimiter };
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
export function matchHeader(header: readonly string[], specs: readonly ColumnSpec[], file: string): HeaderMatch {
  const byKey = new Map(specs.map((s) => [headerKey(s.name), s.name]));
  const positions = new Map<string, number>();
  const unknown: string[] = [];
  const issues: InvalidInputError['issues'] = [];
  header.forEach((raw, i) => {
    const name = byKey.get(headerKey(raw));
    if (!name) {
      if (raw.trim() !== '') unknown.push(raw.trim());
    } else if (positions.has(name)) issues.push({ field: name, message: 'csv.duplicateColumn', line: 1 });
    else positions.set(name, i);
  });
  for (const s of specs) if (s.required && !positions.has(s.name)) issues.push({ field: s.name, message: 'csv.missingColumn', line: 1 });
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
  records: AsyncIterable<CsvRecord>;
  /** Bytes of the file read so far, for a progress bar. */
  bytesRead(): number;
}

const lineBreaks = (fields: readonly string[]) => {
  let n = 0;
  for (const f of fields) if (f.includes('\n') || f.includes('\r')) n += f.match(/\r\n|\r|\n/g)!.length;
  return n;
};

/**
 * Streams the records after the header. Blank lines (and lines of separators only) are skipped;
 * line numbers are counted here because csv-parse counts a CRLF inside quotes as two lines.
 */
export async function openCsv(source: CsvSource): Promise<OpenCsv> {
  const input = fs.createReadStream(source.path, { start: source.bom ? 3 : 0 });
  const parser = parse({ delimiter: source.delimiter, relax_column_count: true, skip_empty_lines: false, relax_quotes: false, bom: false });
  // errors surface through the parser's iterator
  input.on('error', (err) => parser.destroy(err));
  input.pipe(iconv.decodeStream(source.encoding)).pipe(parser);
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  let line = 1;
  const next = async (): Promise<CsvRecord | null> => {
    for (;;) {
      let r: IteratorResult<string[]>;
      try {
        r = await iterator.next();
      } catch (err) {
        throw new InvalidInputError([{ field: 'FILE', message: 'csv.malformed', params: { detail: (err as Error).message }, line }], 'csv.unusable', { file: source.name });
      }
      if (r.done) return null;
      const start = line;
      line += 1 + lineBreaks(r.value);
      if (r.value.every((f) => f.trim() === '')) continue;
      return { line: start, fields: r.value };
    }
  };
  const first = await next();
  if (!first) throw new InvalidInputError([{ field: 'FILE', message: 'csv.noHeader' }], 'csv.unusable', { file: source.name });
  return {
    header: first.fields.map((h) => h.trim()),
    bytesRead: () => input.bytesRead,
    records: {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          const rec = await next();
          return rec ? { value: rec, done: false } : { value: undefined, done: true };
        },
        return: async () => {
          input.destroy();
          return { value: undefined, done: true };
        },
      }),
    },
  };
}

/** The record's cells by SPEC column name (only the columns the file has). */
export function cellsOf(fields: readonly string[], positions: ReadonlyMap<string, number>): Map<string, string> {
  const cells = new Map<string, string>();
  for (const [name, i] of positions) cells.set(name, fields[i] ?? '');
  return cells;
}

/**
 * The rejects report (SPEC 8): the input's columns, then LIGNE and ERREURS (`|`-separated), in
 * the input's encoding and separator, CRLF. Created only when asked for; never overwrites a file
 * the user did not name.
 */
export class RejectsWriter {
  private readonly out: fs.WriteStream;
  private failed: Error | null = null;
  count = 0;

  constructor(
    file: string,
    private readonly source: CsvSource,
    header: readonly string[],
  ) {
    this.out = fs.createWriteStream(file);
    this.out.on('error', (err) => (this.failed = err));
    if (source.bom && source.encoding === 'utf8') this.out.write(BOM);
    this.write([...header, 'LIGNE', 'ERREURS']);
  }

  private write(cells: string[]): void {
    this.out.write(iconv.encode(stringifyRows([cells], { delimiter: this.source.delimiter, record_delimiter: '\r\n' }), this.source.encoding));
  }

  add(record: CsvRecord, width: number, errors: string[]): void {
    const cells = record.fields.slice(0, width);
    while (cells.length < width) cells.push('');
    this.write([...cells, String(record.line), errors.join(' | ')]);
    this.count++;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (this.failed) throw this.failed;
  }
}

import fs from 'node:fs';
import iconv from 'iconv-lite';
import { Hash64 } from '../domain/hash64.js';
import type { CsvSource } from './csv.js';

/**
 * The records of a CSV file that has no quote character at all (`CsvSource.quotes` false; the
 * usual MADRHAS export), read as bytes. Without quotes a record is a line and a cell is what lies
 * between separators: exactly what PapaParse itself does for such input (it splits on the
 * newline, then on the separator), and what `openCsv` gives, line numbers included. Reading the
 * bytes lets the MADRHAS sync digest each line without decoding it and decode only the cells it
 * needs: an unchanged account costs its digest and three cells, not thirteen strings a row.
 * Files with quotes go through PapaParse (`openCsv`).
 */

export interface CsvLine {
  /** The 1-based physical line the record starts on. */
  line: number;
  buf: Buffer;
  start: number;
  end: number;
  /** The digest of its bytes. */
  a: number;
  b: number;
}

const CHUNK = 1 << 20;
const CR = 0x0d;
const LF = 0x0a;

export class CsvLines {
  private readonly sep: number;
  private readonly decode: (buf: Buffer, start: number, end: number) => string;
  private input: fs.ReadStream | null = null;
  private read = 0;

  constructor(private readonly source: CsvSource) {
    if (source.quotes) throw new Error('CsvLines reads files without quotes only');
    this.sep = source.delimiter.charCodeAt(0);
    this.decode =
      source.encoding === 'utf8'
        ? (buf, s, e) => buf.toString('utf8', s, e)
        : (buf, s, e) => iconv.decode(buf.subarray(s, e), 'win1252');
  }

  bytesRead(): number {
    return this.read;
  }

  close(): void {
    this.input?.destroy();
  }

  /**
   * The records after the header, blank lines skipped (but counted), in arrays of those a chunk
   * of the file holds. Each line ends where its own line break is (SPEC 8): CRLF, LF or CR alone,
   * mixed in one file as they come (without quotes, no line break can be inside a record).
   */
  async *batches(): AsyncGenerator<CsvLine[]> {
    const input = (this.input = fs.createReadStream(this.source.path, {
      start: this.source.bom ? 3 : 0,
      highWaterMark: CHUNK,
    }));
    let line = 1;
    let header = true;
    /** One digest state for every line (a million lines, no object each). */
    const digest = new Hash64();
    /** The complete records of `buf` (all of it when `last`), and the bytes left over. */
    const scan = (buf: Buffer, last: boolean): [CsvLine[], Buffer | null] => {
      const out: CsvLine[] = [];
      // the next CR and LF: a line ends at the first of them (a pure LF file looks for a CR once)
      let nextCr = buf.indexOf(CR);
      let nextLf = buf.indexOf(LF);
      let s = 0;
      while (s < buf.length) {
        if (nextCr >= 0 && nextCr < s) nextCr = buf.indexOf(CR, s);
        if (nextLf >= 0 && nextLf < s) nextLf = buf.indexOf(LF, s);
        let bodyEnd = nextCr < 0 ? nextLf : nextLf < 0 ? nextCr : Math.min(nextCr, nextLf);
        let next: number;
        if (bodyEnd < 0) {
          if (!last) break;
          bodyEnd = buf.length;
          next = buf.length;
        } else if (bodyEnd === nextCr) {
          // a CR at the chunk's end may be the first half of a CRLF: the next chunk tells
          if (bodyEnd + 1 === buf.length && !last) break;
          next = buf[bodyEnd + 1] === LF ? bodyEnd + 2 : bodyEnd + 1;
        } else next = bodyEnd + 1;
        const at = line++;
        if (!this.blank(buf, s, bodyEnd)) {
          if (header) header = false;
          else {
            const h = digest.reset().bytes(buf, s, bodyEnd);
            out.push({ line: at, buf, start: s, end: bodyEnd, a: h.a, b: h.b });
          }
        }
        s = next;
      }
      return [out, s < buf.length ? buf.subarray(s) : null];
    };
    let carry: Buffer | null = null;
    for await (const chunk of input as AsyncIterable<Buffer>) {
      this.read += chunk.length;
      const [out, rest]: [CsvLine[], Buffer | null] = scan(
        carry ? Buffer.concat([carry, chunk]) : chunk,
        false,
      );
      carry = rest;
      if (out.length > 0) yield out;
    }
    if (carry) {
      const [out] = scan(carry, true);
      if (out.length > 0) yield out;
    }
  }

  /** Blank: every cell empty once trimmed (as `openCsv` skips them). Most lines start with a letter. */
  private blank(buf: Buffer, s: number, e: number): boolean {
    if (s === e) return true;
    const c = buf[s]!;
    if (c < 0x80 && c !== this.sep && c > 0x20) return false;
    return this.decode(buf, s, e)
      .split(this.source.delimiter)
      .every((f) => f.trim() === '');
  }

  /** The record's cells (as PapaParse splits a line without quotes). */
  fields(r: CsvLine): string[] {
    return this.decode(r.buf, r.start, r.end).split(this.source.delimiter);
  }

  /** One cell by position ('' when the line is shorter), decoded alone. */
  cell(r: CsvLine, at: number): string {
    const { buf, end } = r;
    let s = r.start;
    for (let k = 0; k < at; k++) {
      const i = buf.indexOf(this.sep, s);
      if (i < 0 || i >= end) return '';
      s = i + 1;
    }
    let e = buf.indexOf(this.sep, s);
    if (e < 0 || e > end) e = end;
    for (let i = s; i < e; i++) if (buf[i]! >= 0x80) return this.decode(buf, s, e);
    return buf.toString('latin1', s, e);
  }
}

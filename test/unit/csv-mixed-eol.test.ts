import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectCsv, LineBreaks, openCsv, type CsvRecord } from '../../src/io/csv.js';
import { CsvLines } from '../../src/io/csv-lines.js';

/**
 * SPEC 8: CSV inputs with CRLF, LF and CR alone mixed in one file — "each line ends where its
 * own line break is" — and quoted fields that keep their own line breaks. The program's readers
 * (openCsv through PapaParse, CsvLines for files without quotes) against two independent
 * readings of the same text: csv-parse (every line break it knows), and a reference reader
 * written here that also counts the physical line each record starts on.
 */

let dir: string;
let n = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-mixed-eol-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(text: string): string {
  const file = path.join(dir, `f${n++}.csv`);
  fs.writeFileSync(file, text);
  return file;
}

/**
 * The reference: RFC 4180 with `;`, a record ends at CRLF, LF or CR outside quotes (CRLF is one
 * line break), a quote opens a field only at its start, `""` inside is a quote. Blank records
 * (every cell empty once trimmed) are skipped but counted. Lines: 1-based, physical.
 */
function reference(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let line = 1;
  let start = 1;
  let fields: string[] = [];
  let cell = '';
  let quoted = false;
  let atFieldStart = true;
  const endRecord = () => {
    fields.push(cell);
    if (!fields.every((f) => f.trim() === '')) out.push({ line: start, fields });
    fields = [];
    cell = '';
    atFieldStart = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        cell += c;
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (c === ';') {
      fields.push(cell);
      cell = '';
      atFieldStart = true;
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRecord();
      start = line;
    } else {
      cell += c;
      atFieldStart = false;
    }
  }
  if (cell !== '' || fields.length > 0) endRecord();
  return out;
}

const BREAKS = ['\r\n', '\n', '\r'] as const;
const breakArb = fc.constantFrom(...BREAKS);
/** A cell without quotes: no separator, quote or line break in it. */
const plainCell = fc.stringMatching(/^[a-zéÉ0-9 .,@'\t-]{0,8}$/);
/** A quoted cell's content: anything, separators, quotes and line breaks of every kind included. */
const quotedContent = fc.array(
  fc.oneof(
    fc.stringMatching(/^[a-zé0-9 ]{0,5}$/),
    fc.constantFrom(';', '"', '\r\n', '\n', '\r', '""'),
  ),
  { maxLength: 6 },
);
const cellArb = fc.oneof(
  plainCell.map((value) => ({ value, text: value })),
  quotedContent.map((parts) => {
    const value = parts.join('');
    return { value, text: `"${value.replace(/"/g, '""')}"` };
  }),
);
/** A record: a first cell that is never blank (so that no record is taken for a blank line), then others. */
const recordArb = fc.tuple(
  fc.stringMatching(/^[a-z0-9]{1,6}$/),
  fc.array(cellArb, { minLength: 0, maxLength: 4 }),
);
/** A file: records, each ended by its own line break, blank lines here and there, a last break or not. */
const fileArb = fc.record({
  records: fc.array(fc.tuple(recordArb, breakArb, fc.option(breakArb, { nil: undefined })), {
    minLength: 1,
    maxLength: 10,
  }),
  headerBreak: breakArb,
  finalBreak: fc.boolean(),
});

type FileSpec = {
  records: [[string, { value: string; text: string }[]], string, string | undefined][];
  headerBreak: string;
  finalBreak: boolean;
};

function textOf(f: FileSpec): {
  text: string;
  expected: string[][];
} {
  let text = 'ID;A;B;C;D' + f.headerBreak;
  const expected: string[][] = [['ID', 'A', 'B', 'C', 'D']];
  f.records.forEach(([[first, cells], eol, blank], i) => {
    text += [first, ...cells.map((c) => c.text)].join(';');
    expected.push([first, ...cells.map((c) => c.value)]);
    const last = i === f.records.length - 1;
    if (!last || f.finalBreak) text += eol;
    if (!last && blank !== undefined) text += blank;
  });
  return { text, expected };
}

async function readOpenCsv(file: string): Promise<CsvRecord[]> {
  const source = await inspectCsv(file);
  const csv = await openCsv(source);
  const records: CsvRecord[] = [{ line: 1, fields: csv.header }];
  for await (const r of csv.records) records.push(r);
  return records;
}

function readCsvParse(text: string): string[][] {
  const rows: unknown = parse(text, {
    delimiter: ';',
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    skip_empty_lines: true,
  });
  return rows as string[][];
}

describe('mixed line endings (SPEC 8)', () => {
  it('the issue’s file: a CRLF header then LF rows is three records, not two', async () => {
    const file = write(
      'IDENTIFIANT_CONNEXION;NOM\r\na@mairie.example;DUFOUR\nb@mairie.example;MARTIN\n',
    );
    expect(await readOpenCsv(file)).toEqual([
      { line: 1, fields: ['IDENTIFIANT_CONNEXION', 'NOM'] },
      { line: 2, fields: ['a@mairie.example', 'DUFOUR'] },
      { line: 3, fields: ['b@mairie.example', 'MARTIN'] },
    ]);
    const source = await inspectCsv(file);
    const lines = new CsvLines(source);
    const read: CsvRecord[] = [];
    for await (const batch of lines.batches())
      for (const r of batch) read.push({ line: r.line, fields: lines.fields(r) });
    expect(read).toEqual([
      { line: 2, fields: ['a@mairie.example', 'DUFOUR'] },
      { line: 3, fields: ['b@mairie.example', 'MARTIN'] },
    ]);
  });

  it('a quoted field keeps its own line breaks, and the lines after it are counted', async () => {
    const file = write('A;B\n"x\r\ny";1\r"p\rq\nr";2\r\n\r\nz;3\n');
    expect(await readOpenCsv(file)).toEqual([
      { line: 1, fields: ['A', 'B'] },
      { line: 2, fields: ['x\r\ny', '1'] },
      { line: 4, fields: ['p\rq\nr', '2'] },
      { line: 8, fields: ['z', '3'] },
    ]);
  });

  it('property: openCsv reads what csv-parse and the reference read, line numbers included', async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, async (f) => {
        const { text, expected } = textOf(f);
        const ours = await readOpenCsv(write(text));
        expect(ours.map((r) => r.fields)).toEqual(expected);
        expect(readCsvParse(text)).toEqual(expected);
        expect(ours).toEqual(reference(text));
      }),
      { numRuns: 300 },
    );
  });

  it('property: without quotes, CsvLines (the sync’s byte reader) reads the same', async () => {
    const plainFile = fc.record({
      records: fc.array(
        fc.tuple(
          fc.tuple(fc.stringMatching(/^[a-z0-9]{1,6}$/), fc.array(plainCell, { maxLength: 4 })),
          breakArb,
          fc.option(breakArb, { nil: undefined }),
        ),
        { minLength: 1, maxLength: 12 },
      ),
      headerBreak: breakArb,
      finalBreak: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(plainFile, async (f) => {
        const { text, expected } = textOf({
          ...f,
          records: f.records.map(([[first, cells], eol, blank]) => [
            [first, cells.map((value) => ({ value, text: value }))],
            eol,
            blank,
          ]),
        });
        const source = await inspectCsv(write(text));
        expect(source.quotes).toBe(false);
        const lines = new CsvLines(source);
        const read: CsvRecord[] = [];
        for await (const batch of lines.batches())
          for (const r of batch) read.push({ line: r.line, fields: lines.fields(r) });
        expect(read.map((r) => r.fields)).toEqual(expected.slice(1));
        expect(read).toEqual(reference(text).slice(1));
      }),
      { numRuns: 300 },
    );
  });

  it('property: cut anywhere into chunks, the text comes out the same (a CRLF or a "" across a cut)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fileArb,
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 8 }),
        async (f, cuts) => {
          const { text } = textOf(f);
          const whole = new LineBreaks(';').scan(text, true);
          const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const stream = new LineBreaks(';');
          const out: string[] = [];
          stream.on('data', (d: string | Buffer) => out.push(String(d)));
          const ended = once(stream, 'end');
          let from = 0;
          for (const c of at) {
            stream.write(text.slice(from, c));
            from = c;
          }
          stream.end(text.slice(from));
          await ended;
          expect(out.join('')).toBe(whole);
          // the same records: only the line breaks between them changed, each now an LF
          expect(reference(whole).map((r) => r.fields)).toEqual(
            reference(text).map((r) => r.fields),
          );
        },
      ),
    );
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectCsv, openCsv, type CsvRecord } from '../../src/io/csv.js';
import { CsvLines } from '../../src/io/csv-lines.js';

// io/csv-lines.ts reads files without quotes as bytes, for the MADRHAS sync's streamed path. It
// must give exactly what PapaParse gives through openCsv: the same records, cells and line numbers.

let dir: string;
let n = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-csv-lines-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(content: Buffer): string {
  const file = path.join(dir, `f${n++}.csv`);
  fs.writeFileSync(file, content);
  return file;
}

async function both(file: string) {
  const source = await inspectCsv(file);
  expect(source.quotes).toBe(false);
  const csv = await openCsv(source);
  const parsed: CsvRecord[] = [];
  for await (const r of csv.records) parsed.push(r);
  const lines = new CsvLines(source);
  const read: CsvRecord[] = [];
  const cells: string[] = [];
  for await (const batch of lines.batches())
    for (const r of batch) {
      read.push({ line: r.line, fields: lines.fields(r) });
      cells.push(lines.cell(r, 1));
    }
  return { parsed, read, cells };
}

const NEWLINES = ['\n', '\r\n', '\r'] as const;
const cellText = fc.stringMatching(/^[a-zé;, \t\r\n\u00a0€0-9.@-]{0,12}$/);

describe('CsvLines (files without quotes, read as bytes)', () => {
  it('gives the records, cells and line numbers openCsv gives, whatever the newlines, blanks, BOM and encoding', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...NEWLINES),
        fc.array(fc.array(cellText, { minLength: 1, maxLength: 4 }), { maxLength: 12 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('utf8', 'cp1252'),
        async (newline, rows, bom, finalNewline, encoding) => {
          const text =
            ['ID;NOM;VILLE', ...rows.map((r) => r.join(';'))].join(newline) +
            (finalNewline ? newline : '');
          const bytes =
            encoding === 'utf8'
              ? Buffer.concat([
                  bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
                  Buffer.from(text),
                ])
              : iconv.encode(text, 'win1252');
          const { parsed, read, cells } = await both(write(bytes));
          expect(read).toEqual(parsed);
          expect(cells).toEqual(parsed.map((r) => r.fields[1] ?? ''));
        },
      ),
      { numRuns: 300 },
    );
    // 300 files read twice: seconds on a loaded machine
  }, 60_000);

  it('reads across its 1 MiB chunks: a CRLF, an accented letter or a line cut between two chunks', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 40_000; i++)
      rows.push(
        `login.${i}@mairie.example;Hélène ${'é'.repeat(i % 7)};${i % 13 === 0 ? '' : 'SIRET'};${i % 11 === 0 ? ';;' : 'x'}`,
      );
    for (const newline of NEWLINES) {
      const { parsed, read } = await both(
        write(Buffer.from(['ID;NOM;TYPE;X', ...rows].join(newline) + newline)),
      );
      expect(read.length).toBe(40_000);
      expect(read).toEqual(parsed);
    }
  });

  it('refuses a file with quotes (PapaParse reads those)', async () => {
    const source = await inspectCsv(write(Buffer.from('A;B\n"x";y\n')));
    expect(source.quotes).toBe(true);
    expect(() => new CsvLines(source)).toThrow();
  });
});

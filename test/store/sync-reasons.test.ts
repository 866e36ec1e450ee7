import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { syncMadrhas, type SyncOptions } from '../../src/app/sync/madrhas.js';
import {
  decodeReasons,
  encodeReasons,
  reason,
  reasonAround,
  reasonsText,
} from '../../src/app/sync/reasons.js';
import type { Store } from '../../src/db/store.js';
import type { Lang } from '../../src/i18n/index.js';
import { DIALECTS, type FreshLocation } from '../helpers/stores.js';
import { eachDirectoryStore, syncOptions } from './support/directory-store.js';

// Reject reasons are kept as message keys and parameters (app/sync/reasons.ts) and put in words
// only when the rejects report and the sample are written: the same run in French and in English.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'fixtures');
const MADRHAS = path.join(FIXTURES, 'madrhas.csv');
const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const PAULINE = 'pauline.dufour@mairie-pau.fr';
const LINES = fs.readFileSync(MADRHAS, 'utf8').split('\r\n');
const line = (n: number) => LINES[n - 1]!;

describe('reasons as data', () => {
  it('encode one JSON object a line and read back, whatever their parameters hold', () => {
    const rs = [
      reason('sync.gpInStore', { login: 'a"b\\c\nd' }),
      reason('row.unknownStructure', { ref: 'SIRET:1' }, 'IDENTIFIANT_STRUCTURE'),
      reason('sync.severalGp'),
    ];
    const text = encodeReasons(rs);
    expect(text.split('\n')).toHaveLength(3);
    expect(decodeReasons(text)).toEqual(rs);
    expect(reasonsText('en', text)[0]).toBe(
      'ROLE: the structure already has a principal manager (a"b\\c\nd)',
    );
    expect(reasonsText('fr', text)[1]).toMatch(/^IDENTIFIANT_STRUCTURE : /);
  });

  it('a reason SQL completes: the JSON around its parameter', () => {
    const [before, after] = reasonAround('sync.gpInStore', 'login');
    expect(JSON.parse(`${before}"x@y.fr"${after}`)).toEqual({
      key: 'sync.gpInStore',
      params: { login: 'x@y.fr' },
    });
  });
});

/** The fixture's rejected lines with every reason, by language (the run's own language). */
const EXPECTED: Record<Lang, [number, string][]> = {
  fr: [
    [
      7,
      'IDENTIFIANT_CONNEXION : les données personnelles ou le statut de ce compte diffèrent d’une ligne à l’autre',
    ],
    [
      9,
      'IDENTIFIANT_STRUCTURE : structure inconnue SIRET:21640445900028 : importez d’abord l’annuaire',
    ],
    [12, 'ROLE : plusieurs gestionnaires principaux pour cette structure dans le fichier'],
    [15, 'IDENTIFIANT_STRUCTURE : structure SIRET:21640422800019 inactive'],
  ],
  en: [
    [
      7,
      "IDENTIFIANT_CONNEXION: this account's personal data or status differ from one row to another",
    ],
    [
      9,
      'IDENTIFIANT_STRUCTURE: unknown structure SIRET:21640445900028: import the directory first',
    ],
    [12, 'ROLE: several principal managers for this structure in the file'],
    [15, 'IDENTIFIANT_STRUCTURE: structure SIRET:21640422800019 is inactive'],
  ],
};

describe.each(DIALECTS)('sync madrhas: reasons in the run’s language (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  eachDirectoryStore(
    dialect,
    CORR,
    '2025-03-10T09:30:00.000Z',
    (s, f) => ((store = s), (fresh = f)),
  );

  const sync = (file: string, over: Partial<SyncOptions>) =>
    syncMadrhas(store, CORR, syncOptions(file, over));
  const rejects = (file: string) =>
    new Map(
      (parseCsv(fs.readFileSync(file, 'utf8'), { delimiter: ';', bom: true }) satisfies string[][])
        .slice(1)
        .map((r) => [Number(r[13]), r[14]!]),
    );

  for (const lang of ['fr', 'en'] as const)
    for (const strategy of ['auto', 'staged'] as const)
      it(`the rejects report and the sample speak ${lang} (${strategy})`, async () => {
        const out = path.join(fresh.dir, `rejets-${lang}-${strategy}.csv`);
        const summary = await sync(MADRHAS, { lang, strategy, rejects: out });
        expect(summary.rejected).toBe(9);
        const report = rejects(out);
        for (const [n, text] of EXPECTED[lang]) {
          expect(report.get(n), `line ${n}`).toBe(text);
          expect(summary.sample.find((s) => s.line === n)?.errors, `line ${n}`).toEqual([text]);
        }
      });

  for (const lang of ['fr', 'en'] as const)
    it(`a rule across rows names the store's GP, in ${lang} (staged: SQL fills the login in)`, async () => {
      await sync(MADRHAS, {});
      const dir = path.join(fresh.dir, 'gp');
      fs.mkdirSync(dir);
      const file = path.join(dir, 'madrhas.csv');
      const gp = [
        'nouveau.gp@mairie-pau.fr',
        'M.',
        'NOUVEAU',
        'Gérard',
        'nouveau.gp@mairie-pau.fr',
        '',
        'SIRET',
        '21640445900010',
        '',
        'GESTIONNAIRE_PRINCIPAL',
        '01/01/2024',
        '',
        'ACTIF',
      ].join(';');
      fs.writeFileSync(file, [line(1), gp, ''].join('\r\n'));
      const out = path.join(fresh.dir, `gp-${lang}.csv`);
      const summary = await sync(file, { lang, mode: 'delta', strategy: 'staged', rejects: out });
      const text =
        lang === 'fr'
          ? `ROLE : la structure a déjà un gestionnaire principal (${PAULINE})`
          : `ROLE: the structure already has a principal manager (${PAULINE})`;
      expect(summary.sample).toEqual([{ line: 2, errors: [text] }]);
      expect(rejects(out).get(2)).toBe(text);
    });
});

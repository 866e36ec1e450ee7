import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { HEAVY, clis, initStore } from './fixtures.js';

/**
 * Golden outputs (SPEC 4, issue 15): what people read, whole, at 80 and 120 columns, in French
 * and in English — tables that fit, labels instead of codes, local dates. Deterministic: a fixed
 * clock (`now`), a fixed zone (TZ=Europe/Paris) and a fixed width (COLUMNS). The expected
 * outputs are test/e2e/golden/NAME.LANG.COLUMNS.txt; `UPDATE_GOLDEN=1 npx vitest run
 * test/e2e/golden.test.ts` writes them again (then read the diff before committing it).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'fixtures');
const GOLDEN = path.join(ROOT, 'test/e2e/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

// the instant of the report: 15:19 in Paris
const NOW = '2026-12-03T14:19:20.787Z';
const PAULINE = 'pauline.dufour@mairie-pau.fr'; // GP of COMMUNE DE PAU in fixtures/madrhas.csv
const ANNE = 'anne-marie.le-gall@mont-de-marsan.fr';
const PAU = '21640445900010';

/** The commands whose output is compared, each as the account that runs it. */
const CASES: { name: string; as: 'corr' | 'gp'; args: string[] }[] = [
  { name: 'account-list', as: 'corr', args: ['account', 'list'] },
  { name: 'account-show', as: 'corr', args: ['account', 'show', PAULINE] },
  { name: 'structure-users', as: 'corr', args: ['structure', 'users', PAU] },
  { name: 'attachment-pending', as: 'gp', args: ['attachment', 'pending'] },
  { name: 'audit-list', as: 'corr', args: ['audit', 'list', '--limit', '4'] },
  {
    name: 'sync-madrhas',
    as: 'corr',
    args: ['sync', 'madrhas', path.join(FIXTURES, 'madrhas.csv'), '--dry-run'],
  },
  { name: 'structure-search', as: 'corr', args: ['structure', 'search', 'pau'] },
];

const VARIANTS = (['fr', 'en'] as const).flatMap((lang) =>
  [80, 120].map((columns) => ({ lang, columns })),
);

describe.each(DIALECTS)('golden outputs (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  beforeAll(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location, { now: NOW });
    const { corr, as } = clis(fresh.location, { now: NOW });
    // the fixtures hold rows rejected on purpose: 1, the rest imported
    expect((await corr('structure', 'import', path.join(FIXTURES, 'annuaire.csv'))).code).toBe(1);
    expect(
      (await corr('structure', 'import-services', path.join(FIXTURES, 'services.csv'))).code,
    ).toBe(1);
    expect((await corr('sync', 'madrhas', path.join(FIXTURES, 'madrhas.csv'))).code).toBe(1);
    const request = await as(ANNE)('attachment', 'request', PAU, '--comment', 'Régisseuse');
    expect(request.code, request.stderr).toBe(0);
  }, HEAVY.timeout);
  afterAll(async () => {
    await fresh.cleanup();
  });

  it.each(CASES)('$name', async ({ name, as, args }) => {
    for (const { lang, columns } of VARIANTS) {
      const { corr, as: asAccount } = clis(fresh.location, {
        now: NOW,
        env: {
          COLUMNS: String(columns),
          TZ: 'Europe/Paris',
          LANG: lang === 'fr' ? 'fr_FR.UTF-8' : 'en_GB.UTF-8',
        },
      });
      const cli = as === 'corr' ? corr : asAccount(PAULINE);
      const r = await cli(...args);
      expect(r.code === 0 || r.code === 1, r.stderr).toBe(true);
      const file = path.join(GOLDEN, `${name}.${lang}.${columns}.txt`);
      for (const line of r.stdout.split('\n'))
        expect([...line].length, `${file}: ${line}`).toBeLessThanOrEqual(columns);
      if (UPDATE) fs.writeFileSync(file, r.stdout);
      expect(r.stdout, file).toBe(fs.readFileSync(file, 'utf8'));
    }
  });
});

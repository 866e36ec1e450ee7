import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importStructures, type ImportOptions } from '../../src/app/structure-import.js';
import { luhn } from '../../src/domain/identifiers.js';
import type { Store } from '../../src/db/store.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { testClock } from '../helpers/clock.js';
import { count, counts, refuseInsert } from './support/seed.js';
import { correspondentStore } from './support/directory-store.js';

// PostgreSQL's directory import writes behind (app/structure-import.ts, db/write-behind.ts): a
// batch's COPYs (its structures, its before-images) are queued while the next batch is read and
// planned. A write that fails there must be the run's error (not the "transaction is aborted" of
// what was issued after it), and nothing may be committed. SQLite writes as it goes: the same outcome.

const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const HEADER =
  'TypeIdentifiant;Identifiant;RaisonSociale;EmetteurEdi;RecepteurEdi;GestionStatutMiseEnPaiement;GestionEngagement;GestionService;GestionServiceEngagement;EstMOA;EstMOAUniquement;StructureActive;Adresse;ComplementAdresse1;ComplementAdresse2;CodePostal;Ville;NumTelephone;Courriel;CodePays;LibellePays';

/** `body` and the digit that makes it pass Luhn. */
const withKey = (body: string) => {
  for (let d = 0; d < 10; d++) if (luhn(`${body}${d}`)) return `${body}${d}`;
  throw new Error(`no Luhn key for ${body}`);
};
/** The i-th structure's SIRET: a valid SIREN (Luhn), its establishment 0001, its key. */
const siret = (i: number) => withKey(`${withKey(String(20000000 + i))}0001`);
/** Three batches of the import (1,000 rows each, the last 500). */
const ROWS = 2500;
const row = (i: number) =>
  `SIRET;${siret(i)};Commune ${i};non;non;non;non;non;non;non;non;oui;;;;64000;Pau;;;FR;France`;

describe.each(DIALECTS)('structure import: a write that fails behind (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  let file: string;
  beforeEach(async () => {
    testClock.set('2025-03-10T09:30:00.000Z');
    fresh = await freshLocation(dialect, 'migrated');
    store = await correspondentStore(fresh.location, CORR, ['*']);
    file = path.join(fresh.dir, 'annuaire.csv');
    const lines = Array.from({ length: ROWS }, (_, i) => row(i));
    fs.writeFileSync(file, [HEADER, ...lines, ''].join('\r\n'));
  });
  afterEach(async () => {
    await store.close();
    await fresh.cleanup();
  });

  const opts: () => ImportOptions = () => ({ file, encoding: 'auto', lang: 'fr' });
  /** Every table's rows, the runs' before-images too. */
  const rows = async (): Promise<Record<string, number>> => ({
    ...(await counts(store.db)),
    runChange: await count(store.db, 'runChange'),
  });

  /** A trigger refusing the insert of one row of `table`: the structure `identifier`'s, or its before-image. */
  async function refuse(table: 'structure' | 'run_change', identifier: string): Promise<void> {
    const match =
      table === 'structure'
        ? `new.identifier = '${identifier}'`
        : `new.target = 'structure:SIRET:${identifier}'`;
    await refuseInsert(store.db, dialect, table, match, `probe: ${table} of ${identifier} refused`);
  }

  it.each([
    // the first batch's structures: the second batch is read and planned behind them
    ['structure', 10],
    // the first batch's before-images, a COPY after its structures
    ['run_change', 20],
    // the middle batch, whose writes are queued after the first's and before the last's
    ['structure', 1200],
    // the last batch, written after the file is read
    ['run_change', ROWS - 50],
  ] as const)(
    'a refused %s (row %i): the run fails with its error, and writes nothing',
    async (table, i) => {
      await refuse(table, siret(i));
      const before = await rows();
      const error = await importStructures(store, CORR, opts()).then(
        () => null,
        (err: unknown) => err,
      );
      expect(String(error)).toContain(`probe: ${table} of ${siret(i)} refused`);
      expect(await rows()).toEqual(before);
    },
  );

  it('the same file without the trigger is written whole', async () => {
    const summary = await importStructures(store, CORR, opts());
    expect([summary.created, summary.rejected]).toEqual([ROWS, 0]);
    const after = await rows();
    expect([after.structure, after.runChange]).toEqual([ROWS, ROWS]);
  });
});

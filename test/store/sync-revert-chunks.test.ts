import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAccount, editAccount } from '../../src/app/accounts.js';
import { syncMadrhas, type SyncOptions } from '../../src/app/sync/madrhas.js';
import { revertRun } from '../../src/app/sync/revert.js';
import type { Store } from '../../src/db/store.js';
import { ForbiddenError } from '../../src/errors.js';
import { DIALECTS, type FreshLocation } from '../helpers/stores.js';
import { testClock } from '../helpers/clock.js';
import { eachDirectoryStore, syncOptions } from './support/directory-store.js';
import { HEADER, row, tables } from './support/revert-fixture.js';

/**
 * `sync revert` works a chunk of 500 changes at a time (app/sync/revert-accounts.ts): what one
 * target's decision changes (a structure's GP) holds for the next ones, within a chunk and
 * across chunks; a conflict in a chunk leaves its neighbours reverted; service links come back
 * with their status.
 */

const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const PAU = '21640445900010';
const MONT = '21400192700018';
const GP = 'GESTIONNAIRE_PRINCIPAL';
const USER = 'UTILISATEUR';
const NOW = '2025-03-10T09:30:00.000Z';
const LATER = '2025-04-01T08:00:00.000Z';
const EVEN_LATER = '2025-04-02T08:00:00.000Z';

/** 1,100 accounts of Mont-de-Marsan: more than two chunks of changes between their neighbours. */
const FILLERS = Array.from({ length: 1100 }, (_, i) => `f${String(i).padStart(4, '0')}@mont.fr`);
const MIDDLE = FILLERS[750]!;

describe.each(DIALECTS)('sync revert by chunks (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  eachDirectoryStore(dialect, CORR, NOW, (s, f) => ((store = s), (fresh = f)));

  const sync = async (name: string, lines: string[], as = CORR) => {
    const file = path.join(fresh.dir, name);
    fs.writeFileSync(file, [HEADER, ...lines, ''].join('\r\n'));
    const o: SyncOptions = syncOptions(file, { maxDeactivations: '100%' });
    await syncMadrhas(store, as, o);
    const run = await store.db
      .selectFrom('run')
      .select('id')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    return run.id;
  };
  const gpOfPau = async () =>
    (
      await store.db
        .selectFrom('attachment')
        .innerJoin('account', 'account.id', 'attachment.accountId')
        .innerJoin('structure', 'structure.id', 'attachment.structureId')
        .select('account.login')
        .where('structure.identifier', '=', PAU)
        .where('attachment.role', '=', GP)
        .where('attachment.status', '=', 'VALIDEE')
        .execute()
    ).map((r) => r.login);

  it('a GP transfer whose two accounts fall in chunks far apart, and a conflict mid-chunk', async () => {
    const [alice, gp] = ['alice@mairie-pau.fr', 'gp@mairie-pau.fr'];
    const fillers = (nom: string) => FILLERS.map((f) => row(f, nom, MONT, '', USER));
    await sync('base.csv', [
      row(alice, 'ALICE', PAU, '', USER),
      ...fillers('F'),
      row(gp, 'GP', PAU, '', GP),
    ]);
    const before = await tables(store.db);
    testClock.set(LATER);
    const run = await sync('run.csv', [
      row(alice, 'ALICE', PAU, '', GP),
      ...fillers('G'),
      row(gp, 'GP', PAU, '', USER),
    ]);
    expect(await gpOfPau()).toEqual([alice]);
    testClock.set(EVEN_LATER);
    await editAccount(store, CORR, MIDDLE, { lastName: 'H' });

    const reverted = await revertRun(store, CORR, run, { dryRun: false });
    expect(reverted).toMatchObject({ changes: 1102, attachmentsRestored: 2 });
    expect(reverted.conflicts).toEqual([
      { target: `account:${MIDDLE}`, field: 'lastName', reason: 'changed', run: 'G', now: 'H' },
    ]);
    expect(await gpOfPau()).toEqual([gp]);
    const after = await tables(store.db);
    expect(after.accounts.find((a) => a.login === MIDDLE)?.lastName).toBe('H');
    const others = (t: typeof before) => ({
      ...t,
      accounts: t.accounts.filter((a) => a.login !== MIDDLE),
    });
    expect(others(after)).toEqual(others(before));
  });

  it('a GP transfer within one chunk, the former GP’s login first: the former GP is back', async () => {
    const [former, next] = ['a-gp@mairie-pau.fr', 'z-next@mairie-pau.fr'];
    await sync('base.csv', [row(former, 'FORMER', PAU, '', GP), row(next, 'NEXT', PAU, '', USER)]);
    const before = await tables(store.db);
    testClock.set(LATER);
    const run = await sync('run.csv', [
      row(former, 'FORMER', PAU, '', USER),
      row(next, 'NEXT', PAU, '', GP),
    ]);
    expect(await gpOfPau()).toEqual([next]);
    testClock.set(EVEN_LATER);
    const reverted = await revertRun(store, CORR, run, { dryRun: false });
    expect(reverted.conflicts).toEqual([]);
    expect(await gpOfPau()).toEqual([former]);
    expect(await tables(store.db)).toEqual(before);
  });

  it('a service link the run removed comes back with its status (a request pending)', async () => {
    const alice = 'alice@mairie-pau.fr';
    await sync('base.csv', [
      row(alice, 'ALICE', PAU, 'SERV-CULT', USER),
      row(alice, 'ALICE', PAU, 'SERV-ETAT-CIVIL', USER),
    ]);
    const etatCivil = await store.db
      .selectFrom('service')
      .innerJoin('structure', 'structure.id', 'service.structureId')
      .select('service.id')
      .where('structure.identifier', '=', PAU)
      .where('service.code', '=', 'SERV-ETAT-CIVIL')
      .executeTakeFirstOrThrow();
    await store.db
      .updateTable('attachmentService')
      .set({ status: 'EN_COURS_DE_VALIDATION' })
      .where('serviceId', '=', etatCivil.id)
      .execute();
    const before = await tables(store.db);
    testClock.set(LATER);
    const run = await sync('run.csv', [row(alice, 'ALICE', PAU, 'SERV-CULT', USER)]);
    expect(await tables(store.db)).not.toEqual(before);
    testClock.set(EVEN_LATER);
    const reverted = await revertRun(store, CORR, run, { dryRun: false });
    expect(reverted.conflicts).toEqual([]);
    expect(await tables(store.db)).toEqual(before);
  });

  it('a département correspondent may not revert an account now outside its scope (4)', async () => {
    const corr40 = 'corr.landes@dgfip.finances.gouv.fr';
    const dan = 'dan@mont-de-marsan.fr';
    await createAccount(store, CORR, {
      login: corr40,
      data: { email: corr40, lastName: 'LANDES', firstName: 'Luc' },
      scope: ['40'],
    });
    const run = await sync('run.csv', [row(dan, 'DAN', MONT, '', USER)], corr40);
    // since the run, Dan (the store's only attachment) works in Pau (64) only
    const pau = await store.db
      .selectFrom('structure')
      .select('id')
      .where('identifier', '=', PAU)
      .executeTakeFirstOrThrow();
    await store.db.updateTable('attachment').set({ structureId: pau.id }).execute();
    await expect(revertRun(store, corr40, run, { dryRun: false })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect(await revertRun(store, CORR, run, { dryRun: false })).toMatchObject({ deleted: 1 });
  });
});

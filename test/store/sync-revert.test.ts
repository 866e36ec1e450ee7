import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAccount, editAccount } from '../../src/app/accounts.js';
import { importStructures } from '../../src/app/structure-import.js';
import { syncMadrhas, type SyncOptions } from '../../src/app/sync/madrhas.js';
import { revertRun } from '../../src/app/sync/revert.js';
import { listRuns, showRun } from '../../src/app/sync/runs.js';
import type { Store } from '../../src/db/store.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../src/errors.js';
import { DIALECTS, type FreshLocation } from '../helpers/stores.js';
import { testClock } from '../helpers/clock.js';
import { expectKey } from './support/seed.js';
import { eachDirectoryStore, syncOptions } from './support/directory-store.js';
import { HEADER, row, tables } from './support/revert-fixture.js';

/**
 * `sync revert` (SPEC 8.1 "Runs", issue 16 point 5): a sync's before-images put back what it
 * replaced — the round trip leaves accounts, attachments, their services and subscriptions as
 * they were — and what changed since the run is kept and listed; an import's structures too.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ANNUAIRE = path.join(ROOT, 'fixtures', 'annuaire.csv');

const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const CORR40 = 'corr.landes@dgfip.finances.gouv.fr';
const PAU = '21640445900010';
const CH_PAU = '26640001900011';
const MONT = '21400192700018';
const CHATEAU = '19640001400011';

const ALICE = 'alice@mairie-pau.fr';
const BOB = 'bob@ch-pau.fr';
const CARL = 'carl@chateau-pau.fr';
const DAN = 'dan@mont-de-marsan.fr';
const GP = 'gp@mairie-pau.fr';
const EVE = 'eve@mairie-pau.fr';

const NOW = '2025-03-10T09:30:00.000Z';
const LATER = '2025-04-01T08:00:00.000Z';
const EVEN_LATER = '2025-04-02T08:00:00.000Z';

/** The store before the run: five MADRHAS accounts. */
const BASE = [
  row(ALICE, 'ALICE', PAU, 'SERV-CULT', 'UTILISATEUR'),
  row(ALICE, 'ALICE', PAU, 'SERV-ETAT-CIVIL', 'UTILISATEUR'),
  row(BOB, 'BOB', CH_PAU, '', 'GESTIONNAIRE_SECONDAIRE'),
  row(BOB, 'BOB', MONT, '', 'UTILISATEUR'),
  row(CARL, 'CARL', CHATEAU, '', 'UTILISATEUR', 'INACTIF'),
  row(DAN, 'DAN', MONT, '', 'UTILISATEUR'),
  row(GP, 'GP', PAU, '', 'GESTIONNAIRE_PRINCIPAL'),
];

/**
 * The run to revert: Alice renamed, one service fewer, a new attachment; Bob's role changes and
 * his Mont-de-Marsan row is gone (ended); Carl reactivated; Dan absent (deactivated, full mode);
 * Eve created; the GP unchanged.
 */
const RUN = [
  row(ALICE, 'ALICIA', PAU, 'SERV-CULT', 'UTILISATEUR'),
  row(ALICE, 'ALICIA', CH_PAU, 'PHARMA', 'UTILISATEUR'),
  row(BOB, 'BOB', CH_PAU, '', 'UTILISATEUR'),
  row(CARL, 'CARL', CHATEAU, '', 'UTILISATEUR', 'ACTIF'),
  row(GP, 'GP', PAU, '', 'GESTIONNAIRE_PRINCIPAL'),
  row(EVE, 'EVE', PAU, 'FACTURES', 'UTILISATEUR'),
];

describe.each(DIALECTS)('sync revert (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  eachDirectoryStore(dialect, CORR, NOW, (s, f) => ((store = s), (fresh = f)));

  const write = (name: string, lines: string[]) => {
    const file = path.join(fresh.dir, name);
    fs.writeFileSync(file, [HEADER, ...lines, ''].join('\r\n'));
    return file;
  };
  const opts = (file: string, over: Partial<SyncOptions> = {}): SyncOptions =>
    syncOptions(file, { maxDeactivations: '100%', ...over });
  const lastRun = async () =>
    (await store.db.selectFrom('run').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow())
      .id;
  const accountId = async (login: string) =>
    (
      await store.db
        .selectFrom('account')
        .select('id')
        .where('login', '=', login)
        .executeTakeFirstOrThrow()
    ).id;
  const structureId = async (identifier: string) =>
    (
      await store.db
        .selectFrom('structure')
        .select('id')
        .where('identifier', '=', identifier)
        .executeTakeFirstOrThrow()
    ).id;

  /** The base store: the first sync, then what the tool adds beside it (a subscription, a manual attachment). */
  async function seed(): Promise<void> {
    await syncMadrhas(store, CORR, opts(write('base.csv', BASE)));
    const at = NOW;
    await store.db
      .insertInto('subscription')
      .values({
        accountId: await accountId(ALICE),
        structureId: await structureId(PAU),
        serviceId: null,
        space: 'FACTURES_EMISES',
        mode: 'MODIFICATION',
        status: 'VALIDEE',
        requestedAt: at,
        decidedAt: at,
        decidedBy: GP,
        createdAt: at,
        updatedAt: at,
      })
      .execute();
    await store.db
      .insertInto('subscription')
      .values({
        accountId: await accountId(DAN),
        structureId: await structureId(MONT),
        serviceId: null,
        space: 'FACTURES_RECUES',
        mode: 'CONSULTATION_UNIQUEMENT',
        status: 'VALIDEE',
        requestedAt: at,
        decidedAt: at,
        decidedBy: CORR,
        createdAt: at,
        updatedAt: at,
      })
      .execute();
    await store.db
      .insertInto('attachment')
      .values({
        accountId: await accountId(ALICE),
        structureId: await structureId(CHATEAU),
        role: 'UTILISATEUR',
        status: 'VALIDEE',
        source: 'MANUEL',
        dateStart: '2024-06-01',
        dateEnd: null,
        createdAt: at,
        updatedAt: at,
      })
      .execute();
  }

  const snapshot = () => tables(store.db);

  it('a sync that creates, updates, reactivates, deactivates and ends, then its revert: the store as before', async () => {
    await seed();
    const before = await snapshot();
    testClock.set(LATER);
    const summary = await syncMadrhas(store, CORR, opts(write('run.csv', RUN)));
    expect(summary).toMatchObject({ created: 1, reactivated: 1, deactivated: 1 });
    expect(summary.attachmentsEnded).toBeGreaterThanOrEqual(2);
    const run = await lastRun();
    expect(await snapshot()).not.toEqual(before);

    // the run kept one entry per account it changed
    const shown = await showRun(store, CORR, run);
    expect(shown.changes.map((c) => [c.target, c.kind]).sort()).toEqual(
      [
        [`account:${ALICE}`, 'updated'],
        [`account:${BOB}`, 'updated'],
        [`account:${CARL}`, 'reactivated'],
        [`account:${DAN}`, 'deactivated'],
        [`account:${EVE}`, 'created'],
      ].sort(),
    );

    // the credentials message of the account it created, not sent yet
    await store.db
      .insertInto('notification')
      .values({
        accountId: await accountId(EVE),
        structureId: null,
        event: 'ACCOUNT_CREATED',
        language: 'fr',
        fromAddress: 'noreply@dgfip.finances.gouv.fr',
        toAddress: EVE,
        subject: 'Vos identifiants',
        body: '…',
        createdAt: LATER,
        sentAt: null,
      })
      .execute();
    testClock.set(EVEN_LATER);
    const dry = await revertRun(store, CORR, run, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, revertRun: null, changes: 5, deleted: 1 });
    expect(dry.conflicts).toEqual([]);
    // a dry run writes nothing
    expect(
      await store.db
        .selectFrom('run')
        .select('revertedBy')
        .where('id', '=', run)
        .executeTakeFirstOrThrow(),
    ).toEqual({ revertedBy: null });

    const reverted = await revertRun(store, CORR, run, { dryRun: false });
    expect(reverted).toMatchObject({
      dryRun: false,
      changes: 5,
      restored: 4,
      deleted: 1,
      conflicts: [],
    });
    expect(await snapshot()).toEqual(before);
    // the account it created is deleted as `account delete` does
    const eve = await store.db
      .selectFrom('account')
      .select(['status'])
      .where('login', '=', EVE)
      .executeTakeFirstOrThrow();
    expect(eve.status).toBe('SUPPRIME');
    const eveAttachments = await store.db
      .selectFrom('attachment')
      .select('status')
      .where('accountId', '=', await accountId(EVE))
      .execute();
    expect(eveAttachments.map((a) => a.status)).toEqual(['SUPPRIMEE']);
    // its credentials will not go out
    const mail = await store.db
      .selectFrom('notification')
      .select('event')
      .where('accountId', '=', await accountId(EVE))
      .execute();
    expect(mail).toEqual([]);

    // audited: the revert's entry and one per account, linked to the revert run
    const entries = await store.db
      .selectFrom('auditLog')
      .select(['action', 'target', 'runId'])
      .where('runId', '=', reverted.revertRun)
      .orderBy('seq')
      .execute();
    expect(entries.filter((e) => e.action === 'sync.revert')).toEqual([
      { action: 'sync.revert', target: `run:${run}`, runId: reverted.revertRun },
    ]);
    expect(entries.filter((e) => e.action === 'sync.revert.account')).toHaveLength(5);
    const runs = await listRuns(store, CORR);
    expect(runs[0]).toMatchObject({ id: reverted.revertRun, kind: 'sync.revert' });
    expect(runs.find((r) => r.id === run)).toMatchObject({ revertedBy: reverted.revertRun });

    // once only
    await expectKey(
      revertRun(store, CORR, run, { dryRun: false }),
      ConflictError,
      'run.alreadyReverted',
    );
    await expectKey(
      revertRun(store, CORR, reverted.revertRun!, { dryRun: false }),
      ConflictError,
      'run.revertOfRevert',
    );
  });

  it('a value changed after the run is kept and listed as a conflict; the others come back', async () => {
    await seed();
    testClock.set(LATER);
    await syncMadrhas(store, CORR, opts(write('run.csv', RUN)));
    const run = await lastRun();
    await editAccount(store, CORR, ALICE, { lastName: 'ALIX' });
    // a manager's change of Bob's role since the run
    await store.db
      .updateTable('attachment')
      .set({ role: 'GESTIONNAIRE_SECONDAIRE' })
      .where('accountId', '=', await accountId(BOB))
      .where('structureId', '=', await structureId(CH_PAU))
      .execute();
    testClock.set(EVEN_LATER);
    const reverted = await revertRun(store, CORR, run, { dryRun: false });
    expect(reverted.conflicts).toEqual([
      {
        target: `account:${ALICE}`,
        field: 'lastName',
        reason: 'changed',
        run: 'ALICIA',
        now: 'ALIX',
      },
    ]);
    const alice = await store.db
      .selectFrom('account')
      .select(['lastName'])
      .where('login', '=', ALICE)
      .executeTakeFirstOrThrow();
    expect(alice.lastName).toBe('ALIX');
    // Alice's attachments came back all the same: the PHARMA one removed, her services back
    const held = await store.db
      .selectFrom('attachment')
      .select(['structureId', 'status'])
      .where('accountId', '=', await accountId(ALICE))
      .orderBy('id')
      .execute();
    expect(held).toEqual([
      { structureId: await structureId(PAU), status: 'VALIDEE' },
      { structureId: await structureId(CHATEAU), status: 'VALIDEE' },
    ]);
    // Bob's role was set back by hand already: nothing to do, no conflict
    const bob = await store.db
      .selectFrom('attachment')
      .select(['role'])
      .where('accountId', '=', await accountId(BOB))
      .where('structureId', '=', await structureId(CH_PAU))
      .executeTakeFirstOrThrow();
    expect(bob.role).toBe('GESTIONNAIRE_SECONDAIRE');
  });

  it('a GP transfer by the export, reverted: the former GP is GP again, whatever the logins’ order', async () => {
    await seed();
    const before = await snapshot();
    testClock.set(LATER);
    // Alice (whose login sorts before the GP's) becomes the GP of Pau, the GP a user
    const transfer = BASE.filter((l) => !l.startsWith(ALICE) && !l.startsWith(GP)).concat(
      row(ALICE, 'ALICE', PAU, '', 'GESTIONNAIRE_PRINCIPAL'),
      row(GP, 'GP', PAU, '', 'UTILISATEUR'),
    );
    await syncMadrhas(store, CORR, opts(write('transfer.csv', transfer)));
    const run = await lastRun();
    const gpOfPau = async () =>
      (
        await store.db
          .selectFrom('attachment')
          .innerJoin('account', 'account.id', 'attachment.accountId')
          .select('account.login')
          .where('attachment.structureId', '=', await structureId(PAU))
          .where('attachment.role', '=', 'GESTIONNAIRE_PRINCIPAL')
          .where('attachment.status', '=', 'VALIDEE')
          .execute()
      ).map((r) => r.login);
    expect(await gpOfPau()).toEqual([ALICE]);
    testClock.set(EVEN_LATER);
    const reverted = await revertRun(store, CORR, run, { dryRun: false });
    expect(reverted.conflicts).toEqual([]);
    expect(await gpOfPau()).toEqual([GP]);
    expect(await snapshot()).toEqual(before);
  });

  it('an attachment the run added and used since (a subscription there) stays (conflict)', async () => {
    await seed();
    testClock.set(LATER);
    await syncMadrhas(store, CORR, opts(write('run.csv', RUN)));
    const run = await lastRun();
    await store.db
      .insertInto('subscription')
      .values({
        accountId: await accountId(ALICE),
        structureId: await structureId(CH_PAU),
        serviceId: null,
        space: 'FACTURES_RECUES',
        mode: 'MODIFICATION',
        status: 'EN_COURS_DE_VALIDATION',
        requestedAt: LATER,
        decidedAt: null,
        decidedBy: null,
        createdAt: LATER,
        updatedAt: LATER,
      })
      .execute();
    const reverted = await revertRun(store, CORR, run, { dryRun: false });
    expect(reverted.conflicts).toEqual([
      {
        target: `account:${ALICE}`,
        field: `attachment:SIRET:${CH_PAU}`,
        reason: 'usedSince',
      },
    ]);
    const kept = await store.db
      .selectFrom('attachment')
      .select('status')
      .where('accountId', '=', await accountId(ALICE))
      .where('structureId', '=', await structureId(CH_PAU))
      .execute();
    expect(kept).toEqual([{ status: 'VALIDEE' }]);
  });

  it('an account the run created and that was used since stays (conflict)', async () => {
    await seed();
    testClock.set(LATER);
    await syncMadrhas(store, CORR, opts(write('run.csv', RUN)));
    const run = await lastRun();
    testClock.set(EVEN_LATER);
    await editAccount(store, CORR, EVE, { mobile: '06 12 34 56 78' });
    const reverted = await revertRun(store, CORR, run, { dryRun: false });
    expect(reverted.deleted).toBe(0);
    expect(reverted.conflicts).toEqual([
      expect.objectContaining({ target: `account:${EVE}`, field: 'account', reason: 'usedSince' }),
    ]);
  });

  it('a structure keeps its GP: a GP the run created is not deleted (conflict)', async () => {
    testClock.set(LATER);
    await syncMadrhas(store, CORR, opts(write('base.csv', BASE)));
    const run = await lastRun();
    const reverted = await revertRun(store, CORR, run, { dryRun: false });
    expect(reverted.conflicts).toEqual([
      expect.objectContaining({ target: `account:${GP}`, reason: 'lastGp' }),
    ]);
    expect(reverted.deleted).toBe(4);
  });

  it('refuses a correspondent whose scope does not cover the run (4), an unknown run (3)', async () => {
    await seed();
    const run = await lastRun();
    await createAccount(store, CORR, {
      login: CORR40,
      data: { email: CORR40, lastName: 'LANDES', firstName: 'Luc' },
      scope: ['40'],
    });
    await expect(revertRun(store, CORR40, run, { dryRun: false })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(showRun(store, CORR40, run)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await listRuns(store, CORR40)).map((r) => r.id)).toEqual([]);
    await expectKey(revertRun(store, CORR, 999, { dryRun: false }), NotFoundError, 'run.notFound');
  });

  it('an import run reverted: the structures take their values back; those it created go', async () => {
    const renamed = path.join(fresh.dir, 'annuaire.csv');
    fs.writeFileSync(
      renamed,
      fs.readFileSync(ANNUAIRE, 'utf8').replace('COMMUNE DE PAU', 'VILLE DE PAU'),
    );
    const structure = () =>
      store.db
        .selectFrom('structure')
        .select(['companyName', 'nameKey', 'searchKey'])
        .where('identifier', '=', PAU)
        .executeTakeFirstOrThrow();
    const before = await structure();
    await importStructures(store, CORR, { file: renamed, encoding: 'auto', lang: 'fr' });
    const run = await lastRun();
    expect((await structure()).companyName).toBe('VILLE DE PAU');
    const shown = await showRun(store, CORR, run);
    expect(shown.changes).toEqual([
      {
        target: `structure:SIRET:${PAU}`,
        kind: 'updated',
        before: { companyName: 'COMMUNE DE PAU' },
        after: { companyName: 'VILLE DE PAU' },
      },
    ]);
    const reverted = await revertRun(store, CORR, run, { dryRun: false });
    expect(reverted).toMatchObject({ restored: 1, conflicts: [] });
    expect(await structure()).toEqual(before);

    // the first import created every structure: those with services or attachments stay
    const count = async () =>
      Number(
        (
          await store.db
            .selectFrom('structure')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const all = await count();
    const first = (await listRuns(store, CORR)).find(
      (r) => r.kind === 'structure.import' && r.id < run,
    )!;
    const undone = await revertRun(store, CORR, first.id, { dryRun: false });
    expect(undone.deleted).toBeGreaterThan(0);
    expect(undone.conflicts.every((c) => c.reason === 'usedSince')).toBe(true);
    expect(await count()).toBe(all - undone.deleted);
    expect(await structureIdOrNull(PAU)).not.toBeNull();
  });

  const structureIdOrNull = async (identifier: string) =>
    (
      await store.db
        .selectFrom('structure')
        .select('id')
        .where('identifier', '=', identifier)
        .executeTakeFirst()
    )?.id ?? null;
});

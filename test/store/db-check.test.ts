import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/app/accounts.js';
import { initStore } from '../../src/app/init.js';
import { check } from '../../src/app/store-admin.js';
import { openStore, type Store } from '../../src/db/store.js';
import type { Finding } from '../../src/domain/store-check.js';
import { testClock } from '../helpers/clock.js';
import { accessTo, DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { CORRESPONDENT as CORR } from '../helpers/templates.js';
import { addAccount, addAttachment, addStructure, AT } from './support/seed.js';

/**
 * Issue 14, point 15: `db check` vouches only for what it read. Each fault planted straight in
 * the store is one finding, named; a sound store has none.
 */

const NOW = '2026-04-01T09:00:00.000Z';

describe.each(DIALECTS)('db check (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  beforeEach(async () => {
    fresh = await freshLocation(dialect, 'migrated');
    testClock.set(NOW);
    await initStore({
      store: accessTo(fresh.location),
      login: CORR,
      data: { email: CORR, lastName: 'MARTIN', firstName: 'Claire' },
      scope: ['64'],
    });
    store = await openStore(fresh.location, { clock: testClock });
  });
  afterEach(async () => {
    await store.close();
    await fresh.cleanup();
  });

  const findings = async (): Promise<Finding[]> => {
    const result = await check(accessTo(fresh.location));
    expect(result.ok).toBe(result.findings.length === 0);
    return result.findings;
  };

  /** A file of two chunks, stored as `file add` stores it (size and SHA-256 of its bytes). */
  async function addFile(accountId: number, name = 'rib.pdf'): Promise<number> {
    const one = Buffer.from('%PDF-1.4 first chunk ');
    const two = Buffer.from('second chunk %%EOF');
    const { id } = await store.db
      .insertInto('file')
      .values({
        accountId,
        designation: 'RIB',
        type: 'RIB',
        name,
        size: one.length + two.length,
        mediaType: 'application/pdf',
        sha256: createHash('sha256').update(one).update(two).digest('hex'),
        createdAt: AT,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto('fileChunk')
      .values([
        { fileId: id, seq: 0, data: one },
        { fileId: id, seq: 1, data: two },
      ])
      .execute();
    return id;
  }

  /** A structure with its GP (validated, decided), and a second account. */
  async function structureWithGp() {
    const structureId = await addStructure(store.db, '21640102100019');
    const gp = await addAccount(store.db, 'gp@bayonne.fr');
    const gpAttachment = await addAttachment(
      store.db,
      gp,
      structureId,
      'GESTIONNAIRE_PRINCIPAL',
      'VALIDEE',
    );
    await store.db
      .updateTable('attachment')
      .set({ decidedAt: AT, decidedBy: CORR })
      .where('id', '=', gpAttachment)
      .execute();
    const other = await addAccount(store.db, 'autre@bayonne.fr');
    return { structureId, gp, gpAttachment, other };
  }

  it('finds a store with files, a GP and requests in every state sound', async () => {
    const { other, structureId } = await structureWithGp();
    await addFile(other);
    await addAttachment(store.db, other, structureId, 'UTILISATEUR', 'EN_COURS_DE_VALIDATION');
    await createAccount(store, CORR, {
      login: 'jean@x.fr',
      data: { email: 'jean@x.fr', lastName: 'DUPONT', firstName: 'Jean' },
    });
    expect(await findings()).toEqual([]);
  });

  it('names a file whose chunk was damaged, and one whose chunk is gone', async () => {
    const { other } = await structureWithGp();
    const damaged = await addFile(other, 'rib.pdf');
    const shortened = await addFile(other, 'carte.pdf');
    await store.db
      .updateTable('fileChunk')
      .set({ data: Buffer.from('second chunk %%EOX') })
      .where('fileId', '=', damaged)
      .where('seq', '=', 1)
      .execute();
    await store.db
      .deleteFrom('fileChunk')
      .where('fileId', '=', shortened)
      .where('seq', '=', 1)
      .execute();
    expect(await findings()).toEqual([
      { kind: 'fileHash', fileId: damaged, name: 'rib.pdf' },
      { kind: 'fileSize', fileId: shortened, name: 'carte.pdf', expected: 39, actual: 21 },
    ]);
  });

  it('verifies the audit chain as audit verify does', async () => {
    await store.db
      .updateTable('auditLog')
      .set({ actor: 'mallory@x.fr' })
      .where('seq', '=', 1)
      .execute();
    expect(await findings()).toEqual([{ kind: 'auditChain', break: 'altered', seq: 1 }]);
  });

  it('finds a store whose log was emptied broken', async () => {
    await store.db.deleteFrom('auditLog').execute();
    await store.db
      .updateTable('auditHead')
      .set({ seq: 0, hash: '0'.repeat(64) })
      .execute();
    expect(await findings()).toEqual([{ kind: 'auditChain', break: 'empty', seq: 1 }]);
  });

  it('names a structure with two GPs in effect (an expired one does not count)', async () => {
    const { structureId, other } = await structureWithGp();
    // the store's unique index forbids it; a store that lost the index (restored by hand) does not
    await sql`drop index attachment_one_gp_uq`.execute(store.db);
    const second = await addAttachment(
      store.db,
      other,
      structureId,
      'GESTIONNAIRE_PRINCIPAL',
      'VALIDEE',
    );
    await store.db
      .updateTable('attachment')
      .set({ decidedAt: AT, decidedBy: CORR, dateEnd: '2025-12-31' })
      .where('id', '=', second)
      .execute();
    expect(await findings()).toEqual([]);
    await store.db
      .updateTable('attachment')
      .set({ dateEnd: null })
      .where('id', '=', second)
      .execute();
    expect(await findings()).toEqual([
      { kind: 'severalGps', structure: 'SIRET:21640102100019', count: 2 },
    ]);
  });

  it('names a GP whose account is deleted or inactive, and a deleted account still attached', async () => {
    const { gp, other, structureId } = await structureWithGp();
    const pending = await addAttachment(
      store.db,
      other,
      structureId,
      'UTILISATEUR',
      'EN_COURS_DE_VALIDATION',
    );
    await store.db
      .updateTable('account')
      .set({ status: 'SUPPRIME' })
      .where('id', '=', gp)
      .execute();
    await store.db
      .updateTable('account')
      .set({ status: 'SUPPRIME' })
      .where('id', '=', other)
      .execute();
    const found = await findings();
    expect(found).toEqual([
      {
        kind: 'gpOnUnusableAccount',
        structure: 'SIRET:21640102100019',
        login: 'gp@bayonne.fr',
        status: 'SUPPRIME',
      },
      {
        kind: 'deletedAccountAttached',
        login: 'gp@bayonne.fr',
        attachmentId: expect.any(Number),
        status: 'VALIDEE',
      },
      {
        kind: 'deletedAccountAttached',
        login: 'autre@bayonne.fr',
        attachmentId: pending,
        status: 'EN_COURS_DE_VALIDATION',
      },
    ]);

    // ended attachments of a deleted account are fine; an inactive GP is still a finding
    await store.db.updateTable('attachment').set({ status: 'SUPPRIMEE' }).execute();
    await store.db
      .updateTable('account')
      .set({ status: 'ACTIF' })
      .where('id', '=', other)
      .execute();
    expect(await findings()).toEqual([]);
    await store.db.updateTable('account').set({ status: 'INACTIF' }).where('id', '=', gp).execute();
    await store.db
      .updateTable('attachment')
      .set({ status: 'VALIDEE' })
      .where('accountId', '=', gp)
      .execute();
    expect(await findings()).toEqual([
      {
        kind: 'gpOnUnusableAccount',
        structure: 'SIRET:21640102100019',
        login: 'gp@bayonne.fr',
        status: 'INACTIF',
      },
    ]);
  });

  it('names every request whose decision does not match its status, in each table', async () => {
    const { structureId, other } = await structureWithGp();
    // validated without a decider
    const attachment = await addAttachment(store.db, other, structureId, 'UTILISATEUR', 'VALIDEE');
    const base = {
      accountId: other,
      structureId,
      serviceId: null,
      requestedAt: AT,
      createdAt: AT,
      updatedAt: AT,
    };
    // pending, yet decided
    const { id: habilitation } = await store.db
      .insertInto('habilitation')
      .values({
        ...base,
        profile: 'VALIDATION_RATTACHEMENTS',
        status: 'EN_COURS_DE_VALIDATION',
        decidedAt: AT,
        decidedBy: CORR,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // refused, with a date but no decider
    const { id: subscription } = await store.db
      .insertInto('subscription')
      .values({
        ...base,
        space: 'FACTURES_RECUES',
        mode: 'MODIFICATION',
        status: 'REFUSEE',
        decidedAt: AT,
        decidedBy: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // consistent ones: pending undecided, refused decided
    await store.db
      .insertInto('subscription')
      .values([
        {
          ...base,
          space: 'FACTURES_EMISES',
          mode: 'MODIFICATION',
          status: 'EN_COURS_DE_VALIDATION',
          decidedAt: null,
          decidedBy: null,
        },
        {
          ...base,
          space: 'MON_COMPTE',
          mode: 'MODIFICATION',
          status: 'REFUSEE',
          decidedAt: AT,
          decidedBy: CORR,
        },
      ])
      .execute();
    expect(await findings()).toEqual([
      {
        kind: 'decisionMismatch',
        table: 'attachment',
        id: attachment,
        status: 'VALIDEE',
        decided: false,
      },
      {
        kind: 'decisionMismatch',
        table: 'habilitation',
        id: habilitation,
        status: 'EN_COURS_DE_VALIDATION',
        decided: true,
      },
      {
        kind: 'decisionMismatch',
        table: 'subscription',
        id: subscription,
        status: 'REFUSEE',
        decided: true,
      },
    ]);
  });
});

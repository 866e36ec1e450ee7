import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttachmentStatus } from '../../src/domain/enums.js';
import type { Store } from '../../src/db/store.js';
import { DIALECTS, freshStore } from '../helpers/stores.js';
import {
  addAccount,
  addAttachment,
  addStructure,
  count,
  UNIQUE_VIOLATION,
} from './support/seed.js';

/** The error a rejected insert threw, for its driver code. */
async function failure(promise: Promise<unknown>): Promise<{ code?: unknown }> {
  const err = await promise.then(
    () => {
      throw new Error('the store accepted the row');
    },
    (e: unknown) => e,
  );
  if (err instanceof Error && err.message === 'the store accepted the row') throw err;
  return err as { code?: unknown };
}

describe.each(DIALECTS)('partial unique indexes of 0001 (%s)', (dialect) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let accountId: number;
  let otherAccountId: number;
  let structureId: number;
  let otherStructureId: number;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore(dialect));
    accountId = await addAccount(store.db, 'jean.dupont@mairie-bayonne.fr');
    otherAccountId = await addAccount(store.db, 'marie.durand@mairie-bayonne.fr');
    structureId = await addStructure(store.db, '21640102100019');
    otherStructureId = await addStructure(store.db, '21330063500017', '33000');
  });
  afterEach(async () => {
    await cleanup();
  });

  const LIVE: AttachmentStatus[] = ['EN_COURS_DE_VALIDATION', 'VALIDEE'];

  for (const first of LIVE) {
    for (const second of LIVE) {
      it(`refuses a second live attachment (${first} then ${second}) of one account to one structure`, async () => {
        await addAttachment(store.db, accountId, structureId, 'UTILISATEUR', first);
        const err = await failure(
          addAttachment(store.db, accountId, structureId, 'GESTIONNAIRE_SECONDAIRE', second),
        );
        expect(String(err.code)).toMatch(UNIQUE_VIOLATION);
        expect(await count(store.db, 'attachment')).toBe(1);
      });
    }
  }

  it('accepts a new live attachment beside ended ones (REFUSEE, DESACTIVEE, SUPPRIMEE)', async () => {
    await addAttachment(store.db, accountId, structureId, 'UTILISATEUR', 'REFUSEE');
    await addAttachment(store.db, accountId, structureId, 'UTILISATEUR', 'REFUSEE');
    await addAttachment(store.db, accountId, structureId, 'UTILISATEUR', 'DESACTIVEE');
    await addAttachment(store.db, accountId, structureId, 'UTILISATEUR', 'SUPPRIMEE');
    await addAttachment(store.db, accountId, structureId, 'UTILISATEUR', 'EN_COURS_DE_VALIDATION');
    expect(await count(store.db, 'attachment')).toBe(5);
  });

  it('lets one account be attached live to two structures, and two accounts to one', async () => {
    await addAttachment(store.db, accountId, structureId, 'UTILISATEUR', 'VALIDEE');
    await addAttachment(store.db, accountId, otherStructureId, 'UTILISATEUR', 'VALIDEE');
    await addAttachment(store.db, otherAccountId, structureId, 'UTILISATEUR', 'VALIDEE');
    expect(await count(store.db, 'attachment')).toBe(3);
  });

  it('refuses a second validated principal manager on one structure', async () => {
    await addAttachment(store.db, accountId, structureId, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
    const err = await failure(
      addAttachment(store.db, otherAccountId, structureId, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE'),
    );
    expect(String(err.code)).toMatch(UNIQUE_VIOLATION);
    expect(await count(store.db, 'attachment')).toBe(1);
  });

  it('refuses to validate a pending GP request while another GP is validated', async () => {
    await addAttachment(store.db, accountId, structureId, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
    const pending = await addAttachment(
      store.db,
      otherAccountId,
      structureId,
      'GESTIONNAIRE_PRINCIPAL',
      'EN_COURS_DE_VALIDATION',
    );
    const err = await failure(
      store.db
        .updateTable('attachment')
        .set({ status: 'VALIDEE' })
        .where('id', '=', pending)
        .execute(),
    );
    expect(String(err.code)).toMatch(UNIQUE_VIOLATION);
    const row = await store.db
      .selectFrom('attachment')
      .select('status')
      .where('id', '=', pending)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('EN_COURS_DE_VALIDATION');
  });

  it('accepts one GP per structure, a pending GP request beside it, and a new GP once the old one ended', async () => {
    const gp = await addAttachment(
      store.db,
      accountId,
      structureId,
      'GESTIONNAIRE_PRINCIPAL',
      'VALIDEE',
    );
    await addAttachment(
      store.db,
      otherAccountId,
      otherStructureId,
      'GESTIONNAIRE_PRINCIPAL',
      'VALIDEE',
    );
    await addAttachment(
      store.db,
      otherAccountId,
      structureId,
      'GESTIONNAIRE_PRINCIPAL',
      'EN_COURS_DE_VALIDATION',
    );
    await store.db
      .updateTable('attachment')
      .set({ status: 'DESACTIVEE' })
      .where('id', '=', gp)
      .execute();
    await store.db
      .updateTable('attachment')
      .set({ status: 'VALIDEE' })
      .where('accountId', '=', otherAccountId)
      .where('structureId', '=', structureId)
      .execute();
    const gps = await store.db
      .selectFrom('attachment')
      .select(['accountId', 'structureId'])
      .where('role', '=', 'GESTIONNAIRE_PRINCIPAL')
      .where('status', '=', 'VALIDEE')
      .orderBy('structureId')
      .execute();
    expect(gps).toEqual(
      [
        { accountId: otherAccountId, structureId },
        { accountId: otherAccountId, structureId: otherStructureId },
      ].sort((a, b) => a.structureId - b.structureId),
    );
  });

  it('refuses a status or a role outside the enumerations', async () => {
    const badStatus = await failure(
      addAttachment(
        store.db,
        accountId,
        structureId,
        'UTILISATEUR',
        'ACCEPTEE' as AttachmentStatus,
      ),
    );
    expect(String(badStatus.code)).toMatch(/^(SQLITE_CONSTRAINT_CHECK|23514)$/);
    const badRole = await failure(
      addAttachment(store.db, accountId, structureId, 'ADMIN' as never, 'VALIDEE'),
    );
    expect(String(badRole.code)).toMatch(/^(SQLITE_CONSTRAINT_CHECK|23514)$/);
    expect(await count(store.db, 'attachment')).toBe(0);
  });

  it('refuses an attachment to an account or a structure that does not exist (foreign keys are on)', async () => {
    const noAccount = await failure(
      addAttachment(store.db, 9999, structureId, 'UTILISATEUR', 'VALIDEE'),
    );
    expect(String(noAccount.code)).toMatch(/^(SQLITE_CONSTRAINT_FOREIGNKEY|23503)$/);
    const noStructure = await failure(
      addAttachment(store.db, accountId, 9999, 'UTILISATEUR', 'VALIDEE'),
    );
    expect(String(noStructure.code)).toMatch(/^(SQLITE_CONSTRAINT_FOREIGNKEY|23503)$/);
    expect(await count(store.db, 'attachment')).toBe(0);
  });
});

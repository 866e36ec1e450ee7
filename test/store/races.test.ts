import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initStore } from '../../src/app/init.js';
import { MAX_ATTEMPTS, runUseCase } from '../../src/app/use-case.js';
import { getAccount } from '../../src/db/account.repository.js';
import { setAttachmentStatus, setRole } from '../../src/db/attachment.repository.js';
import { decideRequest, setRequestStatus } from '../../src/db/request.repository.js';
import { openStore, type Store } from '../../src/db/store.js';
import { ConflictError } from '../../src/errors.js';
import type { AuditAction } from '../../src/i18n/labels.js';
import { testClock } from '../helpers/clock.js';
import { DIALECTS, accessTo, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { AT, addAccount, addAttachment, addStructure, count, expectKey } from './support/seed.js';

/**
 * How runUseCase deals with a lost race (SPEC 5), on each dialect: the body is run again whole,
 * with its audit entries and e-mails of that attempt only; a race lost every time, or a unique
 * key taken meanwhile, is a conflict (6), never an internal error; a long run is never run twice.
 */

const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const NOW = '2025-03-10T09:30:00.000Z';
/** The instant test/store/support/seed.ts stamps its rows with. */
const NOW_SEED = AT;

/** What PostgreSQL throws when a serializable transaction loses (pg's errors carry the SQLSTATE). */
const serializationFailure = () =>
  Object.assign(new Error('could not serialize access due to concurrent update'), {
    code: '40001',
  });

describe.each(DIALECTS)('runUseCase and lost races (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  beforeEach(async () => {
    testClock.set(NOW);
    fresh = await freshLocation(dialect, 'migrated');
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

  it('a lost race runs the body again: one audit entry and one e-mail, those of the attempt that committed', async () => {
    const audits = await count(store.db, 'auditLog');
    let attempts = 0;
    const result = await runUseCase(store, { actor: CORR, action: 'account.edit' }, async (uc) => {
      attempts++;
      uc.audit('test.attempt' as AuditAction, `attempt:${attempts}`);
      uc.notify(await getAccount(uc.trx, CORR), 'ACCOUNT_CREATED', {});
      if (attempts === 1) throw serializationFailure();
      return attempts;
    });
    expect(result).toBe(2);
    const entries = await store.db
      .selectFrom('auditLog')
      .select(['action', 'target'])
      .where('seq', '>', audits)
      .execute();
    expect(entries).toEqual([{ action: 'test.attempt', target: 'attempt:2' }]);
    expect(await count(store.db, 'notification')).toBe(1);
  });

  it('a race lost every time: a conflict (6) after a bounded number of attempts, nothing written', async () => {
    const audits = await count(store.db, 'auditLog');
    let attempts = 0;
    let undone = 0;
    await expectKey(
      runUseCase(
        store,
        { actor: CORR, action: 'account.edit', beforeRetry: async () => void undone++ },
        async (uc) => {
          attempts++;
          uc.audit('test.attempt' as AuditAction, `attempt:${attempts}`);
          throw serializationFailure();
        },
      ),
      ConflictError,
      'store.concurrentChange',
    );
    expect(attempts).toBe(MAX_ATTEMPTS);
    expect(undone).toBe(MAX_ATTEMPTS - 1);
    expect(await count(store.db, 'auditLog')).toBe(audits);
  });

  it('a long run is not run twice: a race lost inside it is a conflict (6) at once', async () => {
    let attempts = 0;
    await expectKey(
      runUseCase(store, { actor: CORR, action: 'sync.madrhas', exclusive: true }, async () => {
        attempts++;
        throw serializationFailure();
      }),
      ConflictError,
      'store.concurrentChange',
    );
    expect(attempts).toBe(1);
  });

  it('a second GP on a structure (the one-GP index) is a conflict (6) saying the GP changed, not an internal error', async () => {
    const structure = await addStructure(store.db, '21640445700019');
    const first = await addAccount(store.db, 'first@mairie-pau.fr');
    const second = await addAccount(store.db, 'second@mairie-pau.fr');
    await addAttachment(store.db, first, structure, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
    await expectKey(
      runUseCase(store, { actor: CORR, action: 'attachment.add' }, (uc) =>
        addAttachment(uc.trx, second, structure, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE'),
      ),
      ConflictError,
      'attachment.gpChanged',
    );
    expect(await count(store.db, 'attachment')).toBe(1);
  });

  it('the UPDATEs that decide re-check the status they were read with: changed meanwhile, nothing written', async () => {
    const structure = await addStructure(store.db, '21640445700019');
    const account = await addAccount(store.db, 'agent@mairie-pau.fr');
    const id = await addAttachment(store.db, account, structure, 'UTILISATEUR', 'REFUSEE');
    const at = '2025-03-10T10:00:00.000Z';
    expect(
      await setAttachmentStatus(store.db, id, 'VALIDEE', {
        at,
        decidedBy: CORR,
        from: 'EN_COURS_DE_VALIDATION',
      }),
    ).toBe(false);
    expect(await setRole(store.db, id, 'UTILISATEUR', at, 'GESTIONNAIRE_PRINCIPAL')).toBe(false);
    const row = await store.db
      .selectFrom('attachment')
      .select(['status', 'role', 'updatedAt', 'decidedBy'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'REFUSEE',
      role: 'UTILISATEUR',
      updatedAt: NOW_SEED,
      decidedBy: null,
    });
    expect(await setAttachmentStatus(store.db, id, 'SUPPRIMEE', { at, from: 'REFUSEE' })).toBe(
      true,
    );

    const h = await store.db
      .insertInto('habilitation')
      .values({
        accountId: account,
        structureId: structure,
        serviceId: null,
        profile: 'CONSULTATION_UTILISATEURS',
        status: 'REFUSEE',
        requestedAt: at,
        decidedAt: at,
        decidedBy: CORR,
        createdAt: at,
        updatedAt: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const decided = { from: 'EN_COURS_DE_VALIDATION', status: 'VALIDEE', at, by: CORR } as const;
    expect(await decideRequest(store.db, 'habilitation', h.id, decided)).toBe(false);
    expect(
      await setRequestStatus(store.db, 'habilitation', h.id, {
        from: 'VALIDEE',
        status: 'SUPPRIMEE',
        at,
      }),
    ).toBe(false);
    expect(
      await store.db
        .selectFrom('habilitation')
        .select('status')
        .where('id', '=', h.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'REFUSEE' });
  });
});

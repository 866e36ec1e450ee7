import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { insertNew } from '../../src/app/accounts.js';
import { initStore } from '../../src/app/init.js';
import { RefusedError, runUseCase } from '../../src/app/use-case.js';
import { getAccount } from '../../src/db/account.repository.js';
import { appendAudit, readHead } from '../../src/db/audit.repository.js';
import { openStore, type Store } from '../../src/db/store.js';
import { ConflictError, ForbiddenError } from '../../src/errors.js';
import type { AuditAction } from '../../src/i18n/labels.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import { addAttachment, addStructure, counts, entry, expectKey } from './support/seed.js';
import { testClock } from '../helpers/clock.js';

const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const NOW = '2025-03-10T09:30:00.000Z';

describe.each(DIALECTS)('runUseCase (%s)', (dialect) => {
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
    vi.unstubAllEnvs();
    await store.close();
    await fresh.cleanup();
  });

  const lastAudit = () =>
    store.db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();

  it('runs the body as the acting account and writes its audit entries and e-mails at its instant', async () => {
    const result = await runUseCase(
      store,
      { actor: CORR, action: 'account.create' },
      async (uc) => {
        expect(uc.actor).toMatchObject({
          login: CORR,
          status: 'ACTIF',
          scope: ['64'],
          attachments: [],
          habilitations: [],
        });
        expect(uc.now).toBe(NOW);
        expect(uc.today).toBe('2025-03-10');
        const account = await insertNew(
          uc.trx,
          uc.now,
          'paul@x.fr',
          { email: 'paul.contact@x.fr', lastName: 'PETIT', firstName: 'Paul', language: 'en' },
          null,
          'MANUEL',
        );
        uc.audit('test.first' as AuditAction, 'account:paul@x.fr', { a: 1 });
        uc.audit('test.second' as AuditAction, 'account:paul@x.fr');
        uc.notify(account, 'ACCOUNT_CREATED', {});
        return account.id;
      },
    );

    const entries = await store.db
      .selectFrom('auditLog')
      .selectAll()
      .where('seq', '>', 1)
      .orderBy('seq')
      .execute();
    expect(entries).toMatchObject([
      {
        seq: 2,
        at: NOW,
        actor: CORR,
        action: 'test.first',
        target: 'account:paul@x.fr',
        outcome: 'OK',
        changes: '{"a":1}',
        runId: null,
      },
      {
        seq: 3,
        at: NOW,
        actor: CORR,
        action: 'test.second',
        target: 'account:paul@x.fr',
        outcome: 'OK',
        changes: null,
        runId: null,
      },
    ]);
    const mails = await store.db.selectFrom('notification').selectAll().execute();
    expect(mails).toMatchObject([
      {
        accountId: result,
        event: 'ACCOUNT_CREATED',
        language: 'en',
        fromAddress: 'noreply@dgfip.finances.gouv.fr',
        toAddress: 'paul.contact@x.fr',
        createdAt: NOW,
        sentAt: null,
      },
    ]);
    expect(mails[0]!.subject).toBe('Chorus Pro: your user account');
  });

  it('refuses an unknown actor without running the body, and audits the refusal', async () => {
    const before = await counts(store.db);
    let ran = false;
    const err = await runUseCase(
      store,
      { actor: 'ghost@nowhere.fr', action: 'account.list', readOnly: true },
      async () => {
        ran = true;
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err).toBeInstanceOf(RefusedError);
    expect((err as RefusedError).key).toBe('rights.unknownActor');
    expect(ran).toBe(false);

    expect(await counts(store.db)).toEqual({ ...before, auditLog: before.auditLog! + 1 });
    expect(await lastAudit()).toMatchObject({
      seq: 2,
      at: NOW,
      actor: 'ghost@nowhere.fr',
      action: 'account.list',
      target: '-',
      outcome: 'REFUSED',
      changes: JSON.stringify({ reason: 'rights.unknownActor' }),
    });
    expect(await readHead(store.db)).toMatchObject({ seq: 2 });
  });

  it('refuses an inactive actor, and audits the refusal', async () => {
    const other = 'jean.petit@dgfip.finances.gouv.fr';
    await insertNew(
      store.db,
      NOW,
      other,
      { email: other, lastName: 'PETIT', firstName: 'Jean' },
      ['64'],
      'MANUEL',
    );
    await store.db
      .updateTable('account')
      .set({ status: 'INACTIF' })
      .where('login', '=', other)
      .execute();

    await expectKey(
      runUseCase(store, { actor: other, action: 'audit.read', readOnly: true }, async () => 1),
      ForbiddenError,
      'rights.inactiveActor',
    );
    expect(await lastAudit()).toMatchObject({
      actor: other,
      action: 'audit.read',
      outcome: 'REFUSED',
    });
  });

  it('rolls everything back when the body throws: no row, no audit entry, no e-mail', async () => {
    const before = await counts(store.db);
    const head = await readHead(store.db);
    await expect(
      runUseCase(store, { actor: CORR, action: 'account.create' }, async (uc) => {
        const account = await insertNew(
          uc.trx,
          uc.now,
          'paul@x.fr',
          { email: 'paul@x.fr', lastName: 'PETIT', firstName: 'Paul' },
          ['64'],
          'MANUEL',
        );
        uc.audit('account.create', 'account:paul@x.fr', {});
        uc.notify(account, 'ACCOUNT_CREATED', {});
        // written straight away, inside the transaction
        await appendAudit(uc.trx, [entry({ actor: CORR })]);
        await uc.trx
          .insertInto('notification')
          .values({
            accountId: account.id,
            event: 'X',
            language: 'fr',
            fromAddress: 'a',
            toAddress: 'b',
            subject: 's',
            body: 'b',
            createdAt: NOW,
          })
          .execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    expect(await counts(store.db)).toEqual(before);
    expect(await readHead(store.db)).toEqual(head);
    expect(
      await store.db
        .selectFrom('account')
        .select('login')
        .where('login', '=', 'paul@x.fr')
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  it('rolls the work and the e-mails back when writing the audit entries fails', async () => {
    const before = await counts(store.db);
    await expect(
      runUseCase(store, { actor: CORR, action: 'account.create' }, async (uc) => {
        const account = await insertNew(
          uc.trx,
          uc.now,
          'paul@x.fr',
          { email: 'paul@x.fr', lastName: 'PETIT', firstName: 'Paul' },
          null,
          'MANUEL',
        );
        uc.audit('account.create', 'account:paul@x.fr', {});
        uc.notify(account, 'ACCOUNT_CREATED', {});
        // appendAudit finds no head once the body is done
        await uc.trx.deleteFrom('auditHead').execute();
      }),
    ).rejects.toThrow();
    expect(await counts(store.db)).toEqual(before);
  });

  it('does not audit a conflict: the use case failed, it was not refused', async () => {
    const before = await counts(store.db);
    await expectKey(
      runUseCase(store, { actor: CORR, action: 'account.create' }, async (uc) => {
        uc.audit('account.create', 'account:x@x.fr', {});
        throw new ConflictError('account.exists', { login: 'x@x.fr' });
      }),
      ConflictError,
      'account.exists',
    );
    expect(await counts(store.db)).toEqual(before);
  });

  it('refuses a right inside the body, rolls the body back and audits the refusal with its target', async () => {
    const before = await counts(store.db);
    await expectKey(
      runUseCase(store, { actor: CORR, action: 'correspondent.create' }, async (uc) => {
        await insertNew(
          uc.trx,
          uc.now,
          'early@x.fr',
          { email: 'early@x.fr', lastName: 'TOT', firstName: 'Léa' },
          null,
          'MANUEL',
        );
        uc.authorize('correspondent.create', { kind: 'scope', scope: ['33'] }, 'account:wide@x.fr');
      }),
      ForbiddenError,
      'rights.scopeTooWide',
    );
    expect(await counts(store.db)).toEqual({ ...before, auditLog: before.auditLog! + 1 });
    expect(await lastAudit()).toMatchObject({
      actor: CORR,
      action: 'correspondent.create',
      target: 'account:wide@x.fr',
      outcome: 'REFUSED',
      changes: JSON.stringify({ reason: 'rights.scopeTooWide' }),
    });
  });

  it('refuses a read-only use case that tries to write, and writes nothing', async () => {
    const before = await counts(store.db);
    await expect(
      runUseCase(store, { actor: CORR, action: 'account.list', readOnly: true }, async (uc) => {
        uc.audit('account.list', 'accounts');
      }),
    ).rejects.toThrow(/read-only/);
    expect(await counts(store.db)).toEqual(before);
  });

  it('sees the actor as it is stored: scope, and its validated attachments only', async () => {
    const account = await getAccount(store.db, CORR);
    const s1 = await addStructure(store.db, '21640102100019');
    const s2 = await addStructure(store.db, '21640122900015');
    const s3 = await addStructure(store.db, '21640001200012');
    await addAttachment(store.db, account.id, s1, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
    await addAttachment(store.db, account.id, s2, 'UTILISATEUR', 'EN_COURS_DE_VALIDATION');
    await addAttachment(store.db, account.id, s3, 'UTILISATEUR', 'REFUSEE');
    const actor = await runUseCase(
      store,
      { actor: CORR, action: 'account.read', readOnly: true },
      async (uc) => uc.actor,
    );
    expect(actor).toEqual({
      id: account.id,
      login: CORR,
      status: 'ACTIF',
      scope: ['64'],
      attachments: [
        {
          structureId: s1,
          role: 'GESTIONNAIRE_PRINCIPAL',
          dateStart: '2025-01-01',
          dateEnd: null,
          services: [],
        },
      ],
      habilitations: [],
    });
  });
});

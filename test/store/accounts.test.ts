import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  changeStatus,
  createAccount,
  editAccount,
  insertNew,
  listAccounts,
  type ListAccountsInput,
} from '../../src/app/accounts.js';
import { initStore } from '../../src/app/init.js';
import { getAccount } from '../../src/db/account.repository.js';
import { openStore, type Store } from '../../src/db/store.js';
import { ChainVerifier } from '../../src/domain/audit-chain.js';
import { allAuditEntries, readHead } from '../../src/db/audit.repository.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../src/errors.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import { addAttachment, addStructure, counts, expectKey } from './support/seed.js';
import { testClock } from '../helpers/clock.js';

const CORR64 = 'claire.martin@dgfip.finances.gouv.fr';
const CORR33 = 'paul.garcia@dgfip.finances.gouv.fr';
const ADMIN = 'national@dgfip.finances.gouv.fr';
const NOW = '2025-03-10T09:30:00.000Z';

describe.each(DIALECTS)('account use cases (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  beforeEach(async () => {
    testClock.set(NOW);
    fresh = await freshLocation(dialect, 'migrated');
    await initStore({
      store: accessTo(fresh.location),
      login: CORR64,
      data: { email: CORR64, lastName: 'MARTIN', firstName: 'Claire' },
      scope: ['64'],
    });
    store = await openStore(fresh.location, { clock: testClock });
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await store.close();
    await fresh.cleanup();
  });

  const audits = () => store.db.selectFrom('auditLog').selectAll().orderBy('seq').execute();
  const lastAudit = () =>
    store.db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
  const chainIntact = async () => {
    const v = new ChainVerifier();
    for await (const e of allAuditEntries(store.db)) v.next(e);
    return v.end(await readHead(store.db)) === null;
  };
  const user = (login: string, lastName = 'DUFOUR', firstName = 'Jean') => ({
    login,
    data: { email: login, lastName, firstName },
  });

  describe('createAccount', () => {
    it('writes the account, one audit entry with the fields set, and one e-mail to the contact address', async () => {
      const view = await createAccount(store, CORR64, {
        login: 'jdufour@mairie-bayonne.fr',
        data: {
          email: 'jean.dufour@mairie-bayonne.fr',
          lastName: 'DUFOUR',
          firstName: 'Jean',
          phone: '05 59 12 34 56',
        },
      });
      expect(view).toMatchObject({
        login: 'jdufour@mairie-bayonne.fr',
        status: 'ACTIF',
        kind: 'user',
        scope: null,
        source: 'MANUEL',
        createdAt: NOW,
      });

      const row = await getAccount(store.db, 'jdufour@mairie-bayonne.fr');
      expect(row).toMatchObject({
        status: 'ACTIF',
        source: 'MANUEL',
        lastName: 'DUFOUR',
        firstName: 'Jean',
        email: 'jean.dufour@mairie-bayonne.fr',
        phone: '05 59 12 34 56',
        country: 'FR',
        language: 'fr',
        notifyBilling: 1,
        notifyNews: 0,
        completedAt: null,
        createdAt: NOW,
        updatedAt: NOW,
      });
      expect(row.searchKey).toContain('dufour');

      const entries = await audits();
      expect(entries).toHaveLength(2); // init, then this
      expect(entries[1]).toMatchObject({
        seq: 2,
        at: NOW,
        actor: CORR64,
        action: 'account.create',
        target: 'account:jdufour@mairie-bayonne.fr',
        outcome: 'OK',
      });
      expect(JSON.parse(entries[1]!.changes!)).toEqual({
        email: { before: null, after: 'jean.dufour@mairie-bayonne.fr' },
        lastName: { before: null, after: 'DUFOUR' },
        firstName: { before: null, after: 'Jean' },
        phone: { before: null, after: '05 59 12 34 56' },
      });

      const mails = await store.db.selectFrom('notification').selectAll().execute();
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({
        accountId: row.id,
        structureId: null,
        event: 'ACCOUNT_CREATED',
        language: 'fr',
        fromAddress: 'noreply@dgfip.finances.gouv.fr',
        toAddress: 'jean.dufour@mairie-bayonne.fr',
        subject: 'Chorus Pro : votre compte utilisateur',
        createdAt: NOW,
        sentAt: null,
      });
      expect(mails[0]!.body).toContain('jdufour@mairie-bayonne.fr');
      expect(await chainIntact()).toBe(true);
    });

    it('writes the e-mail in the language of the account', async () => {
      await createAccount(store, CORR64, {
        login: 'john@x.eu',
        data: { email: 'john@x.eu', lastName: 'SMITH', firstName: 'John', language: 'en' },
      });
      const mail = await store.db.selectFrom('notification').selectAll().executeTakeFirstOrThrow();
      expect(mail).toMatchObject({
        language: 'en',
        toAddress: 'john@x.eu',
        subject: 'Chorus Pro: your user account',
      });
    });

    it('creates a correspondent with a scope within the actor’s', async () => {
      const view = await createAccount(store, CORR64, {
        login: 'adjoint@dgfip.finances.gouv.fr',
        data: { email: 'adjoint@dgfip.finances.gouv.fr', lastName: 'ROUX', firstName: 'Anne' },
        scope: ['64'],
      });
      expect(view).toMatchObject({ kind: 'correspondent', scope: ['64'] });
      const entry = await lastAudit();
      expect(entry).toMatchObject({ action: 'correspondent.create', outcome: 'OK' });
      expect(JSON.parse(entry.changes!).scope).toEqual({ before: null, after: '64' });
    });

    it('refuses a duplicate login with a conflict, and writes nothing', async () => {
      await createAccount(store, CORR64, user('jean@x.fr'));
      const before = await counts(store.db);
      await expectKey(
        createAccount(store, CORR64, user('jean@x.fr', 'AUTRE', 'Nom')),
        ConflictError,
        'account.exists',
      );
      await expectKey(createAccount(store, CORR64, user(CORR64)), ConflictError, 'account.exists');
      expect(await counts(store.db)).toEqual(before);
      expect((await getAccount(store.db, 'jean@x.fr')).lastName).toBe('DUFOUR');
    });

    it('refuses a plain user: Forbidden, audited as refused, nothing else written', async () => {
      await createAccount(store, CORR64, user('jean@x.fr'));
      const before = await counts(store.db);

      await expectKey(
        createAccount(store, 'jean@x.fr', user('new@x.fr')),
        ForbiddenError,
        'rights.correspondentOnly',
      );

      expect(await counts(store.db)).toEqual({ ...before, auditLog: before.auditLog! + 1 });
      expect(await lastAudit()).toMatchObject({
        at: NOW,
        actor: 'jean@x.fr',
        action: 'account.create',
        target: 'account:new@x.fr',
        outcome: 'REFUSED',
        changes: JSON.stringify({ reason: 'rights.correspondentOnly' }),
      });
      expect(
        await store.db
          .selectFrom('account')
          .select('id')
          .where('login', '=', 'new@x.fr')
          .executeTakeFirst(),
      ).toBeUndefined();
      expect(await chainIntact()).toBe(true);
    });

    it('refuses a correspondent scope wider than the actor’s, and audits it', async () => {
      const before = await counts(store.db);
      await expectKey(
        createAccount(store, CORR64, {
          ...user('wide@dgfip.finances.gouv.fr'),
          scope: ['64', '33'],
        }),
        ForbiddenError,
        'rights.scopeTooWide',
      );
      expect(await counts(store.db)).toEqual({ ...before, auditLog: before.auditLog! + 1 });
      expect(await lastAudit()).toMatchObject({
        action: 'correspondent.create',
        target: 'account:wide@dgfip.finances.gouv.fr',
        outcome: 'REFUSED',
      });
    });

    it('refuses an unknown actor, and audits it', async () => {
      const before = await counts(store.db);
      await expectKey(
        createAccount(store, 'nobody@x.fr', user('new@x.fr')),
        ForbiddenError,
        'rights.unknownActor',
      );
      expect(await counts(store.db)).toEqual({ ...before, auditLog: before.auditLog! + 1 });
      expect(await lastAudit()).toMatchObject({
        actor: 'nobody@x.fr',
        action: 'account.create',
        outcome: 'REFUSED',
        changes: JSON.stringify({ reason: 'rights.unknownActor' }),
      });
    });
  });

  describe('listAccounts', () => {
    let s64: number;
    beforeEach(async () => {
      await insertNew(
        store.db,
        NOW,
        CORR33,
        { email: CORR33, lastName: 'GARCIA', firstName: 'Paul' },
        ['33'],
        'MANUEL',
      );
      await insertNew(
        store.db,
        NOW,
        ADMIN,
        { email: ADMIN, lastName: 'NATIONAL', firstName: 'Admin' },
        ['*'],
        'MANUEL',
      );
      s64 = await addStructure(store.db, '21640102100019', '64100');
      const s33 = await addStructure(store.db, '21330063500017', '33000');
      const in64 = await insertNew(
        store.db,
        NOW,
        'a.dufour@bayonne.fr',
        { email: 'a.dufour@bayonne.fr', lastName: 'DUFOUR', firstName: 'Jean' },
        null,
        'MADRHAS',
      );
      const in33 = await insertNew(
        store.db,
        NOW,
        'b.lefevre@bordeaux.fr',
        { email: 'b.lefevre@bordeaux.fr', lastName: 'LEFÈVRE', firstName: 'Éloïse' },
        null,
        'MADRHAS',
      );
      await insertNew(
        store.db,
        NOW,
        'celine.nomade@free.fr',
        { email: 'celine.nomade@free.fr', lastName: 'NOMADE', firstName: 'Céline' },
        null,
        'MANUEL',
      );
      await addAttachment(store.db, in64.id, s64, 'UTILISATEUR', 'VALIDEE');
      await addAttachment(store.db, in33.id, s33, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
    });

    const logins = async (actor: string, input: Partial<ListAccountsInput> = {}) => {
      const r = await listAccounts(store, actor, { limit: 100, page: 1, ...input });
      return { logins: r.items.map((i) => i.login), total: r.total };
    };

    it('shows a correspondent the accounts of its départements, those with no attachment, and the correspondents its scope covers', async () => {
      expect(await logins(CORR64)).toEqual({
        logins: ['a.dufour@bayonne.fr', 'celine.nomade@free.fr', CORR64],
        total: 3,
      });
      expect(await logins(CORR33)).toEqual({
        logins: ['b.lefevre@bordeaux.fr', 'celine.nomade@free.fr', CORR33],
        total: 3,
      });
      expect((await logins(ADMIN)).total).toBe(6);
    });

    it('shows correspondents as such, with their scope', async () => {
      const r = await listAccounts(store, ADMIN, { limit: 100, page: 1 });
      const byLogin = new Map(r.items.map((i) => [i.login, i]));
      expect(byLogin.get(CORR64)).toMatchObject({ kind: 'correspondent', scope: ['64'] });
      expect(byLogin.get(ADMIN)).toMatchObject({ kind: 'correspondent', scope: ['*'] });
      expect(byLogin.get('a.dufour@bayonne.fr')).toMatchObject({
        kind: 'user',
        scope: null,
        source: 'MADRHAS',
      });
    });

    it('searches names and logins without regard to case or accents', async () => {
      expect((await logins(ADMIN, { search: 'dufour' })).logins).toEqual(['a.dufour@bayonne.fr']);
      expect((await logins(ADMIN, { search: 'DUFOUR' })).logins).toEqual(['a.dufour@bayonne.fr']);
      expect((await logins(ADMIN, { search: 'eloise' })).logins).toEqual(['b.lefevre@bordeaux.fr']);
      expect((await logins(ADMIN, { search: 'ÉLOÏSE' })).logins).toEqual(['b.lefevre@bordeaux.fr']);
      expect((await logins(ADMIN, { search: 'lefevre' })).logins).toEqual([
        'b.lefevre@bordeaux.fr',
      ]);
      expect((await logins(ADMIN, { search: 'celine' })).logins).toEqual(['celine.nomade@free.fr']);
      expect((await logins(ADMIN, { search: 'dgfip' })).total).toBe(3);
      // user text is matched as itself, not as LIKE wildcards
      expect(await logins(ADMIN, { search: '%' })).toEqual({ logins: [], total: 0 });
      expect(await logins(ADMIN, { search: '_' })).toEqual({ logins: [], total: 0 });
    });

    it('does not tie an account to the département of a structure that refused it', async () => {
      const s33 = (
        await store.db
          .selectFrom('structure')
          .select('id')
          .where('identifier', '=', '21330063500017')
          .executeTakeFirstOrThrow()
      ).id;
      const refused = await insertNew(
        store.db,
        NOW,
        'r.refuse@pau.fr',
        { email: 'r.refuse@pau.fr', lastName: 'REFUSE', firstName: 'Rémi' },
        null,
        'MANUEL',
      );
      await addAttachment(store.db, refused.id, s33, 'UTILISATEUR', 'REFUSEE');
      // only a refused request: as if it had no attachment, so in every correspondent's scope
      expect((await logins(CORR64, { search: 'refuse' })).logins).toEqual(['r.refuse@pau.fr']);
      expect(await changeStatus(store, CORR64, 'r.refuse@pau.fr', 'deactivate')).toMatchObject({
        status: 'INACTIF',
      });
      // a live attachment in 33 takes it out of the 64 correspondent's scope
      await addAttachment(store.db, refused.id, s33, 'UTILISATEUR', 'EN_COURS_DE_VALIDATION');
      expect((await logins(CORR64, { search: 'refuse' })).logins).toEqual([]);
      await expect(
        changeStatus(store, CORR64, 'r.refuse@pau.fr', 'reactivate'),
      ).rejects.toMatchObject({ exitCode: 4 });
    });

    it('searches within the scope only', async () => {
      expect((await logins(CORR33, { search: 'dufour' })).logins).toEqual([]);
      expect((await logins(CORR64, { search: 'eloise' })).logins).toEqual([]);
    });

    it('filters by structure and status, and pages with the total before paging', async () => {
      expect((await logins(ADMIN, { structure: '21640102100019' })).logins).toEqual([
        'a.dufour@bayonne.fr',
      ]);
      expect((await logins(ADMIN, { structure: 'SIRET:21330063500017' })).logins).toEqual([
        'b.lefevre@bordeaux.fr',
      ]);
      await store.db
        .updateTable('account')
        .set({ status: 'INACTIF' })
        .where('login', '=', 'celine.nomade@free.fr')
        .execute();
      expect((await logins(ADMIN, { status: 'INACTIF' })).logins).toEqual([
        'celine.nomade@free.fr',
      ]);
      expect((await logins(ADMIN, { status: 'ACTIF' })).total).toBe(5);
      expect(await logins(ADMIN, { limit: 2, page: 2 })).toEqual({
        logins: ['celine.nomade@free.fr', CORR64],
        total: 6,
      });
      expect(await logins(ADMIN, { limit: 2, page: 4 })).toEqual({ logins: [], total: 6 });
    });

    it('refuses a plain user, and audits it', async () => {
      await expectKey(
        listAccounts(store, 'a.dufour@bayonne.fr', { limit: 10, page: 1 }),
        ForbiddenError,
        'rights.correspondentOnly',
      );
      expect(await lastAudit()).toMatchObject({
        actor: 'a.dufour@bayonne.fr',
        action: 'account.list',
        outcome: 'REFUSED',
      });
    });

    it('writes nothing when listing', async () => {
      const before = await counts(store.db);
      await logins(CORR64, { search: 'dufour' });
      expect(await counts(store.db)).toEqual(before);
    });
  });

  describe('changeStatus', () => {
    let target: number;
    let structures: number[];
    beforeEach(async () => {
      target = (
        await insertNew(
          store.db,
          NOW,
          'jean@bayonne.fr',
          { email: 'jean.contact@bayonne.fr', lastName: 'DUFOUR', firstName: 'Jean' },
          null,
          'MANUEL',
        )
      ).id;
      structures = [
        await addStructure(store.db, '21640102100019'),
        await addStructure(store.db, '21640122900015'),
        await addStructure(store.db, '21640001200012'),
      ];
      await addAttachment(store.db, target, structures[0]!, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
      await addAttachment(
        store.db,
        target,
        structures[1]!,
        'UTILISATEUR',
        'EN_COURS_DE_VALIDATION',
      );
      await addAttachment(store.db, target, structures[2]!, 'UTILISATEUR', 'REFUSEE');
    });
    /** What `attachment detach --new-manager` leaves: jean no longer the GP of structures[0]. */
    const handOver = () =>
      store.db
        .updateTable('attachment')
        .set({ role: 'GESTIONNAIRE_SECONDAIRE' })
        .where('accountId', '=', target)
        .where('structureId', '=', structures[0]!)
        .execute();

    it('deactivates an active account, audits it and tells its holder; a second time is a conflict', async () => {
      // a GP is neither deleted nor deactivated before handing the role over (db check holds it)
      await expectKey(
        changeStatus(store, CORR64, 'jean@bayonne.fr', 'deactivate'),
        ConflictError,
        'account.isPrincipalManager',
      );
      await handOver();
      const view = await changeStatus(store, CORR64, 'jean@bayonne.fr', 'deactivate');
      expect(view).toMatchObject({ login: 'jean@bayonne.fr', status: 'INACTIF', updatedAt: NOW });
      expect(await getAccount(store.db, 'jean@bayonne.fr')).toMatchObject({
        status: 'INACTIF',
        updatedAt: NOW,
      });
      const entry = await lastAudit();
      expect(entry).toMatchObject({
        actor: CORR64,
        action: 'account.deactivate',
        target: 'account:jean@bayonne.fr',
        outcome: 'OK',
      });
      expect(JSON.parse(entry.changes!)).toEqual({ status: { before: 'ACTIF', after: 'INACTIF' } });
      expect(
        await store.db
          .selectFrom('notification')
          .select(['event', 'toAddress', 'accountId'])
          .execute(),
      ).toEqual([
        { event: 'ACCOUNT_DEACTIVATED', toAddress: 'jean.contact@bayonne.fr', accountId: target },
      ]);

      const before = await counts(store.db);
      await expectKey(
        changeStatus(store, CORR64, 'jean@bayonne.fr', 'deactivate'),
        ConflictError,
        'account.cannot.deactivate',
      );
      expect(await counts(store.db)).toEqual(before);
    });

    it('reactivates an inactive account, and refuses to reactivate an active one', async () => {
      await expectKey(
        changeStatus(store, CORR64, 'jean@bayonne.fr', 'reactivate'),
        ConflictError,
        'account.cannot.reactivate',
      );
      // a GP is neither deleted nor deactivated before handing the role over (db check holds it)
      await expectKey(
        changeStatus(store, CORR64, 'jean@bayonne.fr', 'deactivate'),
        ConflictError,
        'account.isPrincipalManager',
      );
      await handOver();
      await changeStatus(store, CORR64, 'jean@bayonne.fr', 'deactivate');
      expect(await changeStatus(store, CORR64, 'jean@bayonne.fr', 'reactivate')).toMatchObject({
        status: 'ACTIF',
      });
      expect(JSON.parse((await lastAudit()).changes!)).toEqual({
        status: { before: 'INACTIF', after: 'ACTIF' },
      });
    });

    it('deletes an account: status SUPPRIME, its live attachments SUPPRIMEE, the others kept', async () => {
      // the GP of a structure is not deleted before handing the role over (issue 5): here the role has moved on
      await expectKey(
        changeStatus(store, CORR64, 'jean@bayonne.fr', 'delete'),
        ConflictError,
        'account.isPrincipalManager',
      );
      await handOver();
      const view = await changeStatus(store, CORR64, 'jean@bayonne.fr', 'delete');
      expect(view.status).toBe('SUPPRIME');
      const attachments = await store.db
        .selectFrom('attachment')
        .select(['structureId', 'status', 'updatedAt'])
        .where('accountId', '=', target)
        .orderBy('structureId')
        .execute();
      expect(attachments).toEqual([
        { structureId: structures[0], status: 'SUPPRIMEE', updatedAt: NOW },
        { structureId: structures[1], status: 'SUPPRIMEE', updatedAt: NOW },
        { structureId: structures[2], status: 'REFUSEE', updatedAt: '2025-03-10T09:00:00.000Z' },
      ]);
      expect(JSON.parse((await lastAudit()).changes!)).toEqual({
        status: { before: 'ACTIF', after: 'SUPPRIME' },
        attachmentsEnded: 2,
      });
      // no e-mail for a deletion
      expect(await store.db.selectFrom('notification').select('id').execute()).toEqual([]);
      await expectKey(
        changeStatus(store, CORR64, 'jean@bayonne.fr', 'delete'),
        ConflictError,
        'account.cannot.delete',
      );
      await expectKey(
        changeStatus(store, CORR64, 'jean@bayonne.fr', 'reactivate'),
        ConflictError,
        'account.cannot.reactivate',
      );
    });

    it('refuses a correspondent acting on its own account, with a conflict and nothing written', async () => {
      const before = await counts(store.db);
      for (const transition of ['deactivate', 'delete'] as const)
        await expectKey(
          changeStatus(store, CORR64, CORR64, transition),
          ConflictError,
          'account.notYourself',
        );
      expect(await counts(store.db)).toEqual(before);
      expect((await getAccount(store.db, CORR64)).status).toBe('ACTIF');
    });

    it('refuses an account outside the correspondent’s scope, and audits it', async () => {
      await insertNew(
        store.db,
        NOW,
        CORR33,
        { email: CORR33, lastName: 'GARCIA', firstName: 'Paul' },
        ['33'],
        'MANUEL',
      );
      await expectKey(
        changeStatus(store, CORR33, 'jean@bayonne.fr', 'deactivate'),
        ForbiddenError,
        'rights.outOfScope',
      );
      expect((await getAccount(store.db, 'jean@bayonne.fr')).status).toBe('ACTIF');
      expect(await lastAudit()).toMatchObject({
        actor: CORR33,
        action: 'account.deactivate',
        target: 'account:jean@bayonne.fr',
        outcome: 'REFUSED',
      });
    });
  });

  describe('editAccount', () => {
    beforeEach(async () => {
      await createAccount(store, CORR64, {
        login: 'jean@bayonne.fr',
        data: { email: 'jean@bayonne.fr', lastName: 'DUFOUR', firstName: 'Jean', city: 'BAYONNE' },
      });
    });

    it('writes no audit entry, and changes nothing, when no value really changes', async () => {
      const before = await counts(store.db);
      const row = await getAccount(store.db, 'jean@bayonne.fr');
      testClock.set('2025-04-01T08:00:00.000Z');
      const result = await editAccount(store, CORR64, 'jean@bayonne.fr', {
        lastName: 'DUFOUR',
        city: 'BAYONNE',
        phone: null,
        notifyBilling: true,
      });
      expect(result.changed).toEqual([]);
      expect(await counts(store.db)).toEqual(before);
      expect(await getAccount(store.db, 'jean@bayonne.fr')).toEqual(row);
    });

    it('writes one audit entry naming only the fields that changed, and keeps the search key in step', async () => {
      testClock.set('2025-04-01T08:00:00.000Z');
      const result = await editAccount(store, CORR64, 'jean@bayonne.fr', {
        lastName: 'DUFOUR',
        firstName: 'Éloïse',
        phone: '05 59 12 34 56',
      });
      expect(result.changed.sort()).toEqual(['firstName', 'phone']);
      const entry = await lastAudit();
      expect(entry).toMatchObject({
        at: '2025-04-01T08:00:00.000Z',
        action: 'account.edit',
        target: 'account:jean@bayonne.fr',
        outcome: 'OK',
      });
      expect(JSON.parse(entry.changes!)).toEqual({
        firstName: { before: 'Jean', after: 'Éloïse' },
        phone: { before: null, after: '05 59 12 34 56' },
      });
      expect(await getAccount(store.db, 'jean@bayonne.fr')).toMatchObject({
        firstName: 'Éloïse',
        phone: '05 59 12 34 56',
        updatedAt: '2025-04-01T08:00:00.000Z',
      });
      const found = await listAccounts(store, CORR64, { search: 'eloise', limit: 10, page: 1 });
      expect(found.items.map((i) => i.login)).toEqual(['jean@bayonne.fr']);
    });

    it('lets the holder edit its own account, and nobody else’s', async () => {
      await createAccount(store, CORR64, user('marie@bayonne.fr', 'DURAND', 'Marie'));
      const own = await editAccount(store, 'jean@bayonne.fr', undefined, { city: 'ANGLET' });
      expect(own.changed).toEqual(['city']);
      await expectKey(
        editAccount(store, 'jean@bayonne.fr', 'marie@bayonne.fr', { city: 'ANGLET' }),
        // no probing (SPEC 6): as for a login that does not exist
        NotFoundError,
        'account.notFound',
      );
      expect((await getAccount(store.db, 'marie@bayonne.fr')).city).toBeNull();
    });
  });
});

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAccount } from '../../src/app/accounts.js';
import { initStore } from '../../src/app/init.js';
import { importServices, importStructures } from '../../src/app/structure-import.js';
import {
  addService,
  deactivateService,
  DEFAULT_USER_STATUSES,
  editService,
  searchStructures,
  structureUsers,
} from '../../src/app/structures.js';
import type { Db } from '../../src/db/schema.js';
import { openStore, type Store } from '../../src/db/store.js';
import type { HabilitationProfile } from '../../src/domain/enums.js';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
} from '../../src/errors.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import { addAccount, addAttachment, AT, count, counts } from './support/seed.js';
import { testClock } from '../helpers/clock.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const CORR = 'claire.martin@dgfip.finances.gouv.fr'; // scope 64
const NOW = '2025-03-10T09:30:00.000Z';

const PAU = '21640445900010'; // 64000
const MDM = '21400192700018'; // 40000, outside CORR's scope
const PAU_REF = `SIRET:${PAU}`;

const GP = 'gp@ville-pau.fr';
const READER = 'lecteur@ville-pau.fr'; // CONSULTATION_UTILISATEURS on PAU
const EDITOR = 'editeur@ville-pau.fr'; // MODIFICATION_STRUCTURE on PAU
const PENDING = 'attente@ville-pau.fr'; // both profiles, requested, not yet granted
const ELSEWHERE = 'ailleurs@mont-de-marsan.fr'; // both profiles, on MDM
const SERVICE_EDITOR = 'culture@ville-pau.fr'; // MODIFICATION_STRUCTURE on PAU's SERV-CULT only
const USER = 'agent@ville-pau.fr'; // plain attached user
const OUTSIDER = 'jean.dufour@exemple.fr'; // created by CORR, attached nowhere

async function addHabilitation(
  db: Db,
  accountId: number,
  structureId: number,
  profile: HabilitationProfile,
  status: 'VALIDEE' | 'EN_COURS_DE_VALIDATION',
  serviceId: number | null = null,
) {
  await db
    .insertInto('habilitation')
    .values({
      accountId,
      structureId,
      serviceId,
      profile,
      status,
      requestedAt: AT,
      decidedAt: status === 'VALIDEE' ? AT : null,
      decidedBy: status === 'VALIDEE' ? GP : null,
      createdAt: AT,
      updatedAt: AT,
    })
    .execute();
}

describe.each(DIALECTS)('structure rights and services (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  let pau: number;
  let mdm: number;

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
    await importStructures(store, CORR, {
      file: path.join(FIXTURES, 'annuaire.csv'),
      encoding: 'auto',
      lang: 'fr',
    });
    await importServices(store, CORR, {
      file: path.join(FIXTURES, 'services.csv'),
      encoding: 'auto',
      lang: 'fr',
    });
    await createAccount(store, CORR, {
      login: OUTSIDER,
      data: { email: OUTSIDER, lastName: 'DUFOUR', firstName: 'Jean' },
    });

    const db = store.db;
    const id = async (identifier: string) =>
      (
        await db
          .selectFrom('structure')
          .select('id')
          .where('identifier', '=', identifier)
          .executeTakeFirstOrThrow()
      ).id;
    pau = await id(PAU);
    mdm = await id(MDM);
    const servCult = (
      await db
        .selectFrom('service')
        .select('id')
        .where('structureId', '=', pau)
        .where('code', '=', 'SERV-CULT')
        .executeTakeFirstOrThrow()
    ).id;

    await addAttachment(
      db,
      await addAccount(db, GP, { lastName: 'LAFFITTE', firstName: 'Anne' }),
      pau,
      'GESTIONNAIRE_PRINCIPAL',
      'VALIDEE',
    );
    const reader = await addAccount(db, READER, { lastName: 'BERGES', firstName: 'Paul' });
    await addAttachment(db, reader, pau, 'UTILISATEUR', 'VALIDEE');
    await addHabilitation(db, reader, pau, 'CONSULTATION_UTILISATEURS', 'VALIDEE');
    const editor = await addAccount(db, EDITOR, { lastName: 'CAZAUX', firstName: 'Marie' });
    await addAttachment(db, editor, pau, 'GESTIONNAIRE_SECONDAIRE', 'VALIDEE');
    await addHabilitation(db, editor, pau, 'MODIFICATION_STRUCTURE', 'VALIDEE');
    const pending = await addAccount(db, PENDING);
    await addAttachment(db, pending, pau, 'UTILISATEUR', 'VALIDEE');
    await addHabilitation(db, pending, pau, 'CONSULTATION_UTILISATEURS', 'EN_COURS_DE_VALIDATION');
    await addHabilitation(db, pending, pau, 'MODIFICATION_STRUCTURE', 'EN_COURS_DE_VALIDATION');
    const elsewhere = await addAccount(db, ELSEWHERE);
    await addAttachment(db, elsewhere, mdm, 'GESTIONNAIRE_SECONDAIRE', 'VALIDEE');
    await addHabilitation(db, elsewhere, mdm, 'CONSULTATION_UTILISATEURS', 'VALIDEE');
    await addHabilitation(db, elsewhere, mdm, 'MODIFICATION_STRUCTURE', 'VALIDEE');
    const serviceEditor = await addAccount(db, SERVICE_EDITOR);
    await addAttachment(db, serviceEditor, pau, 'UTILISATEUR', 'VALIDEE');
    await addHabilitation(db, serviceEditor, pau, 'MODIFICATION_STRUCTURE', 'VALIDEE', servCult);
    const user = await addAccount(db, USER, { lastName: 'ETCHEVERRY', firstName: 'Léa' });
    const userAttachment = await addAttachment(db, user, pau, 'UTILISATEUR', 'VALIDEE');
    await db
      .insertInto('attachmentService')
      .values({ attachmentId: userAttachment, serviceId: servCult, status: 'VALIDEE' })
      .execute();
    // history, not users: a refused request
    await addAttachment(
      db,
      await addAccount(db, 'refuse@ville-pau.fr'),
      pau,
      'UTILISATEUR',
      'REFUSEE',
    );
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await store.close();
    await fresh.cleanup();
  });

  const lastAudit = () =>
    store.db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
  const service = (code: string) =>
    store.db
      .selectFrom('service')
      .selectAll()
      .where('structureId', '=', pau)
      .where('code', '=', code)
      .executeTakeFirst();
  const searchIds = async (text: string) =>
    (await searchStructures(store, CORR, { text, limit: 0, page: 1 })).items.map(
      (i) => i.identifier,
    );

  /** The call is refused (exit 4, with this reason), writes nothing, and the refusal is audited. */
  async function expectRefused(
    call: () => Promise<unknown>,
    actor: string,
    action: string,
    target: string,
    reason: string,
  ) {
    const before = await counts(store.db);
    const err = await call().catch((e: unknown) => e);
    expect(err, `${actor} ${action}`).toBeInstanceOf(ForbiddenError);
    expect((err as ForbiddenError).exitCode).toBe(4);
    expect((err as ForbiddenError).key).toBe(reason);
    expect(await counts(store.db)).toEqual({ ...before, auditLog: before.auditLog! + 1 });
    const entry = await lastAudit();
    expect(entry).toMatchObject({
      actor,
      action,
      target,
      outcome: 'REFUSED',
      at: NOW,
      runId: null,
    });
    expect(JSON.parse(entry.changes!)).toEqual({ reason });
  }

  describe('structureUsers', () => {
    const EXPECTED_LOGINS = [USER, PENDING, SERVICE_EDITOR, EDITOR, GP, READER];

    it('lists the live attachments for the GP, ordered by login, with role, status and services', async () => {
      const users = await structureUsers(store, GP, PAU, DEFAULT_USER_STATUSES);
      expect(users.map((u) => u.login)).toEqual(EXPECTED_LOGINS);
      expect(users.find((u) => u.login === USER)).toEqual({
        login: USER,
        lastName: 'ETCHEVERRY',
        firstName: 'Léa',
        email: USER,
        accountStatus: 'ACTIF',
        role: 'UTILISATEUR',
        status: 'VALIDEE',
        services: ['SERV-CULT'],
        dateStart: '2025-01-01',
        dateEnd: null,
        habilitations: [],
        spaces: ['MON_COMPTE', 'FACTURES_EMISES', 'FACTURES_RECUES'].map((space) => ({
          space,
          service: 'SERV-CULT',
          default: true,
        })),
      });
      expect(users.find((u) => u.login === GP)).toMatchObject({
        role: 'GESTIONNAIRE_PRINCIPAL',
        services: [],
      });
      // other statuses on demand
      expect((await structureUsers(store, GP, PAU, ['REFUSEE'])).map((u) => u.login)).toEqual([
        'refuse@ville-pau.fr',
      ]);
    });

    it('lets a holder of a granted CONSULTATION_UTILISATEURS habilitation, and a correspondent in scope, list them too', async () => {
      const audits = await count(store.db, 'auditLog');
      expect(
        (await structureUsers(store, READER, PAU, DEFAULT_USER_STATUSES)).map((u) => u.login),
      ).toEqual(EXPECTED_LOGINS);
      expect(
        (await structureUsers(store, CORR, PAU_REF, DEFAULT_USER_STATUSES)).map((u) => u.login),
      ).toEqual(EXPECTED_LOGINS);
      expect(
        (await structureUsers(store, ELSEWHERE, MDM, DEFAULT_USER_STATUSES)).map((u) => u.login),
      ).toEqual([ELSEWHERE]);
      // reading writes nothing
      expect(await count(store.db, 'auditLog')).toBe(audits);
    });

    it('refuses a plain attached user, a pending habilitation, a habilitation on another structure, and an unattached account', async () => {
      const target = `structure:${PAU_REF}`;
      await expectRefused(
        () => structureUsers(store, USER, PAU, DEFAULT_USER_STATUSES),
        USER,
        'structure.users',
        target,
        'rights.notManager',
      );
      await expectRefused(
        () => structureUsers(store, PENDING, PAU, DEFAULT_USER_STATUSES),
        PENDING,
        'structure.users',
        target,
        'rights.notManager',
      );
      await expectRefused(
        () => structureUsers(store, ELSEWHERE, PAU, DEFAULT_USER_STATUSES),
        ELSEWHERE,
        'structure.users',
        target,
        'rights.notManager',
      );
      await expectRefused(
        () => structureUsers(store, OUTSIDER, PAU, DEFAULT_USER_STATUSES),
        OUTSIDER,
        'structure.users',
        target,
        'rights.notManager',
      );
      // MODIFICATION_STRUCTURE is not CONSULTATION_UTILISATEURS
      await expectRefused(
        () => structureUsers(store, EDITOR, PAU, DEFAULT_USER_STATUSES),
        EDITOR,
        'structure.users',
        target,
        'rights.notManager',
      );
    });

    it('refuses a correspondent whose scope does not cover the structure’s département', async () => {
      await expectRefused(
        () => structureUsers(store, CORR, MDM, DEFAULT_USER_STATUSES),
        CORR,
        'structure.users',
        `structure:SIRET:${MDM}`,
        'rights.outOfScope',
      );
      // a correspondent created for the Landes reads there, not in the Pyrénées-Atlantiques
      await store.db
        .insertInto('correspondentScope')
        .values({
          accountId: (
            await store.db
              .selectFrom('account')
              .select('id')
              .where('login', '=', OUTSIDER)
              .executeTakeFirstOrThrow()
          ).id,
          departement: '40',
        })
        .execute();
      expect(
        (await structureUsers(store, OUTSIDER, MDM, DEFAULT_USER_STATUSES)).map((u) => u.login),
      ).toEqual([ELSEWHERE]);
      await expectRefused(
        () => structureUsers(store, OUTSIDER, PAU, DEFAULT_USER_STATUSES),
        OUTSIDER,
        'structure.users',
        `structure:${PAU_REF}`,
        'rights.outOfScope',
      );
    });

    it('says not found for an unknown structure', async () => {
      const err = await structureUsers(store, GP, '21640445900028', DEFAULT_USER_STATUSES).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(NotFoundError);
      expect((err as NotFoundError).exitCode).toBe(3);
    });
  });

  describe('addService', () => {
    it('adds a service for the GP and for a MODIFICATION_STRUCTURE holder, audited, and the search finds it', async () => {
      const view = await addService(store, GP, PAU, 'SERV-SPORT', {
        label: 'Sports et loisirs',
        dateStart: '2024-06-01',
        dateEnd: '2024-12-31',
      });
      expect(view).toEqual({
        code: 'SERV-SPORT',
        label: 'Sports et loisirs',
        active: true,
        dateStart: '2024-06-01',
        dateEnd: '2024-12-31',
      });
      expect(await service('SERV-SPORT')).toMatchObject({
        label: 'Sports et loisirs',
        active: 1,
        dateStart: '2024-06-01',
        dateEnd: '2024-12-31',
        createdAt: NOW,
        updatedAt: NOW,
      });
      const entry = await lastAudit();
      expect(entry).toMatchObject({
        actor: GP,
        action: 'service.add',
        target: `service:${PAU_REF}/SERV-SPORT`,
        outcome: 'OK',
        at: NOW,
      });
      expect(JSON.parse(entry.changes!)).toEqual({
        label: { before: null, after: 'Sports et loisirs' },
        dateStart: { before: null, after: '2024-06-01' },
        dateEnd: { before: null, after: '2024-12-31' },
      });
      expect(await searchIds('loisirs')).toEqual([PAU]);

      await addService(store, EDITOR, PAU_REF, 'SERV-JEUNESSE', { label: 'Jeunesse' });
      const second = await lastAudit();
      expect(second).toMatchObject({
        actor: EDITOR,
        action: 'service.add',
        target: `service:${PAU_REF}/SERV-JEUNESSE`,
      });
      // no date given: the audit records only what was set
      expect(JSON.parse(second.changes!)).toEqual({ label: { before: null, after: 'Jeunesse' } });
      expect(await service('SERV-JEUNESSE')).toMatchObject({
        label: 'Jeunesse',
        active: 1,
        dateStart: null,
        dateEnd: null,
      });
      expect(await searchIds('jeunesse')).toEqual([PAU]);
    });

    it('refuses everyone else: a plain user, a reader, a pending or elsewhere habilitation, a service-only one, a correspondent', async () => {
      const target = `structure:${PAU_REF}`;
      for (const actor of [USER, READER, PENDING, ELSEWHERE, SERVICE_EDITOR, OUTSIDER, CORR])
        await expectRefused(
          () => addService(store, actor, PAU, 'SERV-SPORT', { label: 'Sports' }),
          actor,
          'structure.edit',
          target,
          'rights.notManager',
        );
      expect(await service('SERV-SPORT')).toBeUndefined();
    });

    it('refuses a code the structure already has (exit 6), writing nothing', async () => {
      const before = await counts(store.db);
      const err = await addService(store, GP, PAU, 'SERV-CULT', {
        label: 'Encore la culture',
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).exitCode).toBe(6);
      expect((err as ConflictError).key).toBe('service.exists');
      expect(await counts(store.db)).toEqual(before);
      expect((await service('SERV-CULT'))!.label).toBe('Service culturel');
      // the same code on another structure is another service
      await addService(store, ELSEWHERE, MDM, 'SERV-CULT', { label: 'Culture' });
    });

    it('refuses an end date before the start date (exit 5, naming --fin), writing nothing', async () => {
      const before = await counts(store.db);
      const err = await addService(store, GP, PAU, 'SERV-SPORT', {
        label: 'Sports',
        dateStart: '2024-06-01',
        dateEnd: '2024-01-01',
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).exitCode).toBe(5);
      expect((err as InvalidInputError).issues).toEqual([
        {
          field: '--fin',
          message: 'service.dateOrder',
          params: { start: '2024-06-01', end: '2024-01-01' },
        },
      ]);
      expect(await counts(store.db)).toEqual(before);
      expect(await service('SERV-SPORT')).toBeUndefined();
    });
  });

  describe('editService', () => {
    it('edits a label for the GP: audited with before and after, and the search key follows', async () => {
      expect(await searchIds('culturel')).toEqual([PAU]);
      const result = await editService(store, GP, PAU, 'SERV-CULT', {
        label: 'Patrimoine et beaux-arts',
      });
      expect(result).toEqual({
        service: {
          code: 'SERV-CULT',
          label: 'Patrimoine et beaux-arts',
          active: true,
          dateStart: '2020-01-01',
          dateEnd: null,
        },
        changed: ['label'],
      });
      expect(await service('SERV-CULT')).toMatchObject({
        label: 'Patrimoine et beaux-arts',
        updatedAt: NOW,
      });
      const entry = await lastAudit();
      expect(entry).toMatchObject({
        actor: GP,
        action: 'service.edit',
        target: `service:${PAU_REF}/SERV-CULT`,
        outcome: 'OK',
      });
      expect(JSON.parse(entry.changes!)).toEqual({
        label: { before: 'Service culturel', after: 'Patrimoine et beaux-arts' },
      });

      expect(await searchIds('patrimoine')).toEqual([PAU]);
      expect(await searchIds('culturel')).toEqual([]);
      expect(await searchIds('beaux arts')).toEqual([PAU]);
      const key = (
        await store.db
          .selectFrom('structure')
          .select('searchKey')
          .where('id', '=', pau)
          .executeTakeFirstOrThrow()
      ).searchKey;
      expect(key).toContain('serv cult patrimoine et beaux arts');
      expect(key).not.toContain('service culturel');
    });

    it('edits dates for a MODIFICATION_STRUCTURE holder, and for a holder on that very service', async () => {
      const r1 = await editService(store, EDITOR, PAU, 'SERV-ETAT-CIVIL', {
        dateEnd: '2030-12-31',
      });
      expect(r1.changed).toEqual(['dateEnd']);
      expect(JSON.parse((await lastAudit()).changes!)).toEqual({
        dateEnd: { before: null, after: '2030-12-31' },
      });
      const r2 = await editService(store, SERVICE_EDITOR, PAU, 'SERV-CULT', {
        dateStart: '2021-01-01',
        dateEnd: null,
      });
      expect(r2.changed).toEqual(['dateStart']);
      expect(await lastAudit()).toMatchObject({
        actor: SERVICE_EDITOR,
        action: 'service.edit',
        target: `service:${PAU_REF}/SERV-CULT`,
      });
      expect(JSON.parse((await lastAudit()).changes!)).toEqual({
        dateStart: { before: '2020-01-01', after: '2021-01-01' },
      });
      expect(await service('SERV-CULT')).toMatchObject({ dateStart: '2021-01-01', dateEnd: null });
    });

    it('changes nothing and writes no audit entry when the values are those already stored', async () => {
      const before = await counts(store.db);
      const row = await service('SERV-CULT');
      const result = await editService(store, GP, PAU, 'SERV-CULT', {
        label: 'Service culturel',
        dateStart: '2020-01-01',
        dateEnd: null,
      });
      expect(result).toEqual({
        service: {
          code: 'SERV-CULT',
          label: 'Service culturel',
          active: true,
          dateStart: '2020-01-01',
          dateEnd: null,
        },
        changed: [],
      });
      expect(await counts(store.db)).toEqual(before);
      expect(await service('SERV-CULT')).toEqual(row);
    });

    it('refuses an end date before the start date, stored or given (exit 5, naming --fin), writing nothing', async () => {
      const before = await counts(store.db);
      const row = await service('SERV-CULT');
      for (const patch of [
        { dateEnd: '2019-12-31' },
        { dateStart: '2024-06-01', dateEnd: '2024-01-01' },
        { label: 'Culture', dateStart: '2031-01-01', dateEnd: '2030-01-01' },
      ]) {
        const err = await editService(store, GP, PAU, 'SERV-CULT', patch).catch((e: unknown) => e);
        expect(err, JSON.stringify(patch)).toBeInstanceOf(InvalidInputError);
        expect((err as InvalidInputError).exitCode).toBe(5);
        expect((err as InvalidInputError).issues.map((i) => i.field)).toEqual(['--fin']);
      }
      expect(await counts(store.db)).toEqual(before);
      expect(await service('SERV-CULT')).toEqual(row);
    });

    it('refuses others, including a service-only holder on another service, and audits the refusal', async () => {
      const target = `structure:${PAU_REF}`;
      for (const actor of [USER, READER, PENDING, ELSEWHERE, CORR])
        await expectRefused(
          () => editService(store, actor, PAU, 'SERV-CULT', { label: 'Piraté' }),
          actor,
          'structure.edit',
          target,
          'rights.notManager',
        );
      await expectRefused(
        () => editService(store, SERVICE_EDITOR, PAU, 'FACTURES', { label: 'Piraté' }),
        SERVICE_EDITOR,
        'structure.edit',
        target,
        'rights.notManager',
      );
      expect((await service('SERV-CULT'))!.label).toBe('Service culturel');
      expect((await service('FACTURES'))!.label).toBe('Service facturier; dépenses');
    });

    it('says not found for an unknown service', async () => {
      const err = await editService(store, GP, PAU, 'INCONNU', { label: 'x' }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(NotFoundError);
      expect((err as NotFoundError).key).toBe('service.notFound');
      expect((err as NotFoundError).exitCode).toBe(3);
    });
  });

  describe('deactivateService', () => {
    it('deactivates once, audited with before and after; a second time is a conflict (exit 6) that writes nothing', async () => {
      const view = await deactivateService(store, EDITOR, PAU, 'FACTURES');
      expect(view).toEqual({
        code: 'FACTURES',
        label: 'Service facturier; dépenses',
        active: false,
        dateStart: null,
        dateEnd: null,
      });
      expect(await service('FACTURES')).toMatchObject({ active: 0, updatedAt: NOW });
      const entry = await lastAudit();
      expect(entry).toMatchObject({
        actor: EDITOR,
        action: 'service.deactivate',
        target: `service:${PAU_REF}/FACTURES`,
        outcome: 'OK',
      });
      expect(JSON.parse(entry.changes!)).toEqual({ active: { before: true, after: false } });

      const before = await counts(store.db);
      const err = await deactivateService(store, GP, PAU, 'FACTURES').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).exitCode).toBe(6);
      expect((err as ConflictError).key).toBe('service.alreadyInactive');
      expect(await counts(store.db)).toEqual(before);
    });

    it('is allowed to the GP and to a holder on that service, and refused to others', async () => {
      await deactivateService(store, GP, PAU_REF, 'SERV-ETAT-CIVIL');
      await deactivateService(store, SERVICE_EDITOR, PAU, 'SERV-CULT');
      expect(await lastAudit()).toMatchObject({
        actor: SERVICE_EDITOR,
        action: 'service.deactivate',
      });
      const target = `structure:${PAU_REF}`;
      for (const actor of [USER, READER, PENDING, ELSEWHERE, SERVICE_EDITOR, CORR])
        await expectRefused(
          () => deactivateService(store, actor, PAU, 'FACTURES'),
          actor,
          'structure.edit',
          target,
          'rights.notManager',
        );
      expect((await service('FACTURES'))!.active).toBe(1);
    });
  });
});

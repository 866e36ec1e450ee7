import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initStore } from '../../src/app/init.js';
import { DEFAULT_USER_STATUSES, structureUsers } from '../../src/app/structures.js';
import { requestSubscription } from '../../src/app/subscriptions.js';
import type { Db } from '../../src/db/schema.js';
import { openStore, type Store } from '../../src/db/store.js';
import type { HabilitationProfile, RequestStatus, Space } from '../../src/domain/enums.js';
import { AppError } from '../../src/errors.js';
import { testClock } from '../helpers/clock.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import { addAccount, addAttachment, addStructure, AT } from './support/seed.js';

/** Issue 17: `structure users` with habilitations and spaces (7); subscriptions by service (5). */

const NOW = '2025-03-10T09:30:00.000Z';
const CORR = 'claire.martin@dgfip.finances.gouv.fr'; // scope 64
const PAU = '21640445900010';
const MDM = '21400192700018';
const GP = 'gp@ville-pau.fr';
const AGENT = 'agent@ville-pau.fr'; // attached to SERV-CULT and FIN only
const NEWCOMER = 'nouveau@ville-pau.fr'; // a request waiting

describe.each(DIALECTS)('structure users and their rights (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  let db: Db;
  const ids: Record<string, number> = {};
  let pau: number;
  let mdm: number;
  const services: Record<string, number> = {};

  const habilitation = (
    login: string,
    structureId: number,
    profile: HabilitationProfile,
    status: RequestStatus,
    serviceId: number | null = null,
  ) =>
    db
      .insertInto('habilitation')
      .values({
        accountId: ids[login]!,
        structureId,
        serviceId,
        profile,
        status,
        requestedAt: AT,
        decidedAt: null,
        decidedBy: null,
        createdAt: AT,
        updatedAt: AT,
      })
      .execute();
  const subscription = (
    login: string,
    structureId: number,
    space: Space,
    status: RequestStatus,
    serviceId: number | null = null,
  ) =>
    db
      .insertInto('subscription')
      .values({
        accountId: ids[login]!,
        structureId,
        serviceId,
        space,
        mode: 'MODIFICATION',
        status,
        requestedAt: AT,
        decidedAt: null,
        decidedBy: null,
        createdAt: AT,
        updatedAt: AT,
      })
      .execute();

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
    db = store.db;
    pau = await addStructure(db, PAU, '64000', 'COMMUNE DE PAU');
    mdm = await addStructure(db, MDM, '40000', 'COMMUNE DE MONT-DE-MARSAN');
    for (const code of ['SERV-CULT', 'FIN', 'RH'])
      services[code] = (
        await db
          .insertInto('service')
          .values({
            structureId: pau,
            code,
            label: code,
            active: 1,
            dateStart: null,
            dateEnd: null,
            createdAt: AT,
            updatedAt: AT,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    ids[GP] = await addAccount(db, GP);
    await addAttachment(db, ids[GP], pau, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
    ids[AGENT] = await addAccount(db, AGENT);
    const a = await addAttachment(db, ids[AGENT], pau, 'UTILISATEUR', 'VALIDEE');
    await db
      .insertInto('attachmentService')
      .values([
        { attachmentId: a, serviceId: services['SERV-CULT']!, status: 'VALIDEE' },
        { attachmentId: a, serviceId: services.FIN!, status: 'VALIDEE' },
      ])
      .execute();
    await addAttachment(db, ids[AGENT], mdm, 'UTILISATEUR', 'VALIDEE');
    ids[NEWCOMER] = await addAccount(db, NEWCOMER);
    await addAttachment(db, ids[NEWCOMER], pau, 'UTILISATEUR', 'EN_COURS_DE_VALIDATION');
  });
  afterEach(async () => {
    await store.close();
    await fresh.cleanup();
  });

  it('each user comes with its validated habilitations and spaces, the default ones marked', async () => {
    await habilitation(AGENT, pau, 'CONSULTATION_UTILISATEURS', 'VALIDEE', services['SERV-CULT']);
    await habilitation(AGENT, pau, 'VALIDATION_ABONNEMENTS', 'VALIDEE');
    await habilitation(AGENT, pau, 'MODIFICATION_STRUCTURE', 'EN_COURS_DE_VALIDATION');
    await habilitation(AGENT, mdm, 'VALIDATION_RATTACHEMENTS', 'VALIDEE'); // another structure
    await subscription(AGENT, pau, 'FACTURES_TRAVAUX', 'VALIDEE', services.FIN);
    await subscription(AGENT, pau, 'FACTURES_A_VALIDER', 'REFUSEE', services.FIN);
    await subscription(AGENT, mdm, 'FACTURES_TRAVAUX', 'VALIDEE'); // another structure
    await subscription(GP, pau, 'FACTURES_TRAVAUX', 'VALIDEE');

    const users = await structureUsers(store, GP, PAU, DEFAULT_USER_STATUSES);
    const byLogin = Object.fromEntries(users.map((u) => [u.login, u]));
    expect(users.map((u) => u.login)).toEqual([AGENT, GP, NEWCOMER]);

    expect(byLogin[AGENT]).toMatchObject({
      role: 'UTILISATEUR',
      status: 'VALIDEE',
      services: ['FIN', 'SERV-CULT'],
      habilitations: ['CONSULTATION_UTILISATEURS:SERV-CULT', 'VALIDATION_ABONNEMENTS'],
    });
    expect(byLogin[AGENT]!.spaces).toEqual([
      { space: 'MON_COMPTE', service: 'FIN', default: true },
      { space: 'FACTURES_EMISES', service: 'FIN', default: true },
      { space: 'FACTURES_RECUES', service: 'FIN', default: true },
      { space: 'FACTURES_TRAVAUX', service: 'FIN', default: false },
      { space: 'MON_COMPTE', service: 'SERV-CULT', default: true },
      { space: 'FACTURES_EMISES', service: 'SERV-CULT', default: true },
      { space: 'FACTURES_RECUES', service: 'SERV-CULT', default: true },
    ]);

    expect(byLogin[GP]!.habilitations).toEqual([]);
    expect(byLogin[GP]!.spaces).toEqual([
      { space: 'MON_COMPTE', service: null, default: true },
      { space: 'FACTURES_EMISES', service: null, default: true },
      { space: 'FACTURES_RECUES', service: null, default: true },
      { space: 'ACTIVITES_GESTIONNAIRE', service: null, default: true },
      { space: 'FACTURES_TRAVAUX', service: null, default: false },
    ]);

    // a request waiting brings no space
    expect(byLogin[NEWCOMER]).toMatchObject({ habilitations: [], spaces: [] });
  });

  it('a holder limited to services asks for a space only there (4, audited as refused)', async () => {
    const ask = (service: string | undefined) =>
      requestSubscription(store, AGENT, {
        structure: PAU,
        space: 'FACTURES_TRAVAUX',
        ...(service === undefined ? {} : { service }),
      });
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
        return 0;
      } catch (err) {
        if (err instanceof AppError) return err.exitCode;
        throw err;
      }
    };
    expect(await code(ask('RH'))).toBe(4);
    expect(await code(ask(undefined))).toBe(4);
    expect(await code(ask('FIN'))).toBe(0);
    const log = await db
      .selectFrom('auditLog')
      .select(['action', 'outcome'])
      .where('action', '=', 'subscription.request')
      .orderBy('seq')
      .execute();
    expect(log.map((e) => e.outcome)).toEqual(['REFUSED', 'REFUSED', 'OK']);
    expect(
      await db
        .selectFrom('subscription')
        .select('serviceId')
        .where('accountId', '=', ids[AGENT]!)
        .execute(),
    ).toEqual([{ serviceId: services.FIN }]);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import {
  CORR,
  HEAVY,
  PAU,
  PAULINE,
  BORDEAUX,
  attach,
  auditLog,
  clis,
  createAccounts,
  initStore,
  insertStructures,
  json,
  withDb,
} from './fixtures.js';

/**
 * Issue 17: a structure whose GP left without a successor, repaired by the correspondent in
 * scope; a GP transfer to a user of one service, who takes the whole structure.
 */

const GP = 'gp@mairie-pau.fr';
const AGENT = 'agent@mairie-pau.fr';
const NOW = '2026-03-11T10:00:00.000Z';

describe.each(DIALECTS)('structures without a GP (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;
  let ids: { pau: number; bordeaux: number };
  let gpAttachment: number;
  let agentAttachment: number;

  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location, { now: NOW });
    cli = clis(fresh.location, { now: NOW });
    await createAccounts(fresh.location, [PAULINE, GP, AGENT], { now: NOW });
    ids = await insertStructures(fresh.location);
    await withDb(fresh.location, async (db) => {
      const at = NOW;
      const { id: serviceId } = await db
        .insertInto('service')
        .values({
          structureId: ids.pau,
          code: 'SERV-CULT',
          label: 'Service culturel',
          active: 1,
          dateStart: null,
          dateEnd: null,
          createdAt: at,
          updatedAt: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      gpAttachment = await attach(db, GP, ids.pau, 'GESTIONNAIRE_PRINCIPAL');
      agentAttachment = await attach(db, AGENT, ids.pau, 'UTILISATEUR');
      await db
        .insertInto('attachmentService')
        .values({ attachmentId: agentAttachment, serviceId, status: 'VALIDEE' })
        .execute();
    });
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  const attachmentsOf = async (login: string) =>
    json<{ id: number; role: string; services: string[]; inEffect: boolean }[]>(
      await cli.corr('attachment', 'list', '--account', login, '--json'),
    );

  it('a transfer to a user of one service gives the whole structure', async () => {
    expect((await attachmentsOf(AGENT))[0]!.services).toEqual(['SERV-CULT']);
    const r = await cli.as(GP)(
      'attachment',
      'detach',
      PAU.identifier,
      '--new-manager',
      AGENT,
      '--yes',
    );
    expect(r.stderr).toContain(AGENT);
    expect(r.code).toBe(0);
    expect(await attachmentsOf(AGENT)).toEqual([
      expect.objectContaining({ role: 'GESTIONNAIRE_PRINCIPAL', services: [], inEffect: true }),
    ]);
    const spaces = json<{ space: string; service: string | null }[]>(
      await cli.as(AGENT)('subscription', 'list', '--json'),
    );
    const manager = spaces.filter((s) => s.space === 'ACTIVITES_GESTIONNAIRE');
    expect(manager).toHaveLength(1);
    expect(manager[0]!.service ?? null).toBeNull();
    const transfer = (await auditLog(fresh.location)).find(
      (e) => e.action === 'attachment.transfer',
    );
    expect(transfer?.changes.successorServices).toEqual({ before: ['SERV-CULT'], after: [] });
  });

  it('a transfer to a pending request for one service validates it whole, and says so', async () => {
    await withDb(fresh.location, async (db) => {
      await db
        .updateTable('attachment')
        .set({ status: 'EN_COURS_DE_VALIDATION', decidedAt: null, decidedBy: null })
        .where('id', '=', agentAttachment)
        .execute();
      await db
        .updateTable('attachmentService')
        .set({ status: 'EN_COURS_DE_VALIDATION' })
        .where('attachmentId', '=', agentAttachment)
        .execute();
    });
    const r = await cli.as(GP)(
      'attachment',
      'detach',
      PAU.identifier,
      '--new-manager',
      AGENT,
      '--yes',
    );
    expect(r.code).toBe(0);
    expect(await attachmentsOf(AGENT)).toEqual([
      expect.objectContaining({ role: 'GESTIONNAIRE_PRINCIPAL', services: [], inEffect: true }),
    ]);
    const transfer = (await auditLog(fresh.location)).find(
      (e) => e.action === 'attachment.transfer',
    );
    // the services are read before the request is validated: the audit names the one it leaves
    expect(transfer?.changes.successorServices).toEqual({ before: ['SERV-CULT'], after: [] });
  });

  it('a GP is never limited to services: --service with the GP role is refused (5)', async () => {
    await withDb(fresh.location, (db) =>
      db
        .updateTable('attachment')
        .set({ dateEnd: '2026-02-28' })
        .where('id', '=', gpAttachment)
        .execute(),
    );
    const r = await cli.corr(
      'attachment',
      'add',
      PAULINE,
      PAU.identifier,
      '--role',
      'GESTIONNAIRE_PRINCIPAL',
      '--service',
      'SERV-CULT',
    );
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('toute la structure');
  });

  it('a GP leaves without a successor and the correspondent designates one', async () => {
    const designate = (as: string, login: string, structure = PAU.identifier) =>
      cli.as(as)('attachment', 'add', login, structure, '--role', 'GESTIONNAIRE_PRINCIPAL');
    // a GP in effect: no designation
    const taken = await designate(CORR, PAULINE);
    expect(taken.code).toBe(6);
    expect(taken.stderr).toContain('déjà un gestionnaire principal');

    // a secondary manager stays: it is told of the designation too
    const GS = 'gs@mairie-pau.fr';
    expect(
      (
        await cli.corr(
          'account',
          'create',
          GS,
          '--email',
          GS,
          '--nom',
          'BERNARD',
          '--prenom',
          'Sophie',
        )
      ).code,
    ).toBe(0);
    await withDb(fresh.location, (db) => attach(db, GS, ids.pau, 'GESTIONNAIRE_SECONDAIRE'));
    // the GP's validity ends: the structure has no GP in effect
    await withDb(fresh.location, (db) =>
      db
        .updateTable('attachment')
        .set({ dateEnd: '2026-02-28' })
        .where('id', '=', gpAttachment)
        .execute(),
    );
    // Pauline asks to join: taken, with a warning naming the correspondent, who is told
    const asked = await cli.as(PAULINE)(
      'attachment',
      'request',
      PAU.identifier,
      '--comment',
      'Régisseuse',
      '--json',
    );
    expect(asked.code).toBe(0);
    const requestId = json(asked).id as number;
    expect(asked.stderr).toContain(
      `Demande de rattachement n° ${requestId} à SIRET:21640445700019 enregistrée.`,
    );
    expect(asked.stderr).toContain(
      'Aucun compte actif ne peut traiter cette demande : SIRET:21640445700019 n’a pas de gestionnaire principal en fonction. Adressez-vous au correspondant dématérialisation : Claire MARTIN (claire.martin@dgfip.finances.gouv.fr).',
    );
    const told = await withDb(fresh.location, (db) =>
      db
        .selectFrom('notification')
        .select(['toAddress', 'subject'])
        .where('event', '=', 'ATTACHMENT_UNDECIDABLE')
        .execute(),
    );
    expect(told).toEqual([
      {
        toAddress: CORR,
        subject: 'Chorus Pro : demande de rattachement sans gestionnaire pour COMMUNE DE PAU',
      },
    ]);

    // the correspondent sees the structure, its accounts and the request; a manager may not look
    const orphans = await cli.corr('structure', 'orphans', '--json');
    expect(orphans.code).toBe(0);
    expect(
      json<{ id: number; structure: string; reason: string; account: string; status: string }[]>(
        orphans,
      ).map((r) => [r.structure, r.reason, r.account, r.status]),
    ).toEqual([
      ['SIRET:21640445700019', 'NO_PRINCIPAL', PAULINE, 'EN_COURS_DE_VALIDATION'],
      ['SIRET:21640445700019', 'NO_PRINCIPAL', AGENT, 'VALIDEE'],
      ['SIRET:21640445700019', 'NO_PRINCIPAL', GP, 'VALIDEE'],
      // a secondary manager without VALIDATION_RATTACHEMENTS decides nothing
      ['SIRET:21640445700019', 'NO_PRINCIPAL', GS, 'VALIDEE'],
    ]);
    const csv = await cli.corr('structure', 'orphans', '--format', 'csv');
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'structure;companyName;reason;id;account;name;role;status;services;requestedAt;decidable',
    );
    for (const columns of ['80', '160']) {
      const table = await run(['--db', fresh.location, '--as', CORR, 'structure', 'orphans'], {
        now: NOW,
        env: { COLUMNS: columns },
      });
      expect(table.code).toBe(0);
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(2 + 4);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(Number(columns));
      expect(table.stdout).toContain('SIRET:21640445700019');
      expect(table.stdout).toContain('pauline.dufour');
      if (columns === '160') expect(table.stdout).toContain('Sans gestionnaire principal');
    }
    const xlsx = path.join(fresh.dir, 'orphelines.xlsx');
    expect((await cli.corr('structure', 'orphans', '--format', 'xlsx', '-o', xlsx)).code).toBe(0);
    expect(fs.readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK');
    expect((await cli.as(GP)('structure', 'orphans')).code).toBe(4);
    expect((await cli.as(PAULINE)('attachment', 'approve', String(requestId))).code).not.toBe(0);

    // a manager may not designate, a correspondent out of scope neither
    expect((await designate(GP, PAULINE)).code).toBe(4);
    expect((await designate(CORR, PAULINE, BORDEAUX.identifier)).code).toBe(4);

    // the correspondent designates the agent, attached to one service: it takes the whole structure
    const made = await designate(CORR, AGENT);
    expect(made.stderr).toContain(
      'agent@mairie-pau.fr est désormais gestionnaire principal de SIRET:21640445700019.',
    );
    expect(made.code).toBe(0);
    expect(await attachmentsOf(AGENT)).toEqual([
      expect.objectContaining({
        id: agentAttachment,
        role: 'GESTIONNAIRE_PRINCIPAL',
        services: [],
        inEffect: true,
      }),
    ]);
    // the former GP, out of its dates, is a plain user now
    expect((await attachmentsOf(GP))[0]).toMatchObject({ role: 'UTILISATEUR', inEffect: false });
    // audited
    const entry = (await auditLog(fresh.location)).find((e) => e.action === 'attachment.designate');
    expect(entry).toMatchObject({ actor: CORR, outcome: 'OK' });
    expect(entry?.changes).toMatchObject({
      account: AGENT,
      principalManager: { before: GP, after: AGENT },
      services: { before: ['SERV-CULT'], after: [] },
    });
    // told by e-mail, in the second person
    const mails = await withDb(fresh.location, (db) =>
      db
        .selectFrom('notification')
        .select(['toAddress', 'event', 'subject', 'body'])
        .where('event', '=', 'GP_DESIGNATED')
        .execute(),
    );
    expect(mails.map((m) => m.toAddress)).toEqual([AGENT, GS]);
    expect(mails[0]!.body).toContain('vous a désigné');
    expect(mails[0]!.body).toContain('COMMUNE DE PAU (SIRET 21640445700019)');
    expect(mails[1]!.body).toContain(
      'a désigné Pauline DUFOUR (agent@mairie-pau.fr) gestionnaire principal de COMMUNE DE PAU (SIRET 21640445700019), dont vous êtes gestionnaire.',
    );

    // the structure is repaired: nothing left to list; the new GP decides Pauline's request
    expect(json(await cli.corr('structure', 'orphans', '--json'))).toEqual([]);
    expect((await cli.as(AGENT)('attachment', 'approve', String(requestId))).code).toBe(0);
    // a second designation is refused
    expect((await designate(CORR, PAULINE)).code).toBe(6);
  });
});

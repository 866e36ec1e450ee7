import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { HEAVY, PAU, attach, clis, initStore, insertStructures, json, withDb } from './fixtures.js';

/**
 * The weekly digest (SPEC 10, issue 15): a week of requests, approvals, a refusal and a
 * detachment, summed up for the structure's managers, each in their language: the structure by
 * its raison sociale, the week by its dates, one line per movement in words. Whole messages.
 */

const GP = 'gp@mairie-pau.fr';
const GS = 'gs@mairie-pau.fr';
const PAULINE = 'pauline.dufour@mairie-pau.fr';
const MARC = 'marc.durand@mairie-pau.fr';
const WEEK = '2025-12-03T09:00:00.000Z'; // Wednesday of 2025-W49 (1–7 December 2025)
const NEXT_MONDAY = '2025-12-08T08:00:00.000Z'; // 2025-W50 has begun

describe.each(DIALECTS)('the weekly digest (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;

  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location, { now: WEEK });
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  /** The week's movements, as the people involved would make them. */
  async function week(): Promise<void> {
    const { corr, as } = clis(fresh.location, { now: WEEK });
    const people: [string, string, string, string, string][] = [
      [GP, 'M.', 'PERRIN', 'Jean', 'fr'],
      [GS, 'Mme', 'LAFFITTE', 'Anne', 'en'],
      [PAULINE, 'Mme', 'DUFOUR', 'Pauline', 'fr'],
      [MARC, 'M.', 'DURAND', 'Marc', 'fr'],
    ];
    for (const [login, civilite, nom, prenom, langue] of people) {
      const r = await corr(
        'account',
        'create',
        login,
        '--email',
        login,
        '--civilite',
        civilite,
        '--nom',
        nom,
        '--prenom',
        prenom,
        '--langue',
        langue,
      );
      expect(r.code, r.stderr).toBe(0);
    }
    const { pau } = await insertStructures(fresh.location);
    await withDb(fresh.location, async (db) => {
      await attach(db, GP, pau, 'GESTIONNAIRE_PRINCIPAL');
      await attach(db, GS, pau, 'GESTIONNAIRE_SECONDAIRE');
      // the fixture's attachments start in 2026: these managers are in office in December 2025
      await db.updateTable('attachment').set({ dateStart: '2025-01-01' }).execute();
    });
    const gp = as(GP);
    const ref = `SIRET:${PAU.identifier}`;
    for (const [code, label] of [
      ['PHARMA', 'Pharmacie'],
      ['FIN', 'Finances'],
    ])
      expect((await gp('structure', 'service', 'add', ref, code!, '--libelle', label!)).code).toBe(
        0,
      );
    const asked = await as(PAULINE)(
      'attachment',
      'request',
      ref,
      '--service',
      'PHARMA',
      '--service',
      'FIN',
      '--comment',
      'Régisseuse',
      '--json',
    );
    expect(asked.code, asked.stderr).toBe(0);
    const marc = await as(MARC)('attachment', 'request', ref, '--comment', 'Agent', '--json');
    expect(marc.code, marc.stderr).toBe(0);
    expect((await gp('attachment', 'approve', String(json(asked).id))).code).toBe(0);
    const rejected = await gp(
      'attachment',
      'reject',
      String(json(marc).id),
      '--reason',
      'Agent inconnu',
    );
    expect(rejected.code, rejected.stderr).toBe(0);
    const detached = await as(PAULINE)('attachment', 'detach', ref, '--service', 'PHARMA');
    expect(detached.code, detached.stderr).toBe(0);
    expect(detached.stderr).toBe(
      `✔ Vous êtes détachée du service PHARMA de SIRET:${PAU.identifier}.\n`,
    );
    const sub = await as(PAULINE)(
      'subscription',
      'request',
      ref,
      'FACTURES_A_VALIDER',
      '--service',
      'FIN',
      '--mode',
      'CONSULTATION_UNIQUEMENT',
      '--json',
    );
    expect(sub.code, sub.stderr).toBe(0);
    expect((await gp('subscription', 'approve', String(json(sub).id))).code).toBe(0);
  }

  async function digests() {
    return withDb(fresh.location, (db) =>
      db
        .selectFrom('notification')
        .select(['toAddress', 'subject', 'body'])
        .where('event', '=', 'WEEKLY_DIGEST')
        .orderBy('id')
        .execute(),
    );
  }

  it('sums up the last complete week in words, in each manager’s language', async () => {
    await week();
    const { corr } = clis(fresh.location, { now: NEXT_MONDAY });
    const r = await corr('notification', 'digest', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toEqual({
      week: '2025-W49',
      complete: true,
      structures: 1,
      queued: 2,
      alreadyQueued: 0,
    });
    const [fr, en] = await digests();
    expect(fr!.toAddress).toBe(GP);
    expect(fr!.subject).toBe(
      'Chorus Pro : synthèse de la semaine du 1er au 7 décembre 2025 — COMMUNE DE PAU',
    );
    expect(fr!.body).toBe(
      [
        'Bonjour Jean PERRIN,',
        '',
        'Voici les 7 mouvements de la semaine du lundi 1er au dimanche 7 décembre 2025 sur COMMUNE DE PAU (SIRET 21640445700019) :',
        '',
        '- mercredi 3 — Pauline DUFOUR : demande de rattachement (services FIN, PHARMA)',
        '- mercredi 3 — Marc DURAND : demande de rattachement (toute la structure)',
        '- mercredi 3 — Pauline DUFOUR : rattachement validé par Jean PERRIN (services FIN, PHARMA)',
        '- mercredi 3 — Marc DURAND : demande de rattachement refusée par Jean PERRIN (toute la structure) ; motif : Agent inconnu',
        '- mercredi 3 — Pauline DUFOUR : détachement (service PHARMA)',
        '- mercredi 3 — Pauline DUFOUR : demande d’abonnement à l’espace Factures à valider (consultation uniquement) (service FIN)',
        '- mercredi 3 — Pauline DUFOUR : abonnement à l’espace Factures à valider (consultation uniquement) accordé par Jean PERRIN (service FIN)',
        '',
        'Ce message est envoyé automatiquement, merci de ne pas y répondre.',
      ].join('\n'),
    );
    expect(en!.toAddress).toBe(GS);
    expect(en!.subject).toBe(
      'Chorus Pro: digest of the week of 1 to 7 December 2025 — COMMUNE DE PAU',
    );
    expect(en!.body).toBe(
      [
        'Hello Anne LAFFITTE,',
        '',
        'Here are the 7 movements of the week from Monday 1 to Sunday 7 December 2025 on COMMUNE DE PAU (SIRET 21640445700019):',
        '',
        '- Wednesday 3 — Pauline DUFOUR: asked to be attached (services FIN, PHARMA)',
        '- Wednesday 3 — Marc DURAND: asked to be attached (whole structure)',
        '- Wednesday 3 — Pauline DUFOUR: attachment approved by Jean PERRIN (services FIN, PHARMA)',
        '- Wednesday 3 — Marc DURAND: attachment request rejected by Jean PERRIN (whole structure); reason: Agent inconnu',
        '- Wednesday 3 — Pauline DUFOUR: detached (service PHARMA)',
        '- Wednesday 3 — Pauline DUFOUR: asked for space Invoices to approve (read only) (service FIN)',
        '- Wednesday 3 — Pauline DUFOUR: subscription to space Invoices to approve (read only) granted by Jean PERRIN (service FIN)',
        '',
        'This message is sent automatically; please do not reply.',
      ].join('\n'),
    );
    // nothing empty, no code, no ISO week
    for (const m of [fr!, en!]) expect(m.body).not.toMatch(/ : $|: $|W49|SIRET:|_/m);
  });

  it('refuses a week not yet begun (5), and sums up the current one only when it is named', async () => {
    await week();
    const { corr } = clis(fresh.location, { now: WEEK });
    const future = await corr('notification', 'digest', '--week', '2025-W50');
    expect(future.code).toBe(5);
    expect(future.stderr).toContain('la semaine 2025-W50 n’a pas commencé');
    expect(await digests()).toEqual([]);

    // no --week: the last complete week (W48, no movement), never the current one
    expect(json(await corr('notification', 'digest', '--json'))).toMatchObject({
      week: '2025-W48',
      complete: true,
      queued: 0,
    });
    const current = await corr('notification', 'digest', '--week', '2025-W49');
    expect(current.code, current.stderr).toBe(0);
    expect(current.stderr).toContain(
      'Attention : La semaine 2025-W49 n’est pas terminée : la synthèse ne compte ses mouvements que jusqu’à aujourd’hui.',
    );
    const [fr] = await digests();
    expect(fr!.subject).toBe(
      'Chorus Pro : synthèse de la semaine du 1er au 7 décembre 2025 (en cours : jusqu’au mercredi 3) — COMMUNE DE PAU',
    );
  });
});

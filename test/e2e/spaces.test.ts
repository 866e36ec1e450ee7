import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import {
  HEAVY,
  attach,
  auditLog,
  clis,
  createAccount,
  initStore,
  json,
  withDb,
} from './fixtures.js';

/** `subscription …` and `habilitation …` end to end: the built binary, stdout, stderr, exit codes. */

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const PAU = '21640445900010';
const PAULINE = 'pauline.dufour@mairie-pau.fr'; // GP of PAU, from the MADRHAS fixture
const AGENT = 'agent@mairie-pau.fr';
const ENV = { now: '2026-03-10T09:00:00.000Z' };

describe.each(DIALECTS)('habilitations and subscriptions (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location);
    const { corr } = clis(fresh.location, ENV);
    expect((await corr('structure', 'import', path.join(FIXTURES, 'annuaire.csv'))).code).toBe(1); // the fixture has two bad rows
    expect((await corr('sync', 'madrhas', path.join(FIXTURES, 'madrhas.csv'))).code).toBe(1);
    await createAccount(fresh.location, AGENT, '--nom', 'ETCHEVERRY', '--prenom', 'Léa');
    await withDb(fresh.location, async (db) => {
      const pau = (
        await db
          .selectFrom('structure')
          .select('id')
          .where('identifier', '=', PAU)
          .executeTakeFirstOrThrow()
      ).id;
      await attach(db, AGENT, pau);
    });
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('lists default spaces, takes a request, decides ids one by one (0, 1, 6), refuses others (4, audited)', async () => {
    const { as } = clis(fresh.location, ENV);
    const agent = as(AGENT);
    const gp = as(PAULINE);

    const mine = await agent('--json', 'subscription', 'list');
    expect(mine.code).toBe(0);
    expect(
      json(mine).map((s: { space: string; default: boolean }) => `${s.space}:${s.default}`),
    ).toEqual(['MON_COMPTE:true', 'FACTURES_EMISES:true', 'FACTURES_RECUES:true']);

    const dflt = await agent('subscription', 'request', PAU, 'MON_COMPTE');
    expect(dflt.code).toBe(6);
    expect(dflt.stderr).toContain(`Vous avez déjà l’espace MON_COMPTE sur SIRET:${PAU}`);

    const bad = await agent('subscription', 'request', PAU, 'NOPE');
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain('SPACE: espace inconnu');

    const req = await agent('--json', 'subscription', 'request', PAU, 'factures_travaux');
    expect(req.code).toBe(0);
    expect(req.stderr).toContain('Demande d’abonnement n° 1 à l’espace FACTURES_TRAVAUX');
    expect(json(req)).toMatchObject({
      id: 1,
      space: 'FACTURES_TRAVAUX',
      mode: 'MODIFICATION',
      status: 'EN_COURS_DE_VALIDATION',
      default: false,
    });

    const refused = await agent('subscription', 'approve', '1');
    expect(refused.code).toBe(4);
    expect(refused.stdout).toBe('');

    const bulk = await gp('--json', 'subscription', 'approve', '1', '42');
    expect(bulk.code).toBe(1);
    expect(json(bulk)).toEqual([
      { id: 1, ok: true, status: 'VALIDEE', code: 0, message: null },
      { id: 42, ok: false, status: null, code: 3, message: 'Abonnement n° 42 introuvable.' },
    ]);
    expect(bulk.stderr).toContain('1 sur 2 n’a pas abouti');

    const twice = await gp('--lang', 'en', 'subscription', 'approve', '1');
    expect(twice.code).toBe(6);
    expect(twice.stderr).toContain('Request 1 is already decided (approved).');

    const deciders = await gp(
      '--format',
      'csv',
      'subscription',
      'list',
      '--structure',
      PAU,
      '--status',
      'VALIDEE',
    );
    expect(deciders.code).toBe(0);
    expect(deciders.stdout).toContain(
      `1;${AGENT};SIRET:${PAU};;FACTURES_TRAVAUX;MODIFICATION;VALIDEE;false;`,
    );

    const log = await auditLog(fresh.location);
    // (the fixed clock gives every entry the same instant: compared as a set)
    expect(
      log
        .filter((e) => e.action.startsWith('subscription.'))
        .map((e) => `${e.actor} ${e.action} ${e.outcome}`)
        .sort(),
    ).toEqual([
      `${AGENT} subscription.decide REFUSED`,
      `${AGENT} subscription.request OK`,
      `${PAULINE} subscription.approve OK`,
    ]);
  });

  it('habilitations: request, approve, grant by the GP only, remove-all; reject needs --reason', async () => {
    const { as, corr } = clis(fresh.location, ENV);
    const agent = as(AGENT);
    const gp = as(PAULINE);

    const req = await agent(
      '--json',
      'habilitation',
      'request',
      '--structure',
      PAU,
      '--profile',
      'consultation_utilisateurs',
    );
    expect(req.code).toBe(0);
    expect(json(req)).toMatchObject({
      id: 1,
      profile: 'CONSULTATION_UTILISATEURS',
      status: 'EN_COURS_DE_VALIDATION',
    });

    expect((await gp('habilitation', 'reject', '1')).code).toBe(2);
    expect((await gp('habilitation', 'approve', '1')).code).toBe(0);

    const byCorr = await corr(
      'habilitation',
      'grant',
      AGENT,
      '--structure',
      PAU,
      '--profile',
      'VALIDATION_ABONNEMENTS',
    );
    expect(byCorr.code).toBe(4);
    expect(byCorr.stderr).toContain('Action réservée au gestionnaire principal de la structure.');
    const grant = await gp(
      'habilitation',
      'grant',
      AGENT,
      '--structure',
      PAU,
      '--profile',
      'VALIDATION_ABONNEMENTS',
    );
    expect(grant.code).toBe(0);
    expect(grant.stderr).toContain(
      `Habilitation n° 2 (VALIDATION_ABONNEMENTS) accordée à ${AGENT}.`,
    );

    const list = await corr('--json', 'habilitation', 'list', '--structure', PAU);
    expect(
      json(list).map((h: { profile: string; status: string }) => `${h.profile} ${h.status}`),
    ).toEqual(['CONSULTATION_UTILISATEURS VALIDEE', 'VALIDATION_ABONNEMENTS VALIDEE']);

    const all = await agent('habilitation', 'remove-all', '--structure', PAU);
    expect(all.code).toBe(0);
    expect(all.stderr).toContain('2 habilitations supprimées.');
    expect(json(await agent('--json', 'habilitation', 'list'))).toEqual([]);
  });
});

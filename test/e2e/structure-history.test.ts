import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import {
  BORDEAUX,
  HEAVY,
  PAU,
  PAULINE,
  attach,
  clis,
  createAccounts,
  initStore,
  insertStructures,
  json,
  withDb,
} from './fixtures.js';

/** Issue 17 point 6: `audit list --structure S`, the history of S for its GP and those who see its users. */

const GP = 'gp@mairie-pau.fr';
const CU = 'cu@mairie-pau.fr';
const USER = 'agent@mairie-pau.fr';
const GPB = 'gp@bordeaux.fr';
const NOW = '2026-03-11T10:00:00.000Z';

interface Entry {
  actor: string;
  action: string;
  target: string;
  outcome: string;
  reason: string | null;
}

describe.each(DIALECTS)('a structure’s history (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;

  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location, { now: NOW });
    cli = clis(fresh.location, { now: NOW });
    await createAccounts(fresh.location, [PAULINE, GP, CU, USER, GPB], { now: NOW });
    const { pau, bordeaux } = await insertStructures(fresh.location);
    await withDb(fresh.location, async (db) => {
      await attach(db, GP, pau, 'GESTIONNAIRE_PRINCIPAL');
      await attach(db, CU, pau, 'UTILISATEUR');
      await attach(db, USER, pau, 'UTILISATEUR');
      await attach(db, GPB, bordeaux, 'GESTIONNAIRE_PRINCIPAL');
    });
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  const ok = async (r: Promise<{ code: number | null; stderr: string }>) => {
    const done = await r;
    expect(done.code, done.stderr).toBe(0);
  };

  /** What happens on Pau and on Bordeaux: the history of Pau must hold Pau's only. */
  const story = async () => {
    await ok(
      cli.as(GP)(
        'habilitation',
        'grant',
        CU,
        '--structure',
        PAU.identifier,
        '--profile',
        'CONSULTATION_UTILISATEURS',
      ),
    );
    await ok(
      cli.as(GP)('structure', 'service', 'add', PAU.identifier, 'FIN', '--libelle', 'Finances'),
    );
    const asked = await cli.as(PAULINE)(
      'attachment',
      'request',
      PAU.identifier,
      '--comment',
      'Régie',
      '--json',
    );
    expect(asked.code).toBe(0);
    const id = String(json<{ id: number }>(asked).id);
    await ok(cli.as(GP)('attachment', 'approve', id, '--reason', 'Vu avec le DGS'));
    // elsewhere: Bordeaux, and an account's own change
    await ok(cli.as(PAULINE)('attachment', 'request', BORDEAUX.identifier, '--comment', 'x'));
    await ok(
      cli.as(GPB)('structure', 'service', 'add', BORDEAUX.identifier, 'FIN', '--libelle', 'F'),
    );
    await ok(cli.corr('account', 'edit', PAULINE, '--ville', 'Pau'));
    return id;
  };

  it('the GP reads the entries about its structure, its services, attachments and habilitations', async () => {
    const id = await story();
    const r = await cli.as(GP)('audit', 'list', '--structure', PAU.identifier, '--json');
    expect(r.code, r.stderr).toBe(0);
    const entries = json<Entry[]>(r);
    expect(entries.map((e) => [e.action, e.target.replace(/:\d+$/, ':N')])).toEqual([
      ['attachment.approve', 'attachment:N'],
      ['attachment.request', 'attachment:N'],
      ['service.add', `service:SIRET:${PAU.identifier}/FIN`],
      ['habilitation.grant', 'habilitation:N'],
    ]);
    expect(entries[0]).toMatchObject({
      target: `attachment:${id}`,
      actor: GP,
      reason: 'Vu avec le DGS',
    });

    // the holder of CONSULTATION_UTILISATEURS reads the same; so does a correspondent in scope
    const byCu = await cli.as(CU)(
      'audit',
      'list',
      '--structure',
      `SIRET:${PAU.identifier}`,
      '--json',
    );
    expect(byCu.code, byCu.stderr).toBe(0);
    expect(json<Entry[]>(byCu)).toEqual(entries);
    const byCorr = await cli.corr('audit', 'list', '--structure', PAU.identifier, '--json');
    expect(json<Entry[]>(byCorr)).toEqual(entries);
    // the table fits 80 columns
    const table = await cli.as(GP)('audit', 'list', '--structure', PAU.identifier);
    expect(table.code).toBe(0);
    for (const line of table.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('a plain user, another structure’s GP and a refused attempt: 4, recorded as refused', async () => {
    await story();
    for (const who of [USER, GPB, PAULINE]) {
      const r = await cli.as(who)('audit', 'list', '--structure', PAU.identifier, '--json');
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
    }
    // the whole log stays the correspondents'
    expect((await cli.as(GP)('audit', 'list')).code).toBe(4);
    const refused = json<Entry[]>(
      await cli.corr('audit', 'list', '--action', 'audit.structure', '--json'),
    );
    expect(refused.map((e) => [e.actor, e.outcome])).toEqual([
      [PAULINE, 'REFUSED'],
      [GPB, 'REFUSED'],
      [USER, 'REFUSED'],
    ]);
    // an unknown structure is not found (3)
    expect((await cli.as(GP)('audit', 'list', '--structure', '99999999999999')).code).toBe(3);
  });
});

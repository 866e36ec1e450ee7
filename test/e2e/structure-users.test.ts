import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { HEAVY, auditLog, clis, initStore, json } from './fixtures.js';

/**
 * Issue 17, points 5 and 7 end to end: a holder asking for a space on a service it does not
 * belong to; the GP exporting its structure's users with their rights.
 */

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const PAU = '21640445900010';
const PAULINE = 'pauline.dufour@mairie-pau.fr'; // GP of PAU (MADRHAS fixture)
const JEAN = 'jean.martin@mairie-pau.fr'; // attached to PAU's SERV-CULT and SERV-ETAT-CIVIL
const ENV = { now: '2026-03-10T09:00:00.000Z' };

describe.each(DIALECTS)('structure users and subscriptions by service (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location);
    const { corr } = clis(fresh.location, ENV);
    expect((await corr('structure', 'import', path.join(FIXTURES, 'annuaire.csv'))).code).toBe(1); // two bad rows
    expect(
      (await corr('structure', 'import-services', path.join(FIXTURES, 'services.csv'))).code,
    ).toBe(1); // bad rows too
    expect((await corr('sync', 'madrhas', path.join(FIXTURES, 'madrhas.csv'))).code).toBe(1);
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('a holder asks for a space on a service it does not belong to: 4, audited as refused', async () => {
    const { as } = clis(fresh.location, ENV);
    const jean = as(JEAN);

    const other = await jean(
      'subscription',
      'request',
      PAU,
      'FACTURES_TRAVAUX',
      '--service',
      'FACTURES',
    );
    expect(other.code).toBe(4);
    expect(other.stdout).toBe('');

    const whole = await jean('subscription', 'request', PAU, 'FACTURES_TRAVAUX');
    expect(whole.code).toBe(4);

    const own = await jean(
      'subscription',
      'request',
      PAU,
      'FACTURES_TRAVAUX',
      '--service',
      'SERV-CULT',
    );
    expect(own.code).toBe(0);

    // an attachment to the whole structure covers every service
    const gp = await as(PAULINE)(
      'subscription',
      'request',
      PAU,
      'FACTURES_TRAVAUX',
      '--service',
      'FACTURES',
    );
    expect(gp.code).toBe(0);

    const log = await auditLog(fresh.location);
    expect(
      log
        .filter((e) => e.action === 'subscription.request')
        .map((e) => `${e.actor} ${e.outcome}`)
        .sort(),
    ).toEqual([`${JEAN} OK`, `${JEAN} REFUSED`, `${JEAN} REFUSED`, `${PAULINE} OK`]);
  });

  it('the GP exports its users with their rights, as CSV and JSON', async () => {
    const { as } = clis(fresh.location, ENV);
    const gp = as(PAULINE);
    const jean = as(JEAN);
    const req = await jean(
      '--json',
      'subscription',
      'request',
      PAU,
      'FACTURES_TRAVAUX',
      '--service',
      'SERV-CULT',
    );
    expect(req.code).toBe(0);
    expect((await gp('subscription', 'approve', String(json(req).id))).code).toBe(0);
    const granted = await gp(
      'habilitation',
      'grant',
      JEAN,
      '--structure',
      PAU,
      '--service',
      'SERV-CULT',
      '--profile',
      'CONSULTATION_UTILISATEURS',
    );
    expect(granted.code).toBe(0);

    const csv = await gp('structure', 'users', PAU, '--format', 'csv');
    expect(csv.code).toBe(0);
    const lines = csv.stdout.split('\r\n');
    expect(lines[0]).toBe(
      'login;lastName;firstName;email;accountStatus;role;status;services;dateStart;dateEnd;habilitations;spaces',
    );
    expect(lines.find((l) => l.startsWith(`${JEAN};`))).toBe(
      `${JEAN};MARTIN;Jean;${JEAN};ACTIF;UTILISATEUR;VALIDEE;SERV-CULT,SERV-ETAT-CIVIL;2024-02-01;2026-12-31;` +
        'CONSULTATION_UTILISATEURS:SERV-CULT;' +
        'MON_COMPTE:SERV-CULT*,FACTURES_EMISES:SERV-CULT*,FACTURES_RECUES:SERV-CULT*,FACTURES_TRAVAUX:SERV-CULT,' +
        'MON_COMPTE:SERV-ETAT-CIVIL*,FACTURES_EMISES:SERV-ETAT-CIVIL*,FACTURES_RECUES:SERV-ETAT-CIVIL*',
    );
    expect(lines.find((l) => l.startsWith(`${PAULINE};`))).toMatch(
      /;GESTIONNAIRE_PRINCIPAL;VALIDEE;;2024-01-01;;;MON_COMPTE\*,FACTURES_EMISES\*,FACTURES_RECUES\*,ACTIVITES_GESTIONNAIRE\*$/,
    );

    const out = await gp('--json', 'structure', 'users', PAU);
    expect(out.code).toBe(0);
    const users = json<{ login: string; habilitations: string[]; spaces: unknown[] }[]>(out);
    const j = users.find((u) => u.login === JEAN)!;
    expect(j.habilitations).toEqual(['CONSULTATION_UTILISATEURS:SERV-CULT']);
    expect(j.spaces).toContainEqual({
      space: 'FACTURES_TRAVAUX',
      service: 'SERV-CULT',
      default: false,
    });
    expect(j.spaces).toContainEqual({
      space: 'MON_COMPTE',
      service: 'SERV-ETAT-CIVIL',
      default: true,
    });
    expect(users.find((u) => u.login === PAULINE)!.spaces).toEqual([
      { space: 'MON_COMPTE', service: null, default: true },
      { space: 'FACTURES_EMISES', service: null, default: true },
      { space: 'FACTURES_RECUES', service: null, default: true },
      { space: 'ACTIVITES_GESTIONNAIRE', service: null, default: true },
    ]);

    // a table fits 80 columns; --wide shows the rights
    const narrow = await gp('structure', 'users', PAU);
    expect(narrow.code).toBe(0);
    for (const line of narrow.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    const wide = await gp('--wide', 'structure', 'users', PAU);
    expect(wide.stdout).toContain('Consultation');
    expect(wide.stdout).toContain('Mon compte* (SERV-CULT)');
  });
});

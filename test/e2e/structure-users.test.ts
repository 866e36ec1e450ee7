import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { HEAVY, auditLog, clis, initStore } from './fixtures.js';

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
});

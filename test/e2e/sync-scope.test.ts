import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { HEAVY, clis, count, json, withDb, type Cli } from './fixtures.js';

/**
 * Issue 14, points 1 and 2, replayed as the attacker did (SPEC 8.1, 6): a region's store with a
 * Pyrénées-Atlantiques (64) and a Gironde (33) correspondent. A 64 file never reaches a Gironde
 * account; a full sync ends only what lies in its scope, and two files do not undo each other.
 */

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');

const NATIONAL = 'national@dgfip.finances.gouv.fr';
const C64 = 'corr64@dgfip.finances.gouv.fr';
const C33 = 'corr33@dgfip.finances.gouv.fr';
const PAU = '21640445900010';
const BORDEAUX = '21330063500017';

/** Gironde's GP, attached to a Bordeaux structure only. */
const GP33 = 'gp33@mairie-bordeaux.fr';
const USER33 = 'user33@mairie-bordeaux.fr';
/** Attached in Pau and in Bordeaux. */
const BOTH = 'both@agglo.fr';
/** A Gironde account with a mere pending request to a Pau structure. */
const PENDING33 = 'pending33@mairie-bordeaux.fr';
const AGENT64 = 'agent64@mairie-pau.fr';

const HEADER =
  'IDENTIFIANT_CONNEXION;CIVILITE;NOM;PRENOM;COURRIEL_CONTACT;TELEPHONE;TYPE_IDENTIFIANT_STRUCTURE;IDENTIFIANT_STRUCTURE;CODE_SERVICE;ROLE;DATE_DEBUT;DATE_FIN;STATUT_COMPTE';
const row = (
  login: string,
  structure: string,
  o: Partial<{ nom: string; email: string; role: string; statut: string }> = {},
) =>
  `${login};M.;${o.nom ?? 'AGENT'};Paul;${o.email ?? login};;SIRET;${structure};;${o.role ?? 'UTILISATEUR'};01/01/2024;;${o.statut ?? 'ACTIF'}`;

const FILE64 = [row(AGENT64, PAU)];
const FILE33 = [
  row(GP33, BORDEAUX, { role: 'GESTIONNAIRE_PRINCIPAL' }),
  row(USER33, BORDEAUX),
  row(BOTH, BORDEAUX),
  row(PENDING33, BORDEAUX),
];
const OUT64 =
  'IDENTIFIANT_CONNEXION : compte hors de votre périmètre (départements 64) : un fichier n’atteint pas les comptes d’un autre département';

type Summary = Record<string, number> & { sample: { line: number; errors: string[] }[] };
type Account = {
  login: string;
  status: string;
  lastName: string;
  email: string;
  attachments: { structure: string; role: string; status: string }[];
};

describe.each(DIALECTS)('sync madrhas within the scope (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let as: (login: string) => Cli;
  let step = 0;

  const file = (...lines: string[]): string => {
    const p = path.join(fresh.dir, `madrhas-${step++}.csv`);
    fs.writeFileSync(p, [HEADER, ...lines].map((l) => `${l}\r\n`).join(''));
    return p;
  };
  const sync = async (actor: string, lines: string[], ...args: string[]) => {
    const r = await as(actor)('sync', 'madrhas', file(...lines), '--json', ...args);
    return { ...r, summary: json<Summary>(r) };
  };
  const show = async (login: string): Promise<Account> => {
    const r = await as(NATIONAL)('account', 'show', login, '--json');
    expect(r.code, r.stderr).toBe(0);
    const account = json<Account>(r);
    account.attachments.sort((a, b) => a.structure.localeCompare(b.structure));
    return account;
  };
  const attachments = async (login: string) =>
    (await show(login)).attachments.map((a) => `${a.structure} ${a.status}`);

  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    const c = clis(fresh.location);
    as = c.as;
    const ok = (r: { code: number | null; stderr: string }) => expect(r.code, r.stderr).toBe(0);
    ok(
      await c.cli(
        'init',
        '--correspondent',
        NATIONAL,
        '--email',
        NATIONAL,
        '--nom',
        'NATIONAL',
        '--prenom',
        'Nina',
        '--scope',
        '*',
      ),
    );
    expect(
      (await as(NATIONAL)('structure', 'import', path.join(FIXTURES, 'annuaire.csv'))).code,
    ).toBe(1); // two rows of the fixture are rejected by design
    expect(
      (await as(NATIONAL)('structure', 'import-services', path.join(FIXTURES, 'services.csv')))
        .code,
    ).toBe(1); // three rows too
    for (const [login, scope] of [
      [C64, '64'],
      [C33, '33'],
    ] as const)
      ok(
        await as(NATIONAL)(
          'account',
          'create',
          login,
          '--email',
          login,
          '--nom',
          'CORRESPONDANT',
          '--prenom',
          'Cora',
          '--correspondent',
          '--scope',
          scope,
        ),
      );
    // the region as the national correspondent synced it
    const seeded = await sync(NATIONAL, [...FILE33, row(BOTH, PAU), ...FILE64], '--mode', 'delta');
    expect(seeded.code, seeded.stderr).toBe(0);
    ok(
      await as(PENDING33)(
        'attachment',
        'request',
        PAU,
        '--comment',
        'je gère aussi la régie de Pau',
      ),
    );
  }, HEAVY.timeout);
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('a 64 file cannot rename, re-address, attach or deactivate Gironde’s GP: 1, the rows in the rejects report, the account as it was', async () => {
    const before = await show(GP33);
    const user33 = await show(USER33);
    const rejects = path.join(fresh.dir, 'rejets.csv');
    const r = await sync(
      C64,
      [
        row(GP33, PAU, { nom: 'PIRATE', email: 'pirate@evil.example' }),
        row(USER33, PAU, { statut: 'INACTIF' }),
        ...FILE64,
      ],
      '--mode',
      'delta',
      '--rejects',
      rejects,
    );
    expect(r.code).toBe(1);
    expect(r.summary).toMatchObject({ rejected: 2, updated: 0, attachmentsAdded: 0 });
    expect(r.summary.sample).toEqual([
      { line: 2, errors: [OUT64] },
      { line: 3, errors: [OUT64] },
    ]);
    const report = fs.readFileSync(rejects, 'utf8');
    expect(report).toContain(`${GP33};`);
    expect(report).toContain(`${USER33};`);
    expect(report.split(OUT64).length - 1).toBe(2);
    expect(await show(GP33)).toEqual(before);
    expect(await show(USER33)).toEqual(user33);
    // and no credentials for the outside address: the 64 correspondent may not send them
    expect((await as(C64)('account', 'resend-credentials', GP33)).code).toBe(4);
    expect(
      await withDb(fresh.location, (db) =>
        db
          .selectFrom('notification')
          .select('toAddress')
          .where('toAddress', '=', 'pirate@evil.example')
          .execute(),
      ),
    ).toEqual([]);
  });

  it('the same rows in full mode: rejected, and nothing outside the scope ends', async () => {
    const before = await Promise.all([GP33, USER33, BOTH, PENDING33].map(show));
    const r = await sync(C64, [
      row(GP33, PAU, { nom: 'PIRATE', email: 'pirate@evil.example' }),
      row(USER33, PAU, { statut: 'INACTIF' }),
      row(BOTH, PAU),
      ...FILE64,
    ]);
    expect(r.code).toBe(1);
    expect(r.summary).toMatchObject({ rejected: 2, deactivated: 0, attachmentsEnded: 0 });
    expect(await Promise.all([GP33, USER33, BOTH, PENDING33].map(show))).toEqual(before);
  });

  it('full syncs of 64 and 33 end only their own attachments; played again, nothing moves and nobody is told', async () => {
    const mails = await count(fresh.location, 'notification');
    // the 33 file lists only the Bordeaux row of the account attached in both: its Pau attachment stays
    const first33 = await sync(C33, FILE33);
    expect(first33.code, first33.stderr).toBe(0);
    expect(first33.summary).toMatchObject({ deactivated: 0, attachmentsEnded: 0 });
    expect(await attachments(BOTH)).toEqual([`SIRET:${BORDEAUX} VALIDEE`, `SIRET:${PAU} VALIDEE`]);
    // the 64 file without it: its Pau attachment ends, its Bordeaux one holds it active
    const first64 = await sync(C64, FILE64);
    expect(first64.code, first64.stderr).toBe(0);
    expect(first64.summary).toMatchObject({ deactivated: 0, attachmentsEnded: 1 });
    expect(await show(BOTH)).toMatchObject({ status: 'ACTIF' });
    expect(await attachments(BOTH)).toEqual([
      `SIRET:${BORDEAUX} VALIDEE`,
      `SIRET:${PAU} DESACTIVEE`,
    ]);
    // a mere pending request to a Pau structure does not make a Gironde account the 64 file's to end
    expect(await show(PENDING33)).toMatchObject({ status: 'ACTIF' });
    expect(await attachments(PENDING33)).toEqual([
      `SIRET:${BORDEAUX} VALIDEE`,
      `SIRET:${PAU} EN_COURS_DE_VALIDATION`,
    ]);
    expect(await show(GP33)).toMatchObject({ status: 'ACTIF' });
    expect(await count(fresh.location, 'notification')).toBe(mails);

    const settled = await Promise.all([GP33, USER33, BOTH, PENDING33, AGENT64].map(show));
    for (const [actor, lines] of [
      [C33, FILE33],
      [C64, FILE64],
    ] as const) {
      const again = await sync(actor, lines);
      expect(again.code, again.stderr).toBe(0);
      expect(again.summary).toMatchObject({
        updated: 0,
        deactivated: 0,
        reactivated: 0,
        attachmentsAdded: 0,
        attachmentsChanged: 0,
        attachmentsEnded: 0,
      });
    }
    expect(await Promise.all([GP33, USER33, BOTH, PENDING33, AGENT64].map(show))).toEqual(settled);
    expect(await count(fresh.location, 'notification')).toBe(mails);
  });
});

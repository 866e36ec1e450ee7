import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { run } from '../helpers/cli.js';
import { attach, clis, HEAVY, json, withDb, type AuditEntry } from './fixtures.js';

/**
 * Issue 14 points 10, 11, 18 and 3, replayed as the attacker did, in a region on one store: a
 * national correspondent, the correspondents of the 64 and the 33 (and of the 2A, 971, 40), and
 * structures in the 64, the 33, the 2A and abroad (DE, postal code 64000).
 */

const NAT = 'national@dgfip.finances.gouv.fr';
const C64 = 'ddfip64@dgfip.finances.gouv.fr';
const C33 = 'ddfip33@dgfip.finances.gouv.fr';
const OTHERS = {
  '2A': 'ddfip2a@dgfip.finances.gouv.fr',
  '971': 'ddfip971@dgfip.finances.gouv.fr',
  '40': 'ddfip40@dgfip.finances.gouv.fr',
};
const USER64 = 'agent@ville-pau.fr';
const GP33 = 'gp33@bordeaux.fr';
const USER_DE = 'kontakt@stadt.de';
const USER_2A = 'agent@ajaccio.fr';
const VA1 = 'va1@ville-pau.fr';
const VA2 = 'va2@ville-pau.fr';
const GP64 = 'gp@ville-pau.fr';

const PAU = 'SIRET:21640445900010';
const BDX = 'SIRET:21330063500017';
const HEADER = 'TypeIdentifiant;Identifiant;RaisonSociale;CodePostal;Ville;CodePays';
const ROWS = {
  pau: 'SIRET;21640445900010;COMMUNE DE PAU;64000;PAU;FR',
  bdx: 'SIRET;21330063500017;COMMUNE DE BORDEAUX;33000;BORDEAUX;FR',
  ajaccio: 'AUTRE;AJACCIO-2A;COMMUNE D’AJACCIO;20000;AJACCIO;FR',
  de: 'UE_HORS_FRANCE;DE811128135;STADT MÜNCHEN;64000;MÜNCHEN;DE',
};

describe.each(DIALECTS)('scope: one rule, held everywhere (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;
  const csv = (name: string, ...rows: string[]) => {
    const file = path.join(fresh.dir, name);
    fs.writeFileSync(file, [HEADER, ...rows, ''].join('\n'));
    return file;
  };
  const ok = async (p: Promise<{ code: number | null; stderr: string }>) => {
    const r = await p;
    expect(r.code, r.stderr).toBe(0);
    return r;
  };
  const create = (login: string, ...extra: string[]) =>
    ok(
      cli.as(NAT)(
        'account',
        'create',
        login,
        '--email',
        login,
        '--nom',
        'NOM',
        '--prenom',
        'Prénom',
        ...extra,
      ),
    );
  /** The audit log, newest first, as the national correspondent reads it. */
  const auditLog = async () => {
    const r = await cli.as(NAT)('audit', 'list', '--limit', '0', '--json');
    expect(r.code, r.stderr).toBe(0);
    return json<AuditEntry[]>(r);
  };
  const departementOf = (identifier: string) =>
    withDb(fresh.location, async (db) => {
      const s = await db
        .selectFrom('structure')
        .select(['departement', 'postalCode'])
        .where('identifier', '=', identifier)
        .executeTakeFirstOrThrow();
      return s;
    });

  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    cli = clis(fresh.location);
    const init = await run([
      '--db',
      fresh.location,
      'init',
      '--correspondent',
      NAT,
      '--email',
      NAT,
      '--nom',
      'NATIONAL',
      '--prenom',
      'Nadia',
      '--scope',
      '*',
    ]);
    expect(init.code, init.stderr).toBe(0);
    await create(C64, '--correspondent', '--scope', '64');
    await create(C33, '--correspondent', '--scope', '33');
    for (const [dep, login] of Object.entries(OTHERS))
      await create(login, '--correspondent', '--scope', dep);
    await ok(
      cli.as(NAT)(
        'structure',
        'import',
        csv('region.csv', ROWS.pau, ROWS.bdx, ROWS.ajaccio, ROWS.de),
      ),
    );
    for (const login of [USER64, GP33, USER_DE, USER_2A, VA1, VA2, GP64]) await create(login);
    await withDb(fresh.location, async (db) => {
      const id = async (identifier: string) =>
        (
          await db
            .selectFrom('structure')
            .select('id')
            .where('identifier', '=', identifier)
            .executeTakeFirstOrThrow()
        ).id;
      const [pau, bdx, ajaccio, de] = [
        await id('21640445900010'),
        await id('21330063500017'),
        await id('AJACCIO-2A'),
        await id('DE811128135'),
      ];
      await attach(db, USER64, pau);
      await attach(db, GP33, bdx, 'GESTIONNAIRE_PRINCIPAL');
      await attach(db, USER_DE, de);
      await attach(db, USER_2A, ajaccio);
      await attach(db, GP64, pau, 'GESTIONNAIRE_PRINCIPAL');
      for (const login of [VA1, VA2]) {
        await attach(db, login, pau);
        const { id: accountId } = await db
          .selectFrom('account')
          .select('id')
          .where('login', '=', login)
          .executeTakeFirstOrThrow();
        await db
          .insertInto('habilitation')
          .values({
            accountId,
            structureId: pau,
            serviceId: null,
            profile: 'VALIDATION_ABONNEMENTS',
            status: 'VALIDEE',
            requestedAt: '2026-01-01T00:00:00.000Z',
            decidedAt: '2026-01-01T00:00:00.000Z',
            createdAt: '2026-01-01T00:00:00.000Z',
            updatedAt: '2026-01-01T00:00:00.000Z',
          })
          .execute();
      }
    });
  }, HEAVY.timeout);
  afterEach(async () => {
    await fresh.cleanup();
  });

  describe('point 10: the scope is computed one way', () => {
    it('the user of a DE structure with postal code 64000 is the scope *’s only, for the rights and the lists', async () => {
      expect(await departementOf('DE811128135')).toEqual({
        departement: null,
        postalCode: '64000',
      });
      const deactivate = await cli.as(C64)('account', 'deactivate', USER_DE, '--yes');
      expect(deactivate.code).toBe(4);
      expect(deactivate.stderr).toContain('hors de votre périmètre');
      const listed = json<{ items: { login: string }[] }>(
        await cli.as(C64)('account', 'list', '--json'),
      );
      const logins = (listed.items ?? (listed as unknown as { login: string }[])).map(
        (a) => a.login,
      );
      expect(logins).not.toContain(USER_DE);
      expect(logins).toContain(USER64);
      // the national correspondent reaches it
      await ok(cli.as(NAT)('account', 'deactivate', USER_DE, '--yes'));
    });

    it('the 64 correspondent lists and exports neither the other correspondents nor their credentials', async () => {
      const listed = await cli.as(C64)('account', 'list', '--json');
      expect(listed.code).toBe(0);
      for (const other of [C33, NAT, ...Object.values(OTHERS)])
        expect(listed.stdout).not.toContain(other);

      const out = path.join(fresh.dir, 'sortie');
      fs.mkdirSync(out);
      const exported = await cli.as(C64)('notification', 'export', '--to', out);
      expect(exported.code, exported.stderr).toBe(0);
      const written = fs.readdirSync(out).map((f) => fs.readFileSync(path.join(out, f), 'utf8'));
      for (const other of [C33, NAT, ...Object.values(OTHERS)])
        expect(written.join('\n')).not.toContain(other);
      expect(written.join('\n')).toContain(USER64);
      // their messages are still waiting for their own correspondents
      const unsent = await withDb(fresh.location, (db) =>
        db
          .selectFrom('notification')
          .innerJoin('account', 'account.id', 'notification.accountId')
          .select('account.login')
          .where('notification.sentAt', 'is', null)
          .execute(),
      );
      expect(unsent.map((r) => r.login)).toEqual(
        expect.arrayContaining([C33, ...Object.values(OTHERS)]),
      );
      const theirs = await cli.as(C33)('notification', 'list', '--pending', '--json');
      expect(theirs.stdout).toContain(GP33);
      expect(theirs.stdout).not.toContain(USER64);
    });
  });

  describe('point 11: only the GP decides habilitation requests', () => {
    it('two holders of VALIDATION_ABONNEMENTS cannot approve each other; the GP can', async () => {
      const asked = await cli.as(VA2)(
        'habilitation',
        'request',
        '--structure',
        PAU,
        '--profile',
        'MODIFICATION_STRUCTURE',
        '--json',
      );
      expect(asked.code, asked.stderr).toBe(0);
      const id = String(json<{ id: number }>(asked).id);
      const byPeer = await cli.as(VA1)('habilitation', 'approve', id);
      expect(byPeer.code).toBe(4);
      const [refused] = await auditLog();
      expect(refused).toMatchObject({ actor: VA1, outcome: 'REFUSED' });
      const byGp = await cli.as(GP64)('habilitation', 'approve', id);
      expect(byGp.code, byGp.stderr).toBe(0);
    });
  });

  describe('point 18: no probing', () => {
    it('a holder gets 3 for an account it may not read, exactly as for an unknown login; audited as refused', async () => {
      const unknown = await cli.as(USER64)('account', 'show', 'personne@nulle-part.fr');
      const existing = await cli.as(USER64)('account', 'show', GP33);
      expect(unknown.code).toBe(3);
      expect(existing.code).toBe(3);
      expect(existing.stdout).toBe('');
      expect(existing.stderr).toBe(unknown.stderr.replace('personne@nulle-part.fr', GP33));
      const [refused] = await auditLog();
      expect(refused).toMatchObject({
        actor: USER64,
        action: 'account.read',
        target: `account:${GP33}`,
        outcome: 'REFUSED',
      });
      for (const args of [
        ['account', 'edit', GP33, '--ville', 'Pau'],
        ['file', 'list', '--account', GP33],
        ['attachment', 'list', '--account', GP33],
        ['habilitation', 'list', '--account', GP33],
      ]) {
        const r = await cli.as(USER64)(...args);
        expect(r.code, args.join(' ')).toBe(3);
        expect(r.stderr, args.join(' ')).toBe(existing.stderr);
      }
      // a correspondent-only act: the same refusal for any login
      const a = await cli.as(USER64)('account', 'deactivate', GP33, '--yes');
      const b = await cli.as(USER64)('account', 'deactivate', 'personne@nulle-part.fr', '--yes');
      expect([a.code, b.code]).toEqual([4, 4]);
      expect(a.stderr).toBe(b.stderr);
    });

    it('a correspondent keeps its 4 for an account outside its scope', async () => {
      const r = await cli.as(C64)('account', 'show', GP33);
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('hors de votre périmètre');
      expect((await cli.as(C64)('account', 'show', 'personne@nulle-part.fr')).code).toBe(3);
    });
  });

  describe('point 3: an import moves no structure into one’s scope', () => {
    const summary = (r: { stdout: string }) =>
      json<{
        created: number;
        updated: number;
        unchanged: number;
        outOfScope: number;
        rejected: number;
      }>(r as never);

    it('Bordeaux moved to 64000 by the 64 correspondent: skipped, outOfScope, and Gironde stays out of reach', async () => {
      const moved = ROWS.bdx.replace('33000', '64000');
      const r = await cli.as(C64)('structure', 'import', csv('bdx.csv', moved), '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(summary(r)).toMatchObject({ updated: 0, outOfScope: 1, rejected: 0 });
      expect(await departementOf('21330063500017')).toEqual({
        departement: '33',
        postalCode: '33000',
      });
      expect((await cli.as(C64)('account', 'delete', GP33, '--yes')).code).toBe(4);
      expect((await cli.as(C64)('account', 'edit', GP33, '--ville', 'Pau')).code).toBe(4);
      // the summary for people names the count
      const table = await cli.as(C64)('structure', 'import', csv('bdx2.csv', moved));
      expect(table.stdout).toMatch(/^Hors périmètre +1$/m);
    });

    it('an empty CodePostal, a foreign country: no structure leaves a scope the actor does not both cover', async () => {
      const emptied = ROWS.pau.replace('64000', '');
      const abroad = ROWS.pau.replace(';FR', ';DE');
      const r = await cli.as(C64)('structure', 'import', csv('pau.csv', emptied), '--json');
      expect(summary(r)).toMatchObject({ updated: 0, outOfScope: 1 });
      const r2 = await cli.as(C33)('structure', 'import', csv('pau2.csv', abroad), '--json');
      expect(summary(r2)).toMatchObject({ updated: 0, outOfScope: 1 });
      expect(await departementOf('21640445900010')).toEqual({
        departement: '64',
        postalCode: '64000',
      });
      // the DE structure is the scope *'s: the 64 correspondent changes nothing of it
      const de = await cli.as(C64)(
        'structure',
        'import',
        csv('de.csv', ROWS.de.replace('MÜNCHEN;DE', 'MUNICH;DE')),
        '--json',
      );
      expect(summary(de)).toMatchObject({ updated: 0, outOfScope: 1 });
    });

    it('creates unknown structures anywhere, updates its own, and moves one between départements it both covers', async () => {
      const r = await cli.as(C64)(
        'structure',
        'import',
        csv(
          'mix.csv',
          ROWS.pau.replace(';PAU;', ';PAU CEDEX;'),
          'AUTRE;ARCACHON-33;COMMUNE D’ARCACHON;33120;ARCACHON;FR',
          ROWS.bdx,
        ),
        '--json',
      );
      expect(summary(r)).toMatchObject({ created: 1, updated: 1, unchanged: 1, outOfScope: 0 });
      expect(await departementOf('ARCACHON-33')).toEqual({
        departement: '33',
        postalCode: '33120',
      });
      await create('ddfip3364@dgfip.finances.gouv.fr', '--correspondent', '--scope', '33,64');
      const both = await cli.as('ddfip3364@dgfip.finances.gouv.fr')(
        'structure',
        'import',
        csv('move.csv', ROWS.bdx.replace('33000', '64100')),
        '--json',
      );
      expect(summary(both)).toMatchObject({ updated: 1, outOfScope: 0 });
      expect(await departementOf('21330063500017')).toEqual({
        departement: '64',
        postalCode: '64100',
      });
    });

    it('import-services skips the services of a structure outside the scope', async () => {
      const file = path.join(fresh.dir, 'services.csv');
      fs.writeFileSync(
        file,
        [
          'TypeIdentifiant;Identifiant;CodeService;LibelleService',
          `SIRET;21330063500017;FINANCES;Direction des finances`,
          `SIRET;21640445900010;CULTURE;Service culturel`,
          '',
        ].join('\n'),
      );
      const r = await cli.as(C64)('structure', 'import-services', file, '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(summary(r)).toMatchObject({ created: 1, outOfScope: 1 });
      const shown = await cli.as(C64)('structure', 'show', BDX, '--json');
      expect(shown.stdout).not.toContain('FINANCES');
    });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import {
  HEAVY,
  BORDEAUX,
  CORR,
  PAU,
  PAULINE,
  attach,
  auditLog,
  clis,
  count,
  createAccount,
  initStore,
  insertStructures,
  json,
  withDb,
} from './fixtures.js';

/** `account …` end to end (SPEC 6–7): every command, its results and its exit codes. */

const HELENE = 'helene.lefevre@mairie-pau.fr';
const MARC = 'marc.etcheverry@mairie-pau.fr';
const BOB = 'bob.durand@mairie-bordeaux.fr';

type Account = {
  login: string;
  status: string;
  kind: string;
  scope: string[] | null;
  attachments?: { structure: string; status: string }[];
} & Record<string, unknown>;
const logins = (r: { stdout: string }) => (JSON.parse(r.stdout) as Account[]).map((a) => a.login);

describe.each(DIALECTS)('account (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;
  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location);
    cli = clis(fresh.location);
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  describe('create', () => {
    it('creates the account (0), prints it as JSON, queues its credentials message and audits it', async () => {
      const r = await cli.corr(
        'account',
        'create',
        'Pauline.Dufour@Mairie-Pau.fr',
        '--email',
        'Pauline.Dufour@Mairie-Pau.fr',
        '--nom',
        'DUFOUR',
        '--prenom',
        'Pauline',
        '--telephone',
        '05.59.27.85.80',
        '--civilite',
        'madame',
        '--json',
      );
      expect(r.stderr).toBe(
        `✔ Compte ${PAULINE} créé ; message d’identifiants mis en file d’envoi.\n`,
      );
      expect(r.code).toBe(0);
      expect(json(r)).toMatchObject({
        login: PAULINE,
        email: PAULINE,
        status: 'ACTIF',
        kind: 'user',
        scope: null,
        title: 'Mme',
        phone: '05 59 27 85 80',
        source: 'MANUEL',
        completedAt: null,
      });

      const mails = await withDb(fresh.location, (db) =>
        db
          .selectFrom('notification')
          .innerJoin('account', 'account.id', 'notification.accountId')
          .select([
            'account.login',
            'notification.event',
            'notification.fromAddress',
            'notification.toAddress',
            'notification.subject',
            'notification.body',
            'notification.sentAt',
          ])
          .execute(),
      );
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({
        login: PAULINE,
        event: 'ACCOUNT_CREATED',
        fromAddress: 'noreply@dgfip.finances.gouv.fr',
        toAddress: PAULINE,
        sentAt: null,
      });
      expect(mails[0]!.body).toContain(`Votre identifiant de connexion : ${PAULINE}`);

      const [last] = await auditLog(fresh.location);
      expect(last).toMatchObject({
        actor: CORR,
        action: 'account.create',
        target: `account:${PAULINE}`,
        outcome: 'OK',
      });
      expect(last!.changes.lastName).toEqual({ before: null, after: 'DUFOUR' });
    });

    it('names every missing required option with 5', async () => {
      const r = await cli.corr('account', 'create', PAULINE, '--nom', 'DUFOUR');
      expect(r.code).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Saisie invalide : rien n’a été enregistré.');
      expect(r.stderr).not.toContain('{values}');
      expect(r.stderr).toContain('- --email: obligatoire');
      expect(r.stderr).toContain('- --prenom: obligatoire');
      expect(r.stderr).not.toContain('--nom:');
    });

    it('refuses a bad e-mail, phone or postal code with 5 naming the option, and writes nothing', async () => {
      const before = await auditLog(fresh.location);
      const base = ['account', 'create', PAULINE, '--nom', 'DUFOUR', '--prenom', 'Pauline'];

      const email = await cli.corr(...base, '--email', 'pauline.dufour@');
      expect(email.code).toBe(5);
      expect(email.stderr).toContain('- --email: adresse e-mail invalide');

      const phone = await cli.corr(...base, '--email', PAULINE, '--telephone', '12 34');
      expect(phone.code).toBe(5);
      expect(phone.stderr).toContain('- --telephone: numéro de téléphone invalide');

      const postal = await cli.corr(...base, '--email', PAULINE, '--code-postal', '640');
      expect(postal.code).toBe(5);
      expect(postal.stderr).toContain(
        '- --code-postal: code postal invalide (5 chiffres en France)',
      );

      for (const r of [email, phone, postal]) expect(r.stdout).toBe('');
      const list = await cli.corr('account', 'list', '--json');
      expect(logins(list)).toEqual([CORR]);
      expect(await auditLog(fresh.location)).toEqual(before);
      expect(await count(fresh.location, 'notification')).toBe(0);
    });

    it('refuses a login that exists in any case (6), a plain user (4) and a scope wider than the creator’s (4)', async () => {
      await createAccount(fresh.location, PAULINE);
      const dup = await cli.corr(
        'account',
        'create',
        'PAULINE.Dufour@mairie-pau.FR',
        '--email',
        'autre@mairie-pau.fr',
        '--nom',
        'AUTRE',
        '--prenom',
        'Anne',
      );
      expect(dup.code).toBe(6);
      expect(dup.stderr).toContain(`Le compte ${PAULINE} existe déjà.`);

      const byUser = await cli.as(PAULINE)(
        'account',
        'create',
        HELENE,
        '--email',
        HELENE,
        '--nom',
        'LEFÈVRE',
        '--prenom',
        'Hélène',
      );
      expect(byUser.code).toBe(4);
      expect(byUser.stderr).toContain('Action réservée aux correspondants dématérialisation.');

      const wide = await cli.corr(
        'account',
        'create',
        'agent@dgfip.finances.gouv.fr',
        '--email',
        'agent@dgfip.finances.gouv.fr',
        '--nom',
        'AGENT',
        '--prenom',
        'Jean',
        '--correspondent',
        '--scope',
        '33',
      );
      expect(wide.code).toBe(4);
      expect(wide.stderr).toContain('Le périmètre demandé dépasse le vôtre.');

      for (const r of [dup, byUser, wide]) expect(r.stdout).toBe('');
      const refused = (await auditLog(fresh.location)).filter((e) => e.outcome === 'REFUSED');
      expect(refused.map((e) => [e.actor, e.action, e.target])).toEqual([
        [CORR, 'correspondent.create', 'account:agent@dgfip.finances.gouv.fr'],
        [PAULINE, 'account.create', `account:${HELENE}`],
      ]);
      expect(logins(await cli.corr('account', 'list', '--json'))).toEqual([CORR, PAULINE]);
    });

    it('creates a correspondent within the creator’s scope', async () => {
      const r = await cli.corr(
        'account',
        'create',
        'agent@dgfip.finances.gouv.fr',
        '--email',
        'agent@dgfip.finances.gouv.fr',
        '--nom',
        'AGENT',
        '--prenom',
        'Jean',
        '--correspondent',
        '--scope',
        '40',
        '--json',
      );
      expect(r.code).toBe(0);
      expect(json(r)).toMatchObject({
        login: 'agent@dgfip.finances.gouv.fr',
        kind: 'correspondent',
        scope: ['40'],
      });
      const [last] = await auditLog(fresh.location);
      expect(last).toMatchObject({ action: 'correspondent.create', outcome: 'OK' });

      const orphan = await cli.corr(
        'account',
        'create',
        HELENE,
        '--email',
        HELENE,
        '--nom',
        'LEFÈVRE',
        '--prenom',
        'Hélène',
        '--scope',
        '40',
      );
      expect(orphan.code).toBe(5);
      expect(orphan.stderr).toContain('--scope: --scope ne sert qu’avec --correspondent');
    });
  });

  describe('delete, deactivate, reactivate, resend-credentials', () => {
    it('delete: needs --yes without a TTY (2); then SUPPRIME with its attachments SUPPRIMEE; again 6; unknown 3', async () => {
      await createAccount(fresh.location, PAULINE);
      const { pau } = await insertStructures(fresh.location);
      await withDb(fresh.location, (db) => attach(db, PAULINE, pau));

      const asked = await cli.corr('account', 'delete', PAULINE);
      expect(asked.code).toBe(2);
      expect(asked.stdout).toBe('');
      expect(asked.stderr).toContain('Confirmation nécessaire : relancez avec --yes');
      const kept = json<Account>(await cli.corr('account', 'show', PAULINE, '--json'));
      expect(kept.status).toBe('ACTIF');
      expect(kept.attachments!.map((a) => a.status)).toEqual(['VALIDEE']);

      const deleted = await cli.corr('account', 'delete', PAULINE, '--yes', '--json');
      expect(deleted.code).toBe(0);
      expect(deleted.stderr).toContain(`Compte ${PAULINE} supprimé.`);
      expect(json(deleted)).toMatchObject({ login: PAULINE, status: 'SUPPRIME' });
      const gone = json<Account>(await cli.corr('account', 'show', PAULINE, '--json'));
      expect(gone.status).toBe('SUPPRIME');
      expect(gone.attachments).toMatchObject([
        { structure: `SIRET:${PAU.identifier}`, status: 'SUPPRIMEE' },
      ]);
      const [last] = await auditLog(fresh.location);
      expect(last).toMatchObject({
        action: 'account.delete',
        target: `account:${PAULINE}`,
        outcome: 'OK',
        changes: { status: { before: 'ACTIF', after: 'SUPPRIME' }, attachmentsEnded: 1 },
      });

      const again = await cli.corr('account', 'delete', PAULINE, '--yes');
      expect(again.code).toBe(6);
      expect(again.stderr).toContain(`Le compte ${PAULINE} est déjà supprimé.`);

      // a login is never reused
      const reuse = await cli.corr(
        'account',
        'create',
        PAULINE,
        '--email',
        PAULINE,
        '--nom',
        'DUFOUR',
        '--prenom',
        'Pauline',
      );
      expect(reuse.code).toBe(6);
      expect(reuse.stderr).toContain('un identifiant n’est jamais réutilisé');

      const unknown = await cli.corr('account', 'delete', 'nobody@nowhere.fr', '--yes');
      expect(unknown.code).toBe(3);
      expect(unknown.stdout).toBe('');
      expect(unknown.stderr).toContain('Compte introuvable : nobody@nowhere.fr.');
    });

    it('delete: an account attached outside the scope is 4, audited as refused, and left as it was', async () => {
      await createAccount(fresh.location, BOB, '--nom', 'DURAND', '--prenom', 'Bob');
      const { bordeaux } = await insertStructures(fresh.location);
      await withDb(fresh.location, (db) => attach(db, BOB, bordeaux));

      const r = await cli.corr('account', 'delete', BOB, '--yes');
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Cible hors de votre périmètre.');
      const [last] = await auditLog(fresh.location);
      expect(last).toMatchObject({
        actor: CORR,
        action: 'account.delete',
        target: `account:${BOB}`,
        outcome: 'REFUSED',
        changes: { reason: 'rights.outOfScope' },
      });

      const row = await withDb(fresh.location, (db) =>
        db
          .selectFrom('account')
          .innerJoin('attachment', 'attachment.accountId', 'account.id')
          .select(['account.status as account', 'attachment.status as attachment'])
          .where('login', '=', BOB)
          .executeTakeFirstOrThrow(),
      );
      expect(row).toEqual({ account: 'ACTIF', attachment: 'VALIDEE' });

      for (const action of ['deactivate', 'resend-credentials']) {
        const other = await cli.corr('account', action, BOB);
        expect(other.code, action).toBe(4);
      }
    });

    it('deactivate and reactivate: each 0 once, then 6; never on yourself; a deactivation is mailed', async () => {
      await createAccount(fresh.location, PAULINE);
      const off = await cli.corr('account', 'deactivate', PAULINE, '--json');
      expect(off.code).toBe(0);
      expect(off.stderr).toContain(`Compte ${PAULINE} désactivé.`);
      expect(json(off).status).toBe('INACTIF');
      const events = await withDb(fresh.location, (db) =>
        db.selectFrom('notification').select('event').orderBy('id').execute(),
      );
      expect(events.map((e) => e.event)).toEqual(['ACCOUNT_CREATED', 'ACCOUNT_DEACTIVATED']);

      const offAgain = await cli.corr('account', 'deactivate', PAULINE);
      expect(offAgain.code).toBe(6);
      expect(offAgain.stderr).toContain(
        `Le compte ${PAULINE} ne peut pas être désactivé : il est inactif.`,
      );

      const resend = await cli.corr('account', 'resend-credentials', PAULINE);
      expect(resend.code).toBe(6);
      expect(resend.stderr).toContain(`Le compte ${PAULINE} n’est pas actif (inactif).`);

      const on = await cli.corr('account', 'reactivate', PAULINE, '--json');
      expect(on.code).toBe(0);
      expect(on.stderr).toContain(`Compte ${PAULINE} réactivé.`);
      expect(json(on).status).toBe('ACTIF');

      const onAgain = await cli.corr('account', 'reactivate', PAULINE);
      expect(onAgain.code).toBe(6);
      expect(onAgain.stderr).toContain(
        `Le compte ${PAULINE} ne peut pas être réactivé : il est actif.`,
      );

      const self = await cli.corr('account', 'deactivate', CORR);
      expect(self.code).toBe(6);
      expect(self.stderr).toContain('Vous ne pouvez pas changer le statut de votre propre compte.');
      expect(json<Account>(await cli.corr('account', 'show', '--json')).status).toBe('ACTIF');

      const byUser = await cli.as(PAULINE)('account', 'deactivate', CORR);
      expect(byUser.code).toBe(4);

      const actions = (await auditLog(fresh.location))
        .filter((e) => e.outcome === 'OK')
        .map((e) => e.action);
      expect(actions).toEqual([
        'account.reactivate',
        'account.deactivate',
        'account.create',
        'store.init',
      ]);
    });

    it('resend-credentials: 0 and a second credentials message in the outbox', async () => {
      await createAccount(fresh.location, PAULINE);
      const r = await cli.corr('account', 'resend-credentials', PAULINE);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        `Identifiants de ${PAULINE} remis en file d’envoi pour ${PAULINE}.`,
      );
      const mails = await withDb(fresh.location, (db) =>
        db.selectFrom('notification').select(['event', 'toAddress']).orderBy('id').execute(),
      );
      expect(mails).toEqual([
        { event: 'ACCOUNT_CREATED', toAddress: PAULINE },
        { event: 'ACCOUNT_CREATED', toAddress: PAULINE },
      ]);
      const [last] = await auditLog(fresh.location);
      expect(last).toMatchObject({
        action: 'account.resendCredentials',
        target: `account:${PAULINE}`,
        outcome: 'OK',
      });

      const unknown = await cli.corr('account', 'resend-credentials', 'nobody@nowhere.fr');
      expect(unknown.code).toBe(3);
    });
  });

  describe('list', () => {
    it('filters by status, search (accents and case ignored) and structure, within the scope, page by page', async () => {
      await createAccount(fresh.location, PAULINE);
      await createAccount(fresh.location, HELENE, '--nom', 'LEFÈVRE', '--prenom', 'Hélène');
      await createAccount(fresh.location, MARC, '--nom', 'ETCHEVERRY', '--prenom', 'Marc');
      await createAccount(fresh.location, BOB, '--nom', 'DURAND', '--prenom', 'Bob');
      const { pau, bordeaux } = await insertStructures(fresh.location);
      await withDb(fresh.location, async (db) => {
        await attach(db, PAULINE, pau);
        await attach(db, BOB, bordeaux);
      });
      expect((await cli.corr('account', 'deactivate', MARC)).code).toBe(0);

      const all = await cli.corr('account', 'list', '--json');
      expect(all.code).toBe(0);
      expect(all.stderr).toBe('');
      // BOB is attached to Bordeaux only: outside 64,40
      expect(logins(all)).toEqual([CORR, HELENE, MARC, PAULINE]);

      const list = async (...args: string[]) => {
        const r = await cli.corr('account', 'list', '--json', ...args);
        expect(r.code, args.join(' ')).toBe(0);
        return logins(r);
      };
      expect(await list('--status', 'INACTIF')).toEqual([MARC]);
      expect(await list('--status', 'ACTIF')).toEqual([CORR, HELENE, PAULINE]);
      expect(await list('--search', 'HELENE')).toEqual([HELENE]);
      expect(await list('--search', 'lefèvre')).toEqual([HELENE]);
      expect(await list('--search', 'mairie-pau', '--status', 'ACTIF')).toEqual([HELENE, PAULINE]);
      expect(await list('--search', 'durand')).toEqual([]);
      expect(await list('--structure', `SIRET:${PAU.identifier}`)).toEqual([PAULINE]);
      expect(await list('--structure', PAU.identifier)).toEqual([PAULINE]);
      expect(await list('--structure', BORDEAUX.identifier)).toEqual([]);

      const unknown = await cli.corr('account', 'list', '--structure', 'SIRET:35600000000048');
      expect(unknown.code).toBe(3);
      expect(unknown.stdout).toBe('');
      expect(unknown.stderr).toContain('Structure introuvable : SIRET:35600000000048.');

      const page = await cli.corr('account', 'list', '--json', '--limit', '2', '--page', '2');
      expect(page.code).toBe(0);
      expect(logins(page)).toEqual([MARC, PAULINE]);
      expect(page.stderr).toContain('2 résultats affichés sur 4 (page 2)');

      const table = await cli.corr('account', 'list', '--limit', '3');
      expect(table.code).toBe(0);
      expect(table.stdout).toContain(CORR);
      expect(table.stdout).not.toContain(PAULINE);
      expect(table.stdout).not.toContain('affiché');
      expect(table.stderr).toContain('3 résultats affichés sur 4 (page 1)');

      const byUser = await cli.as(PAULINE)('account', 'list');
      expect(byUser.code).toBe(4);
      expect(byUser.stdout).toBe('');
      expect(byUser.stderr).toContain('Action réservée aux correspondants dématérialisation.');
    });
  });

  describe('show', () => {
    it('shows the actor by default, an account in scope with its attachments, and refuses others', async () => {
      await createAccount(fresh.location, PAULINE);
      await createAccount(fresh.location, HELENE, '--nom', 'LEFÈVRE', '--prenom', 'Hélène');
      await createAccount(fresh.location, BOB, '--nom', 'DURAND', '--prenom', 'Bob');
      const { pau, bordeaux } = await insertStructures(fresh.location);
      await withDb(fresh.location, async (db) => {
        await attach(db, PAULINE, pau, 'GESTIONNAIRE_SECONDAIRE');
        await attach(db, BOB, bordeaux);
      });

      const own = await cli.as(PAULINE)('account', 'show', '--json');
      expect(own.code).toBe(0);
      expect(json(own)).toMatchObject({
        login: PAULINE,
        kind: 'user',
        attachments: [
          {
            structure: `SIRET:${PAU.identifier}`,
            companyName: PAU.companyName,
            role: 'GESTIONNAIRE_SECONDAIRE',
            status: 'VALIDEE',
            dateStart: '2026-01-01',
          },
        ],
      });

      const table = await cli.as(PAULINE)('account', 'show');
      expect(table.code).toBe(0);
      expect(table.stdout).toContain(PAULINE);
      expect(table.stdout).toContain(PAU.companyName);

      // no probing (SPEC 6): as for a login that does not exist
      const other = await cli.as(PAULINE)('account', 'show', HELENE);
      expect(other.code).toBe(3);
      expect(other.stdout).toBe('');
      expect(other.stderr).toBe(`Erreur : Compte introuvable : ${HELENE}.\n`);

      const byCorr = await cli.corr('account', 'show', PAULINE, '--json');
      expect(byCorr.code).toBe(0);
      expect(json<Account>(byCorr).attachments).toHaveLength(1);

      const outside = await cli.corr('account', 'show', BOB);
      expect(outside.code).toBe(4);
      expect(outside.stderr).toContain('Cible hors de votre périmètre.');

      const unknown = await cli.corr('account', 'show', 'nobody@nowhere.fr');
      expect(unknown.code).toBe(3);
    });
  });

  describe('edit', () => {
    it('lets the holder edit their own data, normalised, and says when nothing changed', async () => {
      await createAccount(fresh.location, PAULINE);
      const r = await cli.as(PAULINE)('account', 'edit', '--telephone', '+33559278580', '--json');
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`Compte ${PAULINE} modifié : Téléphone.`);
      expect(json(r).phone).toBe('05 59 27 85 80');
      const stored = await withDb(fresh.location, (db) =>
        db
          .selectFrom('account')
          .select('phone')
          .where('login', '=', PAULINE)
          .executeTakeFirstOrThrow(),
      );
      expect(stored.phone).toBe('05 59 27 85 80');
      const [last] = await auditLog(fresh.location);
      expect(last).toMatchObject({
        actor: PAULINE,
        action: 'account.edit',
        target: `account:${PAULINE}`,
        changes: { phone: { before: null, after: '05 59 27 85 80' } },
      });

      const before = await auditLog(fresh.location);
      const same = await cli.as(PAULINE)('account', 'edit', '--telephone', '05 59 27 85 80');
      expect(same.code).toBe(0);
      expect(same.stderr).toContain(`Compte ${PAULINE} inchangé`);
      expect(same.stdout).toContain('05 59 27 85 80');
      expect(await auditLog(fresh.location)).toEqual(before);

      const nothing = await cli.as(PAULINE)('account', 'edit');
      expect(nothing.code).toBe(5);
      expect(nothing.stderr).toContain('aucune modification demandée');

      const badPostal = await cli.as(PAULINE)('account', 'edit', '--code-postal', 'ABC');
      expect(badPostal.code).toBe(5);
      expect(badPostal.stderr).toContain('- --code-postal: code postal invalide');

      const login = await cli.as(PAULINE)('account', 'edit', '--login', 'autre@mairie-pau.fr');
      expect(login.code).toBe(2);
      expect(login.stderr).toContain('Option inconnue : --login');
      expect(await auditLog(fresh.location)).toEqual(before);
    });

    it('lets a correspondent edit an account in scope, and no plain user edit another account', async () => {
      await createAccount(fresh.location, PAULINE);
      await createAccount(fresh.location, HELENE, '--nom', 'LEFÈVRE', '--prenom', 'Hélène');
      const { pau } = await insertStructures(fresh.location);
      await withDb(fresh.location, (db) => attach(db, PAULINE, pau));

      const r = await cli.corr(
        'account',
        'edit',
        PAULINE,
        '--adresse',
        'Place Royale',
        '--code-postal',
        '64000',
        '--ville',
        'Pau',
        '--json',
      );
      expect(r.code).toBe(0);
      expect(json(r)).toMatchObject({
        login: PAULINE,
        address: 'Place Royale',
        postalCode: '64000',
        city: 'Pau',
      });
      const [last] = await auditLog(fresh.location);
      expect(last).toMatchObject({
        actor: CORR,
        action: 'account.edit',
        target: `account:${PAULINE}`,
        outcome: 'OK',
      });

      const other = await cli.as(PAULINE)('account', 'edit', HELENE, '--ville', 'Pau');
      expect(other.code).toBe(3);
      expect(other.stdout).toBe('');
      expect(other.stderr).toBe(`Erreur : Compte introuvable : ${HELENE}.\n`);
      const helene = await withDb(fresh.location, (db) =>
        db
          .selectFrom('account')
          .select('city')
          .where('login', '=', HELENE)
          .executeTakeFirstOrThrow(),
      );
      expect(helene.city).toBeNull();
    });
  });

  describe('complete', () => {
    it('completes the account once; a missing field without a TTY is 2 naming the option', async () => {
      await createAccount(fresh.location, PAULINE);
      const missing = await cli.as(PAULINE)(
        'account',
        'complete',
        '--adresse',
        'Place Royale',
        '--code-postal',
        '64000',
      );
      expect(missing.code).toBe(2);
      expect(missing.stdout).toBe('');
      expect(missing.stderr).toContain('Valeur manquante : --ville');
      expect(
        json<Account>(await cli.as(PAULINE)('account', 'show', '--json')).completedAt,
      ).toBeNull();

      const r = await cli.as(PAULINE)(
        'account',
        'complete',
        '--adresse',
        'Place Royale',
        '--code-postal',
        '64000',
        '--ville',
        'Pau',
        '--json',
      );
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`Compte ${PAULINE} complété.`);
      const done = json<Account>(r);
      expect(done).toMatchObject({ address: 'Place Royale', postalCode: '64000', city: 'Pau' });
      expect(done.completedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      const [last] = await auditLog(fresh.location);
      expect(last).toMatchObject({ actor: PAULINE, action: 'account.complete', outcome: 'OK' });

      const again = await cli.as(PAULINE)('account', 'complete', '--ville', 'Pau');
      expect(again.code).toBe(6);
      expect(again.stderr).toContain(`Le compte ${PAULINE} est déjà complété`);
    });
  });
});

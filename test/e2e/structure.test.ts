import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/enums.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { replaceWithTemplate } from '../helpers/templates.js';
import {
  HEAVY,
  CORR,
  PAULINE,
  auditLog,
  clis,
  createAccount,
  initStore,
  json,
  withDb,
} from './fixtures.js';

/** `structure …` end to end (SPEC 7, 8.2, 8.3): imports, search, show, users, services by their managers. */

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const ANNUAIRE = path.join(FIXTURES, 'annuaire.csv');
const CP1252 = path.join(FIXTURES, 'annuaire-cp1252.csv');
const MISSING_COLUMN = path.join(FIXTURES, 'annuaire-missing-column.csv');
const SERVICES = path.join(FIXTURES, 'services.csv');

const HELENE = 'helene.lefevre@mairie-pau.fr';

/** The structures of the fixtures the tests name. */
const PAU = '21640445900010';
const MUSEE = '19640001400011';
const BORDEAUX = '21330063500017';
const OEUVRE = '21640422800019';
const LEON = '21400150500012';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** CSV output as the binary writes it: RFC 4180 records, each ended by CRLF. */
const crlf = (...lines: string[]) => lines.map((l) => `${l}\r\n`).join('');
/** The header of `structure search --format csv`, then one line per structure. */
const SEARCH_HEADER = 'idType;identifier;companyName;postalCode;city;active';
const csvLines = (...rows: string[]) => crlf(SEARCH_HEADER, ...rows);
const ROW = {
  musee: `SIRET;${MUSEE};MUSÉE NATIONAL DU CHÂTEAU DE PAU;64000;PAU;true`,
  pau: `SIRET;${PAU};COMMUNE DE PAU;64000;PAU;true`,
  chPau: 'SIRET;26640001900011;CENTRE HOSPITALIER DE PAU;64046;PAU CEDEX;true',
  poste: 'SIRET;35600000012346;LA POSTE - AGENCE DE PAU;64000;PAU;true',
  papeete: 'TAHITI;003970-001;COMMUNE DE PAPEETE;98714;PAPEETE;true',
  leon: `SIRET;${LEON};COMMUNE DE LÉON;40550;LÉON;true`,
  communeMdm: 'SIRET;21400192700018;COMMUNE DE MONT-DE-MARSAN;40000;MONT-DE-MARSAN;true',
  chMdm:
    'SIRET;26400001900010;CENTRE HOSPITALIER DE MONT-DE-MARSAN;40024;MONT-DE-MARSAN CEDEX;true',
};

const USERS_HEADER =
  'login;lastName;firstName;email;accountStatus;role;status;services;dateStart;dateEnd;habilitations;spaces';

const REJECTED_14 =
  'ligne 14 : Identifiant : SIRET invalide « 21640445900011 » (14 chiffres, clé de Luhn)';
const REJECTED_16 =
  'ligne 16 : EmetteurEdi : valeur « peut-être » : true/false, 1/0 ou oui/non attendu';
const PARTIAL =
  'Attention : 2 lignes sur 14 rejetées ; les autres sont importées. Détail avec --rejects FICHIER.csv.';
const NOT_MANAGER =
  'Erreur : Il faut être gestionnaire principal de la structure, ou avoir l’habilitation nécessaire.\n';

/** One line of a summary: `Créées           12`. */
const tableRow = (label: string, value: string | number) =>
  new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +${value}$`, 'm');

type Summary = {
  file: string;
  sha256: string;
  encoding: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  padded: number;
  unknownColumns: string[];
  sample: { line: number; errors: string[] }[];
  rejectsFile: string | null;
};
type Structure = Record<string, unknown> & {
  identifier: string;
  companyName: string;
  services: {
    code: string;
    label: string;
    active: boolean;
    dateStart: string | null;
    dateEnd: string | null;
  }[];
};

/** Makes `login` a manager of the structure `identifier`: the validated attachment no command creates yet. */
async function makeManager(
  location: string,
  login: string,
  identifier: string,
  role: Role = 'GESTIONNAIRE_PRINCIPAL',
): Promise<void> {
  await withDb(location, async (db) => {
    const at = new Date().toISOString();
    const { id: accountId } = await db
      .selectFrom('account')
      .select('id')
      .where('login', '=', login)
      .executeTakeFirstOrThrow();
    const { id: structureId } = await db
      .selectFrom('structure')
      .select('id')
      .where('identifier', '=', identifier)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('attachment')
      .values({
        accountId,
        structureId,
        role,
        status: 'VALIDEE',
        source: 'MANUEL',
        createdAt: at,
        updatedAt: at,
      })
      .execute();
  });
}

describe.each(DIALECTS)('structure (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;
  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location);
    cli = clis(fresh.location);
  }, HEAVY.timeout);
  afterEach(async () => {
    await fresh.cleanup();
  });

  /** Imports the directory (exit 1: two rows rejected), then the services (exit 1: three). */
  async function importFixtures(withServices = true): Promise<void> {
    const a = await cli.corr('structure', 'import', ANNUAIRE, '--json');
    expect(a.code).toBe(1);
    expect(json<Summary>(a).created).toBe(12);
    if (!withServices) return;
    const s = await cli.corr('structure', 'import-services', SERVICES, '--json');
    expect(s.code).toBe(1);
    expect(json<Summary>(s).created).toBe(4);
  }

  /** `structure search … --format csv` as CORR, which must succeed. */
  const search = async (...args: string[]) => {
    const r = await cli.corr('structure', 'search', ...args, '--format', 'csv');
    expect(r.code, `search ${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r;
  };
  const show = async (id: string) => {
    const r = await cli.corr('structure', 'show', id, '--json');
    expect(r.code, r.stderr).toBe(0);
    return json<Structure>(r);
  };

  describe('import', () => {
    it('imports the directory: 1, the summary on stdout, the rejected lines and the error on stderr', async () => {
      const r = await cli.corr('structure', 'import', ANNUAIRE);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`${REJECTED_14}\n${REJECTED_16}\n${PARTIAL}\n`);
      for (const [label, value] of [
        ['Fichier', 'annuaire.csv'],
        ['Encodage', 'utf8'],
        ['Lignes', 14],
        ['Créées', 12],
        ['Mises à jour', 0],
        ['Inchangées', 0],
        ['Rejetées', 2],
        ['SIRET complétés', 1],
        // shortened in a table (12 characters and …), whole in JSON and CSV
        ['SHA-256', `${sha256(ANNUAIRE).slice(0, 12)}…`],
      ] as const)
        expect(r.stdout, label).toMatch(tableRow(label, value));
      expect(r.stdout).not.toContain('ligne 14');

      // the valid rows are in: quoted fields, a padded SIRET, an inactive structure, ligatures
      const musee = await show(MUSEE);
      expect(musee).toMatchObject({
        companyName: 'MUSÉE NATIONAL DU CHÂTEAU DE PAU',
        address: 'Rue du Château; bâtiment B',
        postalCode: '64000',
        departement: '64',
        active: true,
        ediSender: false,
      });
      const padded = await show('00123456600014');
      expect(padded).toMatchObject({
        idType: 'SIRET',
        identifier: '00123456600014',
        companyName: "SYNDICAT INTERCOMMUNAL DES EAUX DE L'AIN",
        postalCode: '01000',
        departement: '01',
      });
      const oeuvre = await show(OEUVRE);
      expect(oeuvre).toMatchObject({
        companyName: 'ŒUVRE DES ÉCOLES DE LESCAR',
        address: 'Place "Royale"',
        active: false,
      });
      const pau = await show(PAU);
      expect(pau).toMatchObject({
        addressComplement1: 'Hôtel de ville',
        phone: '05 59 27 85 80',
        ediSender: true,
        ediReceiver: false,
        managesPaymentStatus: true,
        managesServiceCommitment: false,
      });

      const rejected = await cli.corr('structure', 'show', '21640445900011');
      expect(rejected.code).toBe(3);
      const clinique = await cli.corr('structure', 'show', '26400001900028');
      expect(clinique.code).toBe(3);
      expect(clinique.stderr).toBe('Erreur : Structure introuvable : 26400001900028.\n');
    });

    it('--json: the summary with its counts and the file’s SHA-256; one audit entry', async () => {
      const r = await cli.corr('structure', 'import', ANNUAIRE, '--json');
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`${REJECTED_14}\n${REJECTED_16}\n${PARTIAL}\n`);
      expect(json<Summary>(r)).toEqual({
        file: 'annuaire.csv',
        sha256: sha256(ANNUAIRE),
        encoding: 'utf8',
        rows: 14,
        created: 12,
        updated: 0,
        unchanged: 0,
        rejected: 2,
        outOfScope: 0,
        padded: 1,
        unknownColumns: [],
        sample: [
          {
            line: 14,
            errors: ['Identifiant : SIRET invalide « 21640445900011 » (14 chiffres, clé de Luhn)'],
          },
          {
            line: 16,
            errors: ['EmetteurEdi : valeur « peut-être » : true/false, 1/0 ou oui/non attendu'],
          },
        ],
        rejectsFile: null,
      });
      const [last] = await auditLog(fresh.location);
      expect(last).toMatchObject({
        actor: CORR,
        action: 'structure.import',
        target: 'file:annuaire.csv',
        outcome: 'OK',
        changes: {
          sha256: sha256(ANNUAIRE),
          encoding: 'utf8',
          rows: 14,
          created: 12,
          updated: 0,
          unchanged: 0,
          rejected: 2,
          padded: 1,
        },
      });
    });

    it('--rejects: the input’s columns plus LIGNE and ERREURS, lines 14 and 16, CRLF, with the input’s BOM', async () => {
      const out = path.join(fresh.dir, 'rejets.csv');
      const r = await cli.corr('structure', 'import', ANNUAIRE, '--rejects', out);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `${REJECTED_14}\n${REJECTED_16}\nAttention : 2 lignes sur 14 rejetées, écrites dans ${out} ; les autres sont importées.\n`,
      );
      expect(r.stdout).toMatch(tableRow('Rejetées', 2));

      const bytes = fs.readFileSync(out);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      const header = fs
        .readFileSync(ANNUAIRE, 'utf8')
        .replace(/^\uFEFF/, '')
        .split('\r\n')[0];
      expect(text.split('\r\n')).toEqual([
        `${header};LIGNE;ERREURS`,
        'SIRET;21640445900011;COMMUNE MAL SAISIE;oui;non;non;non;non;non;non;non;oui;;;;64000;PAU;;;FR;France;14;Identifiant : SIRET invalide « 21640445900011 » (14 chiffres, clé de Luhn)',
        'SIRET;26400001900028;CLINIQUE DES LANDES;peut-être;non;non;non;non;non;non;non;oui;;;;40000;MONT-DE-MARSAN;;;FR;France;16;EmetteurEdi : valeur « peut-être » : true/false, 1/0 ou oui/non attendu',
        '',
      ]);
    });

    it('a second import of the same file changes nothing: 12 unchanged, none created or updated', async () => {
      await importFixtures(false);
      const before = await show(PAU);
      const again = await cli.corr('structure', 'import', ANNUAIRE, '--json');
      expect(again.code).toBe(1);
      expect(again.stderr).toBe(`${REJECTED_14}\n${REJECTED_16}\n${PARTIAL}\n`);
      expect(json<Summary>(again)).toMatchObject({
        rows: 14,
        created: 0,
        updated: 0,
        unchanged: 12,
        rejected: 2,
        padded: 1,
      });
      expect((await show(PAU)).updatedAt).toBe(before.updatedAt);
    });

    it('a Windows-1252 file: detected, 0, names decoded (LÉON found by `leon`)', async () => {
      const r = await cli.corr('structure', 'import', CP1252);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('✔ Import de annuaire-cp1252.csv terminé : 3 lignes.\n');
      expect(r.stdout).toMatch(tableRow('Encodage', 'cp1252'));
      expect(r.stdout).toMatch(tableRow('Créées', 3));
      expect(r.stdout).toMatch(tableRow('Rejetées', 0));

      const found = await search('leon');
      expect(found.code).toBe(0);
      expect(found.stdout).toBe(csvLines(ROW.leon));
      expect(found.stderr).toBe('');
      expect(await show(LEON)).toMatchObject({
        companyName: 'COMMUNE DE LÉON',
        address: "Place de l'Église",
        city: 'LÉON',
      });
      expect(await show('20004090500016')).toMatchObject({
        companyName: "SYNDICAT MIXTE DU BASSIN DE L'ADOUR « ÉTÉ »",
        address: 'Allée des Pins; porte 2',
      });
      expect(await show(PAU)).toMatchObject({ addressComplement1: 'Hôtel de ville' });
    });

    it('--encoding utf8 forced on the Windows-1252 file: exit 5, nothing imported (no replacement characters stored)', async () => {
      const r = await cli.corr('structure', 'import', CP1252, '--encoding', 'utf8', '--json');
      expect(r.code).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        'Fichier annuaire-cp1252.csv inutilisable : rien n’a été enregistré.',
      );
      expect(r.stderr).toContain('--encoding: le fichier n’est pas en UTF-8');
      const none = await search('leon');
      expect(none.code).toBe(0);
      expect(none.stdout).toBe(csvLines());
    });

    it('a file without the RaisonSociale column: 5 naming it on line 1, nothing imported', async () => {
      const r = await cli.corr('structure', 'import', MISSING_COLUMN);
      expect(r.code).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'Erreur : Fichier annuaire-missing-column.csv inutilisable : rien n’a été enregistré.\n  - ligne 1 RaisonSociale: colonne obligatoire absente de l’en-tête\n',
      );
      const byText = await search('pau');
      expect(byText.code).toBe(0);
      expect(byText.stdout).toBe(csvLines());
      const byPostalCode = await search('--code-postal', '64000');
      expect(byPostalCode.stdout).toBe(csvLines());
      expect(
        (await auditLog(fresh.location)).filter((e) => e.action === 'structure.import'),
      ).toEqual([]);
    });

    it('a plain account may not import: 4, audited as refused, nothing imported', async () => {
      await createAccount(fresh.location, PAULINE);
      const r = await cli.as(PAULINE)('structure', 'import', ANNUAIRE);
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('Erreur : Action réservée aux correspondants dématérialisation.\n');
      const [last] = await auditLog(fresh.location);
      expect(last).toMatchObject({
        actor: PAULINE,
        action: 'structure.import',
        target: 'file:annuaire.csv',
        outcome: 'REFUSED',
        changes: { reason: 'rights.correspondentOnly' },
      });
      expect((await search('pau')).stdout).toBe(csvLines());

      const services = await cli.as(PAULINE)('structure', 'import-services', SERVICES);
      expect(services.code).toBe(4);
      expect(services.stderr).toBe(
        'Erreur : Action réservée aux correspondants dématérialisation.\n',
      );
    });

    it('a file that does not exist: 5 naming it, nothing written', async () => {
      const missing = path.join(fresh.dir, 'absent.csv');
      const r = await cli.corr('structure', 'import', missing);
      expect(r.code).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `Erreur : Fichier absent.csv inutilisable : rien n’a été enregistré.\n  - FILE: lecture impossible (fichier introuvable)\n`,
      );
      expect(
        (await auditLog(fresh.location)).filter((e) => e.action === 'structure.import'),
      ).toEqual([]);
    });

    it('--lang en: the summary labels, the rejected lines and the error in English', async () => {
      const r = await cli.corr('--lang', 'en', 'structure', 'import', ANNUAIRE);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        'line 14: Identifiant: invalid SIRET "21640445900011" (14 digits, Luhn key)\n' +
          'line 16: EmetteurEdi: value "peut-être": true/false, 1/0 or oui/non expected\n' +
          'Warning: 2 rows of 14 rejected; the others were imported. Details with --rejects FILE.csv.\n',
      );
      expect(r.stdout).toMatch(tableRow('Created', 12));
      expect(r.stdout).toMatch(tableRow('SIRETs padded', 1));
      expect(r.stdout).not.toContain('Créées');
    });
  });

  describe('import-services', () => {
    it('imports the services: 1, lines 7, 8 and 9 rejected with their reasons, 4 created, 2 out of scope', async () => {
      await importFixtures(false);
      const r = await cli.corr('structure', 'import-services', SERVICES, '--json');
      expect(r.code).toBe(1);
      const summary = json<Summary>(r);
      expect(summary).toMatchObject({
        file: 'services.csv',
        sha256: sha256(SERVICES),
        encoding: 'utf8',
        rows: 9,
        created: 4,
        updated: 0,
        unchanged: 0,
        rejected: 3,
        // Papeete (987) and the Ain (01) lie outside the scope 64,40: their services are skipped
        outOfScope: 2,
        padded: 1,
      });
      expect(summary.sample).toEqual([
        {
          line: 7,
          errors: [
            'Identifiant : structure inconnue SIRET:21640445900028 : importez d’abord l’annuaire',
          ],
        },
        {
          line: 8,
          errors: [
            'DateDebut : date invalide ou inexistante « 31/02/2024 » (JJ/MM/AAAA ou AAAA-MM-JJ)',
          ],
        },
        {
          line: 9,
          errors: ['DateFin : la date de fin (2024-01-01) précède la date de début (2024-06-01)'],
        },
      ]);
      const lines = r.stderr.split('\n');
      expect(lines.slice(0, 3).sort()).toEqual([
        'ligne 7 : Identifiant : structure inconnue SIRET:21640445900028 : importez d’abord l’annuaire',
        'ligne 8 : DateDebut : date invalide ou inexistante « 31/02/2024 » (JJ/MM/AAAA ou AAAA-MM-JJ)',
        'ligne 9 : DateFin : la date de fin (2024-01-01) précède la date de début (2024-06-01)',
      ]);
      expect(lines.slice(3)).toEqual([
        'Attention : 3 lignes sur 9 rejetées ; les autres sont importées. Détail avec --rejects FICHIER.csv.',
        '',
      ]);
      // the run's audit entry reads as words in the log, as every action's does (SPEC 4)
      const log = await cli.corr('--wide', 'audit', 'list', '--target', 'file:services.csv');
      expect(log.stdout).toContain('Import des services');
      expect(log.stdout).not.toContain('structure.importServices');

      expect((await show(PAU)).services).toEqual([
        {
          code: 'FACTURES',
          label: 'Service facturier; dépenses',
          active: true,
          dateStart: null,
          dateEnd: null,
        },
        {
          code: 'SERV-CULT',
          label: 'Service culturel',
          active: true,
          dateStart: '2020-01-01',
          dateEnd: null,
        },
        {
          code: 'SERV-ETAT-CIVIL',
          label: 'État civil',
          active: true,
          dateStart: '2019-01-01',
          dateEnd: null,
        },
      ]);
      // the padded SIRET of the directory, reached through its stripped form: in the Ain (01),
      // outside the scope 64,40, its service was skipped
      expect((await show('123456600014')).services).toEqual([]);

      const again = await cli.corr('structure', 'import-services', SERVICES, '--json');
      expect(again.code).toBe(1);
      expect(json<Summary>(again)).toMatchObject({
        created: 0,
        updated: 0,
        unchanged: 4,
        rejected: 3,
        outOfScope: 2,
      });
    });
  });

  describe('search', () => {
    beforeEach(async () => {
      // what importFixtures() leaves, from the seeded template (test/helpers/templates.ts)
      await replaceWithTemplate('seeded', dialect, fresh.location);
    }, HEAVY.timeout);

    it('ignores accents and case: `chateau` and `CHÂTEAU` find the museum', async () => {
      for (const text of ['chateau', 'CHÂTEAU']) {
        const r = await search(text);
        expect(r.code, text).toBe(0);
        expect(r.stdout, text).toBe(csvLines(ROW.musee));
        expect(r.stderr, text).toBe('');
      }
      const json1 = await cli.corr('structure', 'search', 'Château', '--json');
      expect(json1.code).toBe(0);
      expect(json<Structure[]>(json1).map((s) => [s.identifier, s.companyName])).toEqual([
        [MUSEE, 'MUSÉE NATIONAL DU CHÂTEAU DE PAU'],
      ]);
    });

    it('finds by identifier (TAHITI 003970-001) and by a service label (`culturel`)', async () => {
      const tahiti = await search('003970-001');
      expect(tahiti.code).toBe(0);
      expect(tahiti.stdout).toBe(csvLines(ROW.papeete));

      const byService = await search('culturel');
      expect(byService.code).toBe(0);
      expect(byService.stdout).toBe(csvLines(ROW.pau));

      const unquoted = await search('commune', 'de', 'pau');
      expect(unquoted.code).toBe(0);
      expect(unquoted.stdout).toBe(csvLines(ROW.pau));
    });

    it('filters without text: --code-postal 40 --type SIRET, --ville', async () => {
      const landes = await search('--code-postal', '40', '--type', 'SIRET');
      expect(landes.code).toBe(0);
      expect(landes.stdout).toBe(csvLines(ROW.chMdm, ROW.communeMdm));
      const tahiti = await search('--type', 'TAHITI');
      expect(tahiti.stderr).toBe('');
      expect(tahiti.code).toBe(0);
      expect(tahiti.stdout).toBe(csvLines(ROW.papeete));
      const city = await search('--ville', 'Mont de Marsan');
      expect(city.code).toBe(0);
      expect(city.stdout).toBe(csvLines(ROW.chMdm, ROW.communeMdm));
    });

    it('text that looks like SQL matches nothing: 0, no rows', async () => {
      const csv = await search("x' OR 1=1 --");
      expect(csv.code).toBe(0);
      expect(csv.stdout).toBe(csvLines());

      const table = await cli.corr('structure', 'search', "x' OR 1=1 --");
      expect(table.code).toBe(0);
      expect(table.stdout).toBe('');
      expect(table.stderr).toBe('Aucun résultat.\n');

      const asJson = await cli.corr('structure', 'search', "x' OR 1=1 --", '--json');
      expect(asJson.code).toBe(0);
      expect(json(asJson)).toEqual([]);
    });

    it('no text and no filter: 5; an unknown --type: 5', async () => {
      const empty = await cli.corr('structure', 'search');
      expect(empty.code).toBe(5);
      expect(empty.stdout).toBe('');
      expect(empty.stderr).toBe(
        'Erreur : Saisie invalide : rien n’a été enregistré.\n  - TEXT: donnez un texte ou au moins un filtre (--identifiant, --type, --raison-sociale, --code-postal, --ville, --nom, --prenom)\n',
      );

      const badType = await cli.corr('structure', 'search', '--type', 'INCONNU');
      expect(badType.code).toBe(5);
      expect(badType.stdout).toBe('');
      expect(badType.stderr).toContain(
        '  - --type: « INCONNU » n’est pas une valeur admise (SIRET, UE_HORS_FRANCE',
      );
    });

    it('pages: --limit 1 --page 2 shows the second structure and says how many there are', async () => {
      const all = await search('pau');
      expect(all.code).toBe(0);
      expect(all.stdout).toBe(csvLines(ROW.chPau, ROW.pau, ROW.poste, ROW.musee));
      expect(all.stderr).toBe('');

      const second = await search('pau', '--limit', '1', '--page', '2');
      expect(second.code).toBe(0);
      expect(second.stdout).toBe(csvLines(ROW.pau));
      expect(second.stderr).toBe('1 résultat affiché sur 4 (page 2) ; voir --limit et --page.\n');

      const beyond = await search('pau', '--limit', '2', '--page', '3');
      expect(beyond.code).toBe(0);
      expect(beyond.stdout).toBe(csvLines());
      expect(beyond.stderr).toBe('0 résultat affiché sur 4 (page 3) ; voir --limit et --page.\n');

      const zero = await cli.corr('structure', 'search', 'pau', '--page', '0');
      expect(zero.code).toBe(5);
      expect(zero.stderr).toBe(
        'Erreur : Saisie invalide : rien n’a été enregistré.\n  - --page: nombre entier positif attendu\n',
      );
    });

    it('--lang en: headers and the paging note in English', async () => {
      const r = await cli.corr(
        '--lang',
        'en',
        'structure',
        'search',
        'pau',
        '--limit',
        '1',
        '--format',
        'csv',
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(
        crlf(
          'idType;identifier;companyName;postalCode;city;active',
          'SIRET;26640001900011;CENTRE HOSPITALIER DE PAU;64046;PAU CEDEX;true',
        ),
      );
      expect(r.stderr).toBe('1 result shown of 4 (page 1); see --limit and --page.\n');

      const none = await cli.corr('--lang', 'en', 'structure', 'search', 'zzzz');
      expect(none.code).toBe(0);
      expect(none.stderr).toBe('No results.\n');
    });
  });

  describe('show', () => {
    beforeEach(async () => {
      // what importFixtures() leaves, from the seeded template (test/helpers/templates.ts)
      await replaceWithTemplate('seeded', dialect, fresh.location);
    }, HEAVY.timeout);

    it('by identifier, by TYPE:identifier and by a SIRET that lost its leading zeros', async () => {
      const byId = await cli.corr('structure', 'show', PAU, '--json');
      expect(byId.code).toBe(0);
      expect(byId.stderr).toBe('');
      const pau = json<Structure>(byId);
      expect(Object.keys(pau)).toEqual([
        'idType',
        'identifier',
        'companyName',
        'active',
        'address',
        'addressComplement1',
        'addressComplement2',
        'postalCode',
        'city',
        'departement',
        'countryCode',
        'countryLabel',
        'phone',
        'email',
        'ediSender',
        'ediReceiver',
        'managesPaymentStatus',
        'managesCommitment',
        'managesService',
        'managesServiceCommitment',
        'isMoa',
        'isMoaOnly',
        'updatedAt',
        'principalManager',
        'attachments',
        'services',
      ]);
      expect(pau).toMatchObject({
        idType: 'SIRET',
        identifier: PAU,
        companyName: 'COMMUNE DE PAU',
        principalManager: null,
        attachments: {},
        email: 'mairie@ville-pau.fr',
      });
      expect(pau.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(pau.services.map((s) => s.code)).toEqual(['FACTURES', 'SERV-CULT', 'SERV-ETAT-CIVIL']);

      const byTypeRef = await cli.corr('structure', 'show', `SIRET:${PAU}`, '--json');
      expect(byTypeRef.code).toBe(0);
      expect(json(byTypeRef)).toEqual(pau);

      const tahiti = await show('TAHITI:003970-001');
      expect(tahiti).toMatchObject({
        idType: 'TAHITI',
        identifier: '003970-001',
        companyName: 'COMMUNE DE PAPEETE',
        departement: '987',
      });
      const ridet = await show('1234567001');
      expect(ridet).toMatchObject({
        idType: 'RIDET',
        companyName: 'PROVINCE SUD',
        countryLabel: 'Nouvelle-Calédonie',
      });

      const stripped = await cli.corr('structure', 'show', '123456600014', '--format', 'csv');
      expect(stripped.code).toBe(0);
      const [header, row, ...rest] = stripped.stdout.split('\r\n');
      expect(
        header!.startsWith('idType;identifier;companyName;postalCode;city;active;address;'),
      ).toBe(true);
      expect(
        row!.startsWith(
          "SIRET;00123456600014;SYNDICAT INTERCOMMUNAL DES EAUX DE L'AIN;01000;BOURG-EN-BRESSE;true;1 rue de la Source;",
        ),
      ).toBe(true);
      expect(rest).toEqual(['']);
    });

    it('the table shows the card then the services', async () => {
      const r = await cli.corr('structure', 'show', PAU);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(tableRow('Raison sociale', 'COMMUNE DE PAU'));
      expect(r.stdout).toMatch(/^SERV-ETAT-CIVIL +État civil +oui +01\/01\/2019$/m);
    });

    it('an unknown structure: 3', async () => {
      for (const ref of ['21640445900028', 'TAHITI:999999-001']) {
        const r = await cli.corr('structure', 'show', ref);
        expect(r.code, ref).toBe(3);
        expect(r.stdout, ref).toBe('');
        expect(r.stderr, ref).toBe(`Erreur : Structure introuvable : ${ref}.\n`);
      }
    });
  });

  describe('users', () => {
    beforeEach(async () => {
      await importFixtures(false);
    }, HEAVY.timeout);

    it('a correspondent lists the users of a structure in scope as CSV; its GP too; a plain user may not', async () => {
      const empty = await cli.corr('structure', 'users', PAU, '--format', 'csv');
      expect(empty.code).toBe(0);
      expect(empty.stdout).toBe(crlf(USERS_HEADER));
      expect(empty.stderr).toBe('');

      await createAccount(fresh.location, PAULINE);
      await createAccount(fresh.location, HELENE, '--nom', 'LEFÈVRE', '--prenom', 'Hélène');
      await makeManager(fresh.location, PAULINE, PAU);
      const gpRow = `${PAULINE};DUFOUR;Pauline;${PAULINE};ACTIF;GESTIONNAIRE_PRINCIPAL;VALIDEE;;;;;MON_COMPTE*,FACTURES_EMISES*,FACTURES_RECUES*,ACTIVITES_GESTIONNAIRE*`;
      const byCorr = await cli.corr('structure', 'users', PAU, '--format', 'csv');
      expect(byCorr.code).toBe(0);
      expect(byCorr.stdout).toBe(crlf(USERS_HEADER, gpRow));

      const byGp = await cli.as(PAULINE)('structure', 'users', PAU, '--format', 'csv');
      expect(byGp.code).toBe(0);
      expect(byGp.stdout).toBe(crlf(USERS_HEADER, gpRow));

      const refused = await cli.corr(
        'structure',
        'users',
        PAU,
        '--status',
        'REFUSEE',
        '--format',
        'csv',
      );
      expect(refused.code).toBe(0);
      expect(refused.stdout).toBe(crlf(USERS_HEADER));

      const byUser = await cli.as(HELENE)('structure', 'users', PAU, '--format', 'csv');
      expect(byUser.code).toBe(4);
      expect(byUser.stdout).toBe('');
      expect(byUser.stderr).toBe(NOT_MANAGER);

      const shown = await show(PAU);
      expect(shown.principalManager).toEqual({
        login: PAULINE,
        lastName: 'DUFOUR',
        firstName: 'Pauline',
        email: PAULINE,
      });
      expect(shown.attachments).toEqual({ VALIDEE: 1 });
    });

    it('a structure outside the correspondent’s scope (33): 4, audited as refused', async () => {
      const r = await cli.corr('structure', 'users', BORDEAUX, '--format', 'csv');
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('Erreur : Cible hors de votre périmètre.\n');
      const [last] = await auditLog(fresh.location);
      expect(last).toMatchObject({
        actor: CORR,
        action: 'structure.users',
        target: `structure:SIRET:${BORDEAUX}`,
        outcome: 'REFUSED',
      });
    });
  });

  describe('service add, edit, deactivate', () => {
    beforeEach(async () => {
      // what importFixtures() leaves, from the seeded template (test/helpers/templates.ts)
      await replaceWithTemplate('seeded', dialect, fresh.location);
      await createAccount(fresh.location, PAULINE);
      await makeManager(fresh.location, PAULINE, PAU);
    }, HEAVY.timeout);
    const gp = (...args: string[]) => cli.as(PAULINE)('structure', 'service', ...args);

    it('add: 0 and searchable by its label; the same code again: 6', async () => {
      const r = await gp(
        'add',
        PAU,
        'SERV-X',
        '--libelle',
        'Piscine municipale',
        '--debut',
        '01/01/2026',
        '--json',
      );
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(`✔ Service SERV-X ajouté à la structure ${PAU}.\n`);
      expect(json(r)).toEqual({
        code: 'SERV-X',
        label: 'Piscine municipale',
        active: true,
        dateStart: '2026-01-01',
        dateEnd: null,
      });
      expect((await search('piscine')).stdout).toBe(csvLines(ROW.pau));
      const [last] = await auditLog(fresh.location);
      expect(last).toMatchObject({
        actor: PAULINE,
        action: 'service.add',
        target: `service:SIRET:${PAU}/SERV-X`,
        outcome: 'OK',
      });

      const again = await gp('add', PAU, 'SERV-X', '--libelle', 'Autre');
      expect(again.code).toBe(6);
      expect(again.stdout).toBe('');
      expect(again.stderr).toBe(
        `Erreur : Le service SERV-X existe déjà dans la structure SIRET:${PAU}.\n`,
      );
      const imported = await gp('add', PAU, 'SERV-CULT', '--libelle', 'Autre');
      expect(imported.code).toBe(6);
      expect((await show(PAU)).services.find((s) => s.code === 'SERV-X')!.label).toBe(
        'Piscine municipale',
      );
    });

    it('edit the label: 0, `Service SERV-X modifié : Libellé.`, the search follows; the same label again: unchanged', async () => {
      expect((await gp('add', PAU, 'SERV-X', '--libelle', 'Piscine municipale')).code).toBe(0);
      const r = await gp('edit', PAU, 'SERV-X', '--libelle', 'Patinoire municipale', '--json');
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('✔ Service SERV-X modifié : Libellé.\n');
      expect(json(r)).toEqual({
        code: 'SERV-X',
        label: 'Patinoire municipale',
        active: true,
        dateStart: null,
        dateEnd: null,
      });
      expect((await search('patinoire')).stdout).toBe(csvLines(ROW.pau));
      expect((await search('piscine')).stdout).toBe(csvLines());

      const same = await gp('edit', PAU, 'SERV-X', '--libelle', 'Patinoire municipale');
      expect(same.code).toBe(0);
      expect(same.stderr).toBe(
        'Service SERV-X inchangé : les valeurs données sont celles déjà enregistrées.\n',
      );

      const unknown = await gp('edit', PAU, 'SERV-NONE', '--libelle', 'X');
      expect(unknown.code).toBe(3);
      expect(unknown.stderr).toBe(
        `Erreur : Service SERV-NONE introuvable dans la structure SIRET:${PAU}.\n`,
      );
    });

    it('edit with an end before the start: 5 naming --fin, nothing written', async () => {
      const r = await gp('edit', PAU, 'SERV-CULT', '--debut', '2026-06-01', '--fin', '2026-01-01');
      expect(r.code).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'Erreur : Saisie invalide : rien n’a été enregistré.\n  - --fin: la date de fin (2026-01-01) précède la date de début (2026-06-01)\n',
      );
      expect((await show(PAU)).services.find((s) => s.code === 'SERV-CULT')).toEqual({
        code: 'SERV-CULT',
        label: 'Service culturel',
        active: true,
        dateStart: '2020-01-01',
        dateEnd: null,
      });
    });

    it('deactivate: 0, then 6', async () => {
      const first = await gp('deactivate', PAU, 'SERV-CULT', '--format', 'csv');
      expect(first.code).toBe(0);
      expect(first.stderr).toBe('✔ Service SERV-CULT désactivé.\n');
      expect(first.stdout).toBe(
        crlf('code;label;active;dateStart;dateEnd', 'SERV-CULT;Service culturel;false;2020-01-01;'),
      );

      const second = await gp('deactivate', PAU, 'SERV-CULT');
      expect(second.code).toBe(6);
      expect(second.stdout).toBe('');
      expect(second.stderr).toBe(
        `Erreur : Le service SERV-CULT de la structure SIRET:${PAU} est déjà désactivé.\n`,
      );
      expect((await show(PAU)).services.find((s) => s.code === 'SERV-CULT')!.active).toBe(false);
    });

    it('a plain user, and a correspondent, are not managers: 4, nothing written', async () => {
      await createAccount(fresh.location, HELENE, '--nom', 'LEFÈVRE', '--prenom', 'Hélène');
      const before = (await show(PAU)).services;
      const user = cli.as(HELENE);
      for (const args of [
        ['add', PAU, 'SERV-Y', '--libelle', 'Y'],
        ['edit', PAU, 'SERV-CULT', '--libelle', 'Y'],
        ['deactivate', PAU, 'SERV-CULT'],
      ]) {
        const r = await user('structure', 'service', ...args);
        expect(r.code, args[0]).toBe(4);
        expect(r.stdout, args[0]).toBe('');
        expect(r.stderr, args[0]).toBe(NOT_MANAGER);
      }
      const byCorr = await cli.corr('structure', 'service', 'add', PAU, 'SERV-Z', '--libelle', 'Z');
      expect(byCorr.code).toBe(4);
      expect(byCorr.stderr).toBe(NOT_MANAGER);

      // Pauline manages Pau, not Lescar
      const elsewhere = await gp('add', OEUVRE, 'SERV-Y', '--libelle', 'Y');
      expect(elsewhere.code).toBe(4);
      expect(elsewhere.stderr).toBe(NOT_MANAGER);

      expect((await show(PAU)).services).toEqual(before);
      const refused = (await auditLog(fresh.location))
        .filter((e) => e.outcome === 'REFUSED')
        .map((e) => [e.actor, e.action]);
      expect(refused).toEqual([
        [PAULINE, 'structure.edit'],
        [CORR, 'structure.edit'],
        [HELENE, 'structure.edit'],
        [HELENE, 'structure.edit'],
        [HELENE, 'structure.edit'],
      ]);
    });
  });

  describe('help', () => {
    it('`structure --help` and `structure search --help`: 0, with examples', async () => {
      const group = await cli.cli('structure', '--help');
      expect(group.code).toBe(0);
      expect(group.stdout).toContain('Utilisation : chorus-admin structure [options] [commande]');
      expect(group.stdout).toContain(
        'Exemples :\n  $ chorus-admin --as corr@dgfip.fr structure import annuaire.csv \\\n      --rejects rejets.csv\n',
      );

      const sub = await cli.cli('structure', 'search', '--help');
      expect(sub.code).toBe(0);
      expect(sub.stdout).toContain('--code-postal <code>');
      expect(sub.stdout).toContain(
        'Exemples :\n  $ chorus-admin --as corr@dgfip.fr structure search "mairie de pau"\n',
      );

      const en = await cli.cli('--lang', 'en', 'structure', 'search', '--help');
      expect(en.code).toBe(0);
      expect(en.stdout).toContain(
        'Examples:\n  $ chorus-admin --as corr@dgfip.fr structure search "mairie de pau"\n',
      );
    });
  });
});

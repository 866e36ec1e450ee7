import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncSummary } from '../../src/app/sync/summary.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { HEAVY, CORR, auditLog, clis, count, createAccount, json } from './fixtures.js';

/** `sync madrhas` end to end (SPEC 5, 8.1): the fixture export against the fixture directory. */

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const MADRHAS = path.join(FIXTURES, 'madrhas.csv');

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
/** The fixture's lines without their CRLF: [0] is the header, [n] is line n + 1 of the file. */
const LINES = fs.readFileSync(MADRHAS, 'utf8').split('\r\n');
const HEADER = LINES[0]!;

/** The four accounts the fixture creates (logins in order). */
const PAULINE = 'pauline.dufour@mairie-pau.fr';
const JEAN = 'jean.martin@mairie-pau.fr';
const ANNE_MARIE = 'anne-marie.le-gall@mont-de-marsan.fr';
const SOPHIE = 'sophie.bernard@chateau-pau.fr';

const PAU = '21640445900010';

/** The nine rejected lines, in file order, as the sample and the rejects report give them. */
const REASONS: [number, string][] = [
  [
    7,
    'IDENTIFIANT_CONNEXION : les données personnelles ou le statut de ce compte diffèrent d’une ligne à l’autre',
  ],
  [
    8,
    'IDENTIFIANT_CONNEXION : les données personnelles ou le statut de ce compte diffèrent d’une ligne à l’autre',
  ],
  [
    9,
    'IDENTIFIANT_STRUCTURE : structure inconnue SIRET:21640445900028 : importez d’abord l’annuaire',
  ],
  [10, 'DATE_DEBUT : date invalide ou inexistante « 30/02/2024 » (JJ/MM/AAAA ou AAAA-MM-JJ)'],
  [
    11,
    'IDENTIFIANT_STRUCTURE : structure SIRET:21330063500017 hors de votre périmètre (département 33)',
  ],
  [12, 'ROLE : plusieurs gestionnaires principaux pour cette structure dans le fichier'],
  [13, 'ROLE : plusieurs gestionnaires principaux pour cette structure dans le fichier'],
  [14, 'CODE_SERVICE : service INCONNU inconnu dans la structure SIRET:21640445900010'],
  [15, 'IDENTIFIANT_STRUCTURE : structure SIRET:21640422800019 inactive'],
];
const REJECTED_LINES = REASONS.map(([line, reason]) => `ligne ${line} : ${reason}\n`).join('');
const PARTIAL =
  'Attention : 9 lignes sur 15 rejetées ; les autres sont importées. Détail avec --rejects FICHIER.csv.\n';
const FIRST_RUN_STDERR = REJECTED_LINES + PARTIAL;

/** One line of a summary: `Créées           12`. */
const tableRow = (label: string, value: string | number) =>
  new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +${value}$`, 'm');

/** The summary as `--json` gives it: the program's own type (FIRST_RUN below spells each value out). */
type Summary = SyncSummary;
type Account = {
  login: string;
  status: string;
  source: string;
  updatedAt: string;
  attachments: {
    structure: string;
    role: string;
    status: string;
    dateStart: string | null;
    dateEnd: string | null;
  }[];
} & Record<string, unknown>;

/** The summary of the first run of the fixture on a store that has none of its accounts. */
const FIRST_RUN: Summary = {
  file: 'madrhas.csv',
  sha256: sha256(MADRHAS),
  encoding: 'utf8',
  mode: 'full',
  dryRun: false,
  // the fixture holds two GP claims on one structure: the streamed path gives way to the staged one
  strategy: 'staged',
  rows: 15,
  accounts: 4,
  created: 4,
  updated: 0,
  unchanged: 0,
  kept: 0,
  keptLocal: 0,
  overridden: 0,
  reactivated: 0,
  deactivated: 0,
  attachmentsAdded: 5,
  attachmentsChanged: 0,
  attachmentsEnded: 0,
  rejected: 9,
  padded: 0,
  gpKept: 0,
  unknownColumns: [],
  sample: REASONS.map(([line, reason]) => ({ line, errors: [reason] })),
  rejectsFile: null,
};

describe.each(DIALECTS)('sync madrhas (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;
  beforeEach(async () => {
    // a copy of the seeded template: `init`, then as CORR `structure import` of the fixture
    // directory (1: 12 created, 2 rejected by design) and `structure import-services` of the
    // fixture services (1: 6 created), checked when it was built (test/helpers/templates.ts)
    fresh = await freshLocation(dialect, 'seeded');
    cli = clis(fresh.location);
  }, HEAVY.timeout);
  afterEach(async () => {
    await fresh.cleanup();
  });

  const sync = (...args: string[]) => cli.corr('sync', 'madrhas', ...args);
  const syncJson = async (...args: string[]) => {
    const r = await sync(...args, '--json');
    return { ...r, summary: json<Summary>(r) };
  };
  /** Login → status of every account, read through the binary. */
  const statuses = async (): Promise<Record<string, string>> => {
    const r = await cli.corr('account', 'list', '--json');
    expect(r.code, r.stderr).toBe(0);
    return Object.fromEntries(json<Account[]>(r).map((a) => [a.login, a.status]));
  };
  /** The account as `account show --json` gives it, its attachments sorted by structure (the order they were written in is not the contract). */
  const show = async (login: string): Promise<Account> => {
    const r = await cli.corr('account', 'show', login, '--json');
    expect(r.code, r.stderr).toBe(0);
    const account = json<Account>(r);
    account.attachments.sort((a, b) => a.structure.localeCompare(b.structure));
    return account;
  };
  /** A file in the test's folder: the fixture's header, then the given lines, CRLF. */
  const file = (name: string, ...lines: string[]): string => {
    const p = path.join(fresh.dir, name);
    fs.writeFileSync(p, [HEADER, ...lines].map((l) => `${l}\r\n`).join(''));
    return p;
  };
  const AFTER_FIRST_RUN = {
    [CORR]: 'ACTIF',
    [ANNE_MARIE]: 'ACTIF',
    [JEAN]: 'ACTIF',
    [PAULINE]: 'ACTIF',
    [SOPHIE]: 'INACTIF',
  };

  it('the fixture: 1, the summary table on stdout, every rejected line and the error on stderr; the valid rows applied', async () => {
    const r = await sync(MADRHAS);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(FIRST_RUN_STDERR);
    for (const [label, value] of [
      ['Fichier', 'madrhas.csv'],
      ['Encodage', 'utf8'],
      ['Mode', 'full'],
      ['Simulation', 'non'],
      ['Lignes', 15],
      ['Comptes du fichier', 4],
      ['Créés', 4],
      ['Mis à jour', 0],
      ['Inchangés', 0],
      ['Données conservées', 0],
      ['Réactivés', 0],
      ['Désactivés', 0],
      ['Rattachements ajoutés', 5],
      ['Rattachements modifiés', 0],
      ['Rattachements clos', 0],
      ['Lignes rejetées', 9],
      ['SIRET complétés', 0],
      // shortened in a table (12 characters and …), whole in JSON and CSV
      ['SHA-256', `${sha256(MADRHAS).slice(0, 12)}…`],
    ] as const)
      expect(r.stdout, label).toMatch(tableRow(label, value));
    expect(r.stdout).not.toContain('ligne');

    // the four accounts, created MADRHAS; Sophie as the file says, INACTIF
    expect(await statuses()).toEqual(AFTER_FIRST_RUN);
    const pauline = await show(PAULINE);
    expect(pauline).toMatchObject({
      source: 'MADRHAS',
      title: 'Mme',
      lastName: 'DUFOUR',
      firstName: 'Pauline',
      email: PAULINE,
      phone: '05 59 27 85 80',
      completedAt: null,
    });
    expect(
      pauline.attachments.map(({ structure, role, status, dateStart, dateEnd }) => ({
        structure,
        role,
        status,
        dateStart,
        dateEnd,
      })),
    ).toEqual([
      {
        structure: `SIRET:${PAU}`,
        role: 'GESTIONNAIRE_PRINCIPAL',
        status: 'VALIDEE',
        dateStart: '2024-01-01',
        dateEnd: null,
      },
      {
        structure: 'SIRET:26640001900011',
        role: 'UTILISATEUR',
        status: 'VALIDEE',
        dateStart: '2024-01-01',
        dateEnd: null,
      },
    ]);
    // a default type (SIRET) and an international phone, in national form
    expect(await show(ANNE_MARIE)).toMatchObject({
      title: 'Mme',
      lastName: 'LE GALL',
      firstName: 'Anne-Marie',
      phone: '05 58 05 87 00',
      attachments: [
        {
          structure: 'SIRET:21400192700018',
          role: 'GESTIONNAIRE_SECONDAIRE',
          status: 'VALIDEE',
          dateStart: '2024-03-01',
          dateEnd: null,
        },
      ],
    });
    expect(await show(SOPHIE)).toMatchObject({ status: 'INACTIF', phone: '05 59 82 38 00' });
    // Jean's two rows make one attachment to Pau with its two services
    const users = await cli.corr('structure', 'users', PAU, '--format', 'csv');
    expect(users.code).toBe(0);
    expect(users.stdout).toBe(
      'login;lastName;firstName;email;accountStatus;role;status;services;dateStart;dateEnd;habilitations;spaces\r\n' +
        `${JEAN};MARTIN;Jean;${JEAN};ACTIF;UTILISATEUR;VALIDEE;SERV-CULT,SERV-ETAT-CIVIL;2024-02-01;2026-12-31;;` +
        'MON_COMPTE:SERV-CULT*,FACTURES_EMISES:SERV-CULT*,FACTURES_RECUES:SERV-CULT*,' +
        'MON_COMPTE:SERV-ETAT-CIVIL*,FACTURES_EMISES:SERV-ETAT-CIVIL*,FACTURES_RECUES:SERV-ETAT-CIVIL*\r\n' +
        `${PAULINE};DUFOUR;Pauline;${PAULINE};ACTIF;GESTIONNAIRE_PRINCIPAL;VALIDEE;;2024-01-01;;;` +
        'MON_COMPTE*,FACTURES_EMISES*,FACTURES_RECUES*,ACTIVITES_GESTIONNAIRE*\r\n',
    );
    // nothing of the rejected rows: neither Marc (lines 7–8) nor the two GPs (12–13)
    for (const login of [
      'marc.petit@mairie-pau.fr',
      'gp.un@ch-mont-de-marsan.fr',
      'zoe.date@mairie-pau.fr',
      'leo.lescar@lescar.fr',
    ]) {
      const missing = await cli.corr('account', 'show', login);
      expect(missing.code, login).toBe(3);
    }
  });

  it('--json: the summary with its counts, sample and SHA-256; one audit entry for the run and one per account', async () => {
    const r = await syncJson(MADRHAS);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(FIRST_RUN_STDERR);
    expect(r.summary).toEqual(FIRST_RUN);

    const log = await auditLog(fresh.location);
    const run = log.find((e) => e.action === 'sync.madrhas')!;
    expect(run).toMatchObject({
      actor: CORR,
      target: 'file:madrhas.csv',
      outcome: 'OK',
      changes: {
        sha256: sha256(MADRHAS),
        encoding: 'utf8',
        mode: 'full',
        rows: 15,
        accounts: 4,
        created: 4,
        updated: 0,
        unchanged: 0,
        rejected: 9,
        attachmentsAdded: 5,
        deactivated: 0,
      },
    });
    expect(
      log
        .filter((e) => e.action === 'sync.account.create')
        .map((e) => e.target)
        .sort(),
    ).toEqual([ANNE_MARIE, JEAN, PAULINE, SOPHIE].map((l) => `account:${l}`).sort());
  });

  it('a second run of the same file changes nothing: 4 unchanged, still 1 for the rejected rows', async () => {
    expect((await sync(MADRHAS)).code).toBe(1);
    const before = await show(PAULINE);
    const again = await syncJson(MADRHAS);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(FIRST_RUN_STDERR);
    expect(again.summary).toEqual({ ...FIRST_RUN, created: 0, unchanged: 4, attachmentsAdded: 0 });
    expect(await show(PAULINE)).toEqual(before);
    expect(await statuses()).toEqual(AFTER_FIRST_RUN);
    expect(
      (await auditLog(fresh.location)).filter((e) => e.action.startsWith('sync.account.')).length,
    ).toBe(4);
  });

  it('--rejects: the input’s columns plus LIGNE and ERREURS, the nine lines, CRLF, no BOM as the input has none', async () => {
    const out = path.join(fresh.dir, 'out.csv');
    const r = await syncJson(MADRHAS, '--rejects', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${REJECTED_LINES}Attention : 9 lignes sur 15 rejetées, écrites dans ${out} ; les autres sont importées.\n`,
    );
    expect(r.summary).toEqual({ ...FIRST_RUN, rejectsFile: out });

    const bytes = fs.readFileSync(out);
    expect(bytes[0]).toBe(0x49); // 'I' of IDENTIFIANT_CONNEXION
    const text = bytes.toString('utf8');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text.split('\r\n')).toEqual([
      `${HEADER};LIGNE;ERREURS`,
      ...REASONS.map(([line, reason]) => `${LINES[line - 1]};${line};${reason}`),
      '',
    ]);
  });

  it('--rejects in a folder that does not exist: 5, nothing written', async () => {
    const out = path.join(fresh.dir, 'nowhere', 'out.csv');
    const r = await sync(MADRHAS, '--rejects', out);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(path.join(fresh.dir, 'nowhere'));
    expect(await statuses()).toEqual({ [CORR]: 'ACTIF' });
  });

  it('--strict: 5 with the count, nothing applied; the account list shows only the correspondent', async () => {
    const r = await sync(MADRHAS, '--strict');
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'Erreur : 9 lignes rejetées avec --strict : rien n’a été appliqué.\n  - FILE: 9 lignes rejetées\n',
    );
    const list = await cli.corr('account', 'list', '--json');
    expect(list.code).toBe(0);
    expect(json<Account[]>(list).map((a) => a.login)).toEqual([CORR]);
    expect((await auditLog(fresh.location)).filter((e) => e.action.startsWith('sync.'))).toEqual(
      [],
    );
  });

  it('--strict on a file without rejected rows: 0, applied', async () => {
    const clean = file('clean.csv', LINES[1]!, LINES[2]!);
    const r = await syncJson(clean, '--strict');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('✔ Synchronisation de clean.csv terminée : 1 compte, 2 lignes.\n');
    expect(r.summary).toMatchObject({
      rows: 2,
      accounts: 1,
      created: 1,
      attachmentsAdded: 2,
      rejected: 0,
      sample: [],
    });
    expect(await statuses()).toEqual({ [CORR]: 'ACTIF', [PAULINE]: 'ACTIF' });
  });

  it('--dry-run: the same summary (dryRun true), “Simulation” on stderr, nothing written', async () => {
    const r = await syncJson(MADRHAS, '--dry-run');
    expect(r.code).toBe(1);
    // a dry run never says it imported (issue 15)
    expect(r.stderr).toBe(
      `Simulation : rien n’a été enregistré.\n${FIRST_RUN_STDERR.replace('les autres sont importées', 'les autres seraient importées')}`,
    );
    // --json: the plan (issue 16 point 2), its summary the run's
    const { sample: _sample, ...counts } = FIRST_RUN;
    expect(r.summary).toMatchObject({ format: 'chorus-admin/sync-plan', overLimit: null });
    expect((r.summary as unknown as { summary: unknown }).summary).toEqual({
      ...counts,
      dryRun: true,
    });
    expect(await statuses()).toEqual({ [CORR]: 'ACTIF' });
    expect((await auditLog(fresh.location)).filter((e) => e.action.startsWith('sync.'))).toEqual(
      [],
    );

    const table = await sync(MADRHAS, '--dry-run');
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(tableRow('Simulation', 'oui'));
    expect(table.stdout).toMatch(tableRow('Créés', 4));

    // the real run after the simulations still creates the four accounts
    const real = await syncJson(MADRHAS);
    expect(real.summary).toEqual(FIRST_RUN);
  });

  it('--max-deactivations abc: 5 naming the option, nothing written', async () => {
    const r = await sync(MADRHAS, '--max-deactivations', 'abc');
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'Erreur : Saisie invalide : rien n’a été enregistré.\n  - --max-deactivations: « abc » : un nombre (50) ou un pourcentage (10%) attendu\n',
    );
    for (const bad of ['150%', '2.5', '-1']) {
      const other = await sync(MADRHAS, '--max-deactivations', bad);
      expect(other.code, bad).toBe(5);
      expect(other.stderr, bad).toContain(`--max-deactivations: « ${bad} »`);
    }
    expect(await statuses()).toEqual({ [CORR]: 'ACTIF' });
  });

  it('--mode other: 5, commander’s choices named', async () => {
    const r = await sync(MADRHAS, '--mode', 'other');
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'Erreur : Saisie invalide : rien n’a été enregistré.\n  - --mode: « other » n’est pas une valeur admise (full, delta)\n',
    );
    expect(await statuses()).toEqual({ [CORR]: 'ACTIF' });
  });

  it('a file without the DATE_DEBUT column: 5 naming it on line 1, nothing written', async () => {
    const noColumn = path.join(fresh.dir, 'sans-date.csv');
    fs.writeFileSync(
      noColumn,
      LINES.slice(0, 7)
        .map(
          (l) =>
            `${l
              .split(';')
              .filter((_, i) => i !== 10)
              .join(';')}\r\n`,
        )
        .join(''),
    );
    const r = await sync(noColumn);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'Erreur : Fichier sans-date.csv inutilisable : rien n’a été enregistré.\n  - ligne 1 DATE_DEBUT: colonne obligatoire absente de l’en-tête\n',
    );
    expect(await statuses()).toEqual({ [CORR]: 'ACTIF' });
  });

  it('a file that does not exist: 5 naming it, nothing written', async () => {
    const missing = path.join(fresh.dir, 'absent.csv');
    const r = await sync(missing);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `Erreur : Fichier absent.csv inutilisable : rien n’a été enregistré.\n  - FILE: lecture impossible (fichier introuvable)\n`,
    );
    expect((await auditLog(fresh.location)).filter((e) => e.action.startsWith('sync.'))).toEqual(
      [],
    );
  });

  it('a plain account may not sync: 4, audited as refused, nothing written', async () => {
    const HELENE = 'helene.lefevre@mairie-pau.fr';
    await createAccount(fresh.location, HELENE, '--nom', 'LEFÈVRE', '--prenom', 'Hélène');
    const r = await cli.as(HELENE)('sync', 'madrhas', MADRHAS);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Erreur : Action réservée aux correspondants dématérialisation.\n');
    const [last] = await auditLog(fresh.location);
    expect(last).toMatchObject({
      actor: HELENE,
      action: 'sync.madrhas',
      target: 'file:madrhas.csv',
      outcome: 'REFUSED',
      changes: { reason: 'rights.correspondentOnly' },
    });
    expect(await statuses()).toEqual({ [CORR]: 'ACTIF', [HELENE]: 'ACTIF' });
  });

  describe('full mode after the first run', () => {
    /** Only Pauline's line at Pau: Jean and Anne-Marie are absent (Sophie is already INACTIF). */
    let truncated: string;
    beforeEach(async () => {
      // no credentials: the messages these tests count are the deactivations'
      expect((await sync(MADRHAS, '--no-credentials')).code).toBe(1);
      truncated = file('tronque.csv', LINES[1]!);
    }, HEAVY.timeout);

    it('the guard: 6 with the counts and the accounts named, the summary shown, nothing changed', async () => {
      const before = await show(PAULINE);
      // the default 10% allows 3 accounts at least (issue 16 point 3): 2 of 3 would go
      const r = await sync(truncated, '--max-deactivations', '0%');
      expect(r.code).toBe(6);
      expect(r.stdout).toMatch(tableRow('Désactivés', 2));
      const refusal = (limit: number, max: string) =>
        `Erreur : Passage refusé : il désactiverait 2 comptes sur 3 (limite ${limit}, --max-deactivations ${max}) : ${ANNE_MARIE}, ${JEAN}. Rien n’a été modifié ; vérifiez que l’export est complet. Si ces départs sont voulus, enregistrez le plan (--plan) et faites-le appliquer par un autre correspondant dont le périmètre couvre le vôtre (sync apply, avec --reason).\n`;
      expect(r.stderr).toBe(refusal(0, '0%'));
      expect(await statuses()).toEqual(AFTER_FIRST_RUN);
      expect(await show(PAULINE)).toEqual(before);
      expect(await count(fresh.location, 'notification', { accountLogin: JEAN })).toBe(0);

      const byCount = await sync(truncated, '--max-deactivations', '1');
      expect(byCount.code).toBe(6);
      expect(byCount.stderr).toBe(refusal(1, '1'));
      expect(await statuses()).toEqual(AFTER_FIRST_RUN);
    });

    it('--max-deactivations 100%: 0, the absent accounts INACTIF with their attachments ended and told; Pauline’s unlisted attachment ended', async () => {
      const r = await syncJson(truncated, '--max-deactivations', '100%');
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('✔ Synchronisation de tronque.csv terminée : 1 compte, 1 ligne.\n');
      expect(r.summary).toMatchObject({
        file: 'tronque.csv',
        rows: 1,
        accounts: 1,
        created: 0,
        updated: 1,
        unchanged: 0,
        deactivated: 2,
        attachmentsAdded: 0,
        attachmentsEnded: 3,
        rejected: 0,
      });

      expect((await show(JEAN)).status).toBe('INACTIF');
      expect((await show(JEAN)).attachments.map((a) => a.status)).toEqual(['DESACTIVEE']);
      expect((await show(ANNE_MARIE)).status).toBe('INACTIF');
      expect(await statuses()).toEqual({
        ...AFTER_FIRST_RUN,
        [JEAN]: 'INACTIF',
        [ANNE_MARIE]: 'INACTIF',
      });
      const pauline = await show(PAULINE);
      expect(pauline.status).toBe('ACTIF');
      expect(pauline.attachments.map((a) => [a.structure, a.status])).toEqual([
        [`SIRET:${PAU}`, 'VALIDEE'],
        ['SIRET:26640001900011', 'DESACTIVEE'],
      ]);
      expect(await count(fresh.location, 'notification', { accountLogin: JEAN })).toBe(1);
      expect(await count(fresh.location, 'notification', { accountLogin: ANNE_MARIE })).toBe(1);
      const deactivations = (await auditLog(fresh.location)).filter(
        (e) => e.action === 'sync.account.deactivate',
      );
      expect(deactivations.map((e) => e.target).sort()).toEqual([
        `account:${ANNE_MARIE}`,
        `account:${JEAN}`,
      ]);

      // the whole export again: both come back, their attachments validated again
      const back = await syncJson(MADRHAS);
      expect(back.code).toBe(1);
      expect(back.summary).toMatchObject({
        created: 0,
        reactivated: 2,
        updated: 1,
        unchanged: 1,
        attachmentsAdded: 0,
        attachmentsChanged: 3,
        deactivated: 0,
      });
      expect(await statuses()).toEqual(AFTER_FIRST_RUN);
      expect((await show(JEAN)).attachments.map((a) => a.status)).toEqual(['VALIDEE']);
    });

    it('a rejected row does not end the attachment it names: Pauline’s line 3 with 30/02/2024 leaves her CH Pau attachment VALIDEE', async () => {
      const before = await show(PAULINE);
      const typo = file(
        'coquille.csv',
        ...LINES.slice(1, 16).map((l, i) => (i === 1 ? l.replace('01/01/2024', '30/02/2024') : l)),
      );
      const r = await syncJson(typo);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        'ligne 3 : DATE_DEBUT : date invalide ou inexistante « 30/02/2024 » (JJ/MM/AAAA ou AAAA-MM-JJ)\n' +
          REJECTED_LINES +
          'Attention : 10 lignes sur 15 rejetées ; les autres sont importées. Détail avec --rejects FICHIER.csv.\n',
      );
      expect(r.summary).toMatchObject({
        rows: 15,
        accounts: 4,
        created: 0,
        updated: 0,
        unchanged: 4,
        deactivated: 0,
        attachmentsEnded: 0,
        rejected: 10,
      });
      expect(await show(PAULINE)).toEqual(before);
      expect(before.attachments.map((a) => [a.structure, a.status])).toEqual([
        [`SIRET:${PAU}`, 'VALIDEE'],
        ['SIRET:26640001900011', 'VALIDEE'],
      ]);
    });

    it('--mode delta on the same file never deactivates: 0, every account as it was', async () => {
      const before = await show(PAULINE);
      const r = await syncJson(truncated, '--mode', 'delta');
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('✔ Synchronisation de tronque.csv terminée : 1 compte, 1 ligne.\n');
      expect(r.summary).toMatchObject({
        mode: 'delta',
        rows: 1,
        accounts: 1,
        created: 0,
        updated: 0,
        unchanged: 1,
        deactivated: 0,
        attachmentsEnded: 0,
        rejected: 0,
      });
      expect(await statuses()).toEqual(AFTER_FIRST_RUN);
      expect(await show(PAULINE)).toEqual(before);
      expect(await count(fresh.location, 'notification', { accountLogin: JEAN })).toBe(0);
    });
  });

  it('--lang en: the summary headings, the rejected lines and the error in English', async () => {
    const r = await cli.corr('--lang', 'en', 'sync', 'madrhas', MADRHAS);
    expect(r.code).toBe(1);
    for (const [label, value] of [
      ['File', 'madrhas.csv'],
      ['Dry run', 'no'],
      ['Rows', 15],
      ['Accounts in file', 4],
      ['Created', 4],
      ['Attachments added', 5],
      ['Rejected rows', 9],
    ] as const)
      expect(r.stdout, label).toMatch(tableRow(label, value));
    expect(r.stdout).not.toContain('Créés');
    expect(r.stderr.split('\n')).toEqual([
      "line 7: IDENTIFIANT_CONNEXION: this account's personal data or status differ from one row to another",
      "line 8: IDENTIFIANT_CONNEXION: this account's personal data or status differ from one row to another",
      'line 9: IDENTIFIANT_STRUCTURE: unknown structure SIRET:21640445900028: import the directory first',
      'line 10: DATE_DEBUT: invalid or non-existent date "30/02/2024" (DD/MM/YYYY or YYYY-MM-DD)',
      'line 11: IDENTIFIANT_STRUCTURE: structure SIRET:21330063500017 is outside your scope (département 33)',
      'line 12: ROLE: several principal managers for this structure in the file',
      'line 13: ROLE: several principal managers for this structure in the file',
      'line 14: CODE_SERVICE: unknown service INCONNU in structure SIRET:21640445900010',
      'line 15: IDENTIFIANT_STRUCTURE: structure SIRET:21640422800019 is inactive',
      'Warning: 9 rows of 15 rejected; the others were imported. Details with --rejects FILE.csv.',
      '',
    ]);
  });

  it('sync madrhas --help: 0, the options and the examples', async () => {
    const r = await cli.cli('sync', 'madrhas', '--help');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Utilisation : chorus-admin sync madrhas \[options\] <fichier>\n/);
    for (const option of [
      '--dry-run',
      '--mode <mode>',
      '--encoding <encodage>',
      '--rejects <fichier>',
      '--max-deactivations <n|p%>',
      '--strict',
    ])
      expect(r.stdout, option).toContain(option);
    expect(r.stdout).toContain(
      'Exemples :\n' +
        '  $ chorus-admin --as corr@dgfip.fr sync madrhas export-64.csv --dry-run\n' +
        '  $ chorus-admin --as corr@dgfip.fr sync madrhas export-64.csv \\\n' +
        '      --rejects rejets.csv --max-deactivations 50\n' +
        '  $ chorus-admin --as corr@dgfip.fr --json sync madrhas export-64.csv \\\n' +
        '      --mode delta --strict\n',
    );
  });

  it('a file of 2,500 rows on a non-TTY stderr: all created, and never a progress bar on stderr', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => {
      const login = `agent${String(i).padStart(4, '0')}@mairie-pau.fr`;
      return `${login};M.;AGENT;Numéro;${login};;SIRET;${PAU};SERV-CULT;UTILISATEUR;01/01/2024;;ACTIF`;
    });
    const big = file('grand.csv', ...rows);
    const r = await syncJson(big);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('✔ Synchronisation de grand.csv terminée : 2500 comptes, 2500 lignes.\n');
    // eslint-disable-next-line no-control-regex -- the escape of a progress bar is what it looks for
    expect(r.stderr).not.toMatch(/[\r\u001b[█░]/);
    expect(r.summary).toMatchObject({
      rows: 2500,
      accounts: 2500,
      created: 2500,
      attachmentsAdded: 2500,
      rejected: 0,
    });

    const fixture = await sync(MADRHAS, '--mode', 'delta');
    expect(fixture.code).toBe(1);
    expect(fixture.stderr).toBe(FIRST_RUN_STDERR);
    // eslint-disable-next-line no-control-regex -- the escape of a progress bar is what it looks for
    expect(fixture.stderr).not.toMatch(/[\r\u001b[█░]/);
  });
});

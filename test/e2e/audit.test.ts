import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Selectable } from 'kysely';
import { cliFor } from '../helpers/cli.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import type { AuditLogTable } from '../../src/db/schema.js';
import {
  CORR,
  PAULINE,
  HEAVY,
  auditLog,
  clis,
  createAccount,
  initStore,
  json,
  withDb,
  type AuditEntry,
} from './fixtures.js';

/** `audit list | export | verify` end to end, and the hash chain against direct tampering. */

const HELENE = 'helene.lefevre@mairie-pau.fr';

describe.each(DIALECTS)('audit (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    fresh = await freshLocation(dialect);
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  /** The CLI at a fixed instant (its clock), so that --since is tested against known dates. */
  const at = (instant: string, login: string) => {
    const cli = cliFor(fresh.location, { now: instant });
    return (...args: string[]) => cli('--as', login, ...args);
  };

  it('lists entries newest first, filtered by --actor, --target and --since', async () => {
    await initStore(fresh.location, { now: '2026-01-10T09:00:00.000Z' });
    const created = await at('2026-02-01T10:00:00.000Z', CORR)(
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
    expect(created.code).toBe(0);
    const edited = await at('2026-03-01T11:00:00.000Z', PAULINE)(
      'account',
      'edit',
      '--ville',
      'Pau',
    );
    expect(edited.code).toBe(0);

    const { corr } = clis(fresh.location);
    const list = async (...args: string[]) => {
      const r = await corr('audit', 'list', '--json', ...args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stderr).toBe('');
      return json<AuditEntry[]>(r).map((e) => [e.seq, e.action]);
    };

    const all = await corr('audit', 'list', '--json');
    expect(all.code).toBe(0);
    expect(json<AuditEntry[]>(all)).toMatchObject([
      {
        seq: 3,
        at: '2026-03-01T11:00:00.000Z',
        actor: PAULINE,
        action: 'account.edit',
        target: `account:${PAULINE}`,
        outcome: 'OK',
        changes: { city: { before: null, after: 'Pau' } },
      },
      {
        seq: 2,
        at: '2026-02-01T10:00:00.000Z',
        actor: CORR,
        action: 'account.create',
        target: `account:${PAULINE}`,
        outcome: 'OK',
      },
      {
        seq: 1,
        at: '2026-01-10T09:00:00.000Z',
        actor: CORR,
        action: 'store.init',
        target: `account:${CORR}`,
        outcome: 'OK',
      },
    ]);

    expect(await list('--actor', PAULINE)).toEqual([[3, 'account.edit']]);
    expect(await list('--actor', 'Claire.Martin@DGFIP.finances.gouv.fr')).toEqual([
      [2, 'account.create'],
      [1, 'store.init'],
    ]);
    expect(await list('--target', PAULINE)).toEqual([
      [3, 'account.edit'],
      [2, 'account.create'],
    ]);
    expect(await list('--target', `account:${CORR}`)).toEqual([[1, 'store.init']]);
    expect(await list('--since', '15/01/2026')).toEqual([
      [3, 'account.edit'],
      [2, 'account.create'],
    ]);
    expect(await list('--since', '2026-02-15')).toEqual([[3, 'account.edit']]);
    expect(await list('--since', '2026-03-02')).toEqual([]);
    expect(await list('--actor', CORR, '--since', '2026-01-11')).toEqual([[2, 'account.create']]);

    const table = await corr('audit', 'list', '--target', PAULINE);
    expect(table.code).toBe(0);
    // actions by their label (issue 15)
    expect(table.stdout).toContain('Modification de');
    expect(table.stdout).not.toContain('Initialisation');

    const badDate = await corr('audit', 'list', '--since', '31/02/2026');
    expect(badDate.code).toBe(5);
    expect(badDate.stdout).toBe('');
    expect(badDate.stderr).toContain('--since: date invalide');
  });

  it('exports the whole log as JSON lines, oldest first, one per entry', async () => {
    await initStore(fresh.location);
    await createAccount(fresh.location, PAULINE);
    await createAccount(fresh.location, HELENE, '--nom', 'LEFÈVRE', '--prenom', 'Hélène');

    const r = await clis(fresh.location).corr('audit', 'export');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('3 entrées exportées.\n');
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    const entries = lines.map((l) => JSON.parse(l) as AuditEntry & { hash: string });
    expect(entries.map((e) => [e.seq, e.action, e.target])).toEqual([
      [1, 'store.init', `account:${CORR}`],
      [2, 'account.create', `account:${PAULINE}`],
      [3, 'account.create', `account:${HELENE}`],
    ]);
    for (const e of entries) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    // the same entries as `audit list`, which gives them newest first
    expect((await auditLog(fresh.location)).reverse()).toEqual(entries);
  });

  it('verify: 0 on an intact log; an altered, a removed middle or a removed newest entry is 1 naming it', async () => {
    await initStore(fresh.location);
    await createAccount(fresh.location, PAULINE);
    await createAccount(fresh.location, HELENE, '--nom', 'LEFÈVRE', '--prenom', 'Hélène');
    const { corr } = clis(fresh.location);
    expect((await corr('account', 'deactivate', HELENE)).code).toBe(0);

    const intact = async () => {
      const r = await corr('audit', 'verify');
      expect(r.stderr).toMatch(
        /^✔ Journal intègre : 4 entrées ; tête n° 4, empreinte [0-9a-f]{12}…\.\n$/,
      );
      expect(r.stdout).toBe('');
      expect(r.code).toBe(0);
    };
    const broken = async (message: string, kind: string, seq: number) => {
      const r = await corr('audit', 'verify', '--json');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Erreur : ${message}`);
      expect(json(r)).toMatchObject({ ok: false, break: { kind, seq } });
      const table = await corr('audit', 'verify');
      expect(table.code).toBe(1);
      expect(table.stdout).toBe('');
      expect(table.stderr).toContain(message);
    };
    const rowOf = (seq: number) =>
      withDb(fresh.location, (db) =>
        db.selectFrom('auditLog').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow(),
      );
    const remove = (seq: number) =>
      withDb(fresh.location, (db) => db.deleteFrom('auditLog').where('seq', '=', seq).execute());
    const restore = (row: Selectable<AuditLogTable>) =>
      withDb(fresh.location, (db) => db.insertInto('auditLog').values(row).execute());

    await intact();
    const ok = await corr('audit', 'verify', '--json');
    expect(ok.code).toBe(0);
    expect(json(ok)).toMatchObject({ ok: true, entries: 4, head: { seq: 4 }, break: null });

    // an entry's author rewritten
    const second = await rowOf(2);
    await withDb(fresh.location, (db) =>
      db.updateTable('auditLog').set({ actor: 'intrus@example.fr' }).where('seq', '=', 2).execute(),
    );
    await broken('Journal rompu : l’entrée n° 2 a été modifiée.', 'altered', 2);
    await withDb(fresh.location, (db) =>
      db.updateTable('auditLog').set({ actor: second.actor }).where('seq', '=', 2).execute(),
    );
    await intact();

    // a middle entry removed
    const third = await rowOf(3);
    await remove(3);
    await broken('Journal rompu : l’entrée n° 3 a été supprimée.', 'removed', 3);
    await restore(third);
    await intact();

    // the newest entry removed: only the head kept beside the log shows it
    const fourth = await rowOf(4);
    await remove(4);
    await broken('Journal rompu : l’entrée n° 4 a été supprimée.', 'removed', 4);
    await restore(fourth);
    await intact();
  });

  it('is for correspondents only: a plain user gets 4 from list, export and verify, each audited as refused', async () => {
    await initStore(fresh.location);
    await createAccount(fresh.location, PAULINE);
    const user = clis(fresh.location).as(PAULINE);
    for (const command of ['list', 'export', 'verify']) {
      const r = await user('audit', command);
      expect(r.code, command).toBe(4);
      expect(r.stdout, command).toBe('');
      expect(r.stderr, command).toContain('Action réservée aux correspondants dématérialisation.');
    }
    const refused = (await auditLog(fresh.location)).filter((e) => e.outcome === 'REFUSED');
    expect(refused.map((e) => [e.actor, e.action, e.target])).toEqual([
      [PAULINE, 'audit.read', 'audit'],
      [PAULINE, 'audit.read', 'audit'],
      [PAULINE, 'audit.read', 'audit'],
    ]);
    // the correspondent reads them as a log: the refusal said, its reason in words
    const log = await clis(fresh.location).corr(
      'audit',
      'list',
      '--actor',
      PAULINE,
      '--limit',
      '1',
    );
    expect(log.stdout).toMatch(
      new RegExp(
        `^N° \\d+  \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d  ${PAULINE.replace(/\./g, '\\.')}  Refusé$`,
        'm',
      ),
    );
    expect(log.stdout).toContain(
      '\n  Motif : Action réservée aux correspondants dématérialisation.\n',
    );
    expect(log.stdout).not.toContain('rights.');
  });
});

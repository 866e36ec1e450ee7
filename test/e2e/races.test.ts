import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../helpers/cli.js';
import { PG_URL, freshLocation, type FreshLocation } from '../helpers/stores.js';
import {
  HEAVY,
  PAU,
  attach,
  clis,
  createAccount,
  initStore,
  insertStructures,
  json,
  withDb,
} from './fixtures.js';

/**
 * SPEC 5 on PostgreSQL: two commands at the same moment give what one after the other would. The
 * test holds a lock open (a transaction of its own), starts both commands against it, waits until
 * both are blocked on it (or done), then releases it: they then race for real. Each race is run
 * a few times; whichever wins, the other exits 6 (never 0 as well, never 70), one e-mail only.
 * On SQLite writers take turns (BEGIN IMMEDIATE): see test/spawned/races.test.ts.
 */

const GP = 'gp@mairie-pau.fr';
const MADRHAS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../fixtures/madrhas.csv',
);
/** The accounts the fixture export creates. */
const SYNCED = [
  'anne-marie.le-gall@mont-de-marsan.fr',
  'jean.martin@mairie-pau.fr',
  'pauline.dufour@mairie-pau.fr',
  'sophie.bernard@chateau-pau.fr',
];
const NOW = '2026-03-11T10:00:00.000Z';
const ROUNDS = 3;
/** The commands wait for the held lock as long as the test holds it: no timing in play. */
const ENV = { now: NOW, env: { CHORUS_ADMIN_LOCK_TIMEOUT: '120000' } };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `commands` while `hold` keeps a lock in a transaction of the test's own: each is started
 * once the ones before it are blocked on a lock (or finished), so they queue in the order given;
 * the lock is released once every one is.
 */
async function race(
  location: string,
  hold: (client: pg.Client) => Promise<unknown>,
  commands: (() => Promise<RunResult>)[],
): Promise<RunResult[]> {
  const holder = new pg.Client({ connectionString: location });
  const watcher = new pg.Client({ connectionString: location });
  await holder.connect();
  await watcher.connect();
  try {
    await holder.query('begin');
    await hold(holder);
    let finished = 0;
    const runs: Promise<RunResult>[] = [];
    for (const command of commands) {
      runs.push(command().finally(() => finished++));
      for (;;) {
        // (pg_stat_activity is read afresh by each statement outside a transaction)
        const { rows } = await watcher.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`,
        );
        if (finished + rows[0]!.n >= runs.length) break;
        await sleep(10);
      }
    }
    await holder.query('rollback');
    return await Promise.all(runs);
  } finally {
    await holder.end();
    await watcher.end();
  }
}

const codes = (results: RunResult[]) => results.map((r) => r.code).sort();

describe.skipIf(!PG_URL)('races on PostgreSQL: decided once, the loser gets 6', HEAVY, () => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;
  let pau: number;

  beforeEach(async () => {
    fresh = await freshLocation('postgres');
    await initStore(fresh.location);
    cli = clis(fresh.location, ENV);
    await createAccount(fresh.location, GP);
    ({ pau } = await insertStructures(fresh.location));
    await withDb(fresh.location, (db) => attach(db, GP, pau, 'GESTIONNAIRE_PRINCIPAL'));
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  const mailsTo = (login: string, events: string[]) =>
    withDb(fresh.location, (db) =>
      db
        .selectFrom('notification')
        .innerJoin('account', 'account.id', 'notification.accountId')
        .select('notification.event')
        .where('account.login', '=', login)
        .where('notification.event', 'in', events)
        .execute(),
    );
  const auditOf = (target: string, actions: string[]) =>
    withDb(fresh.location, (db) =>
      db
        .selectFrom('auditLog')
        .select(['action', 'outcome'])
        .where('target', '=', target)
        .where('action', 'in', actions)
        .execute(),
    );

  it('attachment approve and reject of one request: one wins, the other exits 6, one e-mail', async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const requester = `agent${round}@mairie-pau.fr`;
      await createAccount(fresh.location, requester);
      const asked = await cli.as(requester)(
        '--json',
        'attachment',
        'request',
        PAU.identifier,
        '--comment',
        'Agent comptable',
      );
      expect(asked.code).toBe(0);
      const id = json<{ id: number }>(asked).id;

      const results = await race(
        fresh.location,
        (c) => c.query('select id from attachment where id = $1 for update', [id]),
        [
          () => cli.as(GP)('attachment', 'approve', String(id)),
          () => cli.as(GP)('attachment', 'reject', String(id), '--reason', 'Inconnu'),
        ],
      );
      expect(codes(results), results.map((r) => r.stderr).join('\n')).toEqual([0, 6]);
      const loser = results.find((r) => r.code === 6)!;
      expect(loser.stderr).toContain(`La demande n° ${id} est déjà traitée`);
      const mails = await mailsTo(requester, ['ATTACHMENT_APPROVED', 'ATTACHMENT_REJECTED']);
      expect(mails).toHaveLength(1);
      const status = await withDb(fresh.location, (db) =>
        db.selectFrom('attachment').select('status').where('id', '=', id).executeTakeFirstOrThrow(),
      );
      expect(status.status).toBe(mails[0]!.event === 'ATTACHMENT_APPROVED' ? 'VALIDEE' : 'REFUSEE');
      expect(
        (await auditOf(`attachment:${id}`, ['attachment.approve', 'attachment.reject'])).length,
      ).toBe(1);
    }
  });

  it('habilitation approve and reject of one request: one wins, the other exits 6, one e-mail', async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const holder = `user${round}@mairie-pau.fr`;
      await createAccount(fresh.location, holder);
      await withDb(fresh.location, (db) => attach(db, holder, pau));
      const asked = await cli.as(holder)(
        '--json',
        'habilitation',
        'request',
        '--structure',
        PAU.identifier,
        '--profile',
        'CONSULTATION_UTILISATEURS',
      );
      expect(asked.code).toBe(0);
      const id = json<{ id: number }>(asked).id;

      const results = await race(
        fresh.location,
        (c) => c.query('select id from habilitation where id = $1 for update', [id]),
        [
          () => cli.as(GP)('habilitation', 'approve', String(id)),
          () => cli.as(GP)('habilitation', 'reject', String(id), '--reason', 'Non justifié'),
        ],
      );
      expect(codes(results), results.map((r) => r.stderr).join('\n')).toEqual([0, 6]);
      expect(results.find((r) => r.code === 6)!.stderr).toContain(
        `La demande n° ${id} est déjà décidée`,
      );
      expect(
        await mailsTo(holder, ['HABILITATION_APPROVED', 'HABILITATION_REJECTED']),
      ).toHaveLength(1);
      expect(
        (await auditOf(`habilitation:${id}`, ['habilitation.approve', 'habilitation.reject']))
          .length,
      ).toBe(1);
    }
  });

  it('subscription approve and reject of one request: one wins, the other exits 6, one e-mail', async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const holder = `member${round}@mairie-pau.fr`;
      await createAccount(fresh.location, holder);
      await withDb(fresh.location, (db) => attach(db, holder, pau));
      const asked = await cli.as(holder)(
        '--json',
        'subscription',
        'request',
        PAU.identifier,
        'FACTURES_TRAVAUX',
      );
      expect(asked.code, asked.stderr).toBe(0);
      const id = json<{ id: number }>(asked).id;

      const results = await race(
        fresh.location,
        (c) => c.query('select id from subscription where id = $1 for update', [id]),
        [
          () => cli.as(GP)('subscription', 'approve', String(id)),
          () => cli.as(GP)('subscription', 'reject', String(id), '--reason', 'Non justifié'),
        ],
      );
      expect(codes(results), results.map((r) => r.stderr).join('\n')).toEqual([0, 6]);
      expect(
        await mailsTo(holder, ['SUBSCRIPTION_APPROVED', 'SUBSCRIPTION_REJECTED']),
      ).toHaveLength(1);
      expect(
        (await auditOf(`subscription:${id}`, ['subscription.approve', 'subscription.reject']))
          .length,
      ).toBe(1);
    }
  });

  it('a GP transfer and the deletion of the successor: one exits 6, no deleted account is GP', async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const successor = `successor${round}@mairie-pau.fr`;
      await createAccount(fresh.location, successor);
      const gp = await principalOf(pau);
      // both do all their work, then wait to write the audit log: the lock the test holds
      const results = await race(
        fresh.location,
        (c) => c.query('select seq from audit_head for update'),
        [
          () =>
            cli.as(gp)('attachment', 'detach', PAU.identifier, '--new-manager', successor, '--yes'),
          () => cli.corr('account', 'delete', successor, '--yes'),
        ],
      );
      expect(codes(results), results.map((r) => r.stderr).join('\n')).toEqual([0, 6]);
      const account = await withDb(fresh.location, (db) =>
        db
          .selectFrom('account')
          .select('status')
          .where('login', '=', successor)
          .executeTakeFirstOrThrow(),
      );
      const now = await principalOf(pau);
      if (account.status === 'ACTIF') expect(now).toBe(successor);
      else expect(now).toBe(gp);
      expect(await inactiveGps()).toEqual([]);
    }
  });

  it('two GP transfers at once: one exits 0, the other 6, one GP', async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const [first, second] = [`first${round}@mairie-pau.fr`, `second${round}@mairie-pau.fr`];
      await createAccount(fresh.location, first);
      await createAccount(fresh.location, second);
      const gp = await principalOf(pau);
      const gpAttachment = await withDb(fresh.location, (db) =>
        db
          .selectFrom('attachment')
          .innerJoin('account', 'account.id', 'attachment.accountId')
          .select('attachment.id')
          .where('account.login', '=', gp)
          .where('attachment.structureId', '=', pau)
          .where('attachment.status', '=', 'VALIDEE')
          .executeTakeFirstOrThrow(),
      );
      const results = await race(
        fresh.location,
        (c) => c.query('select id from attachment where id = $1 for update', [gpAttachment.id]),
        [first, second].map(
          (to) => () =>
            cli.as(gp)('attachment', 'detach', PAU.identifier, '--new-manager', to, '--yes'),
        ),
      );
      expect(codes(results), results.map((r) => r.stderr).join('\n')).toEqual([0, 6]);
      expect(results.find((r) => r.code === 6)!.stderr).toContain('a changé entre-temps');
      const now = await principalOf(pau);
      expect([first, second]).toContain(now);
      const gps = await withDb(fresh.location, (db) =>
        db
          .selectFrom('attachment')
          .select('id')
          .where('structureId', '=', pau)
          .where('status', '=', 'VALIDEE')
          .where('role', '=', 'GESTIONNAIRE_PRINCIPAL')
          .execute(),
      );
      expect(gps).toHaveLength(1);
      expect(await mailsTo(now, ['GP_TRANSFERRED'])).toHaveLength(1);
      const other = now === first ? second : first;
      expect(await mailsTo(other, ['GP_TRANSFERRED'])).toHaveLength(0);
    }
  });

  /** The login of the structure's validated GP. */
  async function principalOf(structureId: number): Promise<string> {
    return withDb(fresh.location, async (db) => {
      const row = await db
        .selectFrom('attachment')
        .innerJoin('account', 'account.id', 'attachment.accountId')
        .select('account.login')
        .where('attachment.structureId', '=', structureId)
        .where('attachment.status', '=', 'VALIDEE')
        .where('attachment.role', '=', 'GESTIONNAIRE_PRINCIPAL')
        .executeTakeFirstOrThrow();
      return row.login;
    });
  }

  /** Validated GP attachments held by an account that is not active: a state SPEC forbids. */
  async function inactiveGps(): Promise<string[]> {
    const rows = await withDb(fresh.location, (db) =>
      db
        .selectFrom('attachment')
        .innerJoin('account', 'account.id', 'attachment.accountId')
        .select('account.login')
        .where('attachment.status', '=', 'VALIDEE')
        .where('attachment.role', '=', 'GESTIONNAIRE_PRINCIPAL')
        .where('account.status', '!=', 'ACTIF')
        .execute(),
    );
    return rows.map((r) => r.login);
  }
});

describe.skipIf(!PG_URL)('a long run on PostgreSQL and a short command at once', HEAVY, () => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;
  beforeEach(async () => {
    // the seeded template: the fixture directory and services imported by CORR
    fresh = await freshLocation('postgres', 'seeded');
    cli = clis(fresh.location, ENV);
  }, HEAVY.timeout);
  afterEach(async () => {
    await fresh.cleanup();
  });

  const logins = () =>
    withDb(fresh.location, async (db) =>
      (await db.selectFrom('account').select('login').orderBy('login').execute()).map(
        (r) => r.login,
      ),
    );
  const sync = () => cli.corr('sync', 'madrhas', MADRHAS);
  const create = (login: string) => () =>
    cli.corr('account', 'create', login, '--email', login, '--nom', 'NOUVEAU', '--prenom', 'Léa');

  it('a short command that started first: the sync waits for it, and is not thrown away at its commit', async () => {
    const before = await logins();
    // the short command writes, then waits to append to the audit log; the sync comes second
    const [short, long] = await race(
      fresh.location,
      (c) => c.query('select seq from audit_head for update'),
      [create('lea@mairie-pau.fr'), sync],
    );
    expect(short!.code, short!.stderr).toBe(0);
    // the fixture's run: 4 accounts created, 9 lines rejected by design (exit 1)
    expect(long!.code, long!.stderr).toBe(1);
    expect(long!.stderr).toContain('9 lignes sur 15 rejetées');
    expect(await logins()).toEqual(
      [...before, 'lea@mairie-pau.fr', ...SYNCED].sort((a, b) => (a < b ? -1 : 1)),
    );
  });

  it('a sync holding its locks: the short command waits for it, then proceeds', async () => {
    const before = await logins();
    const [long, short] = await race(
      fresh.location,
      (c) => c.query('select seq from audit_head for update'),
      [sync, create('lea@mairie-pau.fr')],
    );
    expect(long!.code, long!.stderr).toBe(1);
    expect(long!.stderr).toContain('9 lignes sur 15 rejetées');
    expect(short!.code, short!.stderr).toBe(0);
    expect(await logins()).toEqual(
      [...before, 'lea@mairie-pau.fr', ...SYNCED].sort((a, b) => (a < b ? -1 : 1)),
    );
  });
});

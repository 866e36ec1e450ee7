import { expect } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { openStore } from '../../src/db/store.js';
import type { Database } from '../../src/db/schema.js';
import type { AttachmentStatus, Role } from '../../src/domain/enums.js';
import { cliFor, run, type RunOptions, type RunResult } from '../helpers/cli.js';
import { testClock } from '../helpers/clock.js';
import { CORRESPONDENT, INIT_ARGS } from '../helpers/templates.js';

/**
 * What the end-to-end tests of the account, audit and db groups share: a store initialised with
 * one correspondent (scope 64,40), direct access to its tables for what no command does yet
 * (structures, attachments) and for tampering, and a few readers of the binary's output.
 */

export const CORR = CORRESPONDENT;
export const PAULINE = 'pauline.dufour@mairie-pau.fr';

/** Pau (64), in the correspondent's scope; Bordeaux (33), outside it. */
export const PAU = {
  idType: 'SIRET' as const,
  identifier: '21640445700019',
  companyName: 'COMMUNE DE PAU',
  postalCode: '64000',
  city: 'PAU',
  departement: '64',
};
export const BORDEAUX = {
  idType: 'SIRET' as const,
  identifier: '21330063500017',
  companyName: 'COMMUNE DE BORDEAUX',
  postalCode: '33000',
  city: 'BORDEAUX',
  departement: '33',
};

/** Room for the heavier end-to-end describes (thousands of rows, PostgreSQL on a busy machine). */
export const HEAVY = { timeout: 120_000 };

export type Cli = (...args: string[]) => Promise<RunResult>;

/** The CLI bound to a store; `as(login)` binds the acting account too. */
export function clis(location: string, options: RunOptions = {}) {
  const cli: Cli = cliFor(location, options);
  const as =
    (login: string): Cli =>
    (...args) =>
      cli('--as', login, ...args);
  return { cli, as, corr: as(CORR) };
}

/** `init` with the correspondent CORR, scope 64,40; fails the test when it does not exit 0. */
export async function initStore(location: string, options: RunOptions = {}): Promise<void> {
  // the very command the seeded template store starts with (test/helpers/templates.ts)
  const r = await run(['--db', location, ...INIT_ARGS], options);
  expect(r.stderr).toContain('premier correspondant');
  expect(r.code).toBe(0);
}

/** Creates a plain account as CORR, with extra options; fails the test unless it exits 0. */
export async function createAccount(
  location: string,
  login: string,
  ...extra: string[]
): Promise<void> {
  const hasName = extra.includes('--nom');
  const r = await clis(location).corr(
    'account',
    'create',
    login,
    '--email',
    login,
    ...(hasName ? [] : ['--nom', 'DUFOUR', '--prenom', 'Pauline']),
    ...extra,
  );
  expect(r.stderr).toContain('créé');
  expect(r.code).toBe(0);
}

/** Accounts created by the correspondent, at the clock the test runs on (`now`). */
export async function createAccounts(
  location: string,
  logins: readonly string[],
  options: RunOptions = {},
): Promise<void> {
  const cli = clis(location, options);
  for (const login of logins) {
    const r = await cli.corr(
      'account',
      'create',
      login,
      '--email',
      login,
      '--nom',
      'DUFOUR',
      '--prenom',
      'Pauline',
    );
    expect(r.code, r.stderr).toBe(0);
  }
}

/** Opens the store, runs `work` on it and always closes it, so the binary finds it free. */
export async function withDb<T>(
  location: string,
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const store = await openStore(location, { clock: testClock });
  try {
    return await work(store.db);
  } finally {
    await store.close();
  }
}

export async function insertStructure(db: Kysely<Database>, s: typeof PAU): Promise<number> {
  const at = new Date().toISOString();
  const row = await db
    .insertInto('structure')
    .values({
      idType: s.idType,
      identifier: s.identifier,
      companyName: s.companyName,
      ediSender: 0,
      ediReceiver: 0,
      managesPaymentStatus: 0,
      managesCommitment: 0,
      managesService: 0,
      managesServiceCommitment: 0,
      isMoa: 0,
      isMoaOnly: 0,
      active: 1,
      postalCode: s.postalCode,
      city: s.city,
      departement: s.departement,
      searchKey: s.companyName.toLowerCase(),
      createdAt: at,
      updatedAt: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function attach(
  db: Kysely<Database>,
  login: string,
  structureId: number,
  role: Role = 'UTILISATEUR',
  status: AttachmentStatus = 'VALIDEE',
): Promise<number> {
  const at = new Date().toISOString();
  const { id: accountId } = await db
    .selectFrom('account')
    .select('id')
    .where('login', '=', login)
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto('attachment')
    .values({
      accountId,
      structureId,
      role,
      status,
      source: 'MADRHAS',
      dateStart: '2026-01-01',
      createdAt: at,
      updatedAt: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Inserts the two structures of the tests and returns their ids. */
export async function insertStructures(
  location: string,
): Promise<{ pau: number; bordeaux: number }> {
  return withDb(location, async (db) => ({
    pau: await insertStructure(db, PAU),
    bordeaux: await insertStructure(db, BORDEAUX),
  }));
}

export function json<T = any>(r: RunResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\n--- stderr:\n${r.stderr}`);
  }
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  outcome: string;
  changes: any;
}

/** The whole audit log, newest first, read through the binary as CORR. */
export async function auditLog(location: string): Promise<AuditEntry[]> {
  const r = await clis(location).corr('audit', 'list', '--limit', '0', '--json');
  expect(r.code).toBe(0);
  return json<AuditEntry[]>(r);
}

/** What a test asserts of the store without the binary: rows of a table, counted. */
export async function count(
  location: string,
  table: 'notification' | 'auditLog' | 'account',
  where?: { accountLogin: string },
): Promise<number> {
  return withDb(location, async (db) => {
    if (table === 'notification' && where) {
      const r = await db
        .selectFrom('notification')
        .innerJoin('account', 'account.id', 'notification.accountId')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account.login', '=', where.accountLogin)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    }
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  });
}

/** Marks the store as migrated by a newer program: a migration name this one does not know. */
export async function addUnknownMigration(
  location: string,
  name = '9999-from-the-future',
): Promise<void> {
  await withDb(location, async (db) => {
    await sql`insert into kysely_migration (name, timestamp) values (${name}, ${new Date().toISOString()})`.execute(
      db,
    );
  });
}

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import type { AuditFields } from '../../../src/domain/audit-chain.js';
import type { AttachmentStatus, Role } from '../../../src/domain/enums.js';
import type { Database, Db } from '../../../src/db/schema.js';
import { TABLES_IN_ORDER } from '../../../src/db/schema.js';
import type { DialectName } from '../../../src/db/store.js';

/**
 * Rows written straight into the store with kysely, for tests that need a state the use cases
 * have no command for yet (structures, attachments, habilitations…).
 */

export const AT = '2025-03-10T09:00:00.000Z';

/** Every table migration 0001 creates, as the store names them. */
export const ALL_TABLES = [
  'account',
  'correspondent_scope',
  'structure',
  'service',
  'attachment',
  'attachment_service',
  'habilitation',
  'subscription',
  'file',
  'file_chunk',
  'notification',
  'run',
  'audit_log',
  'audit_head',
] as const;

/** A scratch table for the bulk loader's tests: an id the store generates, then `columns`. */
export async function probeTable(
  db: Db,
  dialect: DialectName,
  name: string,
  columns: string,
): Promise<void> {
  const id = dialect === 'postgres' ? 'serial primary key' : 'integer primary key autoincrement';
  await sql.raw(`create table ${name} (id ${id}, ${columns})`).execute(db);
}

/** The departement column as the application derives it (metropolitan codes only, here). */
const departementOf = (postalCode: string) => postalCode.slice(0, 2);

export async function addStructure(
  db: Db,
  identifier: string,
  postalCode = '64100',
  companyName = `Commune ${identifier}`,
): Promise<number> {
  const row = await db
    .insertInto('structure')
    .values({
      idType: 'SIRET',
      identifier,
      companyName,
      ediSender: 0,
      ediReceiver: 0,
      managesPaymentStatus: 0,
      managesCommitment: 0,
      managesService: 0,
      managesServiceCommitment: 0,
      isMoa: 0,
      isMoaOnly: 0,
      active: 1,
      postalCode,
      city: 'BAYONNE',
      departement: departementOf(postalCode),
      searchKey: companyName.toLowerCase(),
      createdAt: AT,
      updatedAt: AT,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function addAccount(
  db: Db,
  login: string,
  names: { lastName?: string; firstName?: string } = {},
): Promise<number> {
  const lastName = names.lastName ?? 'DUPONT';
  const firstName = names.firstName ?? 'Jean';
  const row = await db
    .insertInto('account')
    .values({
      login,
      status: 'ACTIF',
      source: 'MANUEL',
      title: null,
      lastName,
      firstName,
      email: login,
      phone: null,
      mobile: null,
      address: null,
      addressComplement: null,
      postalCode: null,
      city: null,
      completedAt: null,
      searchKey: `${login} ${lastName} ${firstName}`.toLowerCase(),
      createdAt: AT,
      updatedAt: AT,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function addAttachment(
  db: Db,
  accountId: number,
  structureId: number,
  role: Role,
  status: AttachmentStatus,
): Promise<number> {
  const row = await db
    .insertInto('attachment')
    .values({
      accountId,
      structureId,
      role,
      status,
      source: 'MANUEL',
      comment: null,
      refusalReason: null,
      dateStart: '2025-01-01',
      dateEnd: null,
      requestedAt: AT,
      decidedAt: null,
      decidedBy: null,
      createdAt: AT,
      updatedAt: AT,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An audit entry's fields, before chaining. */
export function entry(over: Partial<Omit<AuditFields, 'seq'>> = {}): Omit<AuditFields, 'seq'> {
  return {
    at: AT,
    actor: 'corr@dgfip.finances.gouv.fr',
    action: 'account.create',
    target: 'account:x@y.fr',
    outcome: 'OK',
    changes: null,
    runId: null,
    ...over,
  };
}

export async function count(db: Db, table: keyof Database): Promise<number> {
  const { n } = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** The number of rows of every table, to show that a failed call wrote nothing. */
export async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES_IN_ORDER) out[t] = await count(db, t);
  return out;
}

/** Table names of the store (without kysely's own), sorted. */
export async function tableNames(db: Kysely<Database>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.map((t) => t.name).sort();
}

/** Every applied migration name, as kysely recorded it. */
export async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
    db,
  );
  return rows.rows.map((r) => r.name);
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Asserts that `promise` rejects with an error of `type` whose catalogue key is `key`. */
export async function expectKey(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => Error,
  key: string,
): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected ${type.name} ${key}`).toBeInstanceOf(type);
  expect((err as { key?: string }).key).toBe(key);
}

/** The driver codes of a unique-constraint violation on SQLite and PostgreSQL. */
export const UNIQUE_VIOLATION = /^(SQLITE_CONSTRAINT_UNIQUE|23505)$/;

/**
 * A trigger `probe_refuse` on `table` that refuses the insert of a row matching `match` (an SQL
 * condition on `new`) with `message`: a write that fails in the middle of a run.
 */
export async function refuseInsert(
  db: Db,
  dialect: DialectName,
  table: string,
  match: string,
  message: string,
): Promise<void> {
  if (dialect === 'sqlite') {
    await sql
      .raw(
        `create trigger probe_refuse before insert on ${table} when ${match} begin select raise(abort, '${message}'); end`,
      )
      .execute(db);
    return;
  }
  await sql
    .raw(
      `create function probe_refuse() returns trigger language plpgsql as $$ begin if ${match} then raise exception '${message}'; end if; return new; end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger probe_refuse before insert on ${table} for each row execute function probe_refuse()`,
    )
    .execute(db);
}

import { sql } from 'kysely';
import type { Civilite, Role } from '../domain/enums.js';
import { type MadrhasRow } from '../domain/madrhas.js';
import type { Db } from './schema.js';
import { rawQuery, rawRows } from './bulk.js';
import { bulkInsert, copyRows } from './bulk-load.js';
import { rawSqlite } from './store.js';

/**
 * The MADRHAS sync's stage (the staged path, app/sync/madrhas.ts): a temporary table of the file's
 * checked rows, so that the rules across rows — an account's rows agreeing, one GP per structure —
 * are set-based queries and memory does not grow with the file; rejected rows keep their reasons.
 * Portable SQL. The accounts' reads and the writer's batches: db/sync.repository.ts.
 */

export const STAGE_COLUMNS = [
  'line',
  'login',
  'title',
  'last_name',
  'first_name',
  'email',
  'phone',
  'structure_id',
  'service_id',
  'role',
  'date_start',
  'date_end',
  'account_status',
  'fp',
  'reason',
] as const;

export interface StagedRow {
  line: number;
  login: string;
  title: Civilite | null;
  lastName: string;
  firstName: string;
  email: string;
  phone: string | null;
  structureId: number;
  serviceId: number | null;
  role: Role;
  dateStart: string;
  dateEnd: string | null;
  accountStatus: MadrhasRow['accountStatus'];
}

export async function createStage(db: Db): Promise<void> {
  await sql`drop table if exists sync_row`.execute(db);
  await sql`create temporary table sync_row (
      line integer not null, login text, title text, last_name text, first_name text, email text, phone text,
      structure_id integer, service_id integer, role text, date_start text, date_end text, account_status text,
      fp text, reason text)`.execute(db);
  // the staged GP rows whose account's base already said GP there (markBaseGp): they claim nothing
  await sql`drop table if exists sync_base_gp`.execute(db);
  await sql`create temporary table sync_base_gp (login text not null, structure_id integer not null)`.execute(
    db,
  );
}

export async function indexStage(db: Db): Promise<void> {
  await sql`create index sync_row_login on sync_row (login, line)`.execute(db);
  // rejected rows are few: a partial index finds them without sorting every line
  await sql`create index sync_row_rejected on sync_row (line) where reason is not null`.execute(db);
}

export async function dropStage(db: Db): Promise<void> {
  await sql`drop table if exists sync_row`.execute(db);
  await sql`drop table if exists sync_base_gp`.execute(db);
}

/**
 * A rejected row as the stage keeps it: its line, its login when readable (so that full mode does
 * not take the account for absent) and its reasons (app/sync/reasons.ts); no other value.
 */
export function rejectedStageRow(line: number, login: string | null, reasons: string): unknown[] {
  const row: unknown[] = new Array(STAGE_COLUMNS.length).fill(null);
  row[0] = line;
  row[1] = login;
  row[STAGE_COLUMNS.length - 1] = reasons;
  return row;
}

export function stageRows(db: Db, rows: unknown[][]): Promise<unknown> {
  return copyRows(db, 'sync_row', STAGE_COLUMNS, rows);
}

/**
 * Why a row is rejected: the `reason` column holds its reasons, one JSON object a line (a message
 * key, its parameters and column: app/sync/reasons.ts), translated only when reported.
 */
const SEPARATOR = '\n';

/** Appends a reason (its JSON, as SQL text) to the rows `where` selects (valid rows: `reason is null`). */
async function addReason(
  db: Db,
  reasonSql: string,
  params: unknown[],
  where: string,
  whereParams: unknown[] = [],
): Promise<void> {
  await rawQuery(
    db,
    `update sync_row set reason = case when reason is null then ${reasonSql} else reason || ? || ${reasonSql} end where fp is not null and ${where}`,
    [...params, SEPARATOR, ...params, ...whereParams],
  );
}

/**
 * The rules across rows (SPEC 8.1), each marking the rows it rejects with its reason. `reason(key)`
 * gives the reason's JSON, as the text before and after its one parameter where it has one (the
 * login of the store's GP, which SQL quotes as a JSON string).
 */
export async function checkAcrossRows(
  db: Db,
  reason: (key: string) => [string, string],
): Promise<void> {
  // an account's personal fields (and status) agree across its rows
  await addReason(
    db,
    '?',
    [reason('sync.personalDisagree')[0]],
    `login in (select login from sync_row where fp is not null group by login having count(distinct fp) > 1)`,
  );
  // one role and one period per account and structure
  await addReason(
    db,
    '?',
    [reason('sync.attachmentDisagree')[0]],
    `(login, structure_id) in (select login, structure_id from sync_row where fp is not null and structure_id is not null group by login, structure_id
       having count(distinct role) > 1 or count(distinct date_start || '|' || coalesce(date_end, '')) > 1)`,
  );
  // a deleted account's login is never reused; a correspondent is not a MADRHAS account
  await addReason(
    db,
    '?',
    [reason('sync.accountDeleted')[0]],
    `login in (select login from account where status = 'SUPPRIME')`,
  );
  await addReason(
    db,
    '?',
    [reason('sync.isCorrespondent')[0]],
    `login in (select a.login from account a join correspondent_scope c on c.account_id = a.id)`,
  );
  // one GP per structure in the file
  await addReason(
    db,
    '?',
    [reason('sync.severalGp')[0]],
    `role = 'GESTIONNAIRE_PRINCIPAL' and structure_id in (select structure_id from sync_row where fp is not null and role = 'GESTIONNAIRE_PRINCIPAL'
       group by structure_id having count(distinct login) > 1)`,
  );
  // … and against the GP already in the store, unless the file gives that account another role there
  // (a row that says GP where the account's base already did claims nothing: SPEC 8.1, the merge)
  const [before, after] = reason('sync.gpInStore');
  const other = `(select a.login from attachment t join account a on a.id = t.account_id where t.structure_id = sync_row.structure_id
       and t.status = 'VALIDEE' and t.role = 'GESTIONNAIRE_PRINCIPAL' and a.login <> sync_row.login)`;
  const quoted = rawSqlite(db) ? `json_quote(${other})` : `to_json(${other})::text`;
  await addReason(
    db,
    `? || ${quoted} || ?`,
    [before, after],
    `role = 'GESTIONNAIRE_PRINCIPAL' and not ${IN_BASE} and exists ${other} and not exists (select 1 from sync_row o where o.fp is not null and o.structure_id = sync_row.structure_id
       and o.login = ${other} and o.role <> 'GESTIONNAIRE_PRINCIPAL')`,
  );
}

/** The stage's valid GP rows of accounts that have a base: (login, structure id, the stored base). */
export async function stagedGpRowsWithBase(db: Db): Promise<[string, number, string][]> {
  const rows = await rawRows(
    db,
    `select distinct r.login, r.structure_id, a.madrhas_base from sync_row r join account a on a.login = r.login
       where r.reason is null and r.role = 'GESTIONNAIRE_PRINCIPAL' and a.madrhas_base is not null`,
    [],
  );
  return rows.map((r) => [r[0] as string, r[1] as number, r[2] as string]);
}

/** Records the staged GP rows (login, structure id) whose account's base already made it that structure's GP. */
export async function markBaseGp(db: Db, pairs: readonly [string, number][]): Promise<void> {
  if (pairs.length > 0) await bulkInsert(db, 'sync_base_gp', ['login', 'structure_id'], pairs);
  await sql`create index sync_base_gp_key on sync_base_gp (login, structure_id)`.execute(db);
}

/** SQL: the sync_row row is a GP row its account's base already had (markBaseGp). */
const IN_BASE = `exists (select 1 from sync_base_gp b where b.login = sync_row.login and b.structure_id = sync_row.structure_id)`;

export async function countRejected(db: Db): Promise<number> {
  const r = await rawQuery(db, 'select count(*) as n from sync_row where reason is not null', []);
  return Number(r.rows[0]!.n);
}

/** Rejected lines in file order, a page at a time, with their reasons as stored (see `addReason`). */
export async function rejectedAfter(
  db: Db,
  line: number,
  limit: number,
): Promise<{ line: number; reason: string }[]> {
  const r = await rawQuery(
    db,
    'select line, reason from sync_row where reason is not null and line > ? order by line limit ?',
    [line, limit],
  );
  return r.rows as { line: number; reason: string }[];
}

/**
 * The next logins of the staged rows, in order: of the valid rows (`valid`: the writer's chunks), or
 * of every row that has one (`all`: the scope check, which rejects a login's rows whole).
 */
export async function stagedLoginsAfter(
  db: Db,
  after: string,
  limit: number,
  rows: 'valid' | 'all',
): Promise<string[]> {
  const which = rows === 'valid' ? 'reason is null' : 'login is not null';
  const found = await rawRows(
    db,
    `select distinct login from sync_row where ${which} and login > ? order by login limit ?`,
    [after, limit],
  );
  return found.map((r) => r[0] as string);
}

/**
 * Structure id → the login the stage's valid rows claim its GP for, leaving out the rows that say
 * GP where the account's base already did (`markBaseGp`): they claim nothing.
 */
export async function stagedClaims(db: Db): Promise<Map<number, string>> {
  const rows = await rawRows(
    db,
    `select distinct structure_id, login from sync_row where reason is null and role = 'GESTIONNAIRE_PRINCIPAL' and not ${IN_BASE}`,
    [],
  );
  return new Map(rows.map((r) => [r[0] as number, r[1] as string]));
}

/** Of the logins first…last, those with a rejected row: such a row may name an attachment, which is not absent. */
export async function loginsWithRejects(db: Db, first: string, last: string): Promise<Set<string>> {
  const r = await rawQuery(
    db,
    'select distinct login from sync_row where reason is not null and login >= ? and login <= ?',
    [first, last],
  );
  return new Set(r.rows.map((x) => x.login as string));
}

export async function stagedRowsOf(db: Db, first: string, last: string): Promise<StagedRow[]> {
  const rows = await rawRows(
    db,
    `select line, login, title, last_name, first_name, email, phone, structure_id, service_id, role, date_start, date_end, account_status
       from sync_row where reason is null and login >= ? and login <= ? order by login, line`,
    [first, last],
  );
  return rows.map((r) => ({
    line: r[0] as number,
    login: r[1] as string,
    title: r[2] as Civilite | null,
    lastName: r[3] as string,
    firstName: r[4] as string,
    email: r[5] as string,
    phone: r[6] as string | null,
    structureId: r[7] as number,
    serviceId: r[8] as number | null,
    role: r[9] as Role,
    dateStart: r[10] as string,
    dateEnd: r[11] as string | null,
    accountStatus: r[12] as StagedRow['accountStatus'],
  }));
}

/**
 * Rejects every staged row of these logins with `reason` (its JSON, after the reasons the row
 * has), as a row rejected on its own: the rules across rows leave it out, as they leave out any
 * invalid row.
 */
export async function rejectLogins(
  db: Db,
  logins: readonly string[],
  reason: string,
): Promise<void> {
  for (let i = 0; i < logins.length; i += 1000) {
    const chunk = logins.slice(i, i + 1000);
    await rawQuery(
      db,
      `update sync_row set fp = null, reason = case when reason is null then ? else reason || ? || ? end
         where login in (${chunk.map(() => '?').join(', ')})`,
      [reason, SEPARATOR, reason, ...chunk],
    );
  }
}

import type { Scope } from '../domain/departement.js';
import { ALL } from '../domain/departement.js';
import type {
  AccountStatus,
  AttachmentStatus,
  Civilite,
  Language,
  Role,
  Source,
} from '../domain/enums.js';
import { SCOPE_STATUSES } from '../domain/rights.js';
import {
  type CurrentAccount,
  type CurrentAttachment,
  type ScopedAttachment,
} from '../domain/account-plan.js';
import { accountInScope } from './account.repository.js';
import type { Db } from './schema.js';
import { eachPacked, packedPages, packedText, rawQuery, rawRows } from './bulk.js';
import { copyRows, insertRowsWithIds } from './bulk-load.js';
import { rawSqlite } from './store.js';

/**
 * The MADRHAS sync's storage: the per-chunk reads of accounts and attachments, the digests and
 * bases it keeps, and the writer's batches. Portable SQL. The staged path's table of checked rows:
 * db/sync-stage.repository.ts.
 */

export async function accountsByLogin(
  db: Db,
  logins: readonly string[],
): Promise<CurrentAccount[]> {
  if (logins.length === 0) return [];
  const rows = await rawRows(
    db,
    `select id, login, status, source, completed_at, title, last_name, first_name, email, phone, sync_digest, madrhas_base from account where login in (${logins.map(() => '?').join(', ')})`,
    logins,
  );
  return rows.map((r) => ({
    id: r[0] as number,
    login: r[1] as string,
    status: r[2] as AccountStatus,
    source: r[3] as Source,
    completedAt: r[4] as string | null,
    title: r[5] as string | null,
    lastName: r[6] as string,
    firstName: r[7] as string,
    email: r[8] as string,
    phone: r[9] as string | null,
    syncDigest: r[10] as string | null,
    madrhasBase: r[11] as string | null,
  }));
}

/** Every account's login, a page at a time. */
export async function eachLogin(db: Db, each: (login: string) => void): Promise<void> {
  await eachPacked(db, 'account', ['id', 'login'], (cells) => each(cells[1]!));
}

export async function attachmentsOfAccounts(
  db: Db,
  accountIds: readonly number[],
): Promise<Map<number, CurrentAttachment[]>> {
  const out = new Map<number, CurrentAttachment[]>();
  if (accountIds.length === 0) return out;
  const rows = await db
    .selectFrom('attachment')
    .select(['id', 'accountId', 'structureId', 'role', 'status', 'source', 'dateStart', 'dateEnd'])
    .where('accountId', 'in', [...accountIds])
    .where('status', 'in', ['EN_COURS_DE_VALIDATION', 'VALIDEE', 'DESACTIVEE'])
    .execute();
  const services = new Map<number, number[]>();
  const statuses = new Map<number, Record<number, string>>();
  if (rows.length > 0) {
    const links = await db
      .selectFrom('attachmentService')
      .select(['attachmentId', 'serviceId', 'status'])
      .where(
        'attachmentId',
        'in',
        rows.map((r) => r.id),
      )
      .where('status', '<>', 'SUPPRIMEE')
      .execute();
    for (const l of links) {
      services.set(l.attachmentId, [...(services.get(l.attachmentId) ?? []), l.serviceId]);
      if (l.status !== 'VALIDEE')
        statuses.set(l.attachmentId, { ...statuses.get(l.attachmentId), [l.serviceId]: l.status });
    }
  }
  for (const { accountId, ...a } of rows) {
    const links = statuses.get(a.id);
    out.set(accountId, [
      ...(out.get(accountId) ?? []),
      { ...a, services: services.get(a.id) ?? [], ...(links ? { links } : {}) },
    ]);
  }
  return out;
}

/** The active MADRHAS accounts in `scope` (SPEC 6, account.repository's rule): the base of --max-deactivations. */
export async function madrhasAccountsInScope(db: Db, scope: Scope): Promise<number> {
  const r = await db
    .selectFrom('account')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account.source', '=', 'MADRHAS')
    .where('account.status', '=', 'ACTIF')
    .$if(!scope.includes(ALL), (q) => q.where((eb) => accountInScope(eb, 'account.id', scope)))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The active MADRHAS accounts no staged row names (the staged path's full mode weighs them). */
export async function unlistedAccounts(db: Db): Promise<number[]> {
  const rows = await rawRows(
    db,
    `select id from account where source = 'MADRHAS' and status = 'ACTIF'
       and not exists (select 1 from sync_row r where r.login = account.login) order by id`,
    [],
  );
  return rows.map((r) => r[0] as number);
}

/**
 * The counting attachments (SPEC 6) of these accounts, by account id, with their structure's
 * stored département: what the sync weighs an existing account against the actor's scope with.
 */
export async function scopedAttachmentsOf(
  db: Db,
  accountIds: readonly number[],
): Promise<Map<number, ScopedAttachment[]>> {
  const out = new Map<number, ScopedAttachment[]>();
  const statuses = SCOPE_STATUSES.map((s) => `'${s}'`).join(', ');
  for (let i = 0; i < accountIds.length; i += 1000) {
    const chunk = accountIds.slice(i, i + 1000);
    const rows = await rawRows(
      db,
      `select t.account_id, t.id, t.structure_id, s.id_type, s.identifier, s.departement, t.role, t.status, t.source, t.date_start, t.date_end
         from attachment t join structure s on s.id = t.structure_id
         where t.status in (${statuses}) and t.account_id in (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const r of rows) {
      const accountId = r[0] as number;
      let list = out.get(accountId);
      if (!list) out.set(accountId, (list = []));
      list.push({
        id: r[1] as number,
        structureId: r[2] as number,
        structureRef: `${r[3] as string}:${r[4] as string}`,
        departement: (r[5] as string | null) ?? null,
        role: r[6] as Role,
        status: r[7] as AttachmentStatus,
        source: r[8] as Source,
        dateStart: r[9] as string | null,
        dateEnd: r[10] as string | null,
      });
    }
  }
  return out;
}

/** The account columns the sync keeps for itself: the digest of its rows, the merge's base. */
type SyncColumn = 'sync_digest' | 'madrhas_base';

/** Sets one sync column of each account (pairs of value, or null, and account id). */
async function setColumn(
  db: Db,
  column: SyncColumn,
  pairs: readonly [string | null, number][],
): Promise<void> {
  const sqlite = rawSqlite(db);
  if (sqlite) {
    const stmt = sqlite.prepare(`update account set ${column} = ? where id = ?`);
    for (const p of pairs) stmt.run(p);
    return;
  }
  for (let i = 0; i < pairs.length; i += 5000) {
    const chunk = pairs.slice(i, i + 5000);
    await rawQuery(
      db,
      `update account set ${column} = v.x from (values ${chunk.map(() => '(cast(? as text), cast(? as integer))').join(', ')}) as v(x, id) where account.id = v.id`,
      chunk.flat(),
    );
  }
}

/** Empties one sync column of these accounts. */
async function clearColumn(
  db: Db,
  column: SyncColumn,
  accountIds: readonly number[],
): Promise<void> {
  for (let i = 0; i < accountIds.length; i += 1000) {
    const chunk = accountIds.slice(i, i + 1000);
    await rawQuery(
      db,
      `update account set ${column} = null where ${column} is not null and id in (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
  }
}

/** Clears the digests of these accounts: the sync changed them without recording their rows. */
export const clearDigests = (db: Db, accountIds: readonly number[]) =>
  clearColumn(db, 'sync_digest', accountIds);

/** Records the digest of the rows each account was synced from (pairs of digest, or null for none, and account id). */
export const setDigests = (db: Db, pairs: readonly [string | null, number][]) =>
  setColumn(db, 'sync_digest', pairs);

/** Records the base of the merge of each account (pairs of the encoded base and account id). */
export const setBases = (db: Db, pairs: readonly [string | null, number][]) =>
  setColumn(db, 'madrhas_base', pairs);

/** Forgets the base of these accounts: full mode changed them as absent from the file, which imposes when they return. */
export const clearBases = (db: Db, accountIds: readonly number[]) =>
  clearColumn(db, 'madrhas_base', accountIds);

/** The bases of these accounts, by id (those without one left out). */
export async function basesOf(db: Db, accountIds: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let i = 0; i < accountIds.length; i += 1000) {
    const chunk = accountIds.slice(i, i + 1000);
    const rows = await rawRows(
      db,
      `select id, madrhas_base from account where madrhas_base is not null and id in (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const r of rows) out.set(r[0] as number, r[1] as string);
  }
  return out;
}

export async function loginsOf(
  db: Db,
  ids: readonly number[],
): Promise<{ id: number; login: string }[]> {
  const out: { id: number; login: string }[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    for (const r of await rawRows(
      db,
      `select id, login from account where id in (${chunk.map(() => '?').join(', ')})`,
      chunk,
    ))
      out.push({ id: r[0] as number, login: r[1] as string });
  }
  return out;
}

/**
 * Structure id → account id of its validated principal manager: one packed text, its numbers read
 * in place (130,000 GPs were as many arrays from the driver, garbage as soon as the map was made).
 */
export async function principalManagers(db: Db): Promise<Map<number, number>> {
  const text = await packedText(
    db,
    ['structure_id', 'account_id'],
    "attachment where status = 'VALIDEE' and role = 'GESTIONNAIRE_PRINCIPAL'",
  );
  const out = new Map<number, number>();
  // each row: digits, U+001F, digits, then U+001E or the end
  for (let at = 0; at < text.length; at++) {
    let structureId = 0;
    for (; text.charCodeAt(at) !== 31; at++)
      structureId = structureId * 10 + text.charCodeAt(at) - 48;
    let accountId = 0;
    for (at++; at < text.length && text.charCodeAt(at) !== 30; at++)
      accountId = accountId * 10 + text.charCodeAt(at) - 48;
    out.set(structureId, accountId);
  }
  return out;
}

/**
 * Every account, in pages of `page` ids, for the streamed sync: `each` gets its id, whether it
 * is an active MADRHAS account (full mode may deactivate it), and where its sync digest stands in
 * `text` (`digestAt` = `digestEnd` when it has none); `endOfPage` is awaited after each page. One
 * packed text a page, read in place: no string or array per account, 800,000 of which were a
 * third of an unchanged re-sync's time.
 *
 * A page is a range of ids, not the next `page` rows (`id > ? order by id limit ?`): PostgreSQL,
 * whose statistics know nothing yet of the rows a first load has just written, took that for a
 * third of the table and scanned the whole table for each page (90 ms a page of 20,000 in a table
 * of 160,000, and pages × rows on a million); a range of ids it reads from the key's index.
 */
export async function eachAccount(
  db: Db,
  each: (id: number, active: boolean, text: string, digestAt: number, digestEnd: number) => void,
  page = 100_000,
  endOfPage?: () => Promise<void>,
): Promise<void> {
  const pages = packedPages(
    db,
    ['id', "case when source = 'MADRHAS' and status = 'ACTIF' then 1 else 0 end", 'sync_digest'],
    '(select id, sync_digest, source, status from account where id > ? and id <= ?) a',
    await maxAccountId(db),
    page,
  );
  for await (const text of pages) {
    for (let at = 0; at < text.length;) {
      let id = 0;
      let c = text.charCodeAt(at);
      for (; c !== 31; c = text.charCodeAt(++at)) id = id * 10 + c - 48;
      const active = text.charCodeAt(at + 1) === 49;
      const digestAt = at + 3;
      let end = text.indexOf('\u001e', digestAt);
      if (end < 0) end = text.length;
      each(id, active, text, digestAt, end);
      at = end + 1;
    }
    await endOfPage?.();
  }
}

/** The directory's revision (migration 0004). */
export async function directoryRevision(db: Db): Promise<number> {
  return Number(
    (await rawRows(db, 'select revision from directory_state where id = 1', []))[0]?.[0] ?? 0,
  );
}

export async function maxAccountId(db: Db): Promise<number> {
  return Number((await rawRows(db, 'select coalesce(max(id), 0) from account', []))[0]![0]);
}

// ---- the directory, as the row checks read it -------------------------------------------

export async function maxStructureId(db: Db): Promise<number> {
  return Number((await rawRows(db, 'select coalesce(max(id), 0) from structure', []))[0]![0]);
}

/** Every structure's id, id_type, identifier, active and departement, as text cells (see eachPacked). */
export function eachStructure(db: Db, each: (cells: string[]) => void): Promise<void> {
  return eachPacked(
    db,
    'structure',
    ['id', 'id_type', 'identifier', 'active', 'departement'],
    each,
  );
}

/** Every service's id, structure_id, code and active, as text cells (see eachPacked). */
export function eachService(db: Db, each: (cells: string[]) => void): Promise<void> {
  return eachPacked(db, 'service', ['id', 'structure_id', 'code', 'active'], each);
}

// ---- the writer's batches -----------------------------------------------------------------

const ACCOUNT_COLUMNS = [
  'login',
  'status',
  'source',
  'title',
  'last_name',
  'first_name',
  'email',
  'phone',
  'country',
  'language',
  'notify_billing',
  'notify_news',
  'search_key',
  'sync_digest',
  'created_at',
  'updated_at',
  'madrhas_base',
];

/** A new account's values, in the order of its columns: arrays, not objects, for a million rows. */
export type AccountValues = [
  login: string,
  status: AccountStatus,
  source: Source,
  title: Civilite | null,
  lastName: string,
  firstName: string,
  email: string,
  phone: string | null,
  country: string,
  language: Language,
  notifyBilling: number,
  notifyNews: number,
  searchKey: string,
  syncDigest: string | null,
  createdAt: string,
  updatedAt: string,
  madrhasBase: string | null,
];

/** Inserts the accounts; returns their ids, in order. */
export async function insertAccounts(db: Db, rows: readonly AccountValues[]): Promise<number[]> {
  return insertRowsWithIds(db, 'account', ACCOUNT_COLUMNS, rows);
}

const ATTACHMENT_COLUMNS = [
  'account_id',
  'structure_id',
  'role',
  'status',
  'source',
  'date_start',
  'date_end',
  'decided_at',
  'decided_by',
  'created_at',
  'updated_at',
];

/** A new attachment's values, in the order of its columns. */
export type AttachmentValues = [
  accountId: number,
  structureId: number,
  role: Role,
  status: AttachmentStatus,
  source: Source,
  dateStart: string | null,
  dateEnd: string | null,
  decidedAt: string | null,
  decidedBy: string | null,
  createdAt: string,
  updatedAt: string,
];

/** Inserts the attachments; returns their ids, in order. */
export async function insertAttachments(
  db: Db,
  rows: readonly AttachmentValues[],
): Promise<number[]> {
  return insertRowsWithIds(db, 'attachment', ATTACHMENT_COLUMNS, rows);
}

/** Links attachments to services: (attachment id, service id, status) each. */
export async function insertAttachmentServices(
  db: Db,
  links: readonly [attachmentId: number, serviceId: number, status: AttachmentStatus][],
): Promise<void> {
  if (links.length > 0)
    await copyRows(db, 'attachment_service', ['attachment_id', 'service_id', 'status'], links);
}

/** The attachment's services become these, validated. */
export async function replaceAttachmentServices(
  db: Db,
  attachmentId: number,
  serviceIds: readonly number[],
): Promise<void> {
  await db.deleteFrom('attachmentService').where('attachmentId', '=', attachmentId).execute();
  await insertAttachmentServices(
    db,
    serviceIds.map((s) => [attachmentId, s, 'VALIDEE']),
  );
}

/** Ends these attachments (DESACTIVEE). */
export async function deactivateAttachments(
  db: Db,
  ids: readonly number[],
  at: string,
): Promise<void> {
  await db
    .updateTable('attachment')
    .set({ status: 'DESACTIVEE', updatedAt: at })
    .where('id', 'in', [...ids])
    .execute();
}

/** Full mode: deactivates these accounts (their digest and their base go: the run did not sync them from rows). */
export async function deactivateAccounts(
  db: Db,
  ids: readonly number[],
  at: string,
): Promise<void> {
  await db
    .updateTable('account')
    .set({ status: 'INACTIF', syncDigest: null, madrhasBase: null, updatedAt: at })
    .where('id', 'in', [...ids])
    .execute();
}

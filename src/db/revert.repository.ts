import { SCOPE_STATUSES, type Target } from '../domain/rights.js';
import { copyRows, prepared } from './bulk-load.js';
import type { AttachmentNow } from './run-change.repository.js';
import type { AccountRow, AttachmentUpdate, Db, StructureRow } from './schema.js';
import { rawSqlite } from './store.js';

/**
 * `sync revert`'s reads and writes a chunk of targets at a time (app/sync/revert-*.ts): the
 * current state of a chunk's accounts, their attachments and service links, what uses them, in
 * a few queries; the writes it decides, in as few statements.
 */

/** Ids per `in (…)` list: far below SQLite's and PostgreSQL's parameter limits. */
const IN = 1000;

async function eachSlice<T>(ids: readonly T[], run: (slice: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < ids.length; i += IN) await run(ids.slice(i, i + IN));
}

/** Accounts by login. */
export async function accountsByLogin(
  db: Db,
  logins: readonly string[],
): Promise<Map<string, AccountRow>> {
  const out = new Map<string, AccountRow>();
  await eachSlice(logins, async (slice) => {
    for (const a of await db
      .selectFrom('account')
      .selectAll()
      .where('login', 'in', slice)
      .execute())
      out.set(a.login, a);
  });
  return out;
}

/** What the rights module needs of each of these accounts as a target (account.repository `accountTarget`, in bulk). */
export async function accountTargets(
  db: Db,
  accountIds: readonly number[],
): Promise<Map<number, Extract<Target, { kind: 'account' }>>> {
  const out = new Map<number, Extract<Target, { kind: 'account' }>>();
  for (const id of accountIds)
    out.set(id, { kind: 'account', id, departements: [], structureIds: [], scope: null });
  const counted = new Set<string>(SCOPE_STATUSES);
  await eachSlice(accountIds, async (slice) => {
    const rows = await db
      .selectFrom('attachment')
      .innerJoin('structure', 'structure.id', 'attachment.structureId')
      .select([
        'attachment.accountId',
        'structure.id',
        'structure.departement',
        'attachment.status',
      ])
      .where('attachment.accountId', 'in', slice)
      .where('attachment.status', '!=', 'REFUSEE')
      .execute();
    for (const r of rows) {
      const t = out.get(r.accountId)!;
      if (counted.has(r.status) && !t.departements.includes(r.departement))
        t.departements.push(r.departement);
      if (!t.structureIds.includes(r.id)) t.structureIds.push(r.id);
    }
    const scopes = await db
      .selectFrom('correspondentScope')
      .select(['accountId', 'departement'])
      .where('accountId', 'in', slice)
      .orderBy('departement')
      .execute();
    for (const r of scopes) {
      const t = out.get(r.accountId)!;
      t.scope = [...(t.scope ?? []), r.departement];
    }
  });
  return out;
}

/** An attachment as it is now, with every service link it has. */
export interface HeldAttachment extends AttachmentNow {
  /** Every link's status, by service id (SUPPRIMEE ones too). */
  links: Map<number, string>;
}

/** Every attachment of these accounts (any status), by id. */
export async function attachmentsOfAccounts(
  db: Db,
  accountIds: readonly number[],
): Promise<Map<number, HeldAttachment>> {
  const out = new Map<number, HeldAttachment>();
  await eachSlice(accountIds, async (slice) => {
    const rows = await db
      .selectFrom('attachment')
      .select(['id', 'accountId', 'structureId', 'role', 'status', 'dateStart', 'dateEnd'])
      .where('accountId', 'in', slice)
      .execute();
    for (const r of rows) out.set(r.id, { ...r, services: [], links: new Map() });
  });
  await eachSlice([...out.keys()], async (slice) => {
    const links = await db
      .selectFrom('attachmentService')
      .select(['attachmentId', 'serviceId', 'status'])
      .where('attachmentId', 'in', slice)
      .orderBy('serviceId')
      .execute();
    for (const l of links) {
      const a = out.get(l.attachmentId)!;
      a.links.set(l.serviceId, l.status);
      if (l.status !== 'SUPPRIMEE') a.services.push(l.serviceId);
    }
  });
  return out;
}

/** The validated GP attachments of these structures: [attachment id, structure id]. */
export async function principalsOf(
  db: Db,
  structureIds: readonly number[],
): Promise<[number, number][]> {
  const out: [number, number][] = [];
  await eachSlice(structureIds, async (slice) => {
    const rows = await db
      .selectFrom('attachment')
      .select(['id', 'structureId'])
      .where('structureId', 'in', slice)
      .where('role', '=', 'GESTIONNAIRE_PRINCIPAL')
      .where('status', '=', 'VALIDEE')
      .execute();
    for (const r of rows) out.push([r.id, r.structureId]);
  });
  return out;
}

/** `ACCOUNT:STRUCTURE` for each structure where these accounts hold or ask for a subscription or habilitation. */
export async function structuresUsedBy(
  db: Db,
  accountIds: readonly number[],
): Promise<Set<string>> {
  const out = new Set<string>();
  await eachSlice(accountIds, async (slice) => {
    for (const table of ['subscription', 'habilitation'] as const) {
      const rows = await db
        .selectFrom(table)
        .select(['accountId', 'structureId'])
        .where('accountId', 'in', slice)
        .where('status', 'in', ['EN_COURS_DE_VALIDATION', 'VALIDEE'])
        .execute();
      for (const r of rows) out.add(`${r.accountId}:${r.structureId}`);
    }
  });
  return out;
}

/** Those of these accounts that have anything of their own beyond attachments: habilitations, subscriptions, files. */
export async function accountsInUse(db: Db, accountIds: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  await eachSlice(accountIds, async (slice) => {
    for (const table of ['habilitation', 'subscription', 'file'] as const) {
      const rows = await db
        .selectFrom(table)
        .select('accountId')
        .distinct()
        .where('accountId', 'in', slice)
        .execute();
      for (const r of rows) out.add(r.accountId);
    }
  });
  return out;
}

/** How many credentials messages not sent yet each of these accounts has. */
export async function pendingCredentials(
  db: Db,
  accountIds: readonly number[],
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  await eachSlice(accountIds, async (slice) => {
    const rows = await db
      .selectFrom('notification')
      .select('accountId')
      .where('accountId', 'in', slice)
      .where('event', '=', 'ACCOUNT_CREATED')
      .where('sentAt', 'is', null)
      .execute();
    for (const r of rows) out.set(r.accountId!, (out.get(r.accountId!) ?? 0) + 1);
  });
  return out;
}

/**
 * Deletes these accounts as `account delete` does (status SUPPRIME, digest cleared, attachments
 * SUPPRIMEE), and drops their credentials messages not sent yet.
 */
export async function deleteAccounts(db: Db, ids: readonly number[], at: string): Promise<void> {
  await eachSlice(ids, async (slice) => {
    await db
      .updateTable('account')
      .set({ status: 'SUPPRIME', syncDigest: null, updatedAt: at })
      .where('id', 'in', slice)
      .execute();
    await db
      .updateTable('attachment')
      .set({ status: 'SUPPRIMEE', updatedAt: at })
      .where('accountId', 'in', slice)
      .where('status', 'in', [...SCOPE_STATUSES])
      .execute();
    await db
      .deleteFrom('notification')
      .where('accountId', 'in', slice)
      .where('event', '=', 'ACCOUNT_CREATED')
      .where('sentAt', 'is', null)
      .execute();
  });
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Updates rows of `table` by id. SQLite: one prepared statement per set of columns, run per row
 * (in-process: no SQL to build nor parse per row). PostgreSQL: one statement for all the rows
 * that take the same values.
 */
export async function updateAlike(
  db: Db,
  table: 'account' | 'attachment',
  updates: readonly { id: number; set: Record<string, unknown> }[],
): Promise<void> {
  const sqlite = rawSqlite(db);
  if (sqlite) {
    for (const { id, set } of updates) {
      const keys = Object.keys(set);
      const text = `update ${table} set ${keys.map((k) => `${snake(k)} = ?`).join(', ')} where id = ?`;
      prepared(sqlite, text).run(...keys.map((k) => set[k] ?? null), id);
    }
    return;
  }
  const groups = new Map<string, { set: Record<string, unknown>; ids: number[] }>();
  for (const u of updates) {
    const key = JSON.stringify(u.set);
    const g = groups.get(key);
    if (g) g.ids.push(u.id);
    else groups.set(key, { set: u.set, ids: [u.id] });
  }
  for (const { set, ids } of groups.values())
    await eachSlice(ids, async (slice) => {
      await db
        .updateTable(table)
        .set(set as AttachmentUpdate)
        .where('id', 'in', slice)
        .execute();
    });
}

/** Gives these attachments exactly these service links: [attachment id, service id, status]. */
export async function replaceLinks(
  db: Db,
  attachmentIds: readonly number[],
  links: readonly [number, number, string][],
): Promise<void> {
  await eachSlice(attachmentIds, async (slice) => {
    await db.deleteFrom('attachmentService').where('attachmentId', 'in', slice).execute();
  });
  await copyRows(db, 'attachment_service', ['attachment_id', 'service_id', 'status'], links);
}

// ---- structures and services (an import's revert) ----------------------------------------------

/** Structures by `TYPE:ID`. */
export async function structuresByRef(
  db: Db,
  refs: readonly [string, string][],
): Promise<Map<string, StructureRow>> {
  const out = new Map<string, StructureRow>();
  const wanted = new Set(refs.map(([t, id]) => `${t}:${id}`));
  await eachSlice([...new Set(refs.map(([, id]) => id))], async (slice) => {
    const rows = await db
      .selectFrom('structure')
      .selectAll()
      .where('identifier', 'in', slice)
      .execute();
    for (const s of rows) {
      const ref = `${s.idType}:${s.identifier}`;
      if (wanted.has(ref)) out.set(ref, s);
    }
  });
  return out;
}

/** Those of these structures something refers to beyond their services: attachments, habilitations, subscriptions, mail. */
export async function structuresInUse(
  db: Db,
  structureIds: readonly number[],
): Promise<Set<number>> {
  const out = new Set<number>();
  await eachSlice(structureIds, async (slice) => {
    for (const table of ['attachment', 'habilitation', 'subscription', 'notification'] as const) {
      const rows = await db
        .selectFrom(table)
        .select('structureId')
        .distinct()
        .where('structureId', 'in', slice)
        .execute();
      for (const r of rows) if (r.structureId !== null) out.add(r.structureId);
    }
  });
  return out;
}

/** Those of these services something refers to: attachment links, habilitations, subscriptions. */
export async function servicesInUse(db: Db, serviceIds: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  await eachSlice(serviceIds, async (slice) => {
    for (const table of ['attachmentService', 'habilitation', 'subscription'] as const) {
      const rows = await db
        .selectFrom(table)
        .select('serviceId')
        .distinct()
        .where('serviceId', 'in', slice)
        .execute();
      for (const r of rows) if (r.serviceId !== null) out.add(r.serviceId);
    }
  });
  return out;
}

export async function deleteByIds(
  db: Db,
  table: 'structure' | 'service',
  ids: readonly number[],
): Promise<void> {
  await eachSlice(ids, async (slice) => {
    await db.deleteFrom(table).where('id', 'in', slice).execute();
  });
}

import { like } from './like.js';
import type { Db } from './schema.js';

/** What `sync revert` (app/sync/revert.ts) reads and writes beyond the usual repositories. */

export interface AttachmentNow {
  id: number;
  accountId: number;
  structureId: number;
  role: string;
  status: string;
  dateStart: string | null;
  dateEnd: string | null;
  /** Live service ids (links not SUPPRIMEE), sorted; empty: the whole structure. */
  services: number[];
}

/** Attachments as they are now, by id. */
export async function attachmentsById(
  db: Db,
  ids: readonly number[],
): Promise<Map<number, AttachmentNow>> {
  const out = new Map<number, AttachmentNow>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('attachment')
    .select(['id', 'accountId', 'structureId', 'role', 'status', 'dateStart', 'dateEnd'])
    .where('id', 'in', [...ids])
    .execute();
  const links = await db
    .selectFrom('attachmentService')
    .select(['attachmentId', 'serviceId'])
    .where('attachmentId', 'in', [...ids])
    .where('status', '<>', 'SUPPRIMEE')
    .orderBy('serviceId')
    .execute();
  for (const r of rows) out.set(r.id, { ...r, services: [] });
  for (const l of links) out.get(l.attachmentId)?.services.push(l.serviceId);
  return out;
}

/** Every attachment of an account (any status), by id. */
export async function attachmentIdsOf(db: Db, accountId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('attachment')
    .select('id')
    .where('accountId', '=', accountId)
    .execute();
  return rows.map((r) => r.id);
}

/** Removes attachments and their service links (those a reverted run added). */
export async function deleteAttachments(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom('attachmentService')
    .where('attachmentId', 'in', [...ids])
    .execute();
  await db
    .deleteFrom('attachment')
    .where('id', 'in', [...ids])
    .execute();
}

/** The validated GP attachment of a structure other than `except`, if any. */
export async function otherPrincipal(
  db: Db,
  structureId: number,
  except: number,
): Promise<number | null> {
  const row = await db
    .selectFrom('attachment')
    .select('id')
    .where('structureId', '=', structureId)
    .where('role', '=', 'GESTIONNAIRE_PRINCIPAL')
    .where('status', '=', 'VALIDEE')
    .where('id', '<>', except)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Whether the structure has a validated GP. */
export async function hasPrincipal(db: Db, structureId: number): Promise<boolean> {
  return (await otherPrincipal(db, structureId, -1)) !== null;
}

/** Whether an account has anything of its own beyond its attachments: habilitations, subscriptions, files. */
export async function accountInUse(db: Db, accountId: number): Promise<boolean> {
  for (const table of ['habilitation', 'subscription', 'file'] as const) {
    const row = await db
      .selectFrom(table)
      .select('id')
      .where('accountId', '=', accountId)
      .executeTakeFirst();
    if (row) return true;
  }
  return false;
}

/** Whether anything refers to a structure (services, attachments, habilitations, subscriptions, mail). */
export async function structureInUse(db: Db, structureId: number): Promise<boolean> {
  for (const table of [
    'service',
    'attachment',
    'habilitation',
    'subscription',
    'notification',
  ] as const) {
    const row = await db
      .selectFrom(table)
      .select('structureId')
      .where('structureId', '=', structureId)
      .executeTakeFirst();
    if (row) return true;
  }
  return false;
}

/** Whether anything refers to a service (attachment links, habilitations, subscriptions). */
export async function serviceInUse(db: Db, serviceId: number): Promise<boolean> {
  const link = await db
    .selectFrom('attachmentService')
    .select('serviceId')
    .where('serviceId', '=', serviceId)
    .executeTakeFirst();
  if (link) return true;
  for (const table of ['habilitation', 'subscription'] as const) {
    const row = await db
      .selectFrom(table)
      .select('serviceId')
      .where('serviceId', '=', serviceId)
      .executeTakeFirst();
    if (row) return true;
  }
  return false;
}

export async function deleteStructure(db: Db, id: number): Promise<void> {
  await db.deleteFrom('structure').where('id', '=', id).execute();
}

export async function deleteService(db: Db, id: number): Promise<void> {
  await db.deleteFrom('service').where('id', '=', id).execute();
}

/** Whether an account holds or asks for a subscription or habilitation on a structure (it uses its attachment there). */
export async function usesStructure(
  db: Db,
  accountId: number,
  structureId: number,
): Promise<boolean> {
  for (const table of ['subscription', 'habilitation'] as const) {
    const row = await db
      .selectFrom(table)
      .select('id')
      .where('accountId', '=', accountId)
      .where('structureId', '=', structureId)
      .where('status', 'in', ['EN_COURS_DE_VALIDATION', 'VALIDEE'])
      .executeTakeFirst();
    if (row) return true;
  }
  return false;
}

/** Drops an account's credentials messages not sent yet (its account deleted before they went out); how many. */
export async function withdrawCredentials(db: Db, accountId: number): Promise<number> {
  const result = await db
    .deleteFrom('notification')
    .where('accountId', '=', accountId)
    .where('event', '=', 'ACCOUNT_CREATED')
    .where('sentAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---- the sync's per-account audit, read from its runs' rows (issue 16 point 9) -----------------

/** A run_change row as `audit list` and `audit export` show it, with its run's id. */
export interface AuditedChangeRow {
  id: number;
  runId: number;
  target: string;
  kind: string;
  before: string | null;
  after: string;
}

/** What `audit list` selects among the runs' rows: a target (whole, or its last part), an action. */
export interface AuditedChangeFilter {
  target?: string | undefined;
  /** `sync.account.create`, `.update` or `.deactivate`; any other action has no row. */
  action?: string | undefined;
  limit?: number | undefined;
}

const ABSENT = '%"absent":true%';

/**
 * The rows of `runIds` that stand for per-account audit entries (a `kept` row does not), newest
 * first (run, then row), with their total. The action is told from the kind and, for the
 * deactivations full mode makes of absent accounts, the `absent` mark of the after image.
 */
export async function auditedChanges(
  db: Db,
  runIds: readonly number[],
  filter: AuditedChangeFilter,
): Promise<{ rows: AuditedChangeRow[]; total: number }> {
  const kinds: Record<string, string[]> = {
    'sync.account.create': ['created'],
    'sync.account.update': ['updated', 'reactivated', 'deactivated'],
    'sync.account.deactivate': ['deactivated'],
  };
  const wanted = filter.action === undefined ? null : kinds[filter.action];
  if (runIds.length === 0 || wanted === undefined) return { rows: [], total: 0 };
  const base = db
    .selectFrom('runChange')
    .where('runId', 'in', [...runIds])
    .where('kind', 'in', wanted ?? ['created', 'updated', 'reactivated', 'deactivated'])
    .$if(filter.action === 'sync.account.deactivate', (q) => q.where('after', 'like', ABSENT))
    .$if(filter.action === 'sync.account.update', (q) =>
      q.where((eb) => eb.or([eb('kind', '<>', 'deactivated'), eb('after', 'not like', ABSENT)])),
    )
    .$if(filter.target !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('target', '=', filter.target!),
          like(eb.ref('target'), '%', ':' + filter.target!, ''),
        ]),
      ),
    );
  const { total } = await base
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await base
    .select(['id', 'runId', 'target', 'kind', 'before', 'after'])
    .orderBy('runId', 'desc')
    .orderBy('id', 'desc')
    .$if(filter.limit !== undefined && filter.limit > 0, (q) => q.limit(filter.limit!))
    .execute();
  return { rows, total: Number(total) };
}

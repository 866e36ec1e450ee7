import {
  chain,
  runChangesDigestOf,
  type AuditFields,
  type ChainedEntry,
  type Outcome,
} from '../domain/audit-chain.js';
import { sql } from 'kysely';
import { StoreUnavailableError } from '../errors.js';
import { bulkInsert } from './bulk.js';
import { like } from './like.js';
import type { AuditLogRow, Db } from './schema.js';

const BATCH = 500;

/**
 * Appends entries to the chain inside the caller's transaction. Bumping the head first takes
 * its row lock (PostgreSQL) or the write lock (SQLite), so concurrent writers chain in turn; the
 * head entry's time is read under that lock, and an entry whose own time is earlier is stamped
 * with it instead (domain `notBefore`): the chain's times never go backwards, whatever the
 * clocks of the writers racing for the head, and appends keep their order.
 */
export async function appendAudit(
  db: Db,
  entries: Omit<AuditFields, 'seq'>[],
): Promise<ChainedEntry[]> {
  if (entries.length === 0) return [];
  const before = await db
    .updateTable('auditHead')
    .set((eb) => ({ seq: eb('seq', '+', entries.length) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirst();
  // the head beside the log is gone: the store was tampered with, the chain cannot go on
  if (!before) throw new StoreUnavailableError('audit.headMissing');
  const headSeq = before.seq - entries.length;
  const headAt = await entryTime(db, headSeq);
  const chained = chain({ seq: headSeq, hash: before.hash, at: headAt }, entries);
  await bulkInsert(
    db,
    'audit_log',
    [
      'seq',
      'at',
      'actor',
      'action',
      'target',
      'outcome',
      'changes',
      'run_id',
      'reason',
      'prev_hash',
      'hash',
    ],
    chained.map((e) => [
      e.seq,
      e.at,
      e.actor,
      e.action,
      e.target,
      e.outcome,
      e.changes,
      e.runId,
      e.reason ?? null,
      e.prevHash,
      e.hash,
    ]),
  );
  await db
    .updateTable('auditHead')
    .set({ hash: chained[chained.length - 1]!.hash })
    .where('id', '=', 1)
    .execute();
  return chained;
}

/** The time of entry `seq`; null for the genesis (0) or an entry that is not there. */
async function entryTime(db: Db, seq: number): Promise<string | null> {
  if (seq <= 0) return null;
  const row = await db
    .selectFrom('auditLog')
    .select('at')
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row?.at ?? null;
}

/** The head kept beside the log; null when it was removed (a damaged store). */
export async function readHead(db: Db): Promise<{ seq: number; hash: string } | null> {
  return (
    (await db
      .selectFrom('auditHead')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirst()) ?? null
  );
}

/** The head with its entry's time (null for the genesis, or when that entry is gone). */
export async function readHeadEntry(
  db: Db,
): Promise<{ seq: number; hash: string; at: string | null } | null> {
  const head = await readHead(db);
  return head && { ...head, at: await entryTime(db, head.seq) };
}

/** Whether the store holds any account: then its log cannot be empty. */
export async function storeHoldsAccounts(db: Db): Promise<boolean> {
  const row = await db.selectFrom('account').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

export interface AuditFilter {
  actor?: string | undefined;
  target?: string | undefined;
  since?: string | undefined;
  action?: string | undefined;
  /**
   * The entries about one structure (`audit list --structure`): the structure itself (`ref` is
   * its `TYPE:identifiant`), its services, and the attachments, habilitations and subscriptions
   * on it, by their targets (`attachment:N`…).
   */
  structure?: { id: number; ref: string } | undefined;
  limit?: number | undefined;
}

/** `target IN ('attachment:' || id of the rows of `table` on structure `id`)`. */
const targetsOn = (table: 'attachment' | 'habilitation' | 'subscription', id: number) =>
  sql<boolean>`target in (select ${sql.lit(table + ':')} || cast(id as text) from ${sql.table(table)} where structure_id = ${id})`;

/** Entries matching the filter, newest first. A target matches whole (`account:jean@x.fr`) or by its last part (`jean@x.fr`). */
export async function listAudit(
  db: Db,
  filter: AuditFilter,
): Promise<{ rows: AuditLogRow[]; total: number }> {
  const base = db
    .selectFrom('auditLog')
    .$if(filter.actor !== undefined, (q) => q.where('actor', '=', filter.actor!))
    .$if(filter.target !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('target', '=', filter.target!),
          like(eb.ref('target'), '%', ':' + filter.target!, ''),
        ]),
      ),
    )
    .$if(filter.since !== undefined, (q) => q.where('at', '>=', filter.since!))
    .$if(filter.action !== undefined, (q) => q.where('action', '=', filter.action!))
    .$if(filter.structure !== undefined, (q) => {
      const { id, ref } = filter.structure!;
      return q.where((eb) =>
        eb.or([
          eb('target', '=', `structure:${ref}`),
          like(eb.ref('target'), '', `service:${ref}/`, '%'),
          targetsOn('attachment', id),
          targetsOn('habilitation', id),
          targetsOn('subscription', id),
        ]),
      );
    });
  const { total } = await base
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('seq', 'desc')
    .$if(filter.limit !== undefined && filter.limit > 0, (q) => q.limit(filter.limit!))
    .execute();
  return { rows, total: Number(total) };
}

/** The successful attachment and subscription entries of [start, end), in chain order: the weekly digest's movements. */
export async function movementEntries(
  db: Db,
  start: string,
  end: string,
): Promise<Pick<AuditLogRow, 'at' | 'actor' | 'action' | 'target' | 'changes'>[]> {
  return db
    .selectFrom('auditLog')
    .select(['at', 'actor', 'action', 'target', 'changes'])
    .where('outcome', '=', 'OK')
    .where('at', '>=', start)
    .where('at', '<', end)
    .where((eb) =>
      eb.or([eb('action', 'like', 'attachment.%'), eb('action', 'like', 'subscription.%')]),
    )
    .orderBy('seq')
    .execute();
}

/**
 * The entries of the sync runs whose per-account changes are audited through their run_change
 * rows (issue 16 point 9: the entry carries their digest), by run id, newest first; `actor` and
 * `since` select them as they select any entry. Found by their `file:` target (indexed).
 */
export async function auditedRuns(
  db: Db,
  filter: Pick<AuditFilter, 'actor' | 'since'>,
): Promise<AuditLogRow[]> {
  const rows = await db
    .selectFrom('auditLog')
    .selectAll()
    .where('target', 'in', (eb) =>
      eb
        .selectFrom('run')
        .select(sql<string>`${sql.lit('file:')} || file_name`.as('target'))
        .where('kind', '=', 'sync.madrhas')
        .where('fileName', 'is not', null),
    )
    .where('action', '=', 'sync.madrhas')
    .where('runId', 'is not', null)
    .$if(filter.actor !== undefined, (q) => q.where('actor', '=', filter.actor!))
    .$if(filter.since !== undefined, (q) => q.where('at', '>=', filter.since!))
    .orderBy('seq', 'desc')
    .execute();
  return rows.filter((r) => runChangesDigestOf(r) !== null);
}

/** Every entry in chain order, a page at a time, so verifying a long log keeps memory flat. */
export async function* allAuditEntries(db: Db): AsyncGenerator<ChainedEntry> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('auditLog')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(BATCH * 10)
      .execute();
    if (rows.length === 0) return;
    for (const r of rows) yield r;
    after = rows[rows.length - 1]!.seq;
  }
}

export type { Outcome };

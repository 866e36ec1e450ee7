import { CompiledQuery } from 'kysely';
import type { Db } from './schema.js';
import type { RangeCheck } from './key-ranges.js';
import { rawSqlite } from './store.js';

/**
 * A large load's foreign keys, checked whole rather than row by row: the bulk loader's
 * counterpart of SQLite's deferred indexes (bulk-load.ts `deferIndexes`). Both stores run the same
 * anti-joins, built here from the schema's keys: PostgreSQL's at the load's end
 * (`deferForeignKeys`, inside the load's transaction), SQLite's by ranges of rowids as the load
 * goes (`rangeChecks`, key-ranges.ts; its row-by-row checks are set aside before the transaction
 * begins, first-load.ts).
 *
 * PostgreSQL checks a foreign key with a trigger per inserted row, a lookup and a row lock in the
 * referenced table: a cold sync of 200,000 rows ran a million of them, some 40 % of the server's
 * time. While the load writes, the transaction sets `session_replication_role` to `replica`, under
 * which those triggers do not fire; before the transaction may commit, `restore` sets it back and
 * checks every foreign key of the tables the load writes (KEYS_CHECKED) with one anti-join each,
 * built from the constraints as the schema declares them (pg_constraint): a row that references
 * nothing fails the run with the error PostgreSQL gives (23503, the constraint named), nothing
 * written.
 *
 * Why it gives the result the row-by-row checks give:
 *  - the load runs in a long run's transaction (store.lockForLongRun): every table is held in
 *    EXCLUSIVE mode, so no other transaction can delete or change a row the load references
 *    between the load and the check (what the triggers' row locks are for);
 *  - the load inserts rows and changes their non-key columns; it deletes no row that another table
 *    references (a sync ends attachments, it does not delete them), so only the tables it writes
 *    can hold a broken reference, and the check reads them: whole, or for an append-only table (which
 *    may be large), its rows after the key it had when the load began;
 *  - the only triggers of the tables it writes are the sync's digest triggers, which it sets
 *    aside itself (bulk-load.ts `suspendDigestTriggers`): any other one keeps the checks row by
 *    row (`otherTriggers`); `replica` changes nothing else (constraints, unique indexes and CHECKs
 *    are not triggers).
 * Only when the role may set `session_replication_role` (a superuser, or on PostgreSQL 15 a role
 * granted `SET` on it: `GRANT SET ON PARAMETER session_replication_role TO …`), and only for a
 * file of more than twice the rows `attachment` holds (a first load, as for the indexes): the whole
 * check then costs less than the row-by-row ones. Otherwise nothing changes.
 */

/** The tables a sync writes that hold foreign keys; `after`: append-only, checked after this key. */
const KEYS_CHECKED: readonly { table: string; after: string | null }[] = [
  { table: 'attachment', after: null },
  { table: 'attachment_service', after: null },
  { table: 'sync_digest_snapshot', after: null },
  { table: 'notification', after: 'id' },
  { table: 'run_change', after: 'id' },
  { table: 'audit_log', after: 'seq' },
];

/** The tables a sync writes that hold no foreign key (their triggers count all the same). */
const ALSO_WRITTEN = ['account', 'run'];

interface ForeignKey {
  name: string;
  child: string;
  parent: string;
  columns: string[];
  references: string[];
}

async function rows<T>(db: Db, text: string, params: unknown[] = []): Promise<T[]> {
  return (await db.executeQuery<T>(CompiledQuery.raw(text, params))).rows;
}

/** Whether this session may set `session_replication_role` (a superuser; PostgreSQL 15: a grant). */
async function maySetReplicationRole(db: Db): Promise<boolean> {
  const [s] = await rows<{ superuser: boolean; version: number }>(
    db,
    `select current_setting('is_superuser') = 'on' as superuser,
       current_setting('server_version_num')::integer as version`,
  );
  if (s!.superuser) return true;
  if (s!.version < 150000) return false;
  const [p] = await rows<{ may: boolean }>(
    db,
    "select has_parameter_privilege('session_replication_role', 'SET') as may",
  );
  return p!.may;
}

/**
 * Whether `tables` have a trigger that `replica` would silence and the sync does not set aside
 * itself (those read `chorus.sync_writes` in their WHEN clause: bulk-load.ts
 * `suspendDigestTriggers`). A trigger added later, or a table's own, keeps the checks row by row.
 */
async function otherTriggers(db: Db, tables: string[]): Promise<boolean> {
  const [r] = await rows<{ n: number }>(
    db,
    `select count(*)::integer as n from pg_trigger t
     where not t.tgisinternal and t.tgenabled <> 'D' and t.tgrelid = any($1::regclass[])
       and pg_get_triggerdef(t.oid) not like '%chorus.sync_writes%'`,
    [tables],
  );
  return r!.n > 0;
}

/** The foreign keys of `tables`, as the schema declares them (pg_constraint; SQLite's pragma). */
async function foreignKeys(db: Db, tables: string[]): Promise<ForeignKey[]> {
  if (rawSqlite(db)) {
    const keys: ForeignKey[] = [];
    for (const child of tables) {
      const parts = await rows<{ id: number; parent: string; column: string; ref: string }>(
        db,
        `select id, "table" as parent, "from" as "column", "to" as ref
         from pragma_foreign_key_list(?) order by id, seq`,
        [child],
      );
      for (const id of new Set(parts.map((p) => p.id))) {
        const of = parts.filter((p) => p.id === id);
        const columns = of.map((p) => p.column);
        // SQLite's keys have no name: PostgreSQL's default one, which the same migration gives there
        keys.push({
          name: `${child}_${columns.join('_')}_fkey`,
          child,
          parent: of[0]!.parent,
          columns,
          references: of.map((p) => p.ref),
        });
      }
    }
    return keys;
  }
  const names = (of: string, keys: string) =>
    `array(select a.attname::text from unnest(c.${keys}) with ordinality as k(n, i)
       join pg_attribute a on a.attrelid = c.${of} and a.attnum = k.n order by k.i)`;
  return rows<ForeignKey>(
    db,
    `select c.conname::text as name, c.conrelid::regclass::text as child,
       c.confrelid::regclass::text as parent,
       ${names('conrelid', 'conkey')} as columns, ${names('confrelid', 'confkey')} as "references"
     from pg_constraint c
     where c.contype = 'f' and c.conrelid = any($1::regclass[])
     order by c.conname`,
    [tables],
  );
}

/** Where each append-only table of KEYS_CHECKED stood before a load: its rows after it are the load's. */
export async function appendOnlyStarts(db: Db): Promise<Map<string, number>> {
  const starts = new Map<string, number>();
  for (const { table, after } of KEYS_CHECKED)
    if (after) {
      const [r] = await rows<{ n: number }>(
        db,
        `select coalesce(max(${after}), 0) as n from ${table}`,
      );
      starts.set(table, Number(r!.n));
    }
  return starts;
}

/** The anti-join that finds a row of `key.child` meeting `where` and referencing nothing. */
function antiJoin(key: ForeignKey, only: string, where: string): string {
  const set = key.columns.map((c) => `c.${c} is not null`).join(' and ');
  const match = key.columns.map((c, i) => `p.${key.references[i]} = c.${c}`).join(' and ');
  return `select exists (select 1 from ${only}${key.child} c where ${set}${where}
     and not exists (select 1 from ${only}${key.parent} p where ${match})) as broken`;
}

/** The error of a row that references nothing (PostgreSQL's text: the same on either store). */
const brokenMessage = (key: ForeignKey) =>
  `insert or update on table "${key.child}" violates foreign key constraint "${key.name}"`;

/**
 * PostgreSQL: every foreign key of the tables a load writes (KEYS_CHECKED), checked with one
 * anti-join each: whole, or an append-only table's rows after its start. Throws, naming the key,
 * on a row that references nothing: the error the row-by-row check would have given (23503).
 */
async function checkForeignKeys(db: Db, starts: Map<string, number>): Promise<void> {
  for (const key of await foreignKeys(
    db,
    KEYS_CHECKED.map((k) => k.table),
  )) {
    const checked = KEYS_CHECKED.find((k) => k.table === key.child);
    const after = checked?.after ? ` and c.${checked.after} > ${starts.get(key.child) ?? 0}` : '';
    const [found] = await rows<{ broken: boolean }>(db, antiJoin(key, 'only ', after));
    if (found!.broken)
      throw Object.assign(new Error(brokenMessage(key)), {
        code: '23503',
        constraint: key.name,
        table: key.child,
      });
  }
}

/**
 * SQLite: the same anti-joins, by ranges of rowids (key-ranges.ts), a table's keys next to each
 * other: from its start for an append-only table, else from its first row. A broken row fails
 * the load with SQLITE_CONSTRAINT_FOREIGNKEY, the key named as PostgreSQL names it.
 */
export async function rangeChecks(db: Db, starts: Map<string, number>): Promise<RangeCheck[]> {
  return (
    await foreignKeys(
      db,
      KEYS_CHECKED.map((k) => k.table),
    )
  ).map((key) => ({
    table: key.child,
    from: starts.get(key.child) ?? 0,
    text: antiJoin(key, '', ' and c.rowid > ? and c.rowid <= ?'),
    message: brokenMessage(key),
    columns: key.columns,
  }));
}

/**
 * Sets the foreign keys' row-by-row checks aside for a load of `fileRows` rows, when it pays and
 * the role may (see above); returns what sets them back and checks the tables whole (throws on a
 * broken reference). Call it in a long run, before the load's first write; call what it returns
 * after its last one, before the transaction commits. SQLite's counterpart is taken before the
 * transaction begins (first-load.ts).
 */
export async function deferForeignKeys(db: Db, fileRows: number): Promise<() => Promise<void>> {
  if (rawSqlite(db)) return async () => {};
  const [size] = await rows<{ n: number }>(db, 'select coalesce(max(id), 0) as n from attachment');
  const tables = KEYS_CHECKED.map((k) => k.table);
  if (
    2 * Number(size!.n) >= fileRows ||
    !(await maySetReplicationRole(db)) ||
    (await otherTriggers(db, [...tables, ...ALSO_WRITTEN]))
  )
    return async () => {};
  const starts = await appendOnlyStarts(db);
  const [was] = await rows<{ role: string }>(
    db,
    "select current_setting('session_replication_role') as role",
  );
  await rows(db, "select set_config('session_replication_role', 'replica', true)");
  return async () => {
    await rows(db, "select set_config('session_replication_role', $1, true)", [was!.role]);
    await checkForeignKeys(db, starts);
  };
}

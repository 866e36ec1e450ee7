import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The MADRHAS sync keeps the digests of the accounts it writes itself (issue 4): the triggers of
 * migration 0003, which clear a digest on any other change, need not run for the sync's own
 * million writes. On PostgreSQL they now stand aside in a transaction that set
 * `chorus.sync_writes` to `on` (a setting local to that transaction: every other transaction,
 * and the sync's own once it ends, has them as before). On SQLite nothing changes here: the
 * sync drops the triggers inside its transaction and creates them again before it commits
 * (db/sync.repository.ts), which only a writer holding the store's one write lock can do.
 */
const ACCOUNT_COLUMNS = [
  'status',
  'source',
  'title',
  'last_name',
  'first_name',
  'email',
  'phone',
  'completed_at',
  'login',
];
const OFF = sql.raw(`current_setting('chorus.sync_writes', true) is distinct from 'on'`);

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await recreate(db, true);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await recreate(db, false);
}

async function recreate(db: Kysely<any>, standAside: boolean): Promise<void> {
  const cols = sql.raw(ACCOUNT_COLUMNS.join(', '));
  const when = standAside ? sql`and ${OFF}` : sql``;
  const whenAlone = standAside ? sql`when (${OFF})` : sql``;
  await sql`drop trigger account_digest_self on account`.execute(db);
  await sql`create trigger account_digest_self before update of ${cols} on account
    for each row when (old.sync_digest is not null ${when}) execute function account_digest_clear()`.execute(
    db,
  );
  for (const table of ['attachment', 'attachment_service']) {
    await sql`drop trigger ${sql.id(`${table}_digest`)} on ${sql.id(table)}`.execute(db);
    await sql`create trigger ${sql.id(`${table}_digest`)} after insert or update or delete on ${sql.id(table)}
      for each row ${whenAlone} execute function account_digest_clear()`.execute(db);
  }
}

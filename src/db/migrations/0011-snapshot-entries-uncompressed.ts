import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Issue 16 point 10: the digests a sync leaves (0009) are a row of 320 kB per page of 20,000
 * accounts, random digests that no compression shrinks. PostgreSQL tried all the same on each
 * row (pglz, its default for a value past 2 kB): 25–40 ms a row, a quarter of a second at the
 * end of a cold sync of 200,000 rows, the program waiting. Stored out of line uncompressed, as
 * `external` says. SQLite compresses nothing: no change there.
 */
const pg = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<any>): Promise<void> {
  if (pg(db))
    await sql`alter table sync_digest_snapshot alter column entries set storage external`.execute(
      db,
    );
}

export async function down(db: Kysely<any>): Promise<void> {
  if (pg(db))
    await sql`alter table sync_digest_snapshot alter column entries set storage extended`.execute(
      db,
    );
}

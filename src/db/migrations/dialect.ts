import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * The few column types that differ between SQLite and PostgreSQL, for migrations only.
 * Migrations never import application code, so that each stays as it was when it shipped.
 */
export function types(db: Kysely<any>) {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    /** An id the store generates; never reused when `neverReused` (rows that are really deleted). */
    id: pg ? ('serial' as const) : ('integer' as const),
    idAutoIncrement: !pg,
    blob: pg ? ('bytea' as const) : ('blob' as const),
  };
}

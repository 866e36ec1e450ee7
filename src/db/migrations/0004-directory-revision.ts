import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The directory's revision (issue 4): a counter that any change to a structure or a service
 * moves, by trigger, whatever code makes it. The MADRHAS sync records it (with the actor's
 * scope) beside an account's digest: while it has not moved, an unchanged account's rows need
 * not be checked against the directory again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('directory_state')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('directory_state').values({ id: 1, revision: 1 }).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function directory_revise() returns trigger language plpgsql as $$
      begin update directory_state set revision = revision + 1 where id = 1; return null; end $$`.execute(
      db,
    );
    for (const table of ['structure', 'service'])
      await sql`create trigger ${sql.id(`${table}_revise`)} after insert or update or delete on ${sql.id(table)}
        for each statement execute function directory_revise()`.execute(db);
    return;
  }
  for (const table of ['structure', 'service'])
    for (const event of ['insert', 'update', 'delete'])
      await sql`create trigger ${sql.id(`${table}_revise_${event}`)} after ${sql.raw(event)} on ${sql.id(table)}
        begin update directory_state set revision = revision + 1 where id = 1; end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const table of ['structure', 'service'])
      await sql`drop trigger ${sql.id(`${table}_revise`)} on ${sql.id(table)}`.execute(db);
    await sql`drop function directory_revise()`.execute(db);
  } else {
    for (const table of ['structure', 'service'])
      for (const event of ['insert', 'update', 'delete'])
        await sql`drop trigger ${sql.id(`${table}_revise_${event}`)}`.execute(db);
  }
  await db.schema.dropTable('directory_state').execute();
}

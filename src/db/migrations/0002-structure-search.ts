import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Search over the public directory (issue 3): folded keys of the name and the city for the
 * filters and the ranking, and on SQLite an FTS5 index of `search_key` (name, identifier,
 * services) kept in step by triggers. PostgreSQL matches the same folded words with LIKE.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('structure')
    .addColumn('name_key', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('structure')
    .addColumn('city_key', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .createIndex('structure_identifier_idx')
    .on('structure')
    .column('identifier')
    .execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  // the key is already folded to words separated by spaces: unicode61 splits it the way PostgreSQL's LIKE sees it
  await sql`create virtual table structure_fts using fts5(search_key, content='structure', content_rowid='id', tokenize='unicode61 remove_diacritics 0')`.execute(
    db,
  );
  await sql`create trigger structure_fts_ai after insert on structure begin
      insert into structure_fts(rowid, search_key) values (new.id, new.search_key); end`.execute(
    db,
  );
  await sql`create trigger structure_fts_ad after delete on structure begin
      insert into structure_fts(structure_fts, rowid, search_key) values ('delete', old.id, old.search_key); end`.execute(
    db,
  );
  await sql`create trigger structure_fts_au after update of search_key on structure begin
      insert into structure_fts(structure_fts, rowid, search_key) values ('delete', old.id, old.search_key);
      insert into structure_fts(rowid, search_key) values (new.id, new.search_key); end`.execute(
    db,
  );
  await sql`insert into structure_fts(structure_fts) values ('rebuild')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    for (const t of ['structure_fts_ai', 'structure_fts_ad', 'structure_fts_au'])
      await sql`drop trigger ${sql.id(t)}`.execute(db);
    await sql`drop table structure_fts`.execute(db);
  }
  await db.schema.dropIndex('structure_identifier_idx').execute();
  await db.schema.alterTable('structure').dropColumn('city_key').execute();
  await db.schema.alterTable('structure').dropColumn('name_key').execute();
}

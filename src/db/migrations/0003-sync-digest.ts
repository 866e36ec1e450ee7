import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Unchanged accounts cost almost nothing on re-sync (issue 4): `account.sync_digest` is the
 * digest of the MADRHAS rows the sync last applied to the account in full. Any later change to
 * the account, its attachments or their services clears it, by trigger, whatever code makes the
 * change; a cleared digest makes the next sync plan the account again from its rows.
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

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('account').addColumn('sync_digest', 'text').execute();
  const cols = sql.raw(ACCOUNT_COLUMNS.join(', '));
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function account_digest_clear() returns trigger language plpgsql as $$
      begin
        if tg_table_name = 'account' then
          if new.sync_digest is not distinct from old.sync_digest then new.sync_digest := null; end if;
          return new;
        elsif tg_table_name = 'attachment' then
          update account set sync_digest = null where id in (coalesce(new.account_id, old.account_id), coalesce(old.account_id, new.account_id)) and sync_digest is not null;
        else
          update account set sync_digest = null where sync_digest is not null
            and id = (select account_id from attachment where id = coalesce(new.attachment_id, old.attachment_id));
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger account_digest_self before update of ${cols} on account
      for each row when (old.sync_digest is not null) execute function account_digest_clear()`.execute(
      db,
    );
    await sql`create trigger attachment_digest after insert or update or delete on attachment
      for each row execute function account_digest_clear()`.execute(db);
    await sql`create trigger attachment_service_digest after insert or update or delete on attachment_service
      for each row execute function account_digest_clear()`.execute(db);
    return;
  }
  // SQLite: an update that does not set the digest itself clears it
  await sql`create trigger account_digest_self after update of ${cols} on account
      when old.sync_digest is not null and new.sync_digest is old.sync_digest
      begin update account set sync_digest = null where id = new.id; end`.execute(db);
  for (const [event, row] of [
    ['insert', 'new'],
    ['delete', 'old'],
  ] as const) {
    await sql`create trigger ${sql.id(`attachment_digest_${event}`)} after ${sql.raw(event)} on attachment
        begin update account set sync_digest = null where id = ${sql.raw(row)}.account_id and sync_digest is not null; end`.execute(
      db,
    );
    await sql`create trigger ${sql.id(`attachment_service_digest_${event}`)} after ${sql.raw(event)} on attachment_service
        begin update account set sync_digest = null where sync_digest is not null
          and id = (select account_id from attachment where id = ${sql.raw(row)}.attachment_id); end`.execute(
      db,
    );
  }
  await sql`create trigger attachment_digest_update after update on attachment
      begin update account set sync_digest = null where id in (old.account_id, new.account_id) and sync_digest is not null; end`.execute(
    db,
  );
  await sql`create trigger attachment_service_digest_update after update on attachment_service
      begin update account set sync_digest = null where sync_digest is not null
        and id in (select account_id from attachment where id in (old.attachment_id, new.attachment_id)); end`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const [t, on] of [
      ['account_digest_self', 'account'],
      ['attachment_digest', 'attachment'],
      ['attachment_service_digest', 'attachment_service'],
    ])
      await sql`drop trigger ${sql.id(t!)} on ${sql.id(on!)}`.execute(db);
    await sql`drop function account_digest_clear()`.execute(db);
  } else {
    for (const t of [
      'account_digest_self',
      'attachment_digest_insert',
      'attachment_digest_delete',
      'attachment_digest_update',
      'attachment_service_digest_insert',
      'attachment_service_digest_delete',
      'attachment_service_digest_update',
    ])
      await sql`drop trigger ${sql.id(t)}`.execute(db);
  }
  await db.schema.alterTable('account').dropColumn('sync_digest').execute();
}

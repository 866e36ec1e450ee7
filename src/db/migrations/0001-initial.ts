import { sql, type Kysely } from 'kysely';
import { types } from './dialect.js';

/**
 * The whole schema of SPEC 2–3: accounts and correspondent scopes, structures and services,
 * attachments (to a structure, or to some of its services), habilitations, space subscriptions,
 * files (bytes in chunks), the notification outbox, batch runs and the hash-chained audit log.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = types(db);
  const now = (c: any) => c.notNull();

  await db.schema
    .createTable('account')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('ACTIF', 'INACTIF', 'SUPPRIME')`),
    )
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('mobile', 'text')
    .addColumn('address', 'text')
    .addColumn('address_complement', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('country', 'text', (c) => c.notNull().defaultTo('FR'))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('fr'))
    .addColumn('notify_billing', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('notify_news', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completed_at', 'text')
    .addColumn('search_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', now)
    .addColumn('updated_at', 'text', now)
    .execute();

  await db.schema
    .createTable('correspondent_scope')
    .addColumn('account_id', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('departement', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('correspondent_scope_pk', ['account_id', 'departement'])
    .execute();

  await db.schema
    .createTable('structure')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('id_type', 'text', (c) => c.notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('company_name', 'text', (c) => c.notNull())
    .addColumn('edi_sender', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('edi_receiver', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('manages_payment_status', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('manages_commitment', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('manages_service', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('manages_service_commitment', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_moa', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_moa_only', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('address', 'text')
    .addColumn('address_complement1', 'text')
    .addColumn('address_complement2', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('country_code', 'text')
    .addColumn('country_label', 'text')
    .addColumn('departement', 'text')
    .addColumn('search_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', now)
    .addColumn('updated_at', 'text', now)
    .addUniqueConstraint('structure_identifier_uq', ['id_type', 'identifier'])
    .execute();
  await db.schema
    .createIndex('structure_departement_idx')
    .on('structure')
    .column('departement')
    .execute();

  await db.schema
    .createTable('service')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('structure_id', 'integer', (c) => c.notNull().references('structure.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('date_start', 'text')
    .addColumn('date_end', 'text')
    .addColumn('created_at', 'text', now)
    .addColumn('updated_at', 'text', now)
    .addUniqueConstraint('service_code_uq', ['structure_id', 'code'])
    .execute();

  await db.schema
    .createTable('attachment')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('structure_id', 'integer', (c) => c.notNull().references('structure.id'))
    .addColumn('role', 'text', (c) =>
      c
        .notNull()
        .check(sql`role in ('GESTIONNAIRE_PRINCIPAL', 'GESTIONNAIRE_SECONDAIRE', 'UTILISATEUR')`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`status in ('EN_COURS_DE_VALIDATION', 'VALIDEE', 'REFUSEE', 'DESACTIVEE', 'SUPPRIMEE')`,
        ),
    )
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('refusal_reason', 'text')
    .addColumn('date_start', 'text')
    .addColumn('date_end', 'text')
    .addColumn('requested_at', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('created_at', 'text', now)
    .addColumn('updated_at', 'text', now)
    .execute();
  await db.schema
    .createIndex('attachment_account_idx')
    .on('attachment')
    .column('account_id')
    .execute();
  await db.schema
    .createIndex('attachment_structure_idx')
    .on('attachment')
    .columns(['structure_id', 'status'])
    .execute();
  // At most one live attachment per account and structure, and one principal manager per structure.
  await db.schema
    .createIndex('attachment_live_uq')
    .on('attachment')
    .columns(['account_id', 'structure_id'])
    .unique()
    .where(sql.ref('status'), 'in', ['EN_COURS_DE_VALIDATION', 'VALIDEE'])
    .execute();
  await db.schema
    .createIndex('attachment_one_gp_uq')
    .on('attachment')
    .column('structure_id')
    .unique()
    .where(sql.ref('status'), '=', 'VALIDEE')
    .where(sql.ref('role'), '=', 'GESTIONNAIRE_PRINCIPAL')
    .execute();

  await db.schema
    .createTable('attachment_service')
    .addColumn('attachment_id', 'integer', (c) => c.notNull().references('attachment.id'))
    .addColumn('service_id', 'integer', (c) => c.notNull().references('service.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('attachment_service_pk', ['attachment_id', 'service_id'])
    .execute();

  for (const table of ['habilitation', 'subscription'] as const) {
    let builder = db.schema
      .createTable(table)
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('account_id', 'integer', (c) => c.notNull().references('account.id'))
      .addColumn('structure_id', 'integer', (c) => c.notNull().references('structure.id'))
      .addColumn('service_id', 'integer', (c) => c.references('service.id'));
    builder =
      table === 'habilitation'
        ? builder.addColumn('profile', 'text', (c) => c.notNull())
        : builder
            .addColumn('space', 'text', (c) => c.notNull())
            .addColumn('mode', 'text', (c) => c.notNull());
    await builder
      .addColumn('status', 'text', (c) =>
        c
          .notNull()
          .check(sql`status in ('EN_COURS_DE_VALIDATION', 'VALIDEE', 'REFUSEE', 'SUPPRIMEE')`),
      )
      .addColumn('requested_at', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('created_at', 'text', now)
      .addColumn('updated_at', 'text', now)
      .execute();
    await db.schema.createIndex(`${table}_account_idx`).on(table).column('account_id').execute();
    await db.schema
      .createIndex(`${table}_structure_idx`)
      .on(table)
      .columns(['structure_id', 'status'])
      .execute();
  }

  await db.schema
    .createTable('file')
    .addColumn('id', t.id, (c) =>
      t.idAutoIncrement ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('account_id', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('designation', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', now)
    .execute();
  await db.schema.createIndex('file_account_idx').on('file').column('account_id').execute();
  await db.schema
    .createTable('file_chunk')
    .addColumn('file_id', 'integer', (c) => c.notNull().references('file.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', t.blob, (c) => c.notNull())
    .addPrimaryKeyConstraint('file_chunk_pk', ['file_id', 'seq'])
    .execute();

  await db.schema
    .createTable('notification')
    .addColumn('id', t.id, (c) =>
      t.idAutoIncrement ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('account_id', 'integer', (c) => c.references('account.id'))
    .addColumn('structure_id', 'integer', (c) => c.references('structure.id'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', now)
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema
    .createIndex('notification_account_idx')
    .on('notification')
    .column('account_id')
    .execute();

  await db.schema
    .createTable('run')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('file_sha256', 'text')
    .addColumn('started_at', 'text', now)
    .addColumn('finished_at', 'text')
    .addColumn('counts', 'text')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('changes', 'text')
    .addColumn('run_id', 'integer', (c) => c.references('run.id'))
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').column('actor').execute();
  await db.schema.createIndex('audit_log_target_idx').on('audit_log').column('target').execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();

  // The chain's head: appending updates it first, which serialises writers on both dialects.
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('audit_head')
    .values({ id: 1, seq: 0, hash: '0'.repeat(64) })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_head',
    'audit_log',
    'run',
    'notification',
    'file_chunk',
    'file',
    'subscription',
    'habilitation',
    'attachment_service',
    'attachment',
    'service',
    'structure',
    'correspondent_scope',
    'account',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { types } from './dialect.js';

/**
 * Issue 16: the sync merges, keeps its runs, and applies saved plans.
 * - `account.madrhas_base`: the values the account was last synced from (JSON: its personal
 *   fields, status, and each attachment's role, dates and services), the base of the three-way
 *   merge (SPEC 8.1). Null until a sync writes it: such an account takes the file as it is once.
 * - `run_change`: for each account or structure a run changed, the values before the change and
 *   those the run left (JSON), in the order the run wrote them: `sync show`, `sync revert`.
 * - `run.plan_sha256`: the saved plan a run applied (`sync apply`), unique: a plan applies once;
 *   `run.reverted_by`: the run that reverted this one.
 * - `store_key`: the store's own secret keys; `plan-seal` seals the plans a dry run writes (an
 *   HMAC over the plan), so that a plan's actor, scope or limit cannot be written over by hand.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = types(db);
  await db.schema.alterTable('account').addColumn('madrhas_base', 'text').execute();
  await db.schema.alterTable('run').addColumn('plan_sha256', 'text').execute();
  await db.schema.alterTable('run').addColumn('reverted_by', 'integer').execute();
  await db.schema.createIndex('run_plan_sha256').unique().on('run').column('plan_sha256').execute();
  await db.schema
    .createTable('run_change')
    .addColumn('id', t.id, (c) =>
      t.idAutoIncrement ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('run_id', 'integer', (c) => c.notNull().references('run.id'))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('run_change_run')
    .on('run_change')
    .columns(['run_id', 'id'])
    .execute();
  await db.schema.createIndex('run_change_target').on('run_change').column('target').execute();
  await db.schema
    .createTable('store_key')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('store_key')
    .values({ name: 'plan-seal', value: randomBytes(32).toString('hex') })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('store_key').execute();
  await db.schema.dropTable('run_change').execute();
  await db.schema.dropIndex('run_plan_sha256').execute();
  await db.schema.alterTable('run').dropColumn('reverted_by').execute();
  await db.schema.alterTable('run').dropColumn('plan_sha256').execute();
  await db.schema.alterTable('account').dropColumn('madrhas_base').execute();
}

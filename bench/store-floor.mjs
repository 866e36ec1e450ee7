#!/usr/bin/env node
// What our schema alone costs for a sync's rows: copies BASE (a store before the sync) to OUT,
// then inserts into OUT, in one transaction and with the store's own pragmas, every row a sync
// wrote into SYNCED (accounts, attachments, their services, the run, its before-images and audit
// entries, the digests it leaves for the next run) by
// INSERT … SELECT: no parsing, no checks, no JavaScript per row. It writes as a cold sync does
// (db/sync.repository.ts): the digest triggers aside, the random-order indexes built again at the
// end, through a rollback journal with the foreign keys checked at the end (db/first-load.ts). Timed as a whole process by bench/run.mjs against the floor (baseline-sync.mjs), it is
// the least a cold sync can take while storing what it stores. It prints the bytes stored.
//   node bench/store-floor.mjs BASE SYNCED OUT
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(
  path.join(path.dirname(fileURLToPath(import.meta.url)), '../package.json'),
);
const Database = require('better-sqlite3');
const [base, synced, out] = process.argv.slice(2);
fs.copyFileSync(base, out);
const db = new Database(out);
db.pragma('journal_mode = DELETE');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = OFF');
db.pragma('cache_size = -16384');
db.prepare('attach ? as s').run(synced);
const columns = (table) =>
  db
    .prepare(`select name from pragma_table_info(?)`)
    .all(table)
    .map((c) => c.name)
    .join(', ');
const copy = (table, where) =>
  db.exec(
    `insert into main.${table} (${columns(table)}) select ${columns(table)} from s.${table} where ${where}`,
  );
const before = fs.statSync(out).size;
db.exec('begin');
const aside = db
  .prepare(
    `select sql from main.sqlite_schema where (type = 'trigger' and name like '%digest%')
  or (type = 'index' and name in ('attachment_structure_idx', 'attachment_one_gp_uq', 'audit_log_target_idx', 'run_change_target'))`,
  )
  .pluck()
  .all();
for (const text of aside)
  db.exec(text.replace(/^create (unique )?(trigger|index) (\S+).*$/is, 'drop $2 $3'));
copy('run', 'id not in (select id from main.run)');
copy('account', 'id not in (select id from main.account)');
copy('attachment', 'true');
copy('attachment_service', 'true');
copy('run_change', 'id > (select coalesce(max(id), 0) from main.run_change)');
db.exec('delete from main.sync_digest_snapshot');
copy('sync_digest_snapshot', 'true');
copy('audit_log', 'seq > (select max(seq) from main.audit_log)');
for (const text of aside) db.exec(text);
for (const table of ['attachment', 'attachment_service', 'run_change', 'audit_log'])
  if (db.prepare(`select 1 from pragma_foreign_key_check(?) limit 1`).get(table))
    throw new Error(`a broken foreign key in ${table}`);
db.exec('commit');
db.close();
console.log(`store floor: ${((fs.statSync(out).size - before) / 1e6).toFixed(0)} MB stored`);

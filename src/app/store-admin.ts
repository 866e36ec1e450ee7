import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConflictError } from '../errors.js';
import * as audit from '../db/audit.repository.js';
import {
  assertNotNewer,
  backupTo,
  countRows,
  integrityProblems,
  migrateToLatest,
  schemaState,
} from '../db/store.js';
import { withStore, type StoreAccess } from './session.js';

/** `db` commands: the store's own upkeep, which needs no acting account (SPEC 4). */

/** Who ran a `db` command: the system user (`db` takes no acting account, so none is checked). */
const operator = () => `system:${os.userInfo().username}`;

export async function migrate(access: StoreAccess) {
  return withStore(
    access,
    async (store) => {
      const applied = await migrateToLatest(store);
      if (applied.length > 0) {
        await store.db.transaction().execute((trx) =>
          audit.appendAudit(trx, [
            {
              at: store.clock.now().toISOString(),
              actor: operator(),
              action: 'store.migrate',
              target: 'store',
              outcome: 'OK',
              changes: JSON.stringify({ applied }),
              runId: null,
            },
          ]),
        );
      }
      return {
        location: store.location,
        dialect: store.dialect,
        applied,
        current: (await schemaState(store.db)).applied.at(-1) ?? null,
      };
    },
    { create: true },
  );
}

export async function status(access: StoreAccess) {
  return withStore(
    access,
    async (store) => {
      const state = await schemaState(store.db);
      assertNotNewer(state);
      const ready = state.pending.length === 0;
      const count = async (
        table: 'account' | 'structure' | 'attachment' | 'auditLog' | 'notification' | 'file',
      ) => (ready ? await countRows(store.db, table) : null);
      return {
        location: store.location,
        dialect: store.dialect,
        schema: state.applied.at(-1) ?? null,
        pending: state.pending,
        accounts: await count('account'),
        structures: await count('structure'),
        attachments: await count('attachment'),
        files: await count('file'),
        notifications: await count('notification'),
        auditEntries: await count('auditLog'),
        sizeBytes: store.dialect === 'sqlite' ? fs.statSync(store.location).size : null,
      };
    },
    {},
  );
}

export async function check(access: StoreAccess) {
  return withStore(
    access,
    async (store) => {
      const state = await schemaState(store.db);
      assertNotNewer(state);
      const problems = await integrityProblems(store);
      if (state.pending.length > 0)
        problems.push(`pending migrations: ${state.pending.join(', ')}`);
      return {
        location: store.location,
        dialect: store.dialect,
        ok: problems.length === 0,
        problems,
      };
    },
    {},
  );
}

export async function backup(access: StoreAccess, file: string) {
  const dest = path.resolve(file);
  if (fs.existsSync(dest)) throw new ConflictError('backup.exists', { file: dest });
  return withStore(
    access,
    async (store) => {
      assertNotNewer(await schemaState(store.db));
      await backupTo(store, dest);
      return {
        location: store.location,
        dialect: store.dialect,
        backup: dest,
        sizeBytes: fs.statSync(dest).size,
      };
    },
    {},
  );
}

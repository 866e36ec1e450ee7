import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConflictError } from '../errors.js';
import * as audit from '../db/audit.repository.js';
import * as checks from '../db/check.repository.js';
import * as files from '../db/file.repository.js';
import type { Db } from '../db/schema.js';
import { formatStructureRef } from '../domain/structure-ref.js';
import {
  DECIDED_STATUSES,
  ENDED_ATTACHMENT_STATUSES,
  fileFindings,
  PENDING_STATUS,
  type Finding,
} from '../domain/store-check.js';
import { dayOf } from '../domain/clock.js';
import { verifyChain } from './audit.js';
import { assertNotNewer, countRows, migrateToLatest, schemaState } from '../db/store.js';
import { backupTo, integrityProblems } from '../db/maintenance.js';
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

/**
 * `db check`: the store's own integrity (SQLite's checks), then, on a store at this program's
 * schema, every stored file read back against its size and SHA-256, the audit chain verified
 * as `audit verify` does, and the invariants of SPEC 6–7 (one GP in effect per structure, none
 * on an inactive or deleted account, a deleted account's attachments ended, decisions that
 * match their status). One finding per fault, in a stable order.
 */
export async function check(access: StoreAccess) {
  return withStore(
    access,
    async (store) => {
      const state = await schemaState(store.db);
      assertNotNewer(state);
      const findings: Finding[] = (await integrityProblems(store)).map((detail) => ({
        kind: 'integrity',
        detail,
      }));
      if (state.pending.length > 0)
        findings.push({ kind: 'pendingMigrations', pending: state.pending.join(', ') });
      else {
        // one snapshot for every check: a command committing meanwhile (PostgreSQL) is seen whole or not at all
        const read = store.db.transaction().setAccessMode('read only');
        await (
          store.dialect === 'postgres' ? read.setIsolationLevel('repeatable read') : read
        ).execute(async (trx) =>
          findings.push(...(await deepFindings(trx, dayOf(store.clock.now().toISOString())))),
        );
      }
      return {
        location: store.location,
        dialect: store.dialect,
        ok: findings.length === 0,
        findings,
      };
    },
    {},
  );
}

async function deepFindings(db: Db, today: string): Promise<Finding[]> {
  const found: Finding[] = [];
  for await (const file of files.allFiles(db)) {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of files.fileChunks(db, file.id)) {
      hash.update(chunk);
      size += chunk.length;
    }
    found.push(...fileFindings(file, { size, sha256: hash.digest('hex') }));
  }

  const chain = await verifyChain(db);
  if (chain.break)
    found.push({ kind: 'auditChain', break: chain.break.kind, seq: chain.break.seq });

  for (const s of await checks.structuresWithSeveralGps(db, today))
    found.push({ kind: 'severalGps', structure: formatStructureRef(s), count: s.count });
  for (const g of await checks.gpsOnAccounts(db, ['INACTIF', 'SUPPRIME']))
    found.push({
      kind: 'gpOnUnusableAccount',
      structure: formatStructureRef(g),
      login: g.login,
      status: g.status,
    });
  for (const a of await checks.attachmentsNotEnded(db, 'SUPPRIME', ENDED_ATTACHMENT_STATUSES))
    found.push({
      kind: 'deletedAccountAttached',
      login: a.login,
      attachmentId: a.id,
      status: a.status,
    });
  for (const table of ['attachment', 'habilitation', 'subscription'] as const)
    for (const r of await checks.decisionMismatches(db, table, PENDING_STATUS, DECIDED_STATUSES))
      found.push({ kind: 'decisionMismatch', table, ...r });
  return found;
}

export async function backup(access: StoreAccess, file: string) {
  const dest = path.resolve(file);
  // lstat, not exists: a symbolic link, even one pointing nowhere, is a file already there
  const exists = () => fs.lstatSync(dest, { throwIfNoEntry: false }) !== undefined;
  if (exists()) throw new ConflictError('backup.exists', { file: dest });
  return withStore(
    access,
    async (store) => {
      assertNotNewer(await schemaState(store.db));
      // backupTo claims the file exclusively (O_EXCL, no link followed): one that appeared meanwhile is a conflict too
      await backupTo(store, dest).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST' && exists())
          throw new ConflictError('backup.exists', { file: dest });
        throw err;
      });
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

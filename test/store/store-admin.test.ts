import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { createAccount } from '../../src/app/accounts.js';
import { initStore } from '../../src/app/init.js';
import { backup, check, migrate, status } from '../../src/app/store-admin.js';
import { searchStructures } from '../../src/app/structures.js';
import { TABLES_IN_ORDER, type Db } from '../../src/db/schema.js';
import { allAuditEntries, appendAudit, readHead } from '../../src/db/audit.repository.js';
import { assertSchemaCurrent, openStore, type Store } from '../../src/db/store.js';
import { backupTo, TABLE_KEYS as KEYS } from '../../src/db/maintenance.js';
import { ChainVerifier } from '../../src/domain/audit-chain.js';
import { ConflictError } from '../../src/errors.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import {
  addAccount,
  addAttachment,
  addStructure,
  AT,
  counts,
  entry,
  expectKey,
  sha256File,
  tableNames,
} from './support/seed.js';
import { testClock } from '../helpers/clock.js';

const CORR = 'claire.martin@dgfip.finances.gouv.fr';

/** Every row of every table, in key order. */
async function dump(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES_IN_ORDER) {
    let q = db.selectFrom(table).selectAll();
    for (const k of KEYS[table]) q = q.orderBy(k as never);
    out[table] = await q.execute();
  }
  return out;
}

async function chainBreak(db: Db) {
  const v = new ChainVerifier();
  for await (const e of allAuditEntries(db)) v.next(e);
  return { broken: v.end(await readHead(db)), count: v.count };
}

/** A row in every table, the file's bytes with every byte value, an audit entry pointing at a run. */
async function seedEverything(store: Store): Promise<void> {
  await createAccount(store, CORR, {
    login: 'jean@bayonne.fr',
    data: { email: 'jean@bayonne.fr', lastName: 'DUFOUR', firstName: 'Éloïse' },
  });
  const db = store.db;
  const accountId = await addAccount(db, 'marie@bayonne.fr', {
    lastName: 'DURAND',
    firstName: 'Marie',
  });
  const structureId = await addStructure(
    db,
    '21640102100019',
    '64100',
    'Commune de Bayonne – « test »',
  );
  const service = await db
    .insertInto('service')
    .values({
      structureId,
      code: 'FIN',
      label: 'Finances',
      active: 1,
      dateStart: '2024-01-01',
      dateEnd: null,
      createdAt: AT,
      updatedAt: AT,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const attachmentId = await addAttachment(
    db,
    accountId,
    structureId,
    'GESTIONNAIRE_PRINCIPAL',
    'VALIDEE',
  );
  // validated: its decision is recorded (db check holds requests to it)
  await db
    .updateTable('attachment')
    .set({ decidedAt: AT, decidedBy: CORR })
    .where('id', '=', attachmentId)
    .execute();
  await db
    .insertInto('attachmentService')
    .values({ attachmentId, serviceId: service.id, status: 'VALIDEE' })
    .execute();
  await db
    .insertInto('habilitation')
    .values({
      accountId,
      structureId,
      serviceId: service.id,
      profile: 'VALIDATION_RATTACHEMENTS',
      status: 'VALIDEE',
      requestedAt: AT,
      decidedAt: AT,
      decidedBy: CORR,
      createdAt: AT,
      updatedAt: AT,
    })
    .execute();
  await db
    .insertInto('subscription')
    .values({
      accountId,
      structureId,
      serviceId: null,
      space: 'FACTURES_RECUES',
      mode: 'MODIFICATION',
      status: 'EN_COURS_DE_VALIDATION',
      requestedAt: AT,
      decidedAt: null,
      decidedBy: null,
      createdAt: AT,
      updatedAt: AT,
    })
    .execute();
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const file = await db
    .insertInto('file')
    .values({
      accountId,
      designation: 'RIB',
      type: 'RIB',
      name: 'rib.pdf',
      size: bytes.length * 2,
      mediaType: 'application/pdf',
      // what db check reads back from the two chunks below
      sha256: createHash('sha256').update(bytes).update(Buffer.from(bytes).reverse()).digest('hex'),
      createdAt: AT,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('fileChunk')
    .values([
      { fileId: file.id, seq: 0, data: bytes },
      { fileId: file.id, seq: 1, data: Buffer.from(bytes).reverse() },
    ])
    .execute();
  const run = await db
    .insertInto('run')
    .values({
      kind: 'MADRHAS',
      actor: CORR,
      fileName: 'export.csv',
      fileSha256: 'y'.repeat(64),
      startedAt: AT,
      finishedAt: AT,
      counts: JSON.stringify({ created: 1 }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('runChange')
    .values({
      runId: run.id,
      target: 'account:a@b.fr',
      kind: 'updated',
      before: JSON.stringify({ lastName: 'A' }),
      after: JSON.stringify({ lastName: 'B' }),
    })
    .execute();
  await db
    .insertInto('syncDigestSnapshot')
    .values({
      seq: 0,
      runId: run.id,
      stamp: '0123abcd',
      maxId: 1,
      entries: Buffer.from(new Uint32Array([0xabcdef01, 0x23456789, 1, 7]).buffer),
    })
    .execute();
  await db
    .transaction()
    .execute((trx) =>
      appendAudit(trx, [
        entry({ runId: run.id, changes: '{"é":"ü"}' }),
        entry({ outcome: 'REFUSED' }),
      ]),
    );
}

describe.each(DIALECTS)('store administration (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  let target: string;
  beforeEach(async () => {
    fresh = await freshLocation(dialect, 'migrated');
    await initStore({
      store: accessTo(fresh.location),
      login: CORR,
      data: { email: CORR, lastName: 'MARTIN', firstName: 'Claire' },
      scope: ['64'],
    });
    store = await openStore(fresh.location, { clock: testClock });
    target = path.join(fresh.dir, 'backups', 'copy.sqlite');
    fs.mkdirSync(path.dirname(target));
  });
  afterEach(async () => {
    await store.close();
    await fresh.cleanup();
  });

  describe('backup', () => {
    it('copies every row of every table into a new SQLite file, whose chain still verifies', async () => {
      await seedEverything(store);
      const source = await dump(store.db);
      for (const table of TABLES_IN_ORDER) expect(source[table], table).not.toHaveLength(0);

      const result = await backup(accessTo(fresh.location), target);
      expect(result).toMatchObject({ dialect, backup: target });
      expect(result.sizeBytes).toBe(fs.statSync(target).size);
      expect(fs.statSync(target).mode & 0o777).toBe(0o600);

      const copy = await openStore(target, { clock: testClock });
      try {
        expect(copy.dialect).toBe('sqlite');
        await expect(assertSchemaCurrent(copy)).resolves.toBeUndefined();
        expect(await counts(copy.db)).toEqual(await counts(store.db));
        expect(await dump(copy.db)).toEqual(source);
        expect(await chainBreak(copy.db)).toEqual({ broken: null, count: source.auditLog!.length });
        expect(await readHead(copy.db)).toEqual(await readHead(store.db));
        // the copy's search index (FTS5, migration 0002) holds the structures, from either dialect
        expect(await tableNames(copy.db)).toContain('structure_fts');
        await expect(
          sql`insert into structure_fts(structure_fts) values ('integrity-check')`.execute(copy.db),
        ).resolves.toBeDefined();
        const found = await searchStructures(copy, CORR, { text: 'bayonne', limit: 20, page: 1 });
        expect(found.items.map((i) => i.identifier)).toEqual(['21640102100019']);
        // the copy is a store like any other: it takes new entries on the same chain
        await createAccount(copy, CORR, {
          login: 'after@x.fr',
          data: { email: 'after@x.fr', lastName: 'APRES', firstName: 'Luc' },
        });
        expect((await chainBreak(copy.db)).broken).toBeNull();
      } finally {
        await copy.close();
      }
      // the source is untouched
      expect(await dump(store.db)).toEqual(source);
    });

    it('refuses to overwrite an existing file, and leaves it as it was', async () => {
      fs.writeFileSync(target, 'precious');
      const before = sha256File(target);
      await expectKey(backup(accessTo(fresh.location), target), ConflictError, 'backup.exists');
      expect(sha256File(target)).toBe(before);
    });

    it('never writes over an existing file, even when called directly', async () => {
      // another store: what a backup onto it would damage
      await initStore({
        store: accessTo(target),
        login: 'other@dgfip.finances.gouv.fr',
        data: { email: 'o@dgfip.fr', lastName: 'AUTRE', firstName: 'Anne' },
        scope: ['33'],
      });
      const before = sha256File(target);
      await expect(backupTo(store, target)).rejects.toMatchObject({ code: 'EEXIST' });
      expect(sha256File(target)).toBe(before);
    });
  });

  describe('check', () => {
    it('finds a sound store sound', async () => {
      await seedEverything(store);
      expect(await check(accessTo(fresh.location))).toEqual({
        location: store.location,
        dialect,
        ok: true,
        findings: [],
      });
    });

    it('reports pending migrations', async () => {
      const bare = await freshLocation(dialect);
      try {
        const s = await openStore(bare.location, { create: true, clock: testClock });
        await s.close();
        const result = await check(accessTo(bare.location));
        expect(result.ok).toBe(false);
        expect(result.findings).toEqual([
          {
            kind: 'pendingMigrations',
            pending:
              '0001-initial, 0002-structure-search, 0003-sync-digest, 0004-directory-revision, 0005-sync-own-digests, 0006-structure-departement, 0007-audit-reason, 0008-sync-merge-runs, 0009-sync-digest-snapshot, 0010-run-change-no-target-index, 0011-snapshot-entries-uncompressed',
          },
        ]);
      } finally {
        await bare.cleanup();
      }
    });

    it.runIf(dialect === 'sqlite')('reports a row whose foreign key points nowhere', async () => {
      await store.close();
      const raw = new SqliteDatabase(fresh.location);
      raw.pragma('foreign_keys = OFF');
      raw
        .prepare(`insert into correspondent_scope (account_id, departement) values (999, '40')`)
        .run();
      raw.close();
      store = await openStore(fresh.location, { clock: testClock });
      const result = await check(accessTo(fresh.location));
      expect(result.ok).toBe(false);
      expect(result.findings).toHaveLength(1);
      expect(result.findings[0]).toMatchObject({
        kind: 'integrity',
        detail: expect.stringMatching(/^foreign key: .*correspondent_scope/),
      });
    });
  });

  describe('migrate and status', () => {
    it('migrates a new store once, audited as the operator, and reports its counts', async () => {
      const bare = await freshLocation(dialect);
      try {
        testClock.set(AT);
        const first = await migrate(accessTo(bare.location));
        expect(first).toMatchObject({
          dialect,
          applied: [
            '0001-initial',
            '0002-structure-search',
            '0003-sync-digest',
            '0004-directory-revision',
            '0005-sync-own-digests',
            '0006-structure-departement',
            '0007-audit-reason',
            '0008-sync-merge-runs',
            '0009-sync-digest-snapshot',
            '0010-run-change-no-target-index',
            '0011-snapshot-entries-uncompressed',
          ],
          current: '0011-snapshot-entries-uncompressed',
        });
        expect(await migrate(accessTo(bare.location))).toMatchObject({
          applied: [],
          current: '0011-snapshot-entries-uncompressed',
        });
        const s = await openStore(bare.location, { clock: testClock });
        try {
          expect(
            await s.db
              .selectFrom('auditLog')
              .select(['seq', 'actor', 'action', 'changes', 'at'])
              .execute(),
          ).toEqual([
            {
              seq: 1,
              actor: `system:${os.userInfo().username}`,
              action: 'store.migrate',
              changes: JSON.stringify({
                applied: [
                  '0001-initial',
                  '0002-structure-search',
                  '0003-sync-digest',
                  '0004-directory-revision',
                  '0005-sync-own-digests',
                  '0006-structure-departement',
                  '0007-audit-reason',
                  '0008-sync-merge-runs',
                  '0009-sync-digest-snapshot',
                  '0010-run-change-no-target-index',
                  '0011-snapshot-entries-uncompressed',
                ],
              }),
              at: AT,
            },
          ]);
        } finally {
          await s.close();
        }
        expect(await status(accessTo(bare.location))).toMatchObject({
          schema: '0011-snapshot-entries-uncompressed',
          pending: [],
          accounts: 0,
          auditEntries: 1,
        });
      } finally {
        vi.unstubAllEnvs();
        await bare.cleanup();
      }
      expect(await status(accessTo(fresh.location))).toMatchObject({
        dialect,
        schema: '0011-snapshot-entries-uncompressed',
        accounts: 1,
        auditEntries: 1,
        sizeBytes: dialect === 'sqlite' ? expect.any(Number) : null,
      });
    });
  });
});

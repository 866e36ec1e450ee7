import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initStore } from '../../src/app/init.js';
import { importServices, importStructures } from '../../src/app/structure-import.js';
import { syncMadrhas } from '../../src/app/sync/madrhas.js';
import { allAuditEntries, readHead } from '../../src/db/audit.repository.js';
import { integrityProblems } from '../../src/db/maintenance.js';
import { openStore, type Store } from '../../src/db/store.js';
import { ChainVerifier } from '../../src/domain/audit-chain.js';
import type { Scope } from '../../src/domain/departement.js';
import { testClock } from '../helpers/clock.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import { counts } from '../store/support/seed.js';
import { syncOptions } from '../store/support/directory-store.js';

/**
 * SIGKILL of the built binary in the middle of a MADRHAS sync, while it reads the file, while it
 * writes the store and right before its COMMIT: nothing is committed, and the store is sound for
 * the next run. The program is one process (issue 16): it starts no other, so a killed program is
 * the whole program and nothing of it can commit afterwards.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The project's data generator: the same arguments give the same bytes. */
const GEN = path.join(ROOT, 'bench/gen.mjs');
const BIN = path.join(ROOT, 'bin/chorus-admin.js');
const CORR = 'claire.martin@dgfip.finances.gouv.fr';

/** The processes whose parent is `pid` (the program must start none). */
function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Whether a process still runs (a zombie no longer does). */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(DIALECTS.filter((d) => d === 'sqlite'))(
  'sync madrhas interrupted (%s)',
  (dialect) => {
    let fresh: FreshLocation;
    let files: { annuaire: string; services: string; madrhas: string };
    let before: Record<string, number>;
    /** Tables, indexes and triggers: the run drops some inside its transaction (db/sync.repository.ts). */
    let beforeSchema: unknown[];
    const schemaObjects = async (store: Store) =>
      (await sql`select type, name, sql from sqlite_master order by type, name`.execute(store.db))
        .rows;
    const gen = (args: string[], file: string) =>
      fs.writeFileSync(
        file,
        execFileSync(process.execPath, [GEN, ...args], { maxBuffer: 256 << 20 }),
      );

    beforeEach(async () => {
      expect(
        fs.existsSync(path.join(ROOT, 'dist/cli.js')),
        'dist/ is missing: this test runs the built binary',
      ).toBe(true);
      fresh = await freshLocation(dialect, 'migrated');
      // generated structures lie all over France: a national correspondent
      const scope: Scope = ['*'];
      await initStore({
        store: accessTo(fresh.location),
        login: CORR,
        data: { email: CORR, lastName: 'MARTIN', firstName: 'Claire' },
        scope,
      });
      files = {
        annuaire: path.join(fresh.dir, 'annuaire.csv'),
        services: path.join(fresh.dir, 'services.csv'),
        madrhas: path.join(fresh.dir, 'big.csv'),
      };
      gen(['annuaire', '2000'], files.annuaire);
      gen(['services', '2000'], files.services);
      gen(['madrhas', '100000', '2000'], files.madrhas);
      const store = await openStore(fresh.location, { clock: testClock });
      try {
        await importStructures(store, CORR, { file: files.annuaire, encoding: 'auto', lang: 'fr' });
        await importServices(store, CORR, { file: files.services, encoding: 'auto', lang: 'fr' });
        before = await counts(store.db);
        beforeSchema = await schemaObjects(store);
      } finally {
        await store.close();
      }
      expect(before.structure).toBe(2000);
    }, 120_000);
    afterEach(async () => {
      await fresh.cleanup();
    });

    /**
     * Runs `sync madrhas` on the big file with the built binary, SIGKILLs it once `ready` says so,
     * and waits for every process it started (there should be none) to end. Returns those it
     * started and how long they outlived it.
     */
    async function killedRun(
      ready: (elapsed: number, grownBytes: number) => boolean,
    ): Promise<{ grownAtKill: number; outlived: number; survivors: number[]; started: number[] }> {
      // what the run has written: a first load goes into the store's file and its rollback
      // journal (db/first-load.ts), another run into the WAL
      const stored = ['', '-wal', '-journal'].map((end) => `${fresh.location}${end}`);
      const written = () =>
        stored.reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
      const start = written();
      const grown = () => written() - start;
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !k.startsWith('CHORUS_ADMIN_')),
      );
      const child = spawn(
        process.execPath,
        [BIN, '--db', fresh.location, '--as', CORR, 'sync', 'madrhas', files.madrhas],
        { stdio: ['ignore', 'ignore', 'pipe'], env: { ...env, NO_COLOR: '1' } },
      );
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      let done = false;
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
        (resolve) =>
          child.on('exit', (code, signal) => {
            done = true;
            resolve({ code, signal });
          }),
      );
      const started = Date.now();
      let workers: number[] = [];
      while (!done && !ready(Date.now() - started, grown()) && Date.now() - started < 120_000) {
        workers = [...new Set([...workers, ...childPids(child.pid!)])];
        await sleep(20);
      }
      workers = [...new Set([...workers, ...childPids(child.pid!)])];
      expect(done, `the sync ended before it could be interrupted: ${stderr}`).toBe(false);
      const grownAtKill = grown();
      child.kill('SIGKILL');
      expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
      const killedAt = Date.now();
      while (workers.some(running) && Date.now() - killedAt < 120_000) await sleep(20);
      return {
        grownAtKill,
        outlived: Date.now() - killedAt,
        survivors: workers.filter(running),
        started: workers,
      };
    }

    /** The store is as before the run, sound, and a normal run afterwards succeeds. */
    async function expectUntouchedThenSync(): Promise<void> {
      const store = await openStore(fresh.location, { clock: testClock });
      try {
        expect(await counts(store.db)).toEqual(before);
        expect(await schemaObjects(store)).toEqual(beforeSchema);
        expect(await integrityProblems(store)).toEqual([]);
        const v = new ChainVerifier();
        for await (const e of allAuditEntries(store.db)) v.next(e);
        expect(v.end(await readHead(store.db))).toBeNull();

        const summary = await syncMadrhas(store, CORR, syncOptions(files.madrhas));
        expect(summary).toMatchObject({ rows: 100000, rejected: 0, updated: 0, unchanged: 0 });
        expect(summary.created).toBeGreaterThan(0);
        const after = await counts(store.db);
        expect(after.account).toBe(before.account! + summary.created);
        expect(after.attachment).toBe(before.attachment! + summary.attachmentsAdded);
        // the run's entry only: its accounts are audited through its rows (issue 16 point 9)
        expect(after.auditLog).toBe(before.auditLog! + 1);
        expect(after.runChange).toBeGreaterThanOrEqual((before.runChange ?? 0) + summary.created);
        expect(after.run).toBe(before.run! + 1);
        expect(await integrityProblems(store)).toEqual([]);
      } finally {
        await store.close();
      }
    }

    it('killed (SIGKILL) right before its COMMIT, in one process: nothing committed', async () => {
      // the program stops at the gate, a FIFO, right before its COMMIT (src/cli.ts, tests only)
      const gate = path.join(fresh.dir, 'commit-gate');
      execFileSync('mkfifo', [gate]);
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !k.startsWith('CHORUS_ADMIN_')),
      );
      const program = spawn(
        process.execPath,
        [BIN, '--db', fresh.location, '--as', CORR, 'sync', 'madrhas', files.madrhas],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...env, NO_COLOR: '1', CHORUS_ADMIN_TEST_COMMIT_GATE: gate },
        },
      );
      let stderr = '';
      program.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      let done = false;
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        program.on('exit', (_code, signal) => {
          done = true;
          resolve(signal);
        }),
      );
      while (!done && !fs.existsSync(`${gate}.reached`)) await sleep(20);
      expect(done, `the sync ended before its commit: ${stderr}`).toBe(false);
      // the whole run is this one process: no child to outlive it and commit
      expect(childPids(program.pid!)).toEqual([]);
      program.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      await expectUntouchedThenSync();
    }, 240_000);

    it('killed (SIGKILL) after a second, while reading the file: the store is as it was', async () => {
      const { outlived, survivors, started } = await killedRun((elapsed) => elapsed >= 1000);
      expect(started, 'the sync runs in one process').toEqual([]);
      expect(survivors, 'processes the sync started outlived it').toEqual([]);
      expect(outlived).toBeLessThan(3000);
      await expectUntouchedThenSync();
    }, 240_000);

    it('killed (SIGKILL) while writing the store: nothing committed, the store sound', async () => {
      // the write phase has begun when uncommitted pages lie in the store's files: a first load
      // of 100,000 rows, in the store and its rollback journal, which the next opening rolls back
      const { grownAtKill, outlived, survivors, started } = await killedRun(
        (elapsed, grown) => elapsed >= 1000 && grown >= 1 << 20,
      );
      expect(grownAtKill).toBeGreaterThanOrEqual(1 << 20);
      expect(started, 'the sync runs in one process').toEqual([]);
      expect(survivors, 'processes the sync started outlived it').toEqual([]);
      // nothing of the program runs on to a commit
      expect(outlived).toBeLessThan(3000);
      await expectUntouchedThenSync();
    }, 240_000);
  },
);

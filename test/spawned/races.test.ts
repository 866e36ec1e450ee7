import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnRun, type RunResult } from '../helpers/cli.js';
import { freshLocation, type FreshLocation } from '../helpers/stores.js';
import {
  PAU,
  attach,
  clis,
  createAccount,
  initStore,
  insertStructures,
  json,
  withDb,
} from '../e2e/fixtures.js';

/**
 * SPEC 5 on SQLite: writers take turns (BEGIN IMMEDIATE), so two commands at the same moment give
 * what one after the other would. The test holds the write lock, starts an approve and a reject
 * of one request as two processes of the built binary, releases the lock once both have the store
 * open: one decides, the other exits 6, one e-mail. (PostgreSQL: test/e2e/races.test.ts.)
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const GP = 'gp@mairie-pau.fr';
const ENV = { env: { CHORUS_ADMIN_LOCK_TIMEOUT: '120000' } };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How many processes have `file` open. */
function openers(file: string): number {
  let n = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`))
        if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === file) {
          n++;
          break;
        }
    } catch {
      // gone, or not ours to read
    }
  }
  return n;
}

describe('races on SQLite: writers take turns', { timeout: 120_000 }, () => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    expect(fs.existsSync(path.join(ROOT, 'dist/cli.js')), 'run npm run build first').toBe(true);
    fresh = await freshLocation('sqlite');
    await initStore(fresh.location);
    await createAccount(fresh.location, GP);
    const { pau } = await insertStructures(fresh.location);
    await withDb(fresh.location, (db) => attach(db, GP, pau, 'GESTIONNAIRE_PRINCIPAL'));
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('attachment approve and reject of one request: one wins, the other exits 6, one e-mail', async () => {
    for (let round = 1; round <= 3; round++) {
      const requester = `agent${round}@mairie-pau.fr`;
      await createAccount(fresh.location, requester);
      const asked = await clis(fresh.location).as(requester)(
        '--json',
        'attachment',
        'request',
        PAU.identifier,
        '--comment',
        'Agent comptable',
      );
      const id = json<{ id: number }>(asked).id;

      const lock = new SqliteDatabase(fresh.location);
      let results: RunResult[];
      try {
        lock.exec('begin immediate');
        const base = ['--db', fresh.location, '--as', GP, 'attachment'];
        const runs = [
          spawnRun([...base, 'approve', String(id)], ENV),
          spawnRun([...base, 'reject', String(id), '--reason', 'Inconnu'], ENV),
        ];
        while (openers(fresh.location) < 2) await sleep(20);
        lock.exec('rollback');
        results = await Promise.all(runs);
      } finally {
        lock.close();
      }
      expect(results.map((r) => r.code).sort(), results.map((r) => r.stderr).join('\n')).toEqual([
        0, 6,
      ]);
      expect(results.find((r) => r.code === 6)!.stderr).toContain(
        `La demande n° ${id} est déjà traitée`,
      );
      const mails = await withDb(fresh.location, (db) =>
        db
          .selectFrom('notification')
          .innerJoin('account', 'account.id', 'notification.accountId')
          .select('notification.event')
          .where('account.login', '=', requester)
          .where('notification.event', 'in', ['ATTACHMENT_APPROVED', 'ATTACHMENT_REJECTED'])
          .execute(),
      );
      expect(mails).toHaveLength(1);
    }
  });
});

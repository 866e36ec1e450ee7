import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report } from '../../src/cli.js';
import { Output } from '../../src/ui/output.js';
import { run, testIo } from '../helpers/cli.js';
import { PG_URL, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { CORR, HEAVY } from './fixtures.js';

/**
 * Issue 14, point 13 (SPEC 4): the program never prints a password. A `postgres://` URL's
 * credentials are `***` in every message, result and stack, whether the server answers or not.
 */

const SECRET = 'S3cret';

/** Every way the location or the driver's error can reach the user's screen. */
const COMMANDS = (backup: string): string[][] => [
  ['db', 'status'],
  ['db', 'status', '--json'],
  ['db', 'check'],
  ['db', 'migrate'],
  ['db', 'backup', backup],
  ['--as', CORR, 'account', 'list'],
  ['--as', CORR, 'audit', 'verify'],
];

describe('a password in a postgres URL is never printed', HEAVY, () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-secrets-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['in the URL', `postgres://root:${SECRET}@127.0.0.1:1/x`],
    ['percent-encoded', `postgres://root:${SECRET}%40%2F@127.0.0.1:1/x`],
    ['as a password= parameter', `postgres://root@127.0.0.1:1/x?password=${SECRET}`],
  ])('server unreachable, password %s: 7, shown as ***, even with --verbose', async (_, url) => {
    const backup = path.join(dir, 'backup.sqlite');
    for (const args of COMMANDS(backup))
      for (const verbose of [[], ['--verbose']]) {
        const name = [...verbose, ...args].join(' ');
        const r = await run(['--db', url, ...verbose, ...args]);
        expect(r.code, name).toBe(7);
        expect(r.stdout + r.stderr, name).not.toContain(SECRET);
        expect(r.stderr, name).toContain('***');
        expect(r.stderr, name).toContain('127.0.0.1:1/x');
      }
    expect(fs.existsSync(backup)).toBe(false);
  });

  it('from the environment too', async () => {
    const r = await run(['--verbose', 'db', 'status'], {
      env: { CHORUS_ADMIN_DB: `postgres://root:${SECRET}@127.0.0.1:1/x` },
    });
    expect(r.code).toBe(7);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stderr).toContain('postgres://root:***@127.0.0.1:1/x');
  });

  it('a URL the driver cannot parse: its password is not in the error, nor in the stack', async () => {
    for (const args of [
      ['db', 'status'],
      ['--as', CORR, 'account', 'list'],
    ]) {
      const r = await run(['--verbose', '--db', `postgres://root:${SECRET}@[zz/x`, ...args]);
      // the store cannot be opened (7), not an internal error (70)
      expect(r.code, args.join(' ')).toBe(7);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
    }
  });
});

describe('the top-level catch', () => {
  it('redacts any postgres URL an error quotes, in its message and its --verbose stack', () => {
    const { io, result } = testIo();
    const out = new Output({ lang: 'en', format: 'table', quiet: false, verbose: true, io });
    const err = new Error(`cannot reach postgres://root:${SECRET}@db.example:5432/chorus`);
    expect(report(err, out)).toBe(70);
    const r = result(70);
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stderr).toContain('postgres://root:***@db.example:5432/chorus');
  });
});

describe.runIf(PG_URL)('a password in a reachable postgres URL is never printed', HEAVY, () => {
  let fresh: FreshLocation;
  let url: string;
  beforeAll(async () => {
    fresh = await freshLocation('postgres', 'seeded');
    const u = new URL(fresh.location);
    u.password = SECRET; // the test server trusts its clients: any password is accepted
    url = u.toString();
  });
  afterAll(async () => {
    await fresh.cleanup();
  });

  it('db status, check, migrate, backup and the commands show the location as ***', async () => {
    const backup = path.join(fresh.dir, 'backup.sqlite');
    for (const args of COMMANDS(backup))
      for (const verbose of [[], ['--verbose']]) {
        const name = [...verbose, ...args].join(' ');
        const r = await run(['--db', url, ...verbose, ...args]);
        expect(r.code, name).not.toBe(7);
        expect(r.code, name).not.toBe(70);
        expect(r.stdout + r.stderr, name).not.toContain(SECRET);
      }
    const status = await run(['--db', url, 'db', 'status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      location: expect.stringMatching(/^postgres:\/\/root:\*\*\*@/),
    });
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnedCliFor, spawnRun } from '../helpers/cli.js';
import { freshLocation, type FreshLocation } from '../helpers/stores.js';

/**
 * The built program in a process of its own, as a shell or a CI job runs it: the launcher, exit
 * codes through a real process, and one smoke test per command group. Everything else runs the
 * program in-process (test/helpers/cli.ts).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/chorus-admin.js');
const FIXTURES = path.join(ROOT, 'fixtures');
const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const PAULINE = 'pauline.dufour@mairie-pau.fr';

describe('the launcher', () => {
  it('runs as ./bin/chorus-admin.js: its run bit and shebang work, and --version is the package’s', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const r = spawnSync(BIN, ['--version'], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.stdout.trim()).toBe(version);
    expect(r.status).toBe(0);
  });

  it('stops quietly when its reader closes the pipe early (--help | head -1)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" --help | head -1`], {
      encoding: 'utf8',
    });
    expect(r.stdout).toMatch(/chorus-admin/);
    expect(r.stderr).toBe('');
  });

  it('sets the exit code of SPEC 5 on the process: 2 for an unknown command, 7 for no store', async () => {
    const unknown = await spawnRun(['acount']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('acount');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-spawned-'));
    try {
      const missing = await spawnRun([
        '--db',
        path.join(dir, 'none.sqlite'),
        '--as',
        CORR,
        'account',
        'list',
      ]);
      expect(missing.code).toBe(7);
      expect(fs.existsSync(path.join(dir, 'none.sqlite'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('one command of each group, spawned', { timeout: 120_000 }, () => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof spawnedCliFor>;
  beforeAll(async () => {
    fresh = await freshLocation('sqlite');
    cli = spawnedCliFor(fresh.location);
  }, 120_000);
  afterAll(async () => {
    await fresh.cleanup();
  });

  const ok = (r: { code: number | null; stderr: string }, name: string) =>
    expect(r.code, `${name}: ${r.stderr}`).toBe(0);

  it('init, db, structure, sync, account, attachment, habilitation, subscription, file, notification, audit', async () => {
    // prettier-ignore
    ok(await cli('init', '--correspondent', CORR, '--email', CORR, '--nom', 'MARTIN', '--prenom', 'Claire', '--scope', '64,40'), 'init');
    const status = await cli('--json', 'db', 'status');
    ok(status, 'db status');
    expect(JSON.parse(status.stdout)).toMatchObject({ accounts: 1 });

    const as = (...args: string[]) => cli('--as', CORR, ...args);
    // a batch command runs in the program's one process, as every other (issue 16)
    const imported = await as('structure', 'import', path.join(FIXTURES, 'annuaire.csv'));
    expect(imported.code).toBe(1); // the fixture holds two broken rows, on purpose
    const services = await as('structure', 'import-services', path.join(FIXTURES, 'services.csv'));
    expect(services.code).toBe(1); // one row names a structure the directory rejected
    const synced = await as('--json', 'sync', 'madrhas', path.join(FIXTURES, 'madrhas.csv'));
    expect([0, 1]).toContain(synced.code);
    expect(JSON.parse(synced.stdout)).toMatchObject({ file: 'madrhas.csv' });

    const accounts = await as('--json', 'account', 'list');
    ok(accounts, 'account list');
    expect(accounts.stdout).toContain(PAULINE);
    const search = await as('--json', 'structure', 'search', 'Pau');
    ok(search, 'structure search');

    const pauline = (...args: string[]) => cli('--as', PAULINE, '--json', ...args);
    const attachments = await pauline('attachment', 'list');
    ok(attachments, 'attachment list');
    expect((JSON.parse(attachments.stdout) as unknown[]).length).toBeGreaterThan(0);
    ok(await pauline('habilitation', 'list'), 'habilitation list');
    ok(await pauline('subscription', 'list'), 'subscription list');
    ok(await pauline('file', 'list'), 'file list');
    ok(await as('--json', 'notification', 'list'), 'notification list');

    const verify = await as('audit', 'verify');
    ok(verify, 'audit verify');
  });
});

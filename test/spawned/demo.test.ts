import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * `npm run demo` (scripts/demo.mjs), piped as a script or CI would: it exits 0, writes no escape
 * code into the pipe (even for its own titles), speaks the user's language (French by default),
 * and ends with the next steps: the store it kept, and commands to try on it.
 */

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/demo.mjs');

describe('the demo, piped', { timeout: 120_000 }, () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-demo-test-'));
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const demo = (env: Record<string, string | undefined>) => {
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !k.startsWith('CHORUS_ADMIN_') && !/COLOR/.test(k)) base[k] = v;
    const r = spawnSync(process.execPath, [DEMO], {
      env: { ...base, TMPDIR: tmp, LANG: 'C.UTF-8', ...env },
      encoding: 'utf8',
    });
    return { code: r.status, out: r.stdout + r.stderr, stdout: r.stdout };
  };

  it.each([
    {
      lang: 'fr',
      env: {},
      title: '# Importer l’annuaire des structures publiques',
      next: '# Et maintenant, à vous',
      keep: 'La base de la démonstration reste ici : ',
    },
    {
      lang: 'en',
      env: { LANG: 'en_GB.UTF-8' },
      title: '# Import the directory of public structures',
      next: '# Now your turn',
      keep: 'The demo’s store stays here: ',
    },
  ])('$lang: exit 0, no escape code, ends with the next steps', ({ env, title, next, keep }) => {
    const r = demo(env);
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toContain('\x1b[');
    expect(r.stdout).toContain(title);
    const tail = r.stdout.slice(r.stdout.lastIndexOf(next));
    expect(tail.startsWith(next), r.stdout.slice(-2000)).toBe(true);
    const store = new RegExp(`${keep}(\\S+demo\\.sqlite)`).exec(tail)?.[1];
    expect(store && fs.existsSync(store)).toBe(true);
    expect(tail).toContain(`export CHORUS_ADMIN_DB=${store}`);
    const commands = tail.split('\n').filter((l) => l.startsWith('  chorus-admin '));
    expect(commands.length).toBeGreaterThanOrEqual(3);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { freshLocation, type FreshLocation } from '../helpers/stores.js';
import { INIT_ARGS } from '../helpers/templates.js';

/**
 * `init` says what to do next (issue 15, point 10): import the directory, its services, then the
 * MADRHAS sync with a dry run first, as the new correspondent; in the user's language, on stderr,
 * within 80 columns; silent with --quiet.
 */

describe('init says what to do next', () => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    fresh = await freshLocation('sqlite');
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it.each([
    ['fr', 'Et ensuite, en tant que claire.martin@dgfip.finances.gouv.fr :'],
    ['en', 'Next, as claire.martin@dgfip.finances.gouv.fr:'],
  ])('%s', async (lang, heading) => {
    const r = await run(['--db', fresh.location, '--lang', lang, ...INIT_ARGS]);
    expect(r.code).toBe(0);
    const next = r.stderr.slice(r.stderr.indexOf(heading));
    expect(r.stderr).toContain(heading);
    const commands = next.split('\n').filter((l) => l.startsWith('  chorus-admin '));
    expect(commands.map((l) => l.split('#')[0]!.trim())).toEqual([
      'chorus-admin structure import annuaire.csv',
      'chorus-admin structure import-services services.csv',
      'chorus-admin sync madrhas export.csv --dry-run',
      'chorus-admin sync madrhas export.csv --rejects rejets.csv',
    ]);
    expect(next).toContain('export CHORUS_ADMIN_AS=claire.martin@dgfip.finances.gouv.fr');
    for (const line of next.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('--quiet keeps it silent', async () => {
    const r = await run(['--db', fresh.location, '--quiet', ...INIT_ARGS]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('chorus-admin structure import');
  });
});

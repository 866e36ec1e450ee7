import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliFor, run } from '../helpers/cli.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';

describe.each(DIALECTS)('init (%s)', (dialect) => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    fresh = await freshLocation(dialect);
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('creates the store and its first correspondent, then refuses a second init with 6', async () => {
    const cli = cliFor(fresh.location);
    const args = [
      'init',
      '--correspondent',
      'Claire.Martin@dgfip.finances.gouv.fr',
      '--email',
      'claire.martin@dgfip.finances.gouv.fr',
      '--nom',
      'MARTIN',
      '--prenom',
      'Claire',
      '--scope',
      '64,40',
    ];
    const first = await cli(...args, '--json');
    expect(first.stderr).toContain('premier correspondant');
    expect(first.code).toBe(0);
    const account = JSON.parse(first.stdout);
    expect(account).toMatchObject({
      login: 'claire.martin@dgfip.finances.gouv.fr',
      kind: 'correspondent',
      scope: ['40', '64'],
      status: 'ACTIF',
    });
    if (dialect === 'sqlite') expect(fs.statSync(fresh.location).mode & 0o777).toBe(0o600);

    const second = await cli(...args);
    expect(second.code).toBe(6);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('déjà initialisée');
  });

  it('rejects a bad scope with 5, naming the field, and creates no account', async () => {
    const cli = cliFor(fresh.location);
    const r = await cli(
      'init',
      '--correspondent',
      'c@dgfip.fr',
      '--email',
      'c@dgfip.fr',
      '--nom',
      'X',
      '--prenom',
      'Y',
      '--scope',
      '33,99',
    );
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('--scope');
    expect(r.stderr).toContain('99');
  });
});

describe('usage', () => {
  it('prints the version and exits 0', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 on an unknown option, with the message on stderr in French', async () => {
    const r = await run(['account', 'list', '--nope']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Option inconnue : --nope');
  });
});

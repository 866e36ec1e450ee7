import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { CORR } from './fixtures.js';

/** Bulk commands write their per-id array with --json whatever the number of ids. */
describe.each(DIALECTS)('bulk --json (%s)', (dialect) => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    fresh = await freshLocation(dialect, 'seeded');
  });
  afterEach(() => fresh.cleanup());
  const cli = (...args: string[]) => run(['--db', fresh.location, '--as', CORR, ...args]);

  it.each([
    ['attachment', 'approve'],
    ['subscription', 'approve'],
    ['habilitation', 'approve'],
  ])('%s %s of one unknown id: its own code, and its row on stdout', async (group, verb) => {
    const one = await cli('--json', group, verb, '99');
    expect(one.code).toBe(3);
    expect(JSON.parse(one.stdout)).toEqual([
      { id: 99, ok: false, status: null, code: 3, message: expect.any(String) },
    ]);
    const table = await cli(group, verb, '99');
    expect(table.code).toBe(3);
    expect(table.stdout).toBe('');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY, runPty } from '../helpers/pty.js';
import { freshLocation, type FreshLocation } from '../helpers/stores.js';
import { CORR, HEAVY, PAULINE, clis, createAccount, initStore, json } from '../e2e/fixtures.js';

/**
 * Issue 17 point 8 on a real terminal: a destructive command without --reason asks for it, in
 * the user's language, after its confirmation; the answer is kept in the audit log, and an empty
 * one gives none.
 */

describe('the reason asked on a terminal', HEAVY, () => {
  let fresh: FreshLocation;

  beforeEach(async () => {
    fresh = await freshLocation('sqlite');
    await initStore(fresh.location);
    await createAccount(fresh.location, PAULINE);
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  const reasons = async () =>
    json<{ action: string; reason: string | null }[]>(
      await clis(fresh.location).corr('audit', 'list', '--target', PAULINE, '--json'),
    ).map((e) => [e.action, e.reason]);

  it('fr and en: typed, it is kept; empty, there is none', async () => {
    const deactivated = await runPty(
      ['--db', fresh.location, '--as', CORR, 'account', 'deactivate', PAULINE],
      [{ waitFor: 'Motif (facultatif', send: 'Ticket 77' + KEY.enter }],
    );
    expect(deactivated.code, deactivated.output).toBe(0);

    const deleted = await runPty(
      ['--db', fresh.location, '--as', CORR, 'account', 'delete', PAULINE],
      [
        { waitFor: '(y/N)', send: 'y' + KEY.enter },
        { waitFor: 'Reason (optional', send: KEY.enter },
      ],
      { env: { CHORUS_ADMIN_LANG: 'en' } },
    );
    expect(deleted.code, deleted.output).toBe(0);

    expect(await reasons()).toEqual([
      ['account.delete', null],
      ['account.deactivate', 'Ticket 77'],
      ['account.create', null],
    ]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { CORR } from './fixtures.js';

/** A mistyped command or option is answered with the nearest one, in the user's language. */
describe.each(DIALECTS)('suggestions (%s)', (dialect) => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    fresh = await freshLocation(dialect, 'seeded');
  });
  afterEach(() => fresh.cleanup());
  const cli = (...args: string[]) => run(['--db', fresh.location, '--as', CORR, ...args]);

  it('a mistyped command: 2, the nearest command named', async () => {
    const r = await cli('acount');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'Erreur : Commande inconnue : acount. Vouliez-vous dire « account » ?\nVoir --help.\n',
    );
    const en = await cli('--lang', 'en', 'acount');
    expect(en.stderr).toContain('Unknown command: acount. Did you mean “account”?');
  });

  it('a mistyped subcommand: the nearest of its group', async () => {
    const r = await cli('account', 'lsit');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Commande inconnue : lsit. Vouliez-vous dire « list » ?');
  });

  it('a mistyped option: the nearest option of that command, global options included', async () => {
    const r = await cli('account', 'edit', '--adress', 'Place Royale');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Option inconnue : --adress. Vouliez-vous dire « --adresse » ?');
    const global = await cli('account', 'list', '--jsno');
    expect(global.stderr).toContain('Vouliez-vous dire « --json » ?');
  });

  it('nothing near: no suggestion', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('Erreur : Commande inconnue : frobnicate.\nVoir --help.\n');
  });
});

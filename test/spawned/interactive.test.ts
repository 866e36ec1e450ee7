import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliFor, type RunResult } from '../helpers/cli.js';
import { KEY, runPty } from '../helpers/pty.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';

/**
 * The questions asked on a terminal (SPEC 4, 7): the binary runs in a real pseudo-terminal,
 * keys are typed once the question shows, and the outcome is read back from the store
 * with the ordinary, non-interactive CLI.
 */

const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const USER = 'pauline.dufour@mairie-pau.fr';

function ok(r: RunResult): RunResult {
  if (r.code !== 0)
    throw new Error(`exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
  return r;
}

describe.each(DIALECTS)('interactive prompts on a terminal (%s)', (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof cliFor>;
  const onTerminal = (args: string[], steps: Parameters<typeof runPty>[1]) =>
    runPty(['--db', fresh.location, ...args], steps);

  const show = async (login: string) =>
    JSON.parse(ok(await cli('--as', CORR, 'account', 'show', login, '--json')).stdout) as Record<
      string,
      unknown
    >;
  const auditEntries = async () =>
    JSON.parse(
      ok(await cli('--as', CORR, 'audit', 'list', '--json', '--limit', '1000')).stdout,
    ) as unknown[];

  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    cli = cliFor(fresh.location);
    ok(
      await cli(
        'init',
        '--correspondent',
        CORR,
        '--email',
        CORR,
        '--nom',
        'MARTIN',
        '--prenom',
        'Claire',
        '--scope',
        '64,40',
      ),
    );
    ok(
      await cli(
        '--as',
        CORR,
        '--yes',
        'account',
        'create',
        USER,
        '--email',
        USER,
        '--nom',
        'DUFOUR',
        '--prenom',
        'Pauline',
      ),
    );
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  describe('account delete asks for a confirmation', () => {
    const question = `Supprimer le compte ${USER} et clore tous ses rattachements ?`;

    it('answered no: exits 0, says it abandoned, and the account stays ACTIF', async () => {
      const before = await auditEntries();
      const r = await onTerminal(
        ['--as', CORR, 'account', 'delete', USER],
        [{ waitFor: question, send: 'n' + KEY.enter }],
      );
      expect(r.output).toContain('Abandon : rien n’a été modifié.');
      expect(r.code).toBe(0);
      expect(await show(USER)).toMatchObject({ login: USER, status: 'ACTIF' });
      expect(await auditEntries()).toHaveLength(before.length);
    });

    it('answered yes: exits 0 and the account is SUPPRIME', async () => {
      const r = await onTerminal(
        ['--as', CORR, 'account', 'delete', USER],
        [
          { waitFor: question, send: 'y' + KEY.enter },
          // then the reason, which a terminal is asked for (issue 17): none
          { waitFor: 'Motif (facultatif', send: KEY.enter },
        ],
      );
      expect(r.output).not.toContain('Abandon');
      expect(r.code).toBe(0);
      expect(await show(USER)).toMatchObject({ login: USER, status: 'SUPPRIME' });
    });

    it('Ctrl-C: exits 130, and nothing is written, not even to the audit log', async () => {
      const before = await auditEntries();
      const r = await onTerminal(
        ['--as', CORR, 'account', 'delete', USER],
        [{ waitFor: question, send: KEY.ctrlC }],
      );
      expect(r.output).toContain('Interrompu : rien n’a été modifié.');
      expect(r.code).toBe(130);
      expect(await show(USER)).toMatchObject({ login: USER, status: 'ACTIF' });
      expect(await auditEntries()).toEqual(before);
    });
  });

  it('without a terminal, the same commands ask nothing: exit 2 and nothing written', async () => {
    const before = await auditEntries();
    const del = await cli('--as', CORR, 'account', 'delete', USER);
    expect(del.code).toBe(2);
    const complete = await cli('--as', USER, 'account', 'complete');
    expect(complete.code).toBe(2);
    expect(complete.stderr).toContain('--adresse');
    expect(await show(USER)).toMatchObject({ status: 'ACTIF', completedAt: null });
    expect(await auditEntries()).toEqual(before);
  });

  describe('account complete asks for what is missing', () => {
    it('asks address, postal code and city; refuses a bad postal code and asks again; then completes', async () => {
      expect(await show(USER)).toMatchObject({
        address: null,
        postalCode: null,
        city: null,
        completedAt: null,
      });
      const r = await onTerminal(
        ['--as', USER, 'account', 'complete'],
        [
          { waitFor: 'Adresse', send: '1 Place Royale' + KEY.enter },
          { waitFor: 'Code postal', send: '12' + KEY.enter },
          {
            waitFor: 'code postal invalide (5 chiffres en France)',
            send: KEY.ctrlU + '64000' + KEY.enter,
          },
          { waitFor: 'Ville', send: 'Pau' + KEY.enter },
        ],
      );
      expect(r.output).toContain(`Compte ${USER} complété.`);
      expect(r.code).toBe(0);
      const account = await show(USER);
      expect(account).toMatchObject({
        address: '1 Place Royale',
        postalCode: '64000',
        city: 'Pau',
        status: 'ACTIF',
      });
      expect(account.completedAt).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/));
    });

    it('asks only for what the options did not give', async () => {
      const r = await onTerminal(
        ['--as', USER, 'account', 'complete', '--adresse', '1 Place Royale', '--ville', 'Pau'],
        [{ waitFor: 'Code postal', send: '64000' + KEY.enter }],
      );
      expect(r.code).toBe(0);
      expect(r.output).not.toMatch(/\? (Adresse|Ville)/);
      expect(await show(USER)).toMatchObject({
        address: '1 Place Royale',
        postalCode: '64000',
        city: 'Pau',
      });
    });

    it('Ctrl-C in the middle: exits 130 and the account is not completed', async () => {
      const before = await auditEntries();
      const r = await onTerminal(
        ['--as', USER, 'account', 'complete'],
        [
          { waitFor: 'Adresse', send: '1 Place Royale' + KEY.enter },
          { waitFor: 'Code postal', send: '640' },
          { waitFor: '640', send: KEY.ctrlC },
        ],
      );
      expect(r.output).toContain('Interrompu : rien n’a été modifié.');
      expect(r.code).toBe(130);
      expect(await show(USER)).toMatchObject({
        address: null,
        postalCode: null,
        city: null,
        completedAt: null,
      });
      expect(await auditEntries()).toEqual(before);
    });
  });
});

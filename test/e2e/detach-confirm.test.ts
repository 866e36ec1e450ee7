import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run as runProgram } from '../../src/cli.js';
import { testIo } from '../helpers/cli.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import {
  HEAVY,
  PAU,
  PAULINE,
  attach,
  clis,
  createAccounts,
  initStore,
  insertStructures,
  json,
  withDb,
} from './fixtures.js';

/** Issue 17 point 9: a GP detaching, or handing the role over, confirms it (--yes), as `file remove` does. */

const GP = 'gp@mairie-pau.fr';
const GS = 'gs@mairie-pau.fr';
const NOW = '2026-03-11T10:00:00.000Z';

describe.each(DIALECTS)(
  'attachment detach as GP asks for a confirmation (%s)',
  HEAVY,
  (dialect) => {
    let fresh: FreshLocation;
    let cli: ReturnType<typeof clis>;

    beforeEach(async () => {
      fresh = await freshLocation(dialect);
      await initStore(fresh.location, { now: NOW });
      cli = clis(fresh.location, { now: NOW });
      await createAccounts(fresh.location, [PAULINE, GP, GS], { now: NOW });
      const { pau } = await insertStructures(fresh.location);
      await withDb(fresh.location, async (db) => {
        await attach(db, GP, pau, 'GESTIONNAIRE_PRINCIPAL');
        await attach(db, GS, pau, 'GESTIONNAIRE_SECONDAIRE');
        await attach(db, PAULINE, pau, 'UTILISATEUR');
      });
    });
    afterEach(async () => {
      await fresh.cleanup();
    });

    const roleOf = async (login: string) =>
      json(await cli.as(login)('attachment', 'list', '--json'))[0]?.role as string | undefined;

    /** The program on a terminal, answering `answer` to the one question it asks. */
    const onTerminal = async (answer: boolean, args: string[]) => {
      const asked: string[] = [];
      const { io, result } = testIo({
        now: NOW,
        prompter: {
          confirm: (message: string) => {
            asked.push(message);
            return Promise.resolve(answer);
          },
          // the reason a destructive command asks for
          input: (message: string) => {
            asked.push(message);
            return Promise.resolve('Mutation');
          },
          select: () => Promise.reject(new Error('no select expected')),
          checkbox: () => Promise.reject(new Error('no checkbox expected')),
        },
      });
      Object.assign(io.stdin, { isTTY: true });
      Object.assign(io.stderr, { isTTY: true });
      const code = await runProgram(['--db', fresh.location, '--as', GP, ...args], io);
      await new Promise((resolve) => setImmediate(resolve));
      return { ...result(code), asked };
    };

    it('a script without --yes gets a usage error (2), and nothing is changed', async () => {
      for (const args of [
        ['attachment', 'detach', PAU.identifier, '--new-manager', GS],
        ['attachment', 'detach', `SIRET:${PAU.identifier}`],
      ]) {
        const r = await cli.as(GP)(...args);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('--yes');
      }
      expect(await roleOf(GP)).toBe('GESTIONNAIRE_PRINCIPAL');
      expect(await roleOf(GS)).toBe('GESTIONNAIRE_SECONDAIRE');
    });

    it('on a terminal, no keeps everything; yes hands the role over', async () => {
      const declined = await onTerminal(false, [
        'attachment',
        'detach',
        PAU.identifier,
        '--new-manager',
        GS,
      ]);
      expect(declined.code).toBe(0);
      expect(declined.asked).toEqual([
        `Transmettre à ${GS} le rôle de gestionnaire principal de ${PAU.identifier} ?`,
      ]);
      expect(declined.stderr).toContain('rien n’a été modifié');
      expect(await roleOf(GP)).toBe('GESTIONNAIRE_PRINCIPAL');

      const accepted = await onTerminal(true, [
        'attachment',
        'detach',
        PAU.identifier,
        '--new-manager',
        GS,
      ]);
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(accepted.asked).toEqual([
        `Transmettre à ${GS} le rôle de gestionnaire principal de ${PAU.identifier} ?`,
        'Motif (facultatif, gardé au journal ; Entrée pour aucun)',
      ]);
      const log = json(await cli.corr('audit', 'list', '--actor', GP, '--json'));
      expect(log[0]).toMatchObject({ action: 'attachment.transfer', reason: 'Mutation' });
      expect(await roleOf(GS)).toBe('GESTIONNAIRE_PRINCIPAL');
      expect(await roleOf(GP)).toBe('UTILISATEUR');
    });

    it('--yes answers it; a plain user detaching is not asked', async () => {
      const moved = await cli.as(GP)(
        'attachment',
        'detach',
        PAU.identifier,
        '--new-manager',
        GS,
        '--yes',
      );
      expect(moved.code, moved.stderr).toBe(0);
      expect(await roleOf(GS)).toBe('GESTIONNAIRE_PRINCIPAL');

      const left = await cli.as(PAULINE)('attachment', 'detach', PAU.identifier);
      expect(left.code, left.stderr).toBe(0);
    });
  },
);

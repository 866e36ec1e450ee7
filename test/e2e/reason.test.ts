import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run as runProgram } from '../../src/cli.js';
import { testIo } from '../helpers/cli.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import {
  CORR,
  HEAVY,
  PAU,
  PAULINE,
  attach,
  clis,
  createAccounts,
  createAccount,
  initStore,
  insertStructures,
  json,
  withDb,
} from './fixtures.js';

/** Issue 17 point 8: `--reason` kept in the audit log, read back, and said in a decision's e-mail. */

const GP = 'gp@mairie-pau.fr';
const NOW = '2026-03-11T10:00:00.000Z';
const EN = 'john.smith@mairie-pau.fr';
const JEAN = 'jean.martin@mairie-pau.fr';
const KIM = 'kim.durand@mairie-pau.fr';

describe.each(DIALECTS)('--reason (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;

  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location, { now: NOW });
    cli = clis(fresh.location, { now: NOW });
    await createAccounts(fresh.location, [PAULINE, GP], { now: NOW });
    const { pau } = await insertStructures(fresh.location);
    await withDb(fresh.location, (db) => attach(db, GP, pau, 'GESTIONNAIRE_PRINCIPAL'));
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('is kept with the change, shown by audit list and export, and the chain still verifies', async () => {
    const edited = await cli.corr(
      'account',
      'edit',
      PAULINE,
      '--ville',
      'Pau',
      '--reason',
      'Ticket #4521',
    );
    expect(edited.code).toBe(0);
    // before the command name, as any global option
    const deactivated = await cli.corr(
      '--reason',
      'Départ en retraite',
      'account',
      'deactivate',
      PAULINE,
      '--yes',
    );
    expect(deactivated.code).toBe(0);

    const listed = json(await cli.corr('audit', 'list', '--target', PAULINE, '--json'));
    expect(
      listed.map((e: { action: string; reason: string | null }) => [e.action, e.reason]),
    ).toEqual([
      ['account.deactivate', 'Départ en retraite'],
      ['account.edit', 'Ticket #4521'],
      ['account.create', null],
    ]);

    // the reason is the first column to go on 80 columns; --wide shows it
    const table = await cli.corr('audit', 'list', '--target', PAULINE, '--wide');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Motif');
    expect(table.stdout).toContain('Ticket #4521');

    const exported = await cli.corr('audit', 'export');
    expect(exported.code).toBe(0);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; reason: string | null });
    expect(lines.filter((e) => e.reason !== null).map((e) => [e.action, e.reason])).toEqual([
      ['account.edit', 'Ticket #4521'],
      ['account.deactivate', 'Départ en retraite'],
    ]);
    const csv = await cli.corr('audit', 'export', '--format', 'csv');
    expect(csv.stdout).toContain('Ticket #4521');

    const verified = await cli.corr('audit', 'verify');
    expect(verified.code).toBe(0);
  });

  it('is covered by the hash chain: a reason altered afterwards breaks it', async () => {
    expect(
      (await cli.corr('account', 'edit', PAULINE, '--ville', 'Pau', '--reason', 'T-1')).code,
    ).toBe(0);
    await withDb(fresh.location, (db) =>
      db.updateTable('auditLog').set({ reason: 'T-2' }).where('reason', '=', 'T-1').execute(),
    );
    const verified = await cli.corr('audit', 'verify');
    expect(verified.code).not.toBe(0);
  });

  it('a refusal keeps the reason given', async () => {
    const refused = await cli.as(PAULINE)(
      'account',
      'deactivate',
      GP,
      '--yes',
      '--reason',
      'Essai',
    );
    expect(refused.code).toBe(4);
    const log = json(await cli.corr('audit', 'list', '--actor', PAULINE, '--json'));
    expect(log).toMatchObject([{ outcome: 'REFUSED', reason: 'Essai' }]);
  });

  it('is refused empty, too long or with a control character (5 naming --reason)', async () => {
    for (const bad of [' ', 'x'.repeat(501), 'a\u001b[2Jb']) {
      const r = await cli.corr('account', 'edit', PAULINE, '--ville', 'Pau', '--reason', bad);
      expect(r.code).toBe(5);
      expect(r.stderr).toContain('--reason');
    }
    expect(
      (await cli.corr('account', 'edit', PAULINE, '--ville', 'Pau', '--reason', 'x'.repeat(500)))
        .code,
    ).toBe(0);
  });

  it('a decision: the reject’s reason is the entry’s, an approval’s is said in the e-mail (fr, en)', async () => {
    const pauline = cli.as(PAULINE);
    const ask = async () => {
      const r = await pauline(
        'attachment',
        'request',
        PAU.identifier,
        '--comment',
        'Régie',
        '--json',
      );
      expect(r.code).toBe(0);
      return String(json<{ id: number }>(r).id);
    };
    const first = await ask();
    const rejected = await cli.as(GP)('attachment', 'reject', first, '--reason', 'Agent inconnu');
    expect(rejected.code).toBe(0);
    const second = await ask();
    const approved = await cli.as(GP)(
      'attachment',
      'approve',
      second,
      '--reason',
      'Vu avec le DGS',
    );
    expect(approved.code).toBe(0);

    const log = json(await cli.corr('audit', 'list', '--actor', GP, '--json'));
    expect(log.map((e: { action: string; reason: string }) => [e.action, e.reason])).toEqual([
      ['attachment.approve', 'Vu avec le DGS'],
      ['attachment.reject', 'Agent inconnu'],
    ]);

    const mails = await withDb(fresh.location, (db) =>
      db
        .selectFrom('notification')
        .select(['event', 'body'])
        .where('toAddress', '=', PAULINE)
        .where('event', 'in', ['ATTACHMENT_APPROVED', 'ATTACHMENT_REJECTED'])
        .orderBy('id')
        .execute(),
    );
    expect(mails.map((m) => m.event)).toEqual(['ATTACHMENT_REJECTED', 'ATTACHMENT_APPROVED']);
    expect(mails[0]!.body).toContain('Motif : Agent inconnu');
    expect(mails[1]!.body).toContain('Motif : Vu avec le DGS');

    // in English for a reader who reads English; no reason, no line
    const asked = async (login: string) => {
      const r = await cli.as(login)(
        'attachment',
        'request',
        PAU.identifier,
        '--comment',
        'Régie',
        '--json',
      );
      expect(r.code).toBe(0);
      return String(json<{ id: number }>(r).id);
    };
    await createAccount(fresh.location, EN, '--langue', 'en');
    await createAccount(fresh.location, JEAN);
    expect(
      (await cli.as(GP)('attachment', 'approve', await asked(EN), '--reason', 'Checked')).code,
    ).toBe(0);
    expect((await cli.as(GP)('attachment', 'approve', await asked(JEAN))).code).toBe(0);
    const bodies = await withDb(fresh.location, (db) =>
      db
        .selectFrom('notification')
        .select(['toAddress', 'body'])
        .where('event', '=', 'ATTACHMENT_APPROVED')
        .where('toAddress', 'in', [EN, JEAN])
        .execute(),
    );
    expect(bodies.find((m) => m.toAddress === EN)!.body).toContain('Reason: Checked');
    expect(bodies.find((m) => m.toAddress === JEAN)!.body).not.toContain('Motif');

    // the global --reason before the command's name is the reject's reason too
    await createAccount(fresh.location, KIM);
    const kims = await asked(KIM);
    const before = await cli.as(GP)('--reason', 'Hors périmètre', 'attachment', 'reject', kims);
    expect(before.code, before.stderr).toBe(0);
    const last = json(await cli.corr('audit', 'list', '--actor', GP, '--limit', '1', '--json'));
    expect(last).toMatchObject([{ action: 'attachment.reject', reason: 'Hors périmètre' }]);
    const rejection = await withDb(fresh.location, (db) =>
      db
        .selectFrom('notification')
        .select('body')
        .where('toAddress', '=', KIM)
        .where('event', '=', 'ATTACHMENT_REJECTED')
        .executeTakeFirstOrThrow(),
    );
    expect(rejection.body).toContain('Motif : Hors périmètre');
  });

  /** The program on a terminal as CORR: yes to confirmations, `answer` to the reason asked. */
  const onTerminal = async (answer: string, args: string[]) => {
    const asked: string[] = [];
    const { io, result } = testIo({
      now: NOW,
      prompter: {
        confirm: () => Promise.resolve(true),
        input: (message: string) => {
          asked.push(message);
          return Promise.resolve(answer);
        },
        select: () => Promise.reject(new Error('no select expected')),
        checkbox: () => Promise.reject(new Error('no checkbox expected')),
      },
    });
    Object.assign(io.stdin, { isTTY: true });
    Object.assign(io.stderr, { isTTY: true });
    const code = await runProgram(['--db', fresh.location, '--as', CORR, ...args], io);
    await new Promise((resolve) => setImmediate(resolve));
    return { ...result(code), asked };
  };
  const reasonsOf = async () =>
    json<{ action: string; reason: string | null }[]>(
      await cli.corr('audit', 'list', '--target', PAULINE, '--json'),
    ).map((e) => [e.action, e.reason]);

  it('on a terminal, deactivate and delete ask for it when it is missing; empty gives none', async () => {
    const deactivated = await onTerminal('  Ticket 9 ', ['account', 'deactivate', PAULINE]);
    expect(deactivated.code, deactivated.stderr).toBe(0);
    expect(deactivated.asked).toEqual(['Motif (facultatif, gardé au journal ; Entrée pour aucun)']);
    // reactivating is not destructive: not asked
    const reactivated = await onTerminal('x', ['account', 'reactivate', PAULINE]);
    expect(reactivated.code).toBe(0);
    expect(reactivated.asked).toEqual([]);
    // given, not asked
    const given = await onTerminal('x', ['account', 'deactivate', PAULINE, '--reason', 'R-2']);
    expect(given.asked).toEqual([]);
    await onTerminal('', ['account', 'reactivate', PAULINE]);
    const deleted = await onTerminal('', ['--lang', 'en', 'account', 'delete', PAULINE]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.asked).toEqual(['Reason (optional, kept in the audit log; Enter for none)']);
    expect(await reasonsOf()).toEqual([
      ['account.delete', null],
      ['account.reactivate', null],
      ['account.deactivate', 'R-2'],
      ['account.reactivate', null],
      ['account.deactivate', 'Ticket 9'],
      ['account.create', null],
    ]);
  });

  it('a script is never asked: it goes on without a reason', async () => {
    // the test's prompter fails when asked anything
    expect((await cli.corr('account', 'deactivate', PAULINE)).code).toBe(0);
    expect((await cli.corr('account', 'delete', PAULINE, '--yes')).code).toBe(0);
    expect((await reasonsOf()).slice(0, 2)).toEqual([
      ['account.delete', null],
      ['account.deactivate', null],
    ]);
  });
});

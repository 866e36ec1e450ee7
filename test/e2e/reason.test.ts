import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import {
  HEAVY,
  PAU,
  PAULINE,
  attach,
  clis,
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

describe.each(DIALECTS)('--reason (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;

  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location, { now: NOW });
    cli = clis(fresh.location, { now: NOW });
    for (const login of [PAULINE, GP]) {
      const r = await cli.corr(
        'account',
        'create',
        login,
        '--email',
        login,
        '--nom',
        'DUFOUR',
        '--prenom',
        'Pauline',
      );
      expect(r.code).toBe(0);
    }
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
  });
});

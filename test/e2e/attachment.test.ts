import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import {
  HEAVY,
  PAU,
  PAULINE,
  attach,
  auditLog,
  clis,
  initStore,
  insertStructures,
  json,
  withDb,
} from './fixtures.js';

/** `attachment …` and `notification …` end to end (issue 5 A): messages, exit codes, the outbox on disk. */

const GP = 'gp@mairie-pau.fr';
const GS = 'gs@mairie-pau.fr';
const NOW = '2026-03-11T10:00:00.000Z'; // a Wednesday of 2026-W11

describe.each(DIALECTS)('attachment and notification (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;

  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    // the whole story at NOW: the log's times never go backwards, so a later start would hide W11's movements
    await initStore(fresh.location, { now: NOW });
    cli = clis(fresh.location, { now: NOW });
    for (const login of [PAULINE, GP, GS]) {
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
    await withDb(fresh.location, async (db) => {
      await attach(db, GP, pau, 'GESTIONNAIRE_PRINCIPAL');
      await attach(db, GS, pau, 'GESTIONNAIRE_SECONDAIRE');
    });
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('request, pending, bulk approve with a mix (exit 1), a second decision alone (6), a reject needing its reason', async () => {
    const pauline = cli.as(PAULINE);
    // a missing value is asked on a terminal only: without one, a usage error; an empty one is invalid
    const noComment = await pauline('attachment', 'request', PAU.identifier);
    expect(noComment.code).toBe(2);
    expect(noComment.stderr).toContain('Valeur manquante : --comment');
    expect((await pauline('attachment', 'request', PAU.identifier, '--comment', ' ')).code).toBe(5);

    const asked = await pauline(
      'attachment',
      'request',
      `SIRET:${PAU.identifier}`,
      '--comment',
      'Régisseuse',
      '--from',
      '01/04/2026',
      '--json',
    );
    expect(asked.code).toBe(0);
    expect(asked.stderr).toMatch(
      /^✔ Demande de rattachement n° \d+ à SIRET:21640445700019 envoyée aux gestionnaires\.\n$/,
    );
    const id = json(asked).id as number;
    expect(json(asked)).toMatchObject({
      account: PAULINE,
      status: 'EN_COURS_DE_VALIDATION',
      dateStart: '2026-04-01',
      inEffect: false,
    });

    const pending = await cli.as(GP)('attachment', 'pending', '--format', 'csv');
    expect(pending.code).toBe(0);
    expect(pending.stdout.split('\r\n')[0]).toBe(
      'id;account;structure;services;dateStart;dateEnd;comment;requestedAt',
    );
    expect(pending.stdout).toContain(
      `${id};${PAULINE};SIRET:${PAU.identifier};;2026-04-01;;Régisseuse;${NOW}`,
    );

    const refused = await cli.as(GS)('attachment', 'approve', String(id));
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(
      'Il faut être gestionnaire principal de la structure, ou avoir l’habilitation nécessaire.',
    );

    const rejectNoReason = await cli.as(GP)('attachment', 'reject', String(id));
    expect(rejectNoReason.code).toBe(2);
    expect(rejectNoReason.stderr).toContain('Valeur manquante : --reason');

    const bulk = await cli.as(GP)('attachment', 'approve', String(id), '999', '--json');
    expect(bulk.code).toBe(1);
    expect(json(bulk)).toEqual([
      { id, ok: true, status: 'VALIDEE', code: 0, message: null },
      {
        id: 999,
        ok: false,
        status: null,
        code: 3,
        message: 'Demande de rattachement n° 999 introuvable.',
      },
    ]);
    expect(bulk.stderr).toContain('1 demande sur 2 n’a pas pu être traitée.');

    const twice = await cli.as(GP)('attachment', 'approve', String(id));
    expect(twice.code).toBe(6);
    expect(twice.stdout).toBe('');
    expect(twice.stderr).toContain(`La demande n° ${id} est déjà traitée (statut validé).`);

    const mine = await pauline('attachment', 'list', '--json');
    expect(json(mine)).toMatchObject([{ id, status: 'VALIDEE', decidedBy: GP, inEffect: false }]);
    const log = await auditLog(fresh.location);
    expect(
      log
        .filter((e) => e.action === 'attachment.decide' && e.outcome === 'REFUSED')
        .map((e) => e.actor),
    ).toEqual([GS]);
  });

  it('the GP transfer: without a successor 6, with one the role moves; deleting the GP first is 6', async () => {
    const gp = cli.as(GP);
    const deleted = await cli.corr('account', 'delete', GP, '--yes');
    expect(deleted.code).toBe(6);
    expect(deleted.stderr).toContain(
      `Le compte ${GP} est le gestionnaire principal de SIRET:${PAU.identifier}`,
    );

    const alone = await gp('attachment', 'detach', PAU.identifier, '--yes');
    expect(alone.code).toBe(6);
    expect(alone.stderr).toContain('nommez votre successeur avec --new-manager LOGIN');

    const moved = await gp(
      '--lang',
      'en',
      'attachment',
      'detach',
      PAU.identifier,
      '--new-manager',
      GS,
      '--json',
      '--yes',
    );
    expect(moved.code).toBe(0);
    expect(moved.stderr).toBe(
      `✔ The principal manager role of SIRET:${PAU.identifier} passed to ${GS}; you stay attached as a plain user.\n`,
    );
    expect(json(moved)).toMatchObject({ account: GP, role: 'UTILISATEUR', status: 'VALIDEE' });
    const gsList = json(await cli.as(GS)('attachment', 'list', '--json'));
    expect(gsList).toMatchObject([{ role: 'GESTIONNAIRE_PRINCIPAL', status: 'VALIDEE' }]);
    expect((await cli.corr('account', 'delete', GP, '--yes')).code).toBe(0);
  });

  it('the outbox: listed, exported as .eml files marked sent, and the weekly digest queued once', async () => {
    await cli.as(PAULINE)('attachment', 'request', PAU.identifier, '--comment', 'Régisseuse');
    const listed = await cli.corr('notification', 'list', '--pending', '--json');
    expect(listed.code).toBe(0);
    const events = json(listed).map((n: { event: string; to: string }) => `${n.event} ${n.to}`);
    expect(events).toEqual(
      expect.arrayContaining([`ACCOUNT_CREATED ${PAULINE}`, `ATTACHMENT_REQUESTED ${GP}`]),
    );
    // people read the events' labels (SPEC 4), scripts their codes
    const table = await cli.corr('--wide', 'notification', 'list', '--pending');
    expect(table.stdout).toContain('Rattachement demandé');
    expect(table.stdout).not.toContain('ATTACHMENT_REQUESTED');
    expect(
      json(await cli.as(PAULINE)('notification', 'list', '--json')).map(
        (n: { event: string }) => n.event,
      ),
    ).toEqual(['ACCOUNT_CREATED']);

    const refused = await cli.as(PAULINE)(
      'notification',
      'export',
      '--to',
      path.join(fresh.dir, 'x'),
    );
    expect(refused.code).toBe(4);
    const out = path.join(fresh.dir, 'outbox');
    const exported = await cli.corr('notification', 'export', '--to', out);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain(`${events.length} messages exportés et marqués envoyés.`);
    const files = fs.readdirSync(out).sort();
    expect(files).toHaveLength(events.length);
    // the GP's last message is the request (its account's credentials came first)
    const byId = files.sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
    const request = byId
      .map((f) => fs.readFileSync(path.join(out, f), 'utf8'))
      .filter((m) => m.includes(`To: ${GP}\r\n`))
      .at(-1)!;
    expect(request).toContain('Subject: =?UTF-8?B?');
    expect(request).toContain('Content-Type: text/plain; charset=UTF-8\r\n');
    expect(request).toContain('Date: Wed, 11 Mar 2026 10:00:00 +0000\r\n');
    expect(json(await cli.corr('notification', 'list', '--pending', '--json'))).toEqual([]);
    expect((await cli.corr('notification', 'export', '--to', out)).stderr).toContain(
      '0 message exporté',
    );

    const digest = await cli.corr('notification', 'digest', '--week', '2026-W11', '--json');
    expect(digest.code).toBe(0);
    expect(json(digest)).toEqual({
      week: '2026-W11',
      complete: false,
      structures: 1,
      queued: 2,
      alreadyQueued: 0,
    });
    expect(
      json(await cli.corr('notification', 'digest', '--week', '2026-W11', '--json')),
    ).toMatchObject({ queued: 0, alreadyQueued: 2 });
    const badWeek = await cli.corr('notification', 'digest', '--week', '2026-11');
    expect(badWeek.code).toBe(5);
  });
});

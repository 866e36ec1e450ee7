import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeStatus, createAccount } from '../../src/app/accounts.js';
import { decideAttachments, requestAttachment } from '../../src/app/attachments.js';
import { detach } from '../../src/app/attachment-detach.js';
import { initStore } from '../../src/app/init.js';
import {
  exportNotifications,
  listNotifications,
  queueDigest,
} from '../../src/app/notifications.js';
import type { Db } from '../../src/db/schema.js';
import { openStore, type Store } from '../../src/db/store.js';
import { ForbiddenError, InvalidInputError } from '../../src/errors.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import { addAccount, addAttachment, addStructure, expectKey } from './support/seed.js';
import { testClock } from '../helpers/clock.js';

/** The outbox (SPEC 10, issue 5 A): who reads it, the .eml export, the weekly digest. */

const NOW = '2025-03-12T10:00:00.000Z'; // Wednesday of 2025-W11
const CORR = 'claire.martin@dgfip.finances.gouv.fr'; // scope *
const CORR_33 = 'gironde@dgfip.finances.gouv.fr'; // scope 33 (created by a national correspondent)
const PAU = '21640445900010';
const GP = 'gp@ville-pau.fr';
const GS = 'gs@ville-pau.fr';
const LEA = 'lea@ville-pau.fr';

describe.each(DIALECTS)('notifications (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  let db: Db;

  beforeEach(async () => {
    testClock.set(NOW);
    fresh = await freshLocation(dialect, 'migrated');
    await initStore({
      store: accessTo(fresh.location),
      login: CORR,
      data: { email: CORR, lastName: 'MARTIN', firstName: 'Claire' },
      scope: ['*'],
    });
    store = await openStore(fresh.location, { clock: testClock });
    db = store.db;
    await createAccount(store, CORR, {
      login: CORR_33,
      data: { email: CORR_33, lastName: 'GIRONDE', firstName: 'Guy' },
      scope: ['33'],
    });
    const pau = await addStructure(db, PAU, '64000', 'COMMUNE DE PAU');
    await addAttachment(
      db,
      await addAccount(db, GP, { lastName: 'LAFFITTE', firstName: 'Anne' }),
      pau,
      'GESTIONNAIRE_PRINCIPAL',
      'VALIDEE',
    );
    const gs = await addAccount(db, GS, { lastName: 'CAZAUX', firstName: 'Marie' });
    await addAttachment(db, gs, pau, 'GESTIONNAIRE_SECONDAIRE', 'VALIDEE');
    await db.updateTable('account').set({ language: 'en' }).where('id', '=', gs).execute();
    await createAccount(store, CORR, {
      login: LEA,
      data: { email: LEA, lastName: 'ETCHEVERRY', firstName: 'Léa' },
    });
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await store.close();
    await fresh.cleanup();
  });

  const movements = async () => {
    const id = (
      await requestAttachment(store, LEA, {
        structure: PAU,
        services: [],
        comment: 'Régie',
        from: null,
        until: null,
      })
    ).id;
    await decideAttachments(store, GP, [id], { approve: true });
    await detach(store, GP, { structure: PAU, services: [], newManager: GS });
  };

  it('queues each event in the recipient’s language, and honours the billing preference', async () => {
    await db.updateTable('account').set({ notifyBilling: 0 }).where('login', '=', GP).execute();
    await movements();
    const rows = await db
      .selectFrom('notification')
      .innerJoin('account', 'account.id', 'notification.accountId')
      .select(['account.login', 'event', 'notification.language', 'subject'])
      .orderBy('notification.id')
      .execute();
    expect(rows.map((r) => [r.login, r.event, r.language])).toEqual([
      [CORR_33, 'ACCOUNT_CREATED', 'fr'],
      [LEA, 'ACCOUNT_CREATED', 'fr'],
      // GP does not want request mails; the GS is no decider
      [LEA, 'ATTACHMENT_APPROVED', 'fr'],
      // a GP transfer always goes out, whatever the preference
      [GS, 'GP_TRANSFERRED', 'en'],
      [GP, 'GP_TRANSFERRED', 'fr'],
    ]);
    expect(rows[3]!.subject).toBe('Chorus Pro: new principal manager of COMMUNE DE PAU');
    await changeStatus(store, CORR, LEA, 'deactivate');
    expect(
      (await listNotifications(store, CORR, { pending: true }))
        .filter((n) => n.account === LEA)
        .map((n) => n.event),
    ).toEqual(['ACCOUNT_CREATED', 'ATTACHMENT_APPROVED', 'ACCOUNT_DEACTIVATED']);
  });

  it('correspondents list their scope’s messages, everyone else only their own', async () => {
    await movements();
    expect((await listNotifications(store, CORR, { pending: false })).length).toBe(6);
    expect(
      (await listNotifications(store, CORR_33, { pending: false })).map((n) => n.account),
    ).toEqual([CORR_33]);
    expect((await listNotifications(store, GS, { pending: false })).map((n) => n.event)).toEqual([
      'GP_TRANSFERRED',
    ]);
    await expectKey(
      exportNotifications(store, GS, path.join(fresh.dir, 'out')),
      ForbiddenError,
      'rights.correspondentOnly',
    );
  });

  it('exports each pending message as an RFC 5322 file, marks it sent, and exports nothing twice', async () => {
    await movements();
    const dir = path.join(fresh.dir, 'out');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notification-1.eml'), 'already there');
    const written = await exportNotifications(store, CORR, dir);
    expect(written).toHaveLength(6);
    expect(fs.readFileSync(path.join(dir, 'notification-1.eml'), 'utf8')).toBe('already there');
    expect(path.basename(written[0]!.path)).toBe('notification-1 (2).eml');
    for (const w of written) expect(path.dirname(w.path)).toBe(dir);

    const transfer = written.find((w) => w.to === GS)!;
    const eml = fs.readFileSync(transfer.path, 'utf8');
    expect(eml).toMatch(
      /^From: noreply@dgfip\.finances\.gouv\.fr\r\nTo: gs@ville-pau\.fr\r\nDate: Wed, 12 Mar 2025 10:00:00 \+0000\r\nSubject: Chorus Pro: new principal manager of COMMUNE DE PAU\r\nMessage-ID: <notification-\d+\.\d+@chorus-admin\.dgfip\.finances\.gouv\.fr>\r\nMIME-Version: 1\.0\r\nContent-Type: text\/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n/,
    );
    expect(eml.replace(/\r\n/g, '')).not.toContain('\n');
    const french = fs.readFileSync(written.find((w) => w.to === GP)!.path, 'utf8');
    expect(french).toContain('Subject: =?UTF-8?B?');

    const sent = await db.selectFrom('notification').select('sentAt').execute();
    expect(sent.every((n) => n.sentAt === NOW)).toBe(true);
    expect(await exportNotifications(store, CORR, dir)).toEqual([]);
    expect(await listNotifications(store, CORR, { pending: true })).toEqual([]);
    const audit = await db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'notification.export')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.changes!)).toMatchObject({ count: 6 });
  });

  it('a correspondent exports only its scope: the other messages stay pending', async () => {
    await movements();
    const written = await exportNotifications(store, CORR_33, path.join(fresh.dir, 'gironde'));
    expect(written.map((w) => w.to)).toEqual([CORR_33]);
    expect((await listNotifications(store, CORR, { pending: true })).length).toBe(5);
  });

  it('the weekly digest: one message per manager per structure that moved; again, nothing new', async () => {
    await movements();
    // last week's digest is empty: the movements are this week's
    expect(await queueDigest(store, CORR, undefined)).toEqual({
      week: '2025-W10',
      complete: true,
      structures: 0,
      queued: 0,
      alreadyQueued: 0,
    });
    const r = await queueDigest(store, CORR, '2025-W11');
    // GP stays attached as a plain user after the transfer: the managers are now the new GP only
    // named, the current week is summed up to today (complete: false)
    expect(r).toEqual({
      week: '2025-W11',
      complete: false,
      structures: 1,
      queued: 1,
      alreadyQueued: 0,
    });
    const digest = await db
      .selectFrom('notification')
      .selectAll()
      .where('event', '=', 'WEEKLY_DIGEST')
      .executeTakeFirstOrThrow();
    expect(digest.toAddress).toBe(GS);
    expect(digest.subject).toBe(
      'Chorus Pro: digest of the week of 10 to 16 March 2025 (ongoing: up to Wednesday 12) — COMMUNE DE PAU',
    );
    expect(digest.body).toBe(
      [
        'Hello Marie CAZAUX,',
        '',
        'Here are the 3 movements of the week from Monday 10 to Sunday 16 March 2025 (ongoing: up to Wednesday 12) on COMMUNE DE PAU (SIRET 21640445900010):',
        '',
        '- Wednesday 12 — Léa ETCHEVERRY: asked to be attached (whole structure)',
        '- Wednesday 12 — Léa ETCHEVERRY: attachment approved by Anne LAFFITTE (whole structure)',
        '- Wednesday 12 — Marie CAZAUX: became principal manager in place of Anne LAFFITTE',
        '',
        'This message is sent automatically; please do not reply.',
      ].join('\n'),
    );
    expect(await queueDigest(store, CORR, '2025-W11')).toEqual({
      week: '2025-W11',
      complete: false,
      structures: 1,
      queued: 0,
      alreadyQueued: 1,
    });
    // outside the correspondent's scope, the structure is not its to sum up
    expect((await queueDigest(store, CORR_33, '2025-W11')).structures).toBe(0);
    await expect(queueDigest(store, CORR, '2025-W53')).rejects.toBeInstanceOf(InvalidInputError);
    await expectKey(queueDigest(store, GP, '2025-W11'), ForbiddenError, 'rights.correspondentOnly');
  });
});

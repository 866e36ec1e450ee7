import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/app/accounts.js';
import { requestAttachmentOutcome } from '../../src/app/attachments.js';
import { initStore } from '../../src/app/init.js';
import { listOrphans } from '../../src/app/orphans.js';
import * as orphans from '../../src/db/orphan.repository.js';
import type { Db } from '../../src/db/schema.js';
import { openStore, type Store } from '../../src/db/store.js';
import { ForbiddenError } from '../../src/errors.js';
import { testClock } from '../helpers/clock.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import { addAccount, addAttachment, addStructure } from './support/seed.js';

/**
 * Structures nobody manages (issue 17): the queries of db/orphan.repository.ts and
 * `structure orphans` (app/orphans.ts), and the request nobody can decide, on both dialects.
 */

const NOW = '2025-03-10T09:30:00.000Z';
const TODAY = '2025-03-10';
const CORR = 'claire.martin@dgfip.finances.gouv.fr'; // scope 64,40
const CORR_OUT = 'paul.gironde@dgfip.finances.gouv.fr'; // scope 33
const ROOT = 'national@dgfip.finances.gouv.fr'; // scope *
const PAU = '21640445900010';
const LESCAR = '21640335100017';
const DAX = '21400088400014';
const BORDEAUX = '21330063500017';

describe.each(DIALECTS)('structures without a GP (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  let db: Db;
  const s: Record<string, number> = {};
  const a: Record<string, number> = {};

  const setAttachment = (id: number, set: Record<string, string | null>) =>
    db.updateTable('attachment').set(set).where('id', '=', id).execute();

  beforeEach(async () => {
    testClock.set(NOW);
    fresh = await freshLocation(dialect, 'migrated');
    await initStore({
      store: accessTo(fresh.location),
      login: ROOT,
      data: { email: ROOT, lastName: 'NATIONAL', firstName: 'Anne' },
      scope: ['*'],
    });
    store = await openStore(fresh.location, { clock: testClock });
    db = store.db;
    await createAccount(store, ROOT, {
      login: CORR,
      data: { email: CORR, lastName: 'MARTIN', firstName: 'Claire' },
      scope: ['64', '40'],
    });
    await createAccount(store, ROOT, {
      login: CORR_OUT,
      data: { email: CORR_OUT, lastName: 'GIRONDE', firstName: 'Paul' },
      scope: ['33'],
    });
    s.pau = await addStructure(db, PAU, '64000', 'COMMUNE DE PAU');
    s.lescar = await addStructure(db, LESCAR, '64230', 'COMMUNE DE LESCAR');
    s.dax = await addStructure(db, DAX, '40100', 'COMMUNE DE DAX');
    s.bordeaux = await addStructure(db, BORDEAUX, '33000', 'COMMUNE DE BORDEAUX');
    for (const login of ['gp', 'user', 'old', 'late', 'asker', 'later', 'gpdax', 'bx'])
      a[login] = await addAccount(db, `${login}@exemple.fr`);
    // Pau: a GP in effect. Lescar: its GP's validity ended; a user, a request, a refused one.
    // Dax: a GP in effect whose account is inactive. Bordeaux: no GP, out of the scope.
    await addAttachment(db, a.gp!, s.pau, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
    await addAttachment(db, a.user!, s.pau, 'UTILISATEUR', 'VALIDEE');
    a.oldGp = await addAttachment(db, a.old!, s.lescar, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
    await setAttachment(a.oldGp, { dateEnd: '2025-02-28' });
    await addAttachment(db, a.user!, s.lescar, 'UTILISATEUR', 'VALIDEE');
    a.askLater = await addAttachment(
      db,
      a.later!,
      s.lescar,
      'UTILISATEUR',
      'EN_COURS_DE_VALIDATION',
    );
    await setAttachment(a.askLater, { requestedAt: '2025-03-05T08:00:00.000Z' });
    a.askFirst = await addAttachment(
      db,
      a.asker!,
      s.lescar,
      'UTILISATEUR',
      'EN_COURS_DE_VALIDATION',
    );
    await setAttachment(a.askFirst, { requestedAt: '2025-03-01T08:00:00.000Z' });
    await addAttachment(db, a.late!, s.lescar, 'UTILISATEUR', 'REFUSEE');
    await addAttachment(db, a.gpdax!, s.dax, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
    await db.updateTable('account').set({ status: 'INACTIF' }).where('id', '=', a.gpdax!).execute();
    a.askDax = await addAttachment(db, a.asker!, s.dax, 'UTILISATEUR', 'EN_COURS_DE_VALIDATION');
    await setAttachment(a.askDax, { requestedAt: '2025-02-20T08:00:00.000Z' });
    await addAttachment(db, a.bx!, s.bordeaux, 'UTILISATEUR', 'VALIDEE');
  });
  afterEach(async () => {
    await store.close();
    await fresh.cleanup();
  });

  it('finds the live attachments of the structures with no GP in effect, whatever the scope', async () => {
    const rows = await orphans.attachmentsWithoutPrincipal(db, TODAY);
    expect(rows.map((r) => [r.identifier, r.login, r.status])).toEqual(
      [
        [LESCAR, 'asker@exemple.fr', 'EN_COURS_DE_VALIDATION'],
        [LESCAR, 'later@exemple.fr', 'EN_COURS_DE_VALIDATION'],
        [LESCAR, 'old@exemple.fr', 'VALIDEE'],
        [LESCAR, 'user@exemple.fr', 'VALIDEE'],
        [BORDEAUX, 'bx@exemple.fr', 'VALIDEE'],
      ].sort((x, y) => (x[0]! < y[0]! ? -1 : x[0]! > y[0]! ? 1 : 0)),
    );
    // a GP whose validity starts later is not in effect either
    expect(await orphans.hasPrincipalInEffect(db, s.pau!, TODAY)).toBe(true);
    expect(await orphans.hasPrincipalInEffect(db, s.pau!, '2024-12-31')).toBe(false);
    expect(await orphans.hasPrincipalInEffect(db, s.lescar!, TODAY)).toBe(false);
    expect(await orphans.hasPrincipalInEffect(db, s.lescar!, '2025-02-28')).toBe(true);
    expect((await orphans.activeCorrespondents(db)).map((c) => c.login)).toEqual([
      CORR,
      ROOT,
      CORR_OUT,
    ]);
  });

  it('lists, in the scope, the structures with no GP and the requests nobody can decide, oldest first', async () => {
    const rows = await listOrphans(store, CORR);
    expect(rows.map((r) => [r.structure, r.reason, r.account, r.status, r.decidable])).toEqual([
      // Dax's request is the oldest: its GP is in effect but its account inactive
      [`SIRET:${DAX}`, 'NO_DECIDER', 'asker@exemple.fr', 'EN_COURS_DE_VALIDATION', false],
      [`SIRET:${LESCAR}`, 'NO_PRINCIPAL', 'asker@exemple.fr', 'EN_COURS_DE_VALIDATION', false],
      [`SIRET:${LESCAR}`, 'NO_PRINCIPAL', 'later@exemple.fr', 'EN_COURS_DE_VALIDATION', false],
      [`SIRET:${LESCAR}`, 'NO_PRINCIPAL', 'old@exemple.fr', 'VALIDEE', null],
      [`SIRET:${LESCAR}`, 'NO_PRINCIPAL', 'user@exemple.fr', 'VALIDEE', null],
    ]);
    expect((await listOrphans(store, CORR_OUT)).map((r) => r.structure)).toEqual([
      `SIRET:${BORDEAUX}`,
    ]);
    await expect(listOrphans(store, 'user@exemple.fr')).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('takes a request nobody can decide, names and tells the correspondents in scope', async () => {
    const asked = await requestAttachmentOutcome(store, 'bx@exemple.fr', {
      structure: LESCAR,
      services: [],
      comment: 'Secrétaire de mairie',
      from: null,
      until: null,
    });
    expect(asked.attachment.status).toBe('EN_COURS_DE_VALIDATION');
    expect(asked.turnTo).toEqual([
      { login: CORR, name: 'Claire MARTIN' },
      { login: ROOT, name: 'Anne NATIONAL' },
    ]);
    const mails = await db
      .selectFrom('notification')
      .innerJoin('account', 'account.id', 'notification.accountId')
      .select(['account.login', 'notification.event', 'notification.body'])
      .where('notification.event', '=', 'ATTACHMENT_UNDECIDABLE')
      .execute();
    expect(mails.map((m) => m.login)).toEqual([CORR, ROOT]);
    expect(mails[0]!.body).toContain('COMMUNE DE LESCAR (SIRET 21640335100017)');
    expect(mails[0]!.body).toContain('Il vous revient de lui en désigner un.');

    // where a GP decides, nobody else is told
    const plain = await requestAttachmentOutcome(store, 'bx@exemple.fr', {
      structure: PAU,
      services: [],
      comment: 'Régisseur',
      from: null,
      until: null,
    });
    expect(plain.turnTo).toBeNull();
    expect(
      await db
        .selectFrom('notification')
        .select('event')
        .where('event', '=', 'ATTACHMENT_UNDECIDABLE')
        .execute(),
    ).toHaveLength(2);
  });
});

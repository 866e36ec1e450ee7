import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { changeStatus, editAccount } from '../../src/app/accounts.js';
import { detach } from '../../src/app/attachment-detach.js';
import { MemoryJournal } from '../../src/app/sync/journal.js';
import { syncMadrhas, type SyncOptions } from '../../src/app/sync/madrhas.js';
import type { Store } from '../../src/db/store.js';
import { decodeBase } from '../../src/domain/merge.js';
import { DIALECTS, type FreshLocation } from '../helpers/stores.js';
import { eachDirectoryStore, syncOptions } from './support/directory-store.js';
import { auditRows } from './support/audit.js';

// SPEC 8.1 "The file is merged, not imposed" (issue 16 point 1): what the managers and the
// correspondent change in the tool between two exports survives the next unchanged export; a real
// change of the export applies; a second run of the same file changes nothing.

const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const NOW = '2025-03-10T09:30:00.000Z';
const PAU = '21640445900010';
const CH_PAU = '26640001900011';
const MONT = '21400192700018';

const PAULINE = 'pauline.dufour@mairie-pau.fr';
const JEAN = 'jean.martin@mairie-pau.fr';
const MARC = 'marc.petit@mairie-pau.fr';
const ANNE = 'anne-marie.le-gall@mont-de-marsan.fr';

const HEADER =
  'IDENTIFIANT_CONNEXION;CIVILITE;NOM;PRENOM;COURRIEL_CONTACT;TELEPHONE;TYPE_IDENTIFIANT_STRUCTURE;IDENTIFIANT_STRUCTURE;CODE_SERVICE;ROLE;DATE_DEBUT;DATE_FIN;STATUT_COMPTE';

interface Row {
  login: string;
  civ?: string;
  nom: string;
  prenom: string;
  tel?: string;
  id: string;
  service?: string;
  role?: string;
  debut?: string;
  fin?: string;
  statut?: string;
}
const line = (r: Row) =>
  [
    r.login,
    r.civ ?? 'M.',
    r.nom,
    r.prenom,
    r.login,
    r.tel ?? '',
    'SIRET',
    r.id,
    r.service ?? '',
    r.role ?? 'UTILISATEUR',
    r.debut ?? '01/01/2024',
    r.fin ?? '',
    r.statut ?? 'ACTIF',
  ].join(';');

/** The département's export, each login's rows together; `over` changes rows by login (and structure). */
const ROWS: Row[] = [
  {
    login: PAULINE,
    civ: 'Mme',
    nom: 'DUFOUR',
    prenom: 'Pauline',
    tel: '05 59 27 85 80',
    id: PAU,
    role: 'GESTIONNAIRE_PRINCIPAL',
  },
  {
    login: PAULINE,
    civ: 'Mme',
    nom: 'DUFOUR',
    prenom: 'Pauline',
    tel: '05 59 27 85 80',
    id: CH_PAU,
    service: 'PHARMA',
  },
  {
    login: JEAN,
    nom: 'MARTIN',
    prenom: 'Jean',
    id: PAU,
    service: 'SERV-CULT',
    debut: '01/02/2024',
    fin: '31/12/2026',
  },
  {
    login: JEAN,
    nom: 'MARTIN',
    prenom: 'Jean',
    id: PAU,
    service: 'SERV-ETAT-CIVIL',
    debut: '01/02/2024',
    fin: '31/12/2026',
  },
  { login: MARC, nom: 'PETIT', prenom: 'Marc', id: PAU },
  {
    login: ANNE,
    civ: 'Mme',
    nom: 'LE GALL',
    prenom: 'Anne-Marie',
    id: MONT,
    role: 'GESTIONNAIRE_SECONDAIRE',
  },
];
const file = (rows: Row[] = ROWS) => [HEADER, ...rows.map(line), ''].join('\r\n');
const edit = (login: string, over: Partial<Row>, rows: Row[] = ROWS) =>
  rows.map((r) => (r.login === login ? { ...r, ...over } : r));

describe.each(DIALECTS)('sync madrhas merges the file into the store (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  let n = 0;
  eachDirectoryStore(dialect, CORR, NOW, (s, f) => ((store = s), (fresh = f)));

  const sync = (text: string, over: Partial<SyncOptions> = {}) => {
    const f = path.join(fresh.dir, `madrhas-${n++}.csv`);
    fs.writeFileSync(f, text);
    return syncMadrhas(store, CORR, syncOptions(f, over));
  };
  const account = (login: string) =>
    store.db.selectFrom('account').selectAll().where('login', '=', login).executeTakeFirstOrThrow();
  /** An account's attachments: structure, role, status, services (codes), live or not. */
  const attachments = async (login: string) => {
    const rows = await store.db
      .selectFrom('attachment')
      .innerJoin('account', 'account.id', 'attachment.accountId')
      .innerJoin('structure', 'structure.id', 'attachment.structureId')
      .select([
        'attachment.id',
        'structure.identifier',
        'attachment.role',
        'attachment.status',
        'attachment.dateStart',
        'attachment.dateEnd',
      ])
      .where('account.login', '=', login)
      .orderBy('attachment.id')
      .execute();
    const out = [];
    for (const r of rows) {
      const services = await store.db
        .selectFrom('attachmentService')
        .innerJoin('service', 'service.id', 'attachmentService.serviceId')
        .select('service.code')
        .where('attachmentService.attachmentId', '=', r.id)
        .where('attachmentService.status', '=', 'VALIDEE')
        .orderBy('service.code')
        .execute();
      out.push({
        structure: r.identifier,
        role: r.role,
        status: r.status,
        dateStart: r.dateStart,
        dateEnd: r.dateEnd,
        services: services.map((s) => s.code),
      });
    }
    return out;
  };
  const auditCount = async () =>
    Number(
      (
        await store.db
          .selectFrom('auditLog')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  // as `audit export` reads them: a sync's accounts come from its run's rows (issue 16 point 9)
  const auditsOf = async (login: string, after: number) =>
    (await auditRows(store.db))
      .filter((e) => e.target === `account:${login}` && e.seq > after)
      .map(({ action, changes }) => ({ action, changes }));
  const mails = async () =>
    Number(
      (
        await store.db
          .selectFrom('notification')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const lastSeq = async () =>
    Number(
      (
        await store.db
          .selectFrom('auditLog')
          .select((eb) => eb.fn.max('seq').as('m'))
          .executeTakeFirstOrThrow()
      ).m ?? 0,
    );

  it('writes each account its base: the values the file gave it, compact', async () => {
    expect(await sync(file())).toMatchObject({ created: 4, rejected: 0 });
    const a = await account(JEAN);
    expect(a.madrhasBase).not.toMatch(/\s/);
    const base = decodeBase(a.madrhasBase, JEAN);
    expect(base).toMatchObject({
      title: 'M.',
      lastName: 'MARTIN',
      firstName: 'Jean',
      email: JEAN,
      phone: null,
      status: 'ACTIF',
      attachments: [{ role: 'UTILISATEUR', dateStart: '2024-02-01', dateEnd: '2026-12-31' }],
    });
    expect(base!.attachments[0]!.services).toHaveLength(2);
  });

  it('a second run of the same file changes nothing: all unchanged, no audit entry but the run’s', async () => {
    await sync(file());
    const audits = await auditCount();
    const again = await sync(file());
    expect(again).toMatchObject({
      accounts: 4,
      unchanged: 4,
      created: 0,
      updated: 0,
      keptLocal: 0,
      overridden: 0,
      attachmentsAdded: 0,
      attachmentsChanged: 0,
      attachmentsEnded: 0,
    });
    expect(await auditCount()).toBe(audits + 1);
  });

  it('a correspondent’s correction of a name survives the unchanged export (keptLocal), every run', async () => {
    await sync(file());
    await editAccount(store, CORR, MARC, { lastName: 'PETIT-DUVAL' });
    const seq = await lastSeq();
    const journal = new MemoryJournal();
    const run = await sync(file(), { journal });
    expect(run).toMatchObject({ updated: 0, unchanged: 4, keptLocal: 1, overridden: 0 });
    expect((await account(MARC)).lastName).toBe('PETIT-DUVAL');
    expect(await auditsOf(MARC, seq)).toEqual([]);
    // nothing written: its one journal entry says what was kept (the plan lists it)
    expect(journal.entries.map((e) => [e.login, e.kind, e.keptLocal, e.fields])).toEqual([
      [MARC, 'kept', ['lastName'], {}],
    ]);
    // reported again by the next run (an account with local values is planned every run)
    expect(await sync(file())).toMatchObject({ updated: 0, unchanged: 4, keptLocal: 1 });
    expect((await account(MARC)).lastName).toBe('PETIT-DUVAL');
  });

  it('a field the export changes wins: applied, and overridden when the store had changed it too', async () => {
    await sync(file());
    await editAccount(store, CORR, MARC, { lastName: 'PETIT-DUVAL' });
    const seq = await lastSeq();
    const journal = new MemoryJournal();
    const rows = edit(JEAN, { tel: '05 59 00 00 01' }, edit(MARC, { nom: 'PETIT-LAFON' }));
    const run = await sync(file(rows), { journal });
    expect(run).toMatchObject({ updated: 2, keptLocal: 0, overridden: 1 });
    expect((await account(MARC)).lastName).toBe('PETIT-LAFON');
    expect((await account(JEAN)).phone).toBe('05 59 00 00 01');
    const [marc] = await auditsOf(MARC, seq);
    expect(JSON.parse(marc!.changes!)).toMatchObject({
      lastName: { before: 'PETIT-DUVAL', after: 'PETIT-LAFON' },
      overridden: [{ field: 'lastName', store: 'PETIT-DUVAL', file: 'PETIT-LAFON' }],
    });
    const [jean] = await auditsOf(JEAN, seq);
    expect(JSON.parse(jean!.changes!)).not.toHaveProperty('overridden');
    expect(journal.entries.find((e) => e.login === MARC)).toMatchObject({
      kind: 'updated',
      keptLocal: [],
      overridden: [{ field: 'lastName', store: 'PETIT-DUVAL', file: 'PETIT-LAFON' }],
    });
    // the new values are the base now: the same file again changes nothing
    expect(await sync(file(rows))).toMatchObject({
      updated: 0,
      unchanged: 4,
      keptLocal: 0,
      overridden: 0,
    });
  });

  it('a local change and a real change of the export on one account: the first kept, the second applied', async () => {
    await sync(file());
    await editAccount(store, CORR, MARC, { firstName: 'Marcel' });
    const run = await sync(file(edit(MARC, { nom: 'PETIT-LAFON' })));
    expect(run).toMatchObject({ updated: 1, keptLocal: 1, overridden: 0 });
    expect(await account(MARC)).toMatchObject({ lastName: 'PETIT-LAFON', firstName: 'Marcel' });
  });

  it('a local detach survives the unchanged export: not re-added', async () => {
    await sync(file());
    await detach(store, MARC, { structure: `SIRET:${PAU}`, services: [], newManager: null });
    const before = await attachments(MARC);
    expect(before).toMatchObject([{ structure: PAU, status: 'SUPPRIMEE' }]);
    const seq = await lastSeq();
    const run = await sync(file());
    expect(run).toMatchObject({
      attachmentsAdded: 0,
      attachmentsChanged: 0,
      updated: 0,
      keptLocal: 1,
    });
    expect(await attachments(MARC)).toEqual(before);
    expect(await auditsOf(MARC, seq)).toEqual([]);
  });

  it('a local end of some services survives; a service the export adds later applies', async () => {
    await sync(file());
    await detach(store, JEAN, {
      structure: `SIRET:${PAU}`,
      services: ['SERV-CULT'],
      newManager: null,
    });
    expect(await sync(file())).toMatchObject({ keptLocal: 1, attachmentsChanged: 0 });
    expect((await attachments(JEAN))[0]!.services).toEqual(['SERV-ETAT-CIVIL']);
    // the export moves Jean's dates: that applies; his services stay as the store has them
    const moved = edit(JEAN, { fin: '31/12/2027' });
    expect(await sync(file(moved))).toMatchObject({ attachmentsChanged: 1, keptLocal: 1 });
    expect((await attachments(JEAN))[0]).toMatchObject({
      dateEnd: '2027-12-31',
      services: ['SERV-ETAT-CIVIL'],
    });
  });

  it('a local deactivation survives the unchanged export; the file reactivating the account applies', async () => {
    await sync(file(edit(MARC, { statut: 'INACTIF' })));
    expect((await account(MARC)).status).toBe('INACTIF');
    // kept inactive by the store while the export says active…
    await sync(file());
    expect((await account(MARC)).status).toBe('ACTIF');
    await changeStatus(store, CORR, MARC, 'deactivate');
    expect(await sync(file())).toMatchObject({ keptLocal: 1, reactivated: 0 });
    expect((await account(MARC)).status).toBe('INACTIF');
  });

  describe.each(['auto', 'staged'] as const)('a GP transfer in the tool (%s path)', (strategy) => {
    const transfer = () =>
      detach(store, PAULINE, { structure: `SIRET:${PAU}`, services: [], newManager: MARC });
    const gpOf = async (login: string) =>
      (await attachments(login)).find((a) => a.structure === PAU && a.status === 'VALIDEE')?.role;

    it('survives the unchanged export: no change, no mail, no audit entry for the two accounts', async () => {
      await sync(file(), { strategy });
      await transfer();
      expect(await gpOf(MARC)).toBe('GESTIONNAIRE_PRINCIPAL');
      expect(await gpOf(PAULINE)).toBe('UTILISATEUR');
      const seq = await lastSeq();
      const sent = await mails();
      const run = await sync(file(), { strategy });
      expect(run).toMatchObject({
        rejected: 0,
        updated: 0,
        attachmentsChanged: 0,
        attachmentsAdded: 0,
        keptLocal: 2,
        overridden: 0,
        gpKept: 0,
      });
      if (strategy === 'auto') expect(run.strategy).toBe('streamed');
      expect(await gpOf(MARC)).toBe('GESTIONNAIRE_PRINCIPAL');
      expect(await gpOf(PAULINE)).toBe('UTILISATEUR');
      expect(await mails()).toBe(sent);
      expect(await auditsOf(MARC, seq)).toEqual([]);
      expect(await auditsOf(PAULINE, seq)).toEqual([]);
      // and the run after it too
      await sync(file(), { strategy });
      expect(await gpOf(MARC)).toBe('GESTIONNAIRE_PRINCIPAL');
    });

    it('survives also when the successor is not in the export: the former GP’s row claims nothing', async () => {
      await sync(file(), { strategy });
      await transfer();
      const run = await sync(file(ROWS.filter((r) => r.login !== MARC)), {
        strategy,
        maxDeactivations: '100%',
      });
      expect(run).toMatchObject({ rejected: 0, keptLocal: 1 });
      // the successor is absent from the file, but GP of a structure in scope: kept as it is
      expect(await gpOf(MARC)).toBe('GESTIONNAIRE_PRINCIPAL');
      expect(await gpOf(PAULINE)).toBe('UTILISATEUR');
    });

    it.each([
      ['listed before the store GP', [JEAN, PAULINE, MARC, ANNE]],
      ['listed after the store GP', [PAULINE, MARC, JEAN, ANNE]],
    ])('a changed export that makes a third account GP applies (%s)', async (_name, order) => {
      await sync(file(), { strategy });
      await transfer();
      // Jean GP of the whole structure (his two rows become one), Pauline a plain user there
      const rows = edit(
        JEAN,
        { role: 'GESTIONNAIRE_PRINCIPAL', service: '' },
        edit(PAULINE, { role: 'UTILISATEUR' }),
      ).filter((r, i, all) => all.findIndex((x) => x.login === r.login && x.id === r.id) === i);
      const sorted = order.flatMap((l) => rows.filter((r) => r.login === l));
      const run = await sync(file(sorted), { strategy, maxDeactivations: '100%' });
      expect(run).toMatchObject({ rejected: 0, overridden: 1 });
      expect(await gpOf(JEAN)).toBe('GESTIONNAIRE_PRINCIPAL');
      expect(await gpOf(MARC)).toBe('UTILISATEUR');
      expect(await gpOf(PAULINE)).toBe('UTILISATEUR');
      // the same file again: nothing to do
      expect(await sync(file(sorted), { strategy })).toMatchObject({
        updated: 0,
        attachmentsChanged: 0,
        attachmentsAdded: 0,
        overridden: 0,
      });
    });
  });

  it('an account with no base yet (synced before the merge) takes the file as it is once, then merges', async () => {
    await sync(file());
    await store.db.updateTable('account').set({ madrhasBase: null }).execute();
    await editAccount(store, CORR, MARC, { lastName: 'PETIT-DUVAL' });
    expect(await sync(file())).toMatchObject({ updated: 1, keptLocal: 0, overridden: 0 });
    expect((await account(MARC)).lastName).toBe('PETIT');
    expect(decodeBase((await account(MARC)).madrhasBase, MARC)).toMatchObject({
      lastName: 'PETIT',
    });
    await editAccount(store, CORR, MARC, { lastName: 'PETIT-DUVAL' });
    expect(await sync(file())).toMatchObject({ updated: 0, keptLocal: 1 });
  });

  it('an account full mode deactivated as absent takes the file again when it returns', async () => {
    await sync(file());
    await sync(file(ROWS.filter((r) => r.login !== MARC)), { maxDeactivations: '100%' });
    expect((await account(MARC)).status).toBe('INACTIF');
    expect((await account(MARC)).madrhasBase).toBeNull();
    expect(await sync(file())).toMatchObject({ reactivated: 1, keptLocal: 0 });
    expect((await account(MARC)).status).toBe('ACTIF');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editAccount } from '../../src/app/accounts.js';
import { syncMadrhas, type SyncOptions } from '../../src/app/sync/madrhas.js';
import { leaveDigests, readDigests } from '../../src/app/sync/digests.js';
import type { Store } from '../../src/db/store.js';
import { fromHex } from '../../src/domain/hash64.js';
import { DIALECTS, type FreshLocation } from '../helpers/stores.js';
import { eachDirectoryStore, syncOptions } from './support/directory-store.js';

// Issue 16 point 9 (migration 0009): a sync leaves the accounts' digests it read (or read again
// after its writes) for the next one, which takes them instead of reading every account while the
// run that left them wrote the audit chain's last change.

const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const HEADER =
  'IDENTIFIANT_CONNEXION;CIVILITE;NOM;PRENOM;COURRIEL_CONTACT;TELEPHONE;TYPE_IDENTIFIANT_STRUCTURE;IDENTIFIANT_STRUCTURE;CODE_SERVICE;ROLE;DATE_DEBUT;DATE_FIN;STATUT_COMPTE';
const row = (login: string, nom: string, siret: string, role = 'UTILISATEUR') =>
  `${login};M.;${nom};Jean;${login};;SIRET;${siret};;${role};01/01/2024;;ACTIF`;
const FILE = [
  HEADER,
  row('pauline.dufour@mairie-pau.fr', 'DUFOUR', '21640445900010', 'GESTIONNAIRE_PRINCIPAL'),
  row('jean.martin@mairie-pau.fr', 'MARTIN', '21640445900010'),
  row('marc.petit@mairie-pau.fr', 'PETIT', '21640445900010'),
  row('anne.le-gall@mont-de-marsan.fr', 'LE GALL', '21400192700018'),
  '',
].join('\r\n');

describe.each(DIALECTS)('the digests a sync leaves for the next (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  let n = 0;
  eachDirectoryStore(
    dialect,
    CORR,
    '2025-03-10T09:30:00.000Z',
    (s, f) => ((store = s), (fresh = f)),
  );

  const sync = (over: Partial<SyncOptions> = {}) => {
    const f = path.join(fresh.dir, `madrhas-${n++}.csv`);
    fs.writeFileSync(f, FILE);
    return syncMadrhas(store, CORR, syncOptions(f, over));
  };
  const snapshot = () => store.db.selectFrom('syncDigestSnapshot').selectAll().executeTakeFirst();
  const lastRun = async () =>
    (await store.db.selectFrom('run').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow())
      .id;
  /**
   * A change made behind the program's back (no audit entry): the digest trigger clears the
   * account's digest, but the chain's head does not move, so a run that takes the snapshot does not
   * look at the account again (what tells the two ways of reading the digests apart).
   */
  const quietEdit = (login: string, lastName: string) =>
    store.db.updateTable('account').set({ lastName }).where('login', '=', login).execute();
  const lastName = async (login: string) =>
    (
      await store.db
        .selectFrom('account')
        .select('lastName')
        .where('login', '=', login)
        .executeTakeFirstOrThrow()
    ).lastName;

  /** The snapshot's entries, flags by account id (1 digest, 2 fresh, 4 active MADRHAS). */
  const entries = async () => {
    const rows = await store.db
      .selectFrom('syncDigestSnapshot')
      .selectAll()
      .orderBy('seq')
      .execute();
    const flags = new Map<number, number>();
    for (const r of rows) {
      const words = new Uint32Array(Uint8Array.from(r.entries).buffer);
      for (let at = 0; at < words.length; at += 4) flags.set(words[at + 2]!, words[at + 3]!);
    }
    return { runIds: [...new Set(rows.map((r) => r.runId))], flags };
  };

  it('a sync leaves them with its run; the next run of the same file reads them, changes nothing, and renews them', async () => {
    expect(await sync()).toMatchObject({ created: 4, unchanged: 0 });
    const left = await entries();
    expect(left.runIds).toEqual([await lastRun()]);
    // the correspondent (no digest, not MADRHAS) and the four accounts: digest, fresh, active
    expect([...left.flags.values()].sort()).toEqual([0, 7, 7, 7, 7]);

    expect(await sync()).toMatchObject({ accounts: 4, unchanged: 4, updated: 0 });
    expect(await entries()).toEqual({ runIds: [await lastRun()], flags: left.flags });
  });

  it('kept a page of accounts a row, they read back as the accounts themselves give them', async () => {
    await sync();
    await quietEdit('marc.petit@mairie-pau.fr', 'PETIT-DUVAL'); // no digest now
    const runId = await lastRun();
    const { stamp } = (await snapshot())!;
    const digests = await store.db.selectFrom('account').select(['id', 'syncDigest']).execute();
    await store.db.transaction().execute(async (trx) => {
      await leaveDigests(trx, runId, stamp, false, 2);
      expect(
        await trx.selectFrom('syncDigestSnapshot').select('seq').orderBy('seq').execute(),
      ).toEqual([{ seq: 0 }, { seq: 1 }, { seq: 2 }]);
      const kept = await readDigests(trx, stamp, runId, 2);
      expect(kept.fromSnapshot).toBe(true);
      expect(kept.active).toBe(4);
      for (const { id, syncDigest } of digests)
        if (syncDigest !== null) expect(kept.index.get(...fromHex(syncDigest))).toBe(-id);
      expect(digests.filter((d) => d.syncDigest === null)).toHaveLength(2);
      // the same, read from the accounts
      await trx.deleteFrom('syncDigestSnapshot').execute();
      const read = await readDigests(trx, stamp, runId, 2);
      expect(read.fromSnapshot).toBe(false);
      expect([...read.candidates]).toEqual([...kept.candidates]);
      for (const { id, syncDigest } of digests)
        if (syncDigest !== null) expect(read.index.get(...fromHex(syncDigest))).toBe(-id);
    });
  });

  it('the next run takes the snapshot, not the accounts', async () => {
    await sync();
    await quietEdit('marc.petit@mairie-pau.fr', 'PETIT-DUVAL');
    // Marc's digest is in the snapshot: he is not looked at
    expect(await sync()).toMatchObject({ accounts: 4, unchanged: 4, keptLocal: 0 });
    // without it, the run reads the accounts: Marc has no digest, is planned, keeps his change
    await store.db.deleteFrom('syncDigestSnapshot').execute();
    expect(await sync()).toMatchObject({ accounts: 4, unchanged: 4, keptLocal: 1 });
    expect(await lastName('marc.petit@mairie-pau.fr')).toBe('PETIT-DUVAL');
  });

  it('any change since the run that left it makes the next run read the accounts', async () => {
    await sync();
    await quietEdit('anne.le-gall@mont-de-marsan.fr', 'LE GALL-DURAND');
    await editAccount(store, CORR, 'marc.petit@mairie-pau.fr', { lastName: 'PETIT-DUVAL' });
    // both are planned (their digests cleared) and keep their change (file = base)
    expect(await sync()).toMatchObject({ accounts: 4, unchanged: 4, keptLocal: 2 });
    expect(await lastName('marc.petit@mairie-pau.fr')).toBe('PETIT-DUVAL');
  });

  it('a dry run leaves the snapshot as it was; a run under another scope does not take it', async () => {
    await sync();
    const left = (await snapshot())!;
    expect(await sync({ dryRun: true })).toMatchObject({ unchanged: 4 });
    expect((await snapshot())!.runId).toBe(left.runId);
    await quietEdit('marc.petit@mairie-pau.fr', 'PETIT-DUVAL');
    // the scope is part of what a digest's freshness is judged against: Marc is read and planned
    expect(await sync({ scope: ['64'] })).toMatchObject({ accounts: 3, keptLocal: 1 });
  });
});

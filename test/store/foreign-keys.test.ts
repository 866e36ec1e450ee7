import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyRows, deferForeignKeys } from '../../src/db/bulk-load.js';
import type { Db } from '../../src/db/schema.js';
import { lockForLongRun, type Store } from '../../src/db/store.js';
import { DIALECTS, freshStore } from '../helpers/stores.js';
import { addAccount, addAttachment, addStructure, count } from './support/seed.js';

// A first load's foreign keys, checked whole at its end (db/foreign-keys.ts): on PostgreSQL the
// row-by-row triggers stand aside while it writes, and a reference to nothing still fails the run
// by the constraint's name, nothing written. SQLite checks each row as it always did.

const role = async (db: Db) =>
  (
    await sql<{ role: string }>`select current_setting('session_replication_role') as role`.execute(
      db,
    )
  ).rows[0]!.role;

describe.each(DIALECTS)('deferForeignKeys (%s)', (dialect) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let account: number;
  let structure: number;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore(dialect));
    account = await addAccount(store.db, 'jean.dupont@mairie-pau.fr');
    structure = await addStructure(store.db, '21640445900010', '64000');
  });
  afterEach(async () => cleanup());

  /** A long run's transaction that loads `fileRows` rows through `load`, the keys deferred. */
  const loadRun = (
    fileRows: number,
    load: (trx: Db) => Promise<void>,
    before: (trx: Db) => Promise<unknown> = async () => {},
  ) =>
    store.db.transaction().execute(async (trx) => {
      await before(trx);
      await lockForLongRun(trx, dialect);
      const restore = await deferForeignKeys(trx, fileRows);
      await load(trx);
      await restore();
    });

  /** A load that keeps the row-by-row checks: the setting stays, a row referencing nothing fails at once. */
  const expectRowByRow = (fileRows: number, before?: (trx: Db) => Promise<unknown>) =>
    expect(
      loadRun(
        fileRows,
        async (trx) => {
          expect(await role(trx)).toBe('origin');
          await addAttachment(trx, account + 1000, structure, 'UTILISATEUR', 'VALIDEE');
        },
        before,
      ),
    ).rejects.toThrow(/attachment_account_id_fkey/);

  it('a reference to nothing fails the run by the constraint’s name, and nothing is written', async () => {
    let loaded = false;
    await expect(
      loadRun(1000, async (trx) => {
        await addAttachment(trx, account, structure, 'UTILISATEUR', 'VALIDEE');
        await addAttachment(trx, account + 1000, structure, 'UTILISATEUR', 'VALIDEE');
        loaded = true;
      }),
    ).rejects.toThrow(/attachment_account_id_fkey|FOREIGN KEY/);
    // PostgreSQL: written row by row unchecked, caught by the check at the end; SQLite: at once
    expect(loaded).toBe(dialect === 'postgres');
    expect(await count(store.db, 'attachment')).toBe(0);
  });

  it('checks the rows a load copies into an append-only table', async () => {
    await expect(
      loadRun(1000, (trx) =>
        copyRows(
          trx,
          'notification',
          [
            'account_id',
            'event',
            'language',
            'from_address',
            'to_address',
            'subject',
            'body',
            'created_at',
          ],
          Array.from({ length: 20 }, (_, i) => [
            i === 13 ? account + 1000 : account,
            'probe',
            'fr',
            'a@b.fr',
            'c@d.fr',
            's',
            'b',
            '2026-12-06T06:00:00.000Z',
          ]),
        ),
      ),
    ).rejects.toThrow(/notification_account_id_fkey|FOREIGN KEY/);
    expect(await count(store.db, 'notification')).toBe(0);
  });

  it('rows that reference what is there pass, and the checks are back after the load', async () => {
    await loadRun(1000, async (trx) => {
      if (dialect === 'postgres') expect(await role(trx)).toBe('replica');
      await addAttachment(trx, account, structure, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
    });
    expect(await count(store.db, 'attachment')).toBe(1);
    await expect(
      addAttachment(store.db, account + 1000, structure, 'UTILISATEUR', 'VALIDEE'),
    ).rejects.toThrow(/attachment_account_id_fkey|FOREIGN KEY/);
  });

  if (dialect === 'postgres') {
    it('a file of no more than twice the rows the attachments hold keeps the row-by-row checks', async () => {
      await addAttachment(store.db, account, structure, 'UTILISATEUR', 'VALIDEE');
      await expectRowByRow(2);
    });

    it('a trigger the sync does not set aside itself keeps them (replica would silence it)', async () => {
      await sql
        .raw(
          `create function probe_keep() returns trigger language plpgsql as $$ begin return new; end $$;
           create trigger probe_keep before insert on notification for each row execute function probe_keep()`,
        )
        .execute(store.db);
      await expectRowByRow(1000);
    });

    it('a role that may not set session_replication_role keeps them', async () => {
      const name = `chorus_probe_${randomBytes(4).toString('hex')}`;
      await sql.raw(`create role ${name} nosuperuser`).execute(store.db);
      try {
        await sql.raw(`grant all on all tables in schema public to ${name}`).execute(store.db);
        await sql.raw(`grant all on all sequences in schema public to ${name}`).execute(store.db);
        await expectRowByRow(1000, (trx) => sql.raw(`set local role ${name}`).execute(trx));
      } finally {
        await sql.raw(`drop owned by ${name}`).execute(store.db);
        await sql.raw(`drop role ${name}`).execute(store.db);
      }
    });
  }
});

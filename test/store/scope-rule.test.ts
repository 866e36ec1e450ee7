import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as accounts from '../../src/db/account.repository.js';
import { outboxMessages } from '../../src/db/notification.repository.js';
import type { Db } from '../../src/db/schema.js';
import { Migrator } from 'kysely';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { migrateToLatest, type Store } from '../../src/db/store.js';
import { ALL, scopeWithin, type Scope } from '../../src/domain/departement.js';
import { ATTACHMENT_STATUSES, type AttachmentStatus } from '../../src/domain/enums.js';
import { accountInScope, authorize, SCOPE_STATUSES, type Actor } from '../../src/domain/rights.js';
import { structureDepartement } from '../../src/domain/structure.js';
import { DIALECTS, freshStore } from '../helpers/stores.js';
import { AT } from './support/seed.js';

/**
 * SPEC 6, issue 14 point 10: one scope rule. The rights (`authorize`, fed by the loader
 * `accountTarget`) and the SQL filters (`listAccounts`, the outbox) must answer alike for any
 * store: random small worlds of structures (French, Corsican, overseas, foreign, without a postal
 * code), accounts with attachments of every status, correspondents of random scopes.
 */

const POSTAL = [
  '64000',
  '64100',
  '33000',
  '40100',
  '20000',
  '20200',
  '97100',
  '97400',
  '98800',
  '75001',
  null,
];
const COUNTRY = [null, 'FR', 'FR', 'DE', 'BE', 'GP', 'NC'];
const DEPTS = ['64', '33', '40', '2A', '2B', '971', '974', '988', '75'];

const scopeArb: fc.Arbitrary<Scope> = fc.oneof(
  { weight: 1, arbitrary: fc.constant([ALL] as Scope) },
  {
    weight: 5,
    arbitrary: fc
      .uniqueArray(fc.constantFrom(...DEPTS), { minLength: 1, maxLength: 3 })
      .map((a) => [...a].sort()),
  },
);

const worldArb = fc.record({
  structures: fc.array(
    fc.record({ postal: fc.constantFrom(...POSTAL), country: fc.constantFrom(...COUNTRY) }),
    { minLength: 1, maxLength: 6 },
  ),
  accounts: fc.array(
    fc.record({
      attachments: fc.array(
        fc.record({
          structure: fc.nat(),
          status: fc.constantFrom<AttachmentStatus>(...ATTACHMENT_STATUSES),
        }),
        { maxLength: 3 },
      ),
      scope: fc.option(scopeArb, { freq: 3 }),
    }),
    { minLength: 1, maxLength: 7 },
  ),
  actors: fc.array(scopeArb, { minLength: 1, maxLength: 3 }),
});
type World = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

async function clear(db: Db): Promise<void> {
  for (const table of [
    'notification',
    'attachment',
    'correspondentScope',
    'account',
    'structure',
  ] as const)
    await db.deleteFrom(table).execute();
}

/** Writes the world; returns the accounts' ids, in order. */
async function seed(db: Db, w: World): Promise<number[]> {
  const structureIds: number[] = [];
  for (const [i, s] of w.structures.entries()) {
    const row = await db
      .insertInto('structure')
      .values({
        idType: 'AUTRE',
        identifier: `S${i}`,
        companyName: `Structure ${i}`,
        ediSender: 0,
        ediReceiver: 0,
        managesPaymentStatus: 0,
        managesCommitment: 0,
        managesService: 0,
        managesServiceCommitment: 0,
        isMoa: 0,
        isMoaOnly: 0,
        active: 1,
        postalCode: s.postal,
        countryCode: s.country,
        // what the import stores (domain/structure.ts)
        departement: structureDepartement(s.postal, s.country),
        searchKey: `structure ${i}`,
        createdAt: AT,
        updatedAt: AT,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    structureIds.push(row.id);
  }
  const ids: number[] = [];
  for (const [i, a] of w.accounts.entries()) {
    const login = `a${i}@example.fr`;
    const { id } = await db
      .insertInto('account')
      .values({
        login,
        status: 'ACTIF',
        source: 'MANUEL',
        lastName: 'X',
        firstName: 'Y',
        email: login,
        searchKey: login,
        createdAt: AT,
        updatedAt: AT,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(id);
    if (a.scope) await accounts.insertScope(db, id, a.scope);
    // at most one live attachment (pending or validated) per account and structure (attachment_live_uq)
    const live = new Set<number>();
    for (const t of a.attachments) {
      const structureId = structureIds[t.structure % structureIds.length]!;
      if (t.status === 'VALIDEE' || t.status === 'EN_COURS_DE_VALIDATION') {
        if (live.has(structureId)) continue;
        live.add(structureId);
      }
      await db
        .insertInto('attachment')
        .values({
          accountId: id,
          structureId,
          role: 'UTILISATEUR',
          status: t.status,
          source: 'MANUEL',
          createdAt: AT,
          updatedAt: AT,
        })
        .execute();
    }
    await db
      .insertInto('notification')
      .values({
        accountId: id,
        event: 'ACCOUNT_CREATED',
        language: 'fr',
        fromAddress: 'noreply@example.fr',
        toAddress: login,
        subject: 'Vos identifiants',
        body: 'secret',
        createdAt: AT,
      })
      .execute();
  }
  return ids;
}

const actorOf = (scope: Scope): Actor => ({
  id: -1,
  login: 'corr@dgfip.finances.gouv.fr',
  status: 'ACTIF',
  scope,
  attachments: [],
  habilitations: [],
});

describe.each(DIALECTS)('the scope rule: rights and SQL agree (%s)', (dialect) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore(dialect));
  });
  afterEach(async () => cleanup());

  it('property: account.read, listAccounts and the outbox pick the same accounts', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        const db = store.db;
        await clear(db);
        const ids = await seed(db, w);
        const targets = await Promise.all(ids.map((id) => accounts.accountTarget(db, { id })));
        for (const scope of w.actors) {
          const byRights = ids.filter(
            (_, i) => authorize(actorOf(scope), 'account.read', targets[i]!, '2025-03-10').allowed,
          );
          const listed = await accounts.listAccounts(db, { scope });
          const bySql = listed.rows.map((r) => r.id).sort((a, b) => a - b);
          expect(bySql, `listAccounts ${scope.join(',')}`).toEqual(byRights);
          expect(listed.total).toBe(byRights.length);
          const outbox = await outboxMessages(db, { accountId: -1, scope, pending: true });
          expect(
            outbox.map((m) => m.accountId).sort((a, b) => (a ?? 0) - (b ?? 0)),
            `outbox ${scope.join(',')}`,
          ).toEqual(byRights);
          // and the deactivation right (a correspondent's act) draws the same line
          const mayDeactivate = ids.filter(
            (_, i) =>
              authorize(actorOf(scope), 'account.deactivate', targets[i]!, '2025-03-10').allowed,
          );
          expect(mayDeactivate).toEqual(byRights);
        }
      }),
      { numRuns: dialect === 'postgres' ? 25 : 60 },
    );
  });

  it('the loader counts only VALIDEE, EN_COURS_DE_VALIDATION and DESACTIVEE, with stored départements', async () => {
    const db = store.db;
    const w: World = {
      structures: [
        { postal: '64000', country: 'DE' },
        { postal: '33000', country: 'FR' },
        { postal: '20000', country: null },
        { postal: null, country: 'FR' },
      ],
      accounts: [
        {
          attachments: ATTACHMENT_STATUSES.map((status, i) => ({ structure: i % 4, status })),
          scope: null,
        },
      ],
      actors: [],
    };
    const [id] = await seed(db, w);
    const target = await accounts.accountTarget(db, { id: id! });
    const expected = ATTACHMENT_STATUSES.map((status, i) =>
      (SCOPE_STATUSES as readonly string[]).includes(status)
        ? structureDepartement(w.structures[i % 4]!.postal, w.structures[i % 4]!.country)
        : undefined,
    ).filter((d) => d !== undefined);
    expect([...target.departements].sort()).toEqual([...new Set(expected)].sort());
    // the DE 64000 structure is in no département: in the scope * only
    expect(target.departements).not.toContain('64');
  });

  it('a correspondent is listed only to correspondents whose scope covers its own', async () => {
    const db = store.db;
    const w: World = {
      structures: [{ postal: '64000', country: 'FR' }],
      accounts: [
        { attachments: [], scope: ['33'] },
        { attachments: [], scope: ['2A'] },
        { attachments: [{ structure: 0, status: 'VALIDEE' }], scope: ['40'] },
        { attachments: [], scope: ['64'] },
        { attachments: [], scope: [ALL] },
      ],
      actors: [],
    };
    const ids = await seed(db, w);
    for (const scope of [['64'], ['33', '64'], ['2A', '33', '40', '64'], [ALL]] as Scope[]) {
      const listed = (await accounts.listAccounts(db, { scope })).rows.map((r) => r.id);
      const expected = ids.filter((_, i) => scopeWithin(w.accounts[i]!.scope!, scope));
      expect(listed.sort((a, b) => a - b)).toEqual(expected);
      for (const id of ids)
        expect(accountInScope(scope, await accounts.accountTarget(db, { id }))).toBe(
          expected.includes(id),
        );
    }
  });

  it('migration 0006 recomputes the stored département of every structure', async () => {
    const db = store.db;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
    // back to before 0006 (the migrations after it undone too)
    expect((await migrator.migrateTo('0005-sync-own-digests')).error).toBeUndefined();
    const w: World = {
      structures: [
        { postal: '64000', country: 'DE' },
        { postal: '33000', country: 'FR' },
        { postal: '20000', country: null },
        { postal: null, country: 'FR' },
        { postal: '98800', country: 'NC' },
      ],
      accounts: [],
      actors: [],
    };
    await seed(db, w);
    // what earlier imports could leave: a département taken from the postal code alone, or none
    await db
      .updateTable('structure')
      .set({ departement: '64' })
      .where('identifier', '=', 'S0')
      .execute();
    await db
      .updateTable('structure')
      .set({ departement: null })
      .where('identifier', '=', 'S1')
      .execute();
    await db
      .updateTable('structure')
      .set({ departement: '20' })
      .where('identifier', '=', 'S2')
      .execute();
    await db
      .updateTable('structure')
      .set({ departement: '33' })
      .where('identifier', '=', 'S3')
      .execute();
    expect(await migrateToLatest(store)).toEqual([
      '0006-structure-departement',
      '0007-audit-reason',
      '0008-sync-merge-runs',
      '0009-sync-digest-snapshot',
      '0010-run-change-no-target-index',
      '0011-snapshot-entries-uncompressed',
    ]);
    const rows = await db
      .selectFrom('structure')
      .select(['identifier', 'departement'])
      .orderBy('identifier')
      .execute();
    expect(rows).toEqual([
      { identifier: 'S0', departement: null },
      { identifier: 'S1', departement: '33' },
      { identifier: 'S2', departement: '2A' },
      { identifier: 'S3', departement: null },
      { identifier: 'S4', departement: '988' },
    ]);
  });
});

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAccount } from '../../src/app/accounts.js';
import { MemoryJournal, type AccountChange } from '../../src/app/sync/journal.js';
import { syncMadrhas, OverLimitError, type SyncOptions } from '../../src/app/sync/madrhas.js';
import {
  applyPlan,
  planEntries,
  planSeal,
  planWriter,
  readPlan,
  type PlanOptions,
} from '../../src/app/sync/plan.js';
import { openStore, type Store } from '../../src/db/store.js';
import { mayApplyPlan, type Actor } from '../../src/domain/rights.js';
import { ConflictError, ForbiddenError, InvalidInputError, UsageError } from '../../src/errors.js';
import { planSealKey } from '../../src/db/plan.repository.js';
import { testClock } from '../helpers/clock.js';
import { DIALECTS, type FreshLocation } from '../helpers/stores.js';
import { counts, expectKey } from './support/seed.js';
import { eachDirectoryStore, syncOptions } from './support/directory-store.js';

/**
 * Saved plans in the store (issue 16 point 2, SPEC 8.1): the plan a dry run writes is exactly
 * what `sync apply` then does, in one transaction that refuses a stale plan, a plan applied
 * already, a plan that no longer matches the run, and an actor the plan is not for.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'fixtures');
const MADRHAS = path.join(FIXTURES, 'madrhas.csv');
const LINES = fs.readFileSync(MADRHAS, 'utf8').split('\r\n');

const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const SECOND = 'second@dgfip.finances.gouv.fr';
const NOW = '2025-03-10T09:30:00.000Z';

const OPTIONS: PlanOptions = {
  mode: 'full',
  maxDeactivations: '10%',
  strict: false,
  encoding: 'auto',
  noCredentials: false,
};

/** An entry as the plan compares it: the ids of what the run creates left out. */
const comparable = (e: AccountChange) => {
  const c = structuredClone(e) as Omit<AccountChange, 'accountId'> & { accountId?: number };
  if (c.kind === 'created') delete c.accountId;
  for (const a of c.attachments.added) delete (a as { id?: number }).id;
  return JSON.parse(JSON.stringify(c)) as unknown;
};

describe.each(DIALECTS)('sync plans (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  let step = 0;

  eachDirectoryStore(dialect, CORR, NOW, (s, f) => ((store = s), (fresh = f)));

  const opts = (file: string, over: Partial<SyncOptions> = {}): SyncOptions =>
    syncOptions(file, over);
  /** Plans `file` as CORR (a dry run): the plan's path. */
  const plan = async (file = MADRHAS, options: PlanOptions = OPTIONS) => {
    const out = path.join(fresh.dir, `plan-${step++}.json`);
    const writer = planWriter(out, file, options);
    try {
      await syncMadrhas(
        store,
        CORR,
        opts(file, { ...options, dryRun: true, journal: writer, hooks: writer.hooks() }),
      );
    } catch (err) {
      if (!(err instanceof OverLimitError)) throw err;
    }
    await writer.out.commit();
    return out;
  };
  const entries = async (file: string) => {
    const out: AccountChange[] = [];
    for await (const e of planEntries(file)) out.push(e);
    return out;
  };
  const apply = (file: string, actor = CORR, journal?: MemoryJournal) =>
    applyPlan(store, actor, { plan: file, lang: 'fr', ...(journal ? { journal } : {}) });

  it('the streamed attempt gave way to the staged path: the plan starts over, once per account', async () => {
    const file = await plan();
    const { head, accounts } = await readPlan(file);
    expect(head.summary).toMatchObject({ strategy: 'staged', created: 4, rejected: 9 });
    expect(accounts).toBe(4);
    expect(fs.readdirSync(fresh.dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('applying gives exactly the plan’s entries, and records the plan on the run', async () => {
    const file = await plan();
    const before = await counts(store.db);
    const planned = await entries(file);
    const seen = new MemoryJournal();
    const r = await apply(file, CORR, seen);
    expect(r.summary).toMatchObject({ created: 4, dryRun: false });
    expect(seen.entries.map(comparable)).toEqual(planned.map(comparable));
    const after = await counts(store.db);
    expect(after.account).toBe(before.account! + 4);
    const run = await store.db
      .selectFrom('run')
      .select(['planSha256'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(run.planSha256).toBe(createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
    // and once only
    await expectKey(apply(file), ConflictError, 'plan.applied');
    expect(await counts(store.db)).toEqual(after);
  });

  /** A plan's text sealed again with the store's key: what only someone holding the key could do. */
  const reseal = async (text: string): Promise<string> => {
    const at = text.lastIndexOf(',"seal":"');
    const digest = createHash('sha256').update(text.slice(0, at)).digest('hex');
    return text.slice(0, at) + ',"seal":"' + planSeal(await planSealKey(store.db), digest) + '"}\n';
  };

  it('a plan written over by hand breaks its seal: 5, nothing written', async () => {
    const file = await plan();
    const before = await counts(store.db);
    const text = fs.readFileSync(file, 'utf8');
    const edits: [RegExp, string][] = [
      [/"after":"DUFOUR"/, '"after":"DUPONT"'],
      [/"actor":"[^"]+"/, '"actor":"someone@dgfip.finances.gouv.fr"'],
      [/"scope":\[[^\]]*\]/, '"scope":["*"]'],
      [/"overLimit":null/, '"overLimit":{"count":9,"limit":3,"total":9,"accounts":[]}'],
    ];
    for (const [k, [from, to]] of edits.entries()) {
      expect(text, String(from)).toMatch(from);
      const edited = path.join(fresh.dir, `edited-${k}.json`);
      fs.writeFileSync(edited, text.replace(from, to));
      await expectKey(apply(edited), InvalidInputError, 'plan.invalidFile');
    }
    // the seal removed
    const unsealed = path.join(fresh.dir, 'unsealed.json');
    fs.writeFileSync(unsealed, text.replace(/,"seal":"[0-9a-f]{64}"\}/, '}'));
    await expectKey(apply(unsealed), InvalidInputError, 'plan.invalidFile');
    expect(await counts(store.db)).toEqual(before);
  });

  it('a sealed plan whose entry differs from the run, or that lacks one: 6, nothing written', async () => {
    const file = await plan();
    const before = await counts(store.db);
    const text = fs.readFileSync(file, 'utf8');
    const edited = path.join(fresh.dir, 'edited.json');
    fs.writeFileSync(edited, await reseal(text.replace('"after":"DUFOUR"', '"after":"DUPONT"')));
    await expectKey(apply(edited), ConflictError, 'plan.differs');
    const lines = text.split('\n');
    const shorter = path.join(fresh.dir, 'shorter.json');
    // the last account's line dropped, the one before it made the last
    const last = lines.indexOf('],"rejects":[') - 1;
    lines[last - 1] = lines[last - 1]!.replace(/,$/, '');
    lines.splice(last, 1);
    fs.writeFileSync(shorter, await reseal(lines.join('\n')));
    await expectKey(apply(shorter), ConflictError, 'plan.differs');
    expect(await counts(store.db)).toEqual(before);
  });

  it('a store that moved since the plan: stale (6), nothing written', async () => {
    const file = await plan();
    await createAccount(store, CORR, {
      login: 'autre@mairie-pau.fr',
      data: { email: 'autre@mairie-pau.fr', lastName: 'AUTRE', firstName: 'Alain' },
    });
    const before = await counts(store.db);
    await expectKey(apply(file), ConflictError, 'plan.stale');
    expect(await counts(store.db)).toEqual(before);
  });

  it('the planner only; over the limit, another correspondent covering the planner’s scope, with a reason', async () => {
    await syncMadrhas(store, CORR, opts(MADRHAS));
    await createAccount(store, CORR, {
      login: SECOND,
      data: { email: SECOND, lastName: 'SECOND', firstName: 'Serge' },
      scope: ['64', '40'],
    });
    const clean = path.join(fresh.dir, 'clean.csv');
    fs.writeFileSync(clean, [LINES[0], LINES[1], LINES[2], ''].join('\r\n'));
    // an ordinary plan: its planner's alone
    const ordinary = await plan(clean, { ...OPTIONS, maxDeactivations: '100%' });
    await expectKey(apply(ordinary, SECOND), ForbiddenError, 'rights.notPlanner');
    // over the limit: four eyes
    const over = await plan(clean, { ...OPTIONS, maxDeactivations: '1' });
    expect((await readPlan(over)).head.overLimit).toMatchObject({ count: 2, limit: 1 });
    await expectKey(apply(over, CORR), ForbiddenError, 'rights.ownPlan');
    await expectKey(apply(over, SECOND), UsageError, 'plan.reasonRequired');
    const withReason = await openStore(fresh.location, { clock: testClock });
    withReason.reason = 'départ du SGC';
    try {
      const r = await applyPlan(withReason, SECOND, { plan: over, lang: 'fr' });
      expect(r.summary).toMatchObject({ deactivated: 2 });
    } finally {
      await withReason.close();
    }
  });
});

describe('mayApplyPlan (domain/rights.ts)', () => {
  const actor = (login: string, scope: string[] | null): Actor => ({
    id: 1,
    login,
    status: 'ACTIF',
    scope,
    attachments: [],
    habilitations: [],
  });
  const planner = { login: 'a@x.fr', scope: ['64', '40'] };
  it.each([
    ['the planner, an ordinary plan', actor('a@x.fr', ['64', '40']), false, true],
    ['the planner, whose scope no longer covers the plan', actor('a@x.fr', ['64']), false, false],
    ['another, an ordinary plan', actor('b@x.fr', ['*']), false, false],
    ['the planner, over the limit', actor('a@x.fr', ['64', '40']), true, false],
    ['another covering the scope', actor('b@x.fr', ['40', '64', '33']), true, true],
    ['another, the whole country', actor('b@x.fr', ['*']), true, true],
    ['another not covering it', actor('b@x.fr', ['64']), true, false],
    ['a plain account', actor('b@x.fr', null), true, false],
  ] as const)('%s', (_, who, overLimit, allowed) => {
    expect(mayApplyPlan(who, planner, overLimit).allowed).toBe(allowed);
  });
});

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initStore } from '../../../src/app/init.js';
import { importServices, importStructures } from '../../../src/app/structure-import.js';
import type { SyncOptions } from '../../../src/app/sync/madrhas.js';
import { openStore, type Store } from '../../../src/db/store.js';
import { afterEach, beforeEach } from 'vitest';
import { testClock } from '../../helpers/clock.js';
import {
  accessTo,
  freshLocation,
  type DialectName,
  type FreshLocation,
} from '../../helpers/stores.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures');

/** A migrated store initialised with its correspondent (Claire MARTIN, `scope`), opened on the test clock. */
export async function correspondentStore(
  location: string,
  corr: string,
  scope: string[],
): Promise<Store> {
  await initStore({
    store: accessTo(location),
    login: corr,
    data: { email: corr, lastName: 'MARTIN', firstName: 'Claire' },
    scope,
  });
  return openStore(location, { clock: testClock });
}

/**
 * A migrated store made ready for a sync, through the use cases: its correspondent (scope 64 and
 * 40, Claire MARTIN), then the fixtures' directory and services imported by it; opened on the
 * test clock.
 */
export async function storeWithDirectory(location: string, corr: string): Promise<Store> {
  const store = await correspondentStore(location, corr, ['64', '40']);
  for (const [run, name] of [
    [importStructures, 'annuaire.csv'],
    [importServices, 'services.csv'],
  ] as const)
    await run(store, corr, { file: path.join(FIXTURES, name), encoding: 'auto', lang: 'fr' });
  return store;
}

/**
 * In the describe block that calls it: before each test, a fresh store made ready for a sync
 * (`storeWithDirectory`, the test clock at `now`) handed to `use`; after it, closed and removed.
 */
export function eachDirectoryStore(
  dialect: DialectName,
  corr: string,
  now: string,
  use: (store: Store, fresh: FreshLocation) => void,
): void {
  let store: Store | undefined;
  let fresh: FreshLocation | undefined;
  beforeEach(async () => {
    testClock.set(now);
    fresh = await freshLocation(dialect, 'migrated');
    store = await storeWithDirectory(fresh.location, corr);
    use(store, fresh);
  });
  afterEach(async () => {
    await store?.close();
    await fresh?.cleanup();
  });
}

/** A sync's options as most tests give them (full mode, applied, not strict, 10 %, French), with `over` on top. */
export const syncOptions = (file: string, over: Partial<SyncOptions> = {}): SyncOptions => ({
  file,
  encoding: 'auto',
  mode: 'full',
  dryRun: false,
  strict: false,
  maxDeactivations: '10%',
  lang: 'fr',
  ...over,
});

import type { Clock } from '../domain/clock.js';
import { assertSchemaCurrent, openStore, toStoreError, type Store } from '../db/store.js';

/** Where the store is and what a command opens it with: the program's clock, its lock timeout. */
export interface StoreAccess {
  /** A SQLite file path or a postgres:// URL. */
  location: string;
  clock: Clock;
  /** How long to wait for another process's lock before exit 7, in ms. */
  lockTimeoutMs: number;
  /** Asked right before each COMMIT (io.parentAlive; tests only: the kill tests' gate, src/cli.ts). */
  alive?: (() => boolean) | undefined;
  /** Why the command makes its changes (`--reason`): every audit entry it writes keeps it. */
  reason?: string | undefined;
}

export interface SessionOptions {
  /** Create an empty store when there is none (db migrate). */
  create?: boolean;
  /** Refuse a store that is not at this program's schema (every command but `db`). */
  requireCurrent?: boolean;
}

/** Opens the store for one command and always closes it; a store it cannot use is exit 7. */
export async function withStore<T>(
  access: StoreAccess,
  work: (store: Store) => Promise<T>,
  options: SessionOptions = { requireCurrent: true },
): Promise<T> {
  const store = await openStore(access.location, {
    create: options.create ?? false,
    lockTimeoutMs: access.lockTimeoutMs,
    clock: access.clock,
    ...(access.alive ? { alive: access.alive } : {}),
  });
  if (access.reason !== undefined) store.reason = access.reason;
  try {
    if (options.requireCurrent)
      await assertSchemaCurrent(store).catch((err: unknown) => {
        throw toStoreError(err, store.location);
      });
    return await work(store);
  } finally {
    await store.close();
  }
}

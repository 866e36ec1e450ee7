import { assertSchemaCurrent, openStore, toStoreError, type Store } from '../db/store.js';

export interface SessionOptions {
  /** Create an empty store when there is none (db migrate). */
  create?: boolean;
  /** Refuse a store that is not at this program's schema (every command but `db`). */
  requireCurrent?: boolean;
}

/** Opens the store for one command and always closes it; a store it cannot use is exit 7. */
export async function withStore<T>(
  location: string,
  work: (store: Store) => Promise<T>,
  options: SessionOptions = { requireCurrent: true },
): Promise<T> {
  const store = await openStore(location, {
    create: options.create ?? false,
    lockTimeoutMs: lockTimeout(),
  });
  try {
    if (options.requireCurrent)
      await assertSchemaCurrent(store).catch((err) =>
        Promise.reject(toStoreError(err, store.location)),
      );
    return await work(store);
  } finally {
    await store.close();
  }
}

/** CHORUS_ADMIN_LOCK_TIMEOUT (ms): how long to wait for another process's lock before exit 7. */
function lockTimeout(): number {
  const v = Number(process.env.CHORUS_ADMIN_LOCK_TIMEOUT);
  return Number.isFinite(v) && v > 0 ? v : 5000;
}

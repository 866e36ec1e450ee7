import { setTimeout as sleep } from 'node:timers/promises';
import { appendAudit, readHead } from '../../../src/db/audit.repository.js';
import { openStore } from '../../../src/db/store.js';

/**
 * Run in a child process (see concurrent.ts): opens the store on its own connection and runs
 * `transactions` transactions, each appending `perTransaction` entries one call at a time, with
 * pauses inside the transaction (holding the lock) and between transactions (letting others in).
 * After its first transaction it waits until the log holds `writers` transactions' worth of
 * entries: every writer's first transaction then comes before any writer's second, so the
 * writers interleave whatever the machine's load (a scheduler may otherwise run one whole).
 */
export async function appendMany(
  location: string,
  tag: string,
  transactions: number,
  perTransaction: number,
  writers: number,
): Promise<void> {
  const store = await openStore(location, { lockTimeoutMs: 30_000 });
  try {
    for (let i = 0; i < transactions; i += 1) {
      await store.db.transaction().execute(async (trx) => {
        for (let j = 0; j < perTransaction; j += 1) {
          await appendAudit(trx, [
            {
              at: new Date().toISOString(),
              actor: tag,
              action: 'test.concurrent',
              target: `item:${tag}-${i}-${j}`,
              outcome: 'OK',
              changes: JSON.stringify({ i, j }),
              runId: null,
            },
          ]);
          await sleep(1);
        }
      });
      if (i === 0)
        while (((await readHead(store.db))?.seq ?? 0) < writers * perTransaction) await sleep(2);
      await sleep(2 + Math.floor(Math.random() * 3));
    }
  } finally {
    await store.close();
  }
}

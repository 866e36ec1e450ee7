import { DigestIndex, hexWord } from '../../domain/hash64.js';
import * as snapshots from '../../db/digest-snapshot.repository.js';
import type { Db } from '../../db/schema.js';
import * as sync from '../../db/sync.repository.js';

/**
 * The accounts' digests as a sync reads them before the file: every account's digest (migration
 * 0003) in an index, and which accounts are active MADRHAS ones (full mode may deactivate them).
 *
 * Reading them means reading the whole account table (a third of an unchanged re-sync of 800,000
 * accounts), so each sync leaves them in the store (migration 0009) with its run's id, as it read
 * them when it wrote to no account, else read again after its writes; the next sync takes them as
 * they are while that run's audit entry is still the chain's last change (any change since, by
 * any command, appends an entry after it) and the stamp their freshness was judged against is its
 * own. They are kept as entries of four 32-bit words an account — its digest's two halves, its id,
 * its flags — a row per page of accounts, so that neither writing nor reading them holds more
 * than a page besides the index.
 */

const WORDS = 4;
const HAS_DIGEST = 1;
const FRESH = 2;
const ACTIVE = 4;
/**
 * Accounts a row of the snapshot (320 kB), as the accounts are read: a page's packed text is the
 * most the pass holds besides the index; at the end of a first load of 800,000 accounts, while the
 * run's deferred indexes are built again, 100,000 a page made the run's peak 7 MB higher.
 */
const PAGE = 20_000;

export class AccountDigests {
  constructor(
    readonly maxId: number,
    readonly index: DigestIndex,
    /** A byte per account id: 1 for an active MADRHAS account. */
    readonly candidates: Uint8Array,
    /** Taken from the snapshot a run left before this one (not read from the accounts). */
    readonly fromSnapshot: boolean,
  ) {}

  /** How many active MADRHAS accounts there are. */
  get active(): number {
    let n = 0;
    for (let id = 1; id < this.candidates.length; id++) n += this.candidates[id]!;
    return n;
  }
}

/**
 * The digests from the snapshot a run left while it is still the store's; else read from the
 * accounts, and left at once as run `runId`'s snapshot (the end of the run says whether it stays).
 */
export async function readDigests(
  db: Db,
  stamp: string,
  runId: number,
  page = PAGE,
): Promise<AccountDigests> {
  const kept = await snapshots.currentSnapshot(db, stamp);
  if (!kept) return scan(db, stamp, runId, page, true);
  const digests = new AccountDigests(
    kept.maxId,
    new DigestIndex(kept.maxId),
    new Uint8Array(kept.maxId + 1),
    true,
  );
  for (let seq = 0; seq < kept.rows; seq++) {
    const bytes = await snapshots.snapshotRow(db, seq);
    const words = new Uint32Array(Uint8Array.from(bytes).buffer);
    for (let at = 0; at < words.length; at += WORDS) {
      const id = words[at + 2]!;
      const flags = words[at + 3]!;
      if (flags & HAS_DIGEST)
        digests.index.put(words[at]!, words[at + 1]!, id, (flags & FRESH) !== 0);
      if (flags & ACTIVE) digests.candidates[id] = 1;
    }
  }
  return digests;
}

/**
 * What the sync leaves for the next one, before its audit entry is written: the snapshot as it
 * stands when the run wrote to no account (`unchanged`: the digests it read), else the accounts
 * read again, as the run leaves them.
 */
export async function leaveDigests(
  db: Db,
  runId: number,
  stamp: string,
  unchanged: boolean,
  page = PAGE,
): Promise<void> {
  if (unchanged) return snapshots.renewSnapshot(db, runId);
  await scan(db, stamp, runId, page, false);
}

/**
 * One pass over the accounts, `page` at a time, each page written as a row of the snapshot of run `runId` (the
 * snapshot before dropped); with `index`, the digests and candidates too. A digest followed by
 * `stamp` is fresh: checked against the directory as it is.
 */
async function scan(
  db: Db,
  stamp: string,
  runId: number,
  page: number,
  index: true,
): Promise<AccountDigests>;
async function scan(
  db: Db,
  stamp: string,
  runId: number,
  page: number,
  index: false,
): Promise<void>;
async function scan(
  db: Db,
  stamp: string,
  runId: number,
  page: number,
  index: boolean,
): Promise<AccountDigests | void> {
  await snapshots.dropSnapshot(db);
  const maxId = await sync.maxAccountId(db);
  const digests = index
    ? new AccountDigests(maxId, new DigestIndex(maxId), new Uint8Array(maxId + 1), false)
    : null;
  const entries = new Uint32Array(WORDS * page);
  let n = 0;
  let seq = 0;
  const flush = async () => {
    if (n === 0) return;
    await snapshots.addSnapshotRow(db, {
      seq: seq++,
      runId,
      stamp,
      maxId,
      entries: new Uint8Array(entries.buffer, 0, 4 * WORDS * n),
    });
    n = 0;
  };
  await sync.eachAccount(
    db,
    (id, active, text, at, end) => {
      const has = end > at;
      const fresh = has && end - at === 16 + stamp.length && text.startsWith(stamp, at + 16);
      const a = has ? hexWord(text, at) : 0;
      const b = has ? hexWord(text, at + 8) : 0;
      const e = WORDS * n++;
      entries[e] = a;
      entries[e + 1] = b;
      entries[e + 2] = id;
      entries[e + 3] = (has ? HAS_DIGEST : 0) | (fresh ? FRESH : 0) | (active ? ACTIVE : 0);
      if (!digests) return;
      if (has) digests.index.put(a, b, id, fresh);
      if (active) digests.candidates[id] = 1;
    },
    page,
    flush,
  );
  await flush();
  return digests ?? undefined;
}

import crypto from 'node:crypto';

/**
 * The audit log's hash chain. Each entry's SHA-256 covers its own fields and the previous
 * entry's hash, so altering, inserting or removing an entry breaks every link after it.
 * A head (last sequence number and hash) is kept beside the log so that removing the newest
 * entries is seen too.
 */

export const GENESIS_HASH = '0'.repeat(64);

export type Outcome = 'OK' | 'REFUSED';

/** The fields an entry is made of; `changes` is stored and hashed as the JSON text it is. */
export interface AuditFields {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  outcome: Outcome;
  changes: string | null;
  runId: number | null;
}

export interface ChainedEntry extends AuditFields {
  prevHash: string;
  hash: string;
}

export function entryHash(fields: AuditFields, prevHash: string): string {
  const canonical = JSON.stringify([
    fields.seq,
    fields.at,
    fields.actor,
    fields.action,
    fields.target,
    fields.outcome,
    fields.changes,
    fields.runId,
    prevHash,
  ]);
  return sha256Hex(canonical);
}

/** One-shot `crypto.hash` where Node has it (20.12 and later): a sync writes a million entries. */
const sha256Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) =>
        (crypto as unknown as { hash(algorithm: string, data: string): string }).hash(
          'sha256',
          text,
        )
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** Links `fields` (in order, numbered from `head.seq + 1`) onto the chain whose head is `head`. */
export function chain(
  head: { seq: number; hash: string },
  fields: Omit<AuditFields, 'seq'>[],
): ChainedEntry[] {
  let { seq, hash } = head;
  return fields.map((f) => {
    seq += 1;
    const entry = { ...f, seq };
    const prevHash = hash;
    hash = entryHash(entry, prevHash);
    return { ...entry, prevHash, hash };
  });
}

export type Break =
  | { kind: 'altered'; seq: number }
  | { kind: 'removed'; seq: number }
  | { kind: 'inserted'; seq: number };

/**
 * Walks the log in sequence order. Feed it every entry with `next`, then call `end` with the
 * stored head; the first break found is kept.
 */
export class ChainVerifier {
  private seq = 0;
  private hash = GENESIS_HASH;
  private broken: Break | null = null;
  count = 0;

  next(e: ChainedEntry): void {
    this.count += 1;
    if (this.broken) return;
    if (e.seq > this.seq + 1) this.broken = { kind: 'removed', seq: this.seq + 1 };
    else if (e.seq <= this.seq) this.broken = { kind: 'inserted', seq: e.seq };
    else if (entryHash(e, e.prevHash) !== e.hash) this.broken = { kind: 'altered', seq: e.seq };
    // e is consistent in itself but does not link: the entry before it was rewritten and rehashed
    else if (e.prevHash !== this.hash)
      this.broken = { kind: 'altered', seq: Math.max(this.seq, 1) };
    this.seq = e.seq;
    this.hash = e.hash;
  }

  end(head: { seq: number; hash: string }): Break | null {
    if (this.broken) return this.broken;
    if (head.seq > this.seq) return { kind: 'removed', seq: this.seq + 1 };
    if (head.seq < this.seq) return { kind: 'inserted', seq: head.seq + 1 };
    if (head.hash !== this.hash) return { kind: 'altered', seq: this.seq };
    return null;
  }
}

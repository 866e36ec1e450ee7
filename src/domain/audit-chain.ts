import crypto from 'node:crypto';
import { z } from 'zod';

/**
 * The audit log's hash chain. Each entry's SHA-256 covers its own fields and the previous
 * entry's hash, so altering, inserting or removing an entry breaks every link after it.
 * A head (last sequence number and hash) is kept beside the log so that removing the newest
 * entries is seen too, and copies of the head kept outside the store (anchors, `audit head`)
 * catch a log truncated or rewritten with its head. Times never go backwards along the chain:
 * an entry is stamped no earlier than the one before it (`notBefore`).
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
  /** Why the change was made (`--reason`); absent or null when none was given. */
  reason?: string | null | undefined;
}

export interface ChainedEntry extends AuditFields {
  prevHash: string;
  hash: string;
}

/**
 * The entry's hash. The reason (issue 17) is hashed only when there is one, after the other
 * fields: the entries written before it existed keep their hash, and a reason added, altered or
 * removed afterwards breaks the chain.
 */
export function entryHash(fields: AuditFields, prevHash: string): string {
  const hashed: unknown[] = [
    fields.seq,
    fields.at,
    fields.actor,
    fields.action,
    fields.target,
    fields.outcome,
    fields.changes,
    fields.runId,
    prevHash,
  ];
  if (fields.reason !== undefined && fields.reason !== null) hashed.push(fields.reason);
  return sha256Hex(JSON.stringify(hashed));
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

/**
 * What a run's entry (`sync.madrhas`) carries of the run's `run_change` rows in its `changes`
 * (issue 16 point 9): how many, and the SHA-256 of their canonical encoding in id order. The
 * entry's own hash covers it, so the rows are chained through it instead of one entry each.
 */
export interface RunChangesDigest {
  count: number;
  sha256: string;
  /** How each row was encoded (`RunDigest`); absent: JSON lines (the runs written before). */
  encoding?: RowEncoding;
}

/**
 * A row's encoding in the digest. `json`: one JSON array line. `lengths`: each text as its length
 * and itself (`-` for no before-image), which costs a third of the JSON line: a million-row cold
 * sync's 800,000 before-images took 2.6–3.0 s to encode and hash as JSON lines, 0.85 s so
 * (micro-benchmark), the JSON text of each image escaped again in its line being most of it.
 */
export type RowEncoding = (typeof ROW_ENCODINGS)[number];
const ROW_ENCODINGS = ['json', 'lengths'] as const;
export const isRowEncoding = (x: unknown): x is RowEncoding =>
  (ROW_ENCODINGS as readonly unknown[]).includes(x);

/** The key of the run entry's `changes` that holds its `RunChangesDigest`. */
export const RUN_CHANGES_KEY = 'runChanges';

/**
 * The running SHA-256 of a run's `run_change` rows, fed in id order as they are written and
 * again by `audit verify` as it reads them, each row's target, kind, stored before and after
 * texts encoded as `encoding` says (a new run's: `lengths`; `audit verify` takes the run entry's).
 * Both are unambiguous, whatever the texts hold: a row's encoding gives back its four texts.
 */
export class RunDigest {
  private readonly hash = crypto.createHash('sha256');
  count = 0;

  constructor(readonly encoding: RowEncoding = 'lengths') {}

  add(target: string, kind: string, before: string | null, after: string): void {
    if (this.encoding === 'json')
      this.hash.update(`${JSON.stringify([target, kind, before, after])}\n`);
    else
      this.hash.update(
        `${lengthText(target)}${lengthText(kind)}${before === null ? '-' : lengthText(before)}${lengthText(after)}\n`,
      );
    this.count += 1;
  }

  /** The digest so far (more rows may follow). */
  result(): RunChangesDigest {
    const digest = { count: this.count, sha256: this.hash.copy().digest('hex') };
    return this.encoding === 'json' ? digest : { ...digest, encoding: this.encoding };
  }
}

/**
 * A text as its length in UTF-16 code units, a colon and itself; one that is not well-formed
 * UTF-16 (a lone surrogate, which the hash's UTF-8 would turn into U+FFFD like another text's
 * U+FFFD) as `!` and its JSON string, which escapes it. Texts a run writes are JSON: well-formed.
 */
const lengthText = (text: string): string =>
  (text as WellFormed).isWellFormed() ? `${text.length}:${text}` : `!${JSON.stringify(text)}`;

/** ES2024's `String.prototype.isWellFormed`, in Node since 20 (the project's types are ES2023). */
type WellFormed = string & { isWellFormed(): boolean };

/**
 * The digest a run's entry carries, if it carries one (a run written before point 9 does not),
 * its encoding as written: one this program does not know (`isRowEncoding`) verifies nothing.
 */
export function runChangesDigestOf(
  e: Pick<AuditFields, 'runId' | 'changes'>,
): (Omit<RunChangesDigest, 'encoding'> & { encoding?: unknown }) | null {
  if (e.runId === null || e.changes === null || !e.changes.includes(`"${RUN_CHANGES_KEY}"`))
    return null;
  const d = (JSON.parse(e.changes) as Record<string, unknown>)[RUN_CHANGES_KEY] as
    Partial<RunChangesDigest> | undefined;
  if (!d || typeof d.count !== 'number' || typeof d.sha256 !== 'string') return null;
  return d.encoding === undefined
    ? { count: d.count, sha256: d.sha256 }
    : { count: d.count, sha256: d.sha256, encoding: d.encoding };
}

/** `toISOString()`'s form: for two of them, text order is time order. */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Whether instant `a` is before instant `b` (ISO 8601; text order when one does not parse). */
export function isBefore(a: string, b: string): boolean {
  // the appender's path: a sync stamps a million entries, all in the canonical form
  if (a === b) return false;
  if (CANONICAL.test(a) && CANONICAL.test(b)) return a < b;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return Number.isNaN(ta) || Number.isNaN(tb) ? a < b : ta < tb;
}

/**
 * The time an entry is stamped with: its own, unless that is before the previous entry's
 * (a clock set back, a writer that read its time before another committed), then the previous
 * one's. Appends keep their order and the chain's times never go backwards.
 */
export const notBefore = (at: string, previous: string | null): string =>
  previous !== null && isBefore(at, previous) ? previous : at;

/**
 * Links `fields` (in order, numbered from `head.seq + 1`) onto the chain whose head is `head`;
 * `head.at` (the head entry's time, null for the genesis) is the earliest time they may carry.
 */
export function chain(
  head: { seq: number; hash: string; at?: string | null },
  fields: Omit<AuditFields, 'seq'>[],
): ChainedEntry[] {
  let { seq, hash } = head;
  let at = head.at ?? null;
  const out = new Array<ChainedEntry>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    seq += 1;
    at = notBefore(f.at, at);
    // one object of one shape per entry (a sync chains a million): no spreads of the caller’s
    // objects, whose shapes vary; as stored, no reason is a null one
    const entry: ChainedEntry = {
      seq,
      at,
      actor: f.actor,
      action: f.action,
      target: f.target,
      outcome: f.outcome,
      changes: f.changes,
      runId: f.runId,
      reason: f.reason ?? null,
      prevHash: hash,
      hash: '',
    };
    hash = entry.hash = entryHash(entry, entry.prevHash);
    out[i] = entry;
  }
  return out;
}

/**
 * How a chain is broken: an entry altered, removed, inserted, or stamped before the one
 * preceding it (`backwards`); the head kept beside the log gone (`noHead`); or no entry at all
 * in a store that holds accounts (`empty`: every account was written with an entry).
 */
export type Break =
  | { kind: 'altered'; seq: number }
  /** A run's `run_change` rows differ from the digest its entry `seq` carries (run `run`). */
  | { kind: 'runChanges'; seq: number; run: number }
  | { kind: 'removed'; seq: number }
  | { kind: 'inserted'; seq: number }
  | { kind: 'backwards'; seq: number }
  | { kind: 'noHead'; seq: number }
  | { kind: 'empty'; seq: number };

/** A head recorded outside the store (`audit head --json`), and the line of the file it is on. */
export interface Anchor {
  line: number;
  seq: number;
  hash: string;
}

/** An anchor the chain does not hold any more: its entry rewritten, or the chain too short or holed. */
export interface AnchorMiss {
  line: number;
  seq: number;
  kind: 'changed' | 'missing';
}

/**
 * Walks the log in sequence order. Feed it every entry with `next`, then call `end` with the
 * stored head (null when it is gone); the first break found is kept. Each anchor given must be
 * found in the chain, with its hash (`misses`).
 */
export class ChainVerifier {
  private seq = 0;
  private hash = GENESIS_HASH;
  private at: string | null = null;
  private broken: Break | null = null;
  private readonly pending = new Map<number, Anchor[]>();
  readonly misses: AnchorMiss[] = [];
  count = 0;

  constructor(anchors: readonly Anchor[] = []) {
    for (const a of anchors) {
      if (a.seq === 0) {
        if (a.hash !== GENESIS_HASH) this.misses.push({ line: a.line, seq: 0, kind: 'changed' });
        continue;
      }
      const same = this.pending.get(a.seq);
      if (same) same.push(a);
      else this.pending.set(a.seq, [a]);
    }
  }

  next(e: ChainedEntry): void {
    this.count += 1;
    const anchored = this.pending.get(e.seq);
    if (anchored) {
      this.pending.delete(e.seq);
      for (const a of anchored)
        if (a.hash !== e.hash) this.misses.push({ line: a.line, seq: a.seq, kind: 'changed' });
    }
    if (this.broken) return;
    if (e.seq > this.seq + 1) this.broken = { kind: 'removed', seq: this.seq + 1 };
    else if (e.seq <= this.seq) this.broken = { kind: 'inserted', seq: e.seq };
    else if (entryHash(e, e.prevHash) !== e.hash) this.broken = { kind: 'altered', seq: e.seq };
    // e is consistent in itself but does not link: the entry before it was rewritten and rehashed
    else if (e.prevHash !== this.hash)
      this.broken = { kind: 'altered', seq: Math.max(this.seq, 1) };
    else if (this.at !== null && isBefore(e.at, this.at))
      this.broken = { kind: 'backwards', seq: e.seq };
    this.seq = e.seq;
    this.hash = e.hash;
    this.at = e.at;
  }

  /** A break found beside the chain (a run's rows against its entry's digest), if none came before. */
  breakAt(b: Break): void {
    this.broken ??= b;
  }

  /**
   * The first break, once every entry was fed. `holdsAccounts`: the store has accounts, so an
   * empty log is a removed one.
   */
  end(head: { seq: number; hash: string } | null, holdsAccounts = false): Break | null {
    // anchors never met: the chain stops before them, or their entry is gone
    for (const anchored of this.pending.values())
      for (const a of anchored) this.misses.push({ line: a.line, seq: a.seq, kind: 'missing' });
    this.pending.clear();
    this.misses.sort((a, b) => a.line - b.line);
    if (this.broken) return this.broken;
    if (head === null) return { kind: 'noHead', seq: this.seq };
    if (head.seq > this.seq) return { kind: 'removed', seq: this.seq + 1 };
    if (head.seq < this.seq) return { kind: 'inserted', seq: head.seq + 1 };
    if (head.hash !== this.hash) return { kind: 'altered', seq: this.seq };
    if (this.count === 0 && holdsAccounts) return { kind: 'empty', seq: 1 };
    return null;
  }
}

/** A line the anchors file does not hold a head on. */
export interface AnchorIssue {
  line: number;
  message: AnchorIssueKey;
}

/** The catalogue keys of the anchors file's issues. */
export type AnchorIssueKey = 'audit.anchor.notJson' | 'audit.anchor.notHead';

const HEAD_LINE = z.object({
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string().nullable().optional(),
});

/**
 * Reads an anchors file: one `audit head --json` line per recorded head, blank lines ignored.
 * Every line that is not such a head is an issue, named by its line number.
 */
export function parseAnchors(text: string): { anchors: Anchor[]; issues: AnchorIssue[] } {
  const anchors: Anchor[] = [];
  const issues: AnchorIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      issues.push({ line, message: 'audit.anchor.notJson' });
      return;
    }
    const parsed = HEAD_LINE.safeParse(value);
    if (!parsed.success) issues.push({ line, message: 'audit.anchor.notHead' });
    else anchors.push({ line, seq: parsed.data.seq, hash: parsed.data.hash });
  });
  return { anchors, issues };
}

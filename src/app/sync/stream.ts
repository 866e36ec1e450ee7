import { Hash64, type DigestIndex } from '../../domain/hash64.js';
import type { AccountDigests } from './digests.js';
import type { Scope } from '../../domain/departement.js';
import type { Lang } from '../../i18n/index.js';
import { CellView, type CsvSource } from '../../io/csv.js';
import * as stage from '../../db/sync-stage.repository.js';
import * as sync from '../../db/sync.repository.js';
import { withWriteBehind, type WriteBehind } from '../../db/bulk-load.js';
import type { CurrentAccount } from '../../domain/account-plan.js';
import { breathe, type AccountGroup, type Writer } from './writer.js';
import { accountsOutsideScope, type RowChecker } from './rows.js';
import type { Reason } from './reasons.js';
import { checkGroup, type GroupRun } from './group-check.js';
import type { SyncSummary } from './summary.js';
import type { UseCase } from '../use-case.js';
import { StreamFallback } from './fallback.js';
import { GpClaims } from './gp-claims.js';
import { readerOf, type Reader } from './stream-reader.js';
import { knownLogins, type LoginSet } from './login-set.js';

/**
 * The sync's fast path: the file streamed an account at a time, straight into plans and writes,
 * for exports that list each login's rows together (as MADRHAS does). The rules across rows are
 * checked as the rows go: an account's own rules within its group, the one-GP-per-structure
 * rules with a map of the claims. An account whose rows are byte for byte those it was last
 * synced from in full (its digest, migration 0003) costs a lookup and a directory check.
 *
 * When the file does not fit that shape — a login met again after other logins, two accounts
 * claiming one structure's GP, a GP claim against the store's GP that the file does not step
 * down — it gives up with `StreamFallback`; the caller rolls the transaction back and runs the
 * staged path, which handles every file. Both paths give the same result (test/store).
 */

/**
 * Accounts a chunk holds. A chunk lives from its first record read to its last row written: 500
 * accounts (some 7 MB of allocations) outlived two of V8's scavenges (8 MB semi-spaces, bin/) and
 * were copied to the old generation, then collected there by full collections: 233 MB promoted on
 * PostgreSQL's cold sync of 200,000 rows, which holds a chunk read ahead besides the one it
 * writes, 116 MB on SQLite's. At 250: 152 and 101 MB (docs/design.md, thirteenth pass).
 */
export const GROUPS = 250;
/**
 * PostgreSQL: groups checked (or planned) between two turns of the event loop while the writes of
 * the chunk before go on: each step of a COPY (its data, then the next query) waits for a turn.
 */
export const PACE = 15;
/** 3: the base of the merge (migration 0008) is written when an account is planned: every account is, once. */
const DIGEST_VERSION = '3';

/** What checking and writing accounts takes; read from the store when the first account needs it. */
export interface SyncTools {
  checker: RowChecker;
  writer: Writer;
  /** structure id → its GP's account id when the run began. */
  storeGp: Map<number, number>;
  /** The largest structure id of the directory. */
  maxStructureId: number;
}

export interface StreamInput {
  source: CsvSource;
  positions: Map<string, number>;
  /** Called once at most, before the first write. */
  tools: () => Promise<SyncTools>;
  summary: SyncSummary;
  mode: 'full' | 'delta';
  lang: Lang;
  /** The actor's scope: a row about an existing account outside it is rejected (SPEC 8.1). */
  scope: Scope;
  /** The correspondents' own scopes, by account id. */
  scopes: ReadonlyMap<number, Scope>;
  /** The reason such a row is rejected with. */
  outsideScope: Reason;
  /**
   * The directory's revision and the actor's scope, as a stamp recorded after each digest: an
   * account whose digest carries the current stamp was checked against the directory as it is.
   */
  stamp: string;
  progress?: ((read: number, total: number) => void) | undefined;
  /** After each chunk's writes are sent (a first load checks their keys: db/first-load.ts). */
  afterWrites?: () => void;
}

/**
 * Streams and applies the file, given the accounts' digests as the run found them; returns those
 * of the active MADRHAS accounts it did not list, for full mode (before their scope is checked),
 * and whether it wrote to any account (or may have).
 */
export async function streamFile(
  uc: UseCase,
  input: StreamInput,
  digests: AccountDigests,
): Promise<{ unlisted: number[]; wrote: boolean }> {
  const listed = new Uint8Array(digests.maxId + 1);
  const known = await knownLogins(uc.trx, digests.maxId, input.source.lines);
  const reader = await readerOf(input.source);
  const wrote = await run(
    uc,
    input,
    reader as Reader<{ line: number }>,
    listed,
    digests.index,
    known,
  );
  const unlisted: number[] = [];
  const { candidates } = digests;
  for (let id = 1; id < candidates.length; id++)
    if (candidates[id] === 1 && listed[id] !== 1) unlisted.push(id);
  return { unlisted, wrote };
}

async function run<R extends { line: number }>(
  uc: UseCase,
  input: StreamInput,
  reader: Reader<R>,
  listed: Uint8Array,
  digests: DigestIndex,
  known: LoginSet | null,
): Promise<boolean> {
  const loginAt = input.positions.get('IDENTIFIANT_CONNEXION')!;
  // PostgreSQL: a chunk's writes are queued, not awaited (db/write-behind.ts WriteBehind); null on SQLite
  const stream = await withWriteBehind(uc.trx, async (behind) => {
    const stream = new StreamRun(uc, input, reader, listed, digests, behind, known);
    let group: R[] = [];
    let login = '';
    let chunk: Group<R>[] = [];
    try {
      for await (const records of reader.batches()) {
        if (behind) await breathe(); // a turn for the writes behind between two batches of records
        for (const r of records) {
          input.summary.rows++;
          const key = reader.cell(r, loginAt).trim().toLowerCase();
          if (group.length > 0 && key !== login) {
            chunk.push({ login, records: group });
            group = [];
            if (chunk.length >= GROUPS) {
              await stream.chunk(chunk);
              chunk = [];
              input.progress?.(reader.bytesRead(), input.source.size);
            }
          }
          group.push(r);
          login = key;
        }
      }
    } finally {
      reader.close();
    }
    if (group.length > 0) chunk.push({ login, records: group });
    await stream.chunk(chunk);
    await stream.flush();
    return stream;
  });
  // every write done (the session drained and ended) before the rules across the file,
  // finish()'s writes and the run's reads; finish() and what follows write as they go
  await stream.finish();
  return stream.wrote;
}

interface Group<R> {
  login: string;
  records: R[];
}

/** A chunk past its digests, whose accounts are to be checked and written (`StreamRun.write`). */
interface Prepared<R> {
  /** Its groups that are not unchanged. */
  rest: (Group<R> & { digest: string | null })[];
  /** Those of them whose accounts are read (a first load's: only the logins it knows). */
  asked: Group<R>[];
  /** Every login of the chunk. */
  logins: Set<string>;
  /** Its accounts in the store, as read when it was prepared. */
  current: Promise<CurrentAccount[]>;
  /** The read was issued before the chunk before it was written (read ahead). */
  early: boolean;
}

class StreamRun<R extends { line: number }> {
  /** The file's GP claims, as its rows go (from the first account the run plans: `need`). */
  private gp = new GpClaims(0);
  private readonly view: CellView;
  /** Where the columns an unchanged account's rows are rechecked on stand (looked up once). */
  private readonly idTypeAt: number | undefined;
  private readonly identifierAt: number | undefined;
  private readonly serviceAt: number | undefined;
  /** What every digest of this run starts with: how the rows were read and what their columns mean. */
  private readonly seed: Hash64;

  constructor(
    private readonly uc: UseCase,
    private readonly input: StreamInput,
    private readonly reader: Reader<R>,
    private readonly listed: Uint8Array,
    private readonly digests: DigestIndex,
    private readonly behind: WriteBehind | null,
    /** A first load's logins that may have an account (null: every login is read). */
    private readonly known: LoginSet | null,
  ) {
    this.view = new CellView(input.positions);
    this.idTypeAt = input.positions.get('TYPE_IDENTIFIANT_STRUCTURE');
    this.identifierAt = input.positions.get('IDENTIFIANT_STRUCTURE');
    this.serviceAt = input.positions.get('CODE_SERVICE');
    this.seed = new Hash64().update(
      [
        DIGEST_VERSION,
        input.mode,
        reader.kind,
        ...[...input.positions].map(([name, at]) => `${name}=${at}`),
      ].join('\u001f'),
    );
  }

  private cell(r: R, at: number | undefined): string {
    return at === undefined ? '' : this.reader.cell(r, at);
  }

  private tools: SyncTools | null = null;
  /** What `checkGroup` needs of the run, once the tools are read. */
  private groupRun: GroupRun | null = null;
  private restamped = false;

  /** Whether the run wrote to an account, or may have: it restamped digests, or needed the writer's tools. */
  get wrote(): boolean {
    return this.restamped || this.tools !== null;
  }

  /** The checker and the writer, read from the store the first time an account needs them. */
  private async need(): Promise<SyncTools> {
    if (!this.tools) {
      this.tools = await this.input.tools();
      this.gp = new GpClaims(this.tools.maxStructureId);
      this.tools.writer.demotable = (structureId, login) => this.gp.demotable(structureId, login);
      this.tools.writer.claimed = (structureId, login) => this.gp.claimed(structureId, login);
      if (this.behind) this.tools.writer.pace = PACE;
      const { summary, scopes, outsideScope } = this.input;
      const { checker, storeGp } = this.tools;
      this.groupRun = {
        checker,
        view: this.view,
        summary,
        scopes,
        outsideScope,
        gp: this.gp,
        storeGp,
      };
    }
    return this.tools;
  }

  /** After the last chunk: the rules across the whole file, and the writes that waited for them. */
  async finish(): Promise<void> {
    if (!this.tools) return; // every account unchanged: nothing planned, nothing claimed
    this.gp.checkClaims();
    await this.tools.writer.finish();
  }

  /** PostgreSQL: the chunk prepared (its read queued), whose writes are not queued yet. */
  private ahead: Prepared<R> | null = null;

  /**
   * One chunk of groups: its digests (the unchanged accounts), then its accounts read, checked,
   * planned and written. SQLite: in that order, one chunk after the other.
   *
   * PostgreSQL pipelines the chunks on the one connection, so that the client works while the
   * server writes (db/write-behind.ts WriteBehind). Chunk k's writes are queued, not awaited; chunk
   * k+1 is prepared — its digests, and the read of its accounts queued — before chunk k's
   * writes are, so that the read has come back when the client checks and plans chunk k+1 while
   * the server writes chunk k. Once chunk k+1's writes are queued, chunk k's are awaited. On the
   * server: …, chunk k-1's writes, chunk k+1's read, chunk k's writes, chunk k+2's read, …
   *
   * Chunk k+1's read sees what the chunks before k wrote (their writes were queued or made before
   * it), and misses what chunk k writes. Its result is the one a read after chunk k's writes
   * would give, because:
   *  - a chunk that has a login of the chunk before it (a login met again: the order fallback, or
   *    an account whose rows were all rejected) goes after it, everything written and read again,
   *    as on SQLite; so chunk k creates no account of chunk k+1;
   *  - chunk k writes its own accounts' rows, attachments and services (the GP promotions, which
   *    change another account's, wait for finish()). To be safe rather than clever, a chunk whose
   *    read ahead found existing accounts drains the writes and reads them again: a cold run's
   *    chunks have none, a re-run's accounts are mostly unchanged (no read at all).
   * Chunk k+1's digest pass, before chunk k's checks, touches only chunk k+1's accounts (the
   * logins differ); whatever chunk k throws is thrown before what chunk k+1's preparation does.
   */
  async chunk(chunk: Group<R>[]): Promise<void> {
    if (chunk.length === 0) return;
    await breathe();
    if (!this.behind) {
      const prepared = await this.prepare(chunk, false);
      if (prepared) await this.write(prepared);
      return;
    }
    let previous = this.ahead;
    this.ahead = null;
    if (previous && chunk.some((g) => g.login !== '' && previous!.logins.has(g.login))) {
      await this.write(previous);
      await this.behind.drain();
      previous = null;
    }
    try {
      this.ahead = await this.prepare(chunk, previous !== null);
    } catch (err) {
      // one after the other, chunk k's checks and writes came first, and what they throw
      if (previous) await this.write(previous);
      throw err;
    }
    if (previous) await this.write(previous);
  }

  /** After the last chunk: the chunk read ahead is written. */
  async flush(): Promise<void> {
    const ahead = this.ahead;
    this.ahead = null;
    if (ahead) await this.write(ahead);
  }

  /** A chunk's digests: the unchanged accounts; the read of the others issued (null: none). */
  private async prepare(chunk: Group<R>[], early: boolean): Promise<Prepared<R> | null> {
    const { summary } = this.input;
    const rest: (Group<R> & { digest: string | null })[] = [];
    const restamp: [string, number][] = [];
    // a login met again: in this chunk here; in an earlier one, by its account (listed, or created by this run)
    const inChunk = new Set<string>();
    for (const g of chunk) {
      if (g.login === '') {
        rest.push({ ...g, digest: null });
        continue;
      }
      if (inChunk.has(g.login)) throw new StreamFallback('order');
      inChunk.add(g.login);
      const hash = this.seed.copy();
      for (const r of g.records) this.reader.digest(hash, r);
      const [da, db] = hash.halves();
      const hit = this.digests.get(da, db);
      const id = Math.abs(hit);
      if (id !== 0 && this.listed[id] === 1) throw new StreamFallback('order');
      if (id !== 0 && hit > 0 && !this.tools) await this.need(); // its rows are checked against the directory again
      const padded = id === 0 ? -1 : this.unchanged(g.records, id, hit < 0);
      if (padded >= 0) {
        this.listed[id] = 1;
        summary.accounts++;
        summary.unchanged++;
        // checked against a directory (or a scope) that moved since its digest was recorded: stamped
        // again, so that the next run need not check it (rows with a padded identifier stay unstamped)
        if (hit > 0 && padded === 0) restamp.push([hash.hex() + this.input.stamp, id]);
        continue;
      }
      rest.push({ ...g, digest: hash.hex() });
    }
    if (restamp.length > 0) {
      this.restamped = true;
      await sync.setDigests(this.uc.trx, restamp);
    }
    if (rest.length === 0) return null;
    await this.need();
    // the logins that may have an account; each one added, as a later chunk's login may be one
    // of the accounts this chunk creates (a chunk's logins are all different: inChunk)
    const asked = this.known ? rest.filter((g) => this.known!.add(g.login)) : rest;
    // PostgreSQL: queued after the writes of the chunks before, before those of the chunk before
    const current =
      asked.length === 0
        ? Promise.resolve([])
        : this.behind
          ? this.behind.read(() => this.accountsOf(asked))
          : this.accountsOf(asked);
    current.catch(() => {}); // awaited by write(), unless an error comes first
    return { rest, asked, logins: inChunk, current, early };
  }

  private accountsOf(rest: Group<R>[]): Promise<CurrentAccount[]> {
    return sync.accountsByLogin(
      this.uc.trx,
      rest.flatMap((g) => (g.login === '' ? [] : [g.login])),
    );
  }

  /** A prepared chunk's accounts checked, planned and written. */
  private async write({ rest, asked, current: read, early }: Prepared<R>): Promise<void> {
    this.behind?.nextChunk(); // the writes from here on are this chunk's
    let found = await read;
    if (early && found.length > 0) {
      // read ahead of the chunk before's writes, and existing accounts: read again after them
      await this.behind!.drain();
      found = await this.accountsOf(asked);
    }
    const current = new Map(found.map((a) => [a.login, a]));
    const outside = await accountsOutsideScope(
      this.uc.trx,
      this.input.scope,
      this.input.scopes,
      [...current.values()].map((a) => a.id),
    );
    const groups: AccountGroup[] = [];
    const rejects: unknown[][] = [];
    let n = 0;
    for (const g of rest) {
      if (this.behind && ++n % PACE === 0) await breathe();
      const account = current.get(g.login) ?? null;
      if (account && (account.id >= this.listed.length || this.listed[account.id] === 1))
        throw new StreamFallback('order');
      if (account) this.listed[account.id] = 1;
      const group = checkGroup(
        this.groupRun!,
        g.login,
        g.records.map((r) => ({ line: r.line, fields: this.reader.fields(r) })),
        account,
        account !== null && outside.has(account.id),
        rejects,
      );
      // rows with a padded identifier are checked again every run (the summary counts them)
      if (group)
        groups.push({
          login: group.login,
          rows: group.rows,
          hasRejects: group.hasRejects,
          digest: group.hasRejects ? null : group.padded ? g.digest : g.digest + this.input.stamp,
        });
    }
    if (rejects.length > 0) await stage.stageRows(this.uc.trx, rejects);
    if (groups.length > 0) await this.tools!.writer.write(groups, current);
    this.input.afterWrites?.();
    // this chunk's writes queued: the chunk before's awaited (its error, if one failed, is the run's)
    await this.behind?.ready();
  }

  /**
   * The account's rows are those it was last synced from in full: it is unchanged if the
   * directory still has what they name (known without looking when `fresh`). Returns how many of
   * its rows needed their identifier padded, or -1 when it is not unchanged. (Its GP rows need no claim: the store has it as that
   * structure's GP, so another account claiming the structure is contested against it.)
   */
  private unchanged(records: R[], accountId: number, fresh: boolean): number {
    if (this.input.scopes.has(accountId)) return -1;
    if (fresh) return 0;
    let padded = 0;
    for (const r of records) {
      const place = this.tools!.checker.recheck(
        this.cell(r, this.idTypeAt),
        this.cell(r, this.identifierAt),
        this.cell(r, this.serviceAt),
      );
      if (place < 0) return -1;
      padded += place;
    }
    this.input.summary.padded += padded;
    return padded;
  }
}

import { RUN_CHANGES_KEY } from '../../domain/audit-chain.js';
import { ALL } from '../../domain/departement.js';
import { hash64 } from '../../domain/hash64.js';
import { deactivationLimit, MADRHAS_COLUMNS, personalFingerprint } from '../../domain/madrhas.js';
import { ConflictError, InvalidInputError } from '../../errors.js';
import type { Scope } from '../../domain/departement.js';
import type { Lang } from '../../i18n/index.js';
import {
  CellView,
  estimateCsvLines,
  inspectCsv,
  matchHeader,
  openCsv,
  type CsvSource,
  type EncodingChoice,
  type HeaderMatch,
} from '../../io/csv.js';
import { prepareRejects, type RejectsReport } from '../../io/rejects.js';
import * as accounts from '../../db/account.repository.js';
import type { Db } from '../../db/schema.js';
import * as runs from '../../db/run.repository.js';
import type { Store } from '../../db/store.js';
import * as stage from '../../db/sync-stage.repository.js';
import * as sync from '../../db/sync.repository.js';
import * as bulkLoad from '../../db/bulk-load.js';
import { absentAccounts, deactivateAbsent } from './absent.js';
import { applyStaged, markBaseGp, Writer } from './writer.js';
import {
  accountsOutsideScope,
  Directory,
  crossRuleSql,
  outsideScopeReason,
  RowChecker,
  type CrossRule,
} from './rows.js';
import { encodeReason, encodeReasons, reasonsText } from './reasons.js';
import { readDigests, leaveDigests } from './digests.js';
import { StreamFallback } from './fallback.js';
import { streamFile, type SyncTools } from './stream.js';
import { journals, NO_JOURNAL, type SyncJournal } from './journal.js';
import { RunJournal } from './runs.js';
import { countsOf, emptySummary, type SyncSummary } from './summary.js';
import { runUseCase, type UseCase } from '../use-case.js';

export type { SyncSummary };

/**
 * `sync madrhas` (SPEC 8.1): one run, one transaction.
 *  1. The file is hashed and its encoding settled; the header checked (exit 5 before any write).
 *  2. Each row is checked on its own and against the directory (sync/rows.ts; loaded once,
 *     bounded by the directory, not the file); the rows of an existing account outside the
 *     actor's scope (SPEC 6) are rejected whatever they say (a chunk of accounts at a time).
 *  3. The streamed path (sync/stream.ts): each login's rows taken together, the rules across
 *     rows checked as they go, accounts planned (domain/account-plan.ts planAccount) and written a
 *     chunk at a time (sync/writer.ts), one audit entry per changed account, linked to the
 *     run; unchanged accounts are known by the digest of their rows. A file it cannot take
 *     (a login's rows apart, contested GPs) sends it on to
 *  3'. the staged path (the streamed attempt's transaction rolled back): every row in a temporary table, the rules across rows as set-based
 *     queries, then the same writer, a chunk of logins at a time.
 *  4. Rejected rows are reported with every reason (--strict: nothing written, exit 5).
 *  5. Full mode: of the MADRHAS accounts in scope the file no longer lists, the MADRHAS
 *     attachments in scope end, and those with nothing in effect elsewhere are deactivated, within
 *     --max-deactivations (else exit 6 and the whole run rolls back). Nothing outside the
 *     actor's scope ends (domain/account-plan.ts planAbsent).
 * Memory holds the directory's keys and one chunk, whatever the file's size.
 */

export interface SyncOptions {
  file: string;
  encoding: EncodingChoice;
  mode: 'full' | 'delta';
  dryRun: boolean;
  strict: boolean;
  rejects?: string | undefined;
  maxDeactivations: string;
  lang: Lang;
  progress?: (read: number, total: number) => void;
  /** Where each account's entry goes (app/sync/journal.ts): the plan, the run's before-images. */
  journal?: SyncJournal;
  /** `staged` forces the general path (tests compare both); default: streamed when the file allows. */
  strategy?: 'auto' | 'staged';
  /** The accounts the run creates get no credentials message (SPEC 10: a migration load). */
  noCredentials?: boolean;
  /** The scope the run works in (`sync apply`: the planner's, as the plan records it); default: the actor's. */
  scope?: Scope;
  /** A run over --max-deactivations goes on: `sync apply` of a plan a second correspondent released. */
  overLimitReleased?: boolean;
  /** What a plan (app/sync/plan.ts) does at the run's steps, inside its transaction. */
  hooks?: RunHooks;
}

/** A plan's steps in a run (app/sync/plan.ts): writing one (`--plan`), or checking one (`sync apply`). */
export interface RunHooks {
  /** First thing in the transaction, the run row inserted: the store's revision, apply's checks. */
  begin?(uc: UseCase, run: RunStart): Promise<void>;
  /**
   * Every account written (the stage still holds the rejected rows), before the run row is
   * finished and the run audited; also when the run is refused over the limit.
   */
  end?(
    uc: UseCase,
    summary: SyncSummary,
    overLimit: OverLimit | null,
    runId: number,
  ): Promise<void>;
  /** More for the run's audit entry (the plan applied, its planner). */
  audit?: Record<string, unknown>;
}

export interface RunStart {
  id: number;
  scope: Scope;
  file: { name: string; sha256: string; encoding: string };
}

/** What a run over --max-deactivations would do: the accounts it would deactivate, in login order. */
export interface OverLimit {
  count: number;
  limit: number;
  total: number;
  accounts: string[];
}

/**
 * A run that would deactivate more than --max-deactivations (SPEC 8.1): exit 6, nothing written,
 * the accounts named; it carries the summary the run would have given, to be shown.
 */
export class OverLimitError extends ConflictError {
  constructor(
    readonly summary: SyncSummary,
    /** The logins the run would deactivate, in login order. */
    readonly accounts: string[],
    readonly limits: { count: number; total: number; limit: number; max: string },
    /** `sync.tooManyDeactivationsPlanned` once its plan is written (`overLimitPlanned`). */
    key:
      | 'sync.tooManyDeactivations'
      | 'sync.tooManyDeactivationsPlanned' = 'sync.tooManyDeactivations',
  ) {
    super(key, {
      ...limits,
      logins: accounts.slice(0, NAMED).join(', '),
      more: Math.max(0, accounts.length - NAMED),
    });
  }
}

/** The same refusal, said once its plan was written (--plan): what the plan now waits for. */
export const overLimitPlanned = (e: OverLimitError) =>
  new OverLimitError(e.summary, e.accounts, e.limits, 'sync.tooManyDeactivationsPlanned');

/** How many logins a refusal over the limit names in its message (JSON: all of them). */
const NAMED = 5;

const STAGE_BATCH = 2000;
const CHUNK = 1000;
const SAMPLE = 20;

/** Thrown inside the transaction to roll a dry run back; carries its summary out. */
class DryRun extends Error {
  constructor(
    readonly summary: SyncSummary,
    /** Refused over the limit: what to throw once rolled back. */
    readonly refused: OverLimitError | null = null,
  ) {
    super('dry run');
  }
}

export async function syncMadrhas(
  store: Store,
  actor: string,
  o: SyncOptions,
): Promise<SyncSummary> {
  // SPEC 8: nothing at the report's name, the input least of all (exit 6 before any work)
  const report = prepareRejects(o.rejects, o.file);
  if (deactivationLimit(o.maxDeactivations, 100) === null)
    throw new InvalidInputError([
      {
        field: '--max-deactivations',
        message: 'sync.maxDeactivationsFormat',
        params: { value: o.maxDeactivations },
      },
    ]);
  // a first load on SQLite: its statements in a worker thread, a rollback journal, its foreign
  // keys checked whole before it commits (db/first-load.ts). Set up before the file's first pass:
  // the thread started after it, V8 gives the program's young generation twice the room (34 MB
  // against 17, for the same run), and a million-row load's peak is 25 MB higher
  const firstLoad = await bulkLoad.prepareFirstLoad(store.db, await estimateCsvLines(o.file));
  try {
    const source = await inspectCsv(o.file, o.encoding);
    const probe = await openCsv(source);
    const header = matchHeader(probe.header, MADRHAS_COLUMNS, source.name);
    probe.close();
    if (o.strategy !== 'staged') {
      try {
        return await runSync(store, actor, o, source, header, true, report, firstLoad);
      } catch (err) {
        // the streamed attempt rolled back whole: the staged path takes the file from the start
        if (!(err instanceof StreamFallback)) throw err;
        o.journal?.discard();
      }
    }
    return await runSync(store, actor, o, source, header, false, report, firstLoad);
  } catch (err) {
    // a run refused or failed leaves no report (--strict's excepted: it is what the run gives)
    report?.discard();
    throw err;
  } finally {
    firstLoad.restore();
  }
}

async function runSync(
  store: Store,
  actor: string,
  o: SyncOptions,
  source: CsvSource,
  header: HeaderMatch,
  streamed: boolean,
  report: RejectsReport | null,
  firstLoad: bulkLoad.FirstLoad,
): Promise<SyncSummary> {
  const longRun = {
    actor,
    action: 'sync.madrhas',
    exclusive: true,
    beforeCommit: firstLoad.check,
  } as const;
  try {
    return await runUseCase(store, longRun, async (uc) => {
      uc.authorize('sync.madrhas', { kind: 'none' }, `file:${source.name}`);
      const summary = emptySummary(source, o, header.unknown);
      const scope = o.scope ?? uc.actor.scope!;
      const full = o.mode === 'full';
      // the guard's base: the MADRHAS accounts in scope before the run
      // (the streamed path counts them as it reads the accounts when the scope is the whole country)
      let total =
        full && !(streamed && scope.includes(ALL))
          ? await sync.madrhasAccountsInScope(uc.trx, scope)
          : 0;
      await stage.createStage(uc.trx);
      const runId = await runs.insertRun(uc.trx, {
        kind: 'sync.madrhas',
        actor: uc.actor.login,
        fileName: source.name,
        fileSha256: source.sha256,
        startedAt: uc.now,
      });
      // a run that writes keeps its before-images (sync/runs.ts), for `sync show` and `sync revert`
      const runJournal = o.dryRun ? null : new RunJournal(uc.trx, runId);
      const journal = runJournal
        ? journals(o.journal ?? NO_JOURNAL, runJournal)
        : (o.journal ?? NO_JOURNAL);
      await o.hooks?.begin?.(uc, {
        id: runId,
        scope,
        file: { name: source.name, sha256: source.sha256, encoding: source.encoding },
      });
      // the run keeps the digests of the accounts it writes itself (sync/writer.ts)
      const restoreTriggers = await bulkLoad.suspendDigestTriggers(uc.trx);
      // a first load does not keep the random-order indexes up to date as it writes, nor check its
      // foreign keys row by row (see bulkLoad.deferIndexes, bulkLoad.deferForeignKeys)
      let restoreDeferred = async () => {};
      const deferForWrites = async () => {
        const indexes = await bulkLoad.deferIndexes(uc.trx, source.lines);
        const keys = await bulkLoad.deferForeignKeys(uc.trx, source.lines);
        restoreDeferred = async () => {
          await indexes();
          await keys();
        };
      };
      // the directory and the GPs as the run found them (read before any write: the streamed path
      // reads them when its first account needs them, and a file of unchanged accounts never does)
      const tools = async (): Promise<SyncTools> => {
        const dir = await Directory.load(uc.trx);
        const storeGp = await sync.principalManagers(uc.trx);
        if (streamed) await deferForWrites();
        const inScope = dir.inScope(scope);
        const writer = new Writer(
          uc,
          full,
          runId,
          summary,
          (id) => dir.ref(id),
          storeGp,
          (id) => inScope[id] === 1,
        );
        writer.journal = journal;
        writer.credentials = !o.dryRun && o.noCredentials !== true;
        return {
          checker: new RowChecker(dir, scope),
          storeGp,
          writer,
          maxStructureId: dir.maxId,
        };
      };

      // the correspondents' own scopes: their accounts are in the scope of those covering it (SPEC 6)
      const scopes = await accounts.allScopes(uc.trx);
      const outsideScope = outsideScopeReason(scope);
      let unlistedIds: number[];
      // what a digest's freshness is judged against: the directory as it is, and the scope
      const stamp = hash64(
        `${await sync.directoryRevision(uc.trx)}\u001f${[...scope].sort().join(',')}`,
      ).slice(0, 8);
      // whether the run left every account as it found it (the staged path does not say)
      let untouched = false;
      if (streamed) {
        // no savepoint: SQLite would copy every page the run touches into a statement journal
        await stage.indexStage(uc.trx);
        const read = await readDigests(uc.trx, stamp, runId);
        const streamedRun = await streamFile(
          uc,
          {
            source,
            positions: header.positions,
            tools,
            summary,
            mode: o.mode,
            lang: o.lang,
            scope,
            scopes,
            outsideScope,
            stamp,
            progress: o.progress,
            afterWrites: firstLoad.checkSoFar,
          },
          read,
        );
        unlistedIds = streamedRun.unlisted;
        untouched = !streamedRun.wrote;
        if (full && scope.includes(ALL)) total = read.active;
        summary.strategy = 'streamed';
      } else {
        const { checker, writer } = await tools();
        await stageFile(uc, source, header.positions, checker, o, summary);
        await stage.indexStage(uc.trx);
        await rejectOutsideScope(uc.trx, scope, scopes, encodeReason(outsideScope));
        await markBaseGp(uc);
        await stage.checkAcrossRows(uc.trx, (key) => crossRuleSql(key as CrossRule));
        await deferForWrites();
        await applyStaged(uc, writer, full);
        unlistedIds = full ? await sync.unlistedAccounts(uc.trx) : [];
      }

      summary.rejected = await stage.countRejected(uc.trx);
      await reportRejects(uc.trx, source, summary, report, o.lang);
      if (o.strict && summary.rejected > 0) {
        await report?.commit({ final: true });
        throw new InvalidInputError(
          [{ field: 'FILE', message: 'sync.strictRejected', params: { count: summary.rejected } }],
          'sync.strict',
          { count: summary.rejected },
        );
      }

      // a truncated export must not wipe a département: over the limit, the whole run rolls back
      const absent = full ? await absentAccounts(uc, scope, scopes, unlistedIds, summary) : [];
      const deactivated = absent.filter((a) => a.deactivate).map((a) => a.login);
      const limit = deactivationLimit(o.maxDeactivations, total)!;
      // over the limit, the run still goes to its end (its plan lists every account), then rolls back
      const refused =
        deactivated.length > limit && o.overLimitReleased !== true
          ? new OverLimitError(summary, deactivated, {
              count: deactivated.length,
              total,
              limit,
              max: o.maxDeactivations,
            })
          : null;
      await deactivateAbsent(uc, absent, runId, summary, journal);
      await o.hooks?.end?.(
        uc,
        summary,
        deactivated.length > limit
          ? { count: deactivated.length, limit, total, accounts: deactivated }
          : null,
        runId,
      );
      await stage.dropStage(uc.trx);
      await restoreDeferred();
      await restoreTriggers();
      // a run that rolls back checks its first load's keys too (a real run: before it commits)
      if (refused || o.dryRun) await firstLoad.check();

      if (refused) throw new DryRun(summary, refused);
      // the digests the next sync reads at once: those read before the file when nothing was written
      if (!o.dryRun) await leaveDigests(uc.trx, runId, stamp, untouched && absent.length === 0);
      const counts = countsOf(summary);
      await runs.finishRun(uc.trx, runId, {
        finishedAt: store.clock.now().toISOString(),
        counts: JSON.stringify(counts),
      });
      uc.audit(
        'sync.madrhas',
        `file:${source.name}`,
        {
          sha256: source.sha256,
          encoding: source.encoding,
          mode: o.mode,
          ...counts,
          ...o.hooks?.audit,
          // the accounts' changes are audited through the run's rows (issue 16 point 9)
          ...(runJournal ? { [RUN_CHANGES_KEY]: runJournal.written() } : {}),
        },
        runId,
      );
      // the report takes its name last: refused over the limit or failed, the run leaves none
      await report?.commit();
      if (o.dryRun) throw new DryRun(summary);
      return summary;
    });
  } catch (err) {
    if (err instanceof DryRun) {
      if (err.refused) throw err.refused;
      return err.summary;
    }
    throw err;
  }
}

/** The staged rows of existing accounts outside the actor's scope: rejected (SPEC 8.1), a chunk of logins at a time. */
async function rejectOutsideScope(
  db: Db,
  scope: Scope,
  scopes: ReadonlyMap<number, Scope>,
  reason: string,
): Promise<void> {
  if (scope.includes(ALL)) return;
  for (let after = ''; ;) {
    const logins = await stage.stagedLoginsAfter(db, after, CHUNK, 'all');
    if (logins.length === 0) break;
    after = logins[logins.length - 1]!;
    const existing = await sync.accountsByLogin(db, logins);
    const outside = await accountsOutsideScope(
      db,
      scope,
      scopes,
      existing.map((a) => a.id),
    );
    await stage.rejectLogins(
      db,
      existing.filter((a) => outside.has(a.id)).map((a) => a.login),
      reason,
    );
  }
}

/** The staged path's steps 1–2: each row checked on its own and against the directory, then staged (valid or not). */
async function stageFile(
  uc: UseCase,
  source: CsvSource,
  positions: Map<string, number>,
  checker: RowChecker,
  o: SyncOptions,
  summary: SyncSummary,
): Promise<void> {
  const csv = await openCsv(source);
  const view = new CellView(positions);
  for await (const records of csv.batches(STAGE_BATCH)) {
    const batch: unknown[][] = [];
    for (const record of records) {
      summary.rows++;
      const { row, padded, structureId, serviceId, reasons } = checker.check(
        view.at(record.fields),
      );
      if (row && padded) summary.padded++;
      if (reasons.length > 0 || !row) {
        // kept with its login when readable, so that full mode does not take the account for absent
        const login = (view.get('IDENTIFIANT_CONNEXION') ?? '').trim().toLowerCase() || null;
        batch.push(stage.rejectedStageRow(record.line, login, encodeReasons(reasons)));
      } else {
        batch.push([
          record.line,
          row.login,
          row.title,
          row.lastName,
          row.firstName,
          row.email,
          row.phone,
          structureId,
          serviceId,
          row.role,
          row.dateStart,
          row.dateEnd,
          row.accountStatus,
          personalFingerprint(row),
          null,
        ]);
      }
    }
    await stage.stageRows(uc.trx, batch);
    o.progress?.(csv.bytesRead(), source.size);
  }
}

/**
 * The rejected rows: a sample for the terminal and, with --rejects, the report (a second pass over
 * the file), their reasons (stored as message keys and parameters) put in words in `lang`.
 */
async function reportRejects(
  db: Db,
  source: CsvSource,
  summary: SyncSummary,
  report: RejectsReport | null,
  lang: Lang,
): Promise<void> {
  for (const r of await stage.rejectedAfter(db, 0, SAMPLE))
    summary.sample.push({ line: r.line, errors: reasonsText(lang, r.reason) });
  if (report === null) return;
  const csv = await openCsv(source);
  const writer = report.open(source, csv.header);
  try {
    let page = await stage.rejectedAfter(db, 0, 5000);
    let i = 0;
    for await (const record of csv.records) {
      if (i >= page.length) {
        if (page.length < 5000) break;
        page = await stage.rejectedAfter(db, page[page.length - 1]!.line, 5000);
        i = 0;
        if (page.length === 0) break;
      }
      if (record.line === page[i]!.line) {
        writer.add(record, csv.header.length, reasonsText(lang, page[i]!.reason));
        i++;
      }
    }
    await csv.records[Symbol.asyncIterator]().return?.();
  } finally {
    await writer.close();
  }
}

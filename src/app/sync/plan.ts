import { createHash, createHmac, type Hash } from 'node:crypto';
import { z } from 'zod';
import { mayApplyPlan } from '../../domain/rights.js';
import type { Scope } from '../../domain/departement.js';
import { ConflictError, InvalidInputError, UsageError, type FieldIssue } from '../../errors.js';
import type { Lang } from '../../i18n/index.js';
import type { EncodingChoice } from '../../io/csv.js';
import { copyFileTo, fileLines, PlanOutput, sha256File } from '../../io/plan-file.js';
import * as plans from '../../db/plan.repository.js';
import type { Store } from '../../db/store.js';
import * as stage from '../../db/sync-stage.repository.js';
import { RefusedError, type UseCase } from '../use-case.js';
import { journals, type AccountChange, type SyncJournal } from './journal.js';
import { decodeReasons } from './reasons.js';
import { syncMadrhas, type OverLimit, type RunHooks, type RunStart } from './madrhas.js';
import type { SyncSummary } from './summary.js';

/**
 * Saved plans (SPEC 8.1 "Plans"): `sync madrhas FILE --plan OUT.json` runs the sync as a dry
 * run and writes what it would do; `sync apply PLAN.json` applies exactly that, once, on the
 * store the plan was made against.
 *
 * The file is one JSON object, written as the run goes, one account a line (a million-row
 * export's plan is never held whole, to write it or to read it back):
 *
 *     {"format":"chorus-admin/sync-plan","version":1,"file":…,"options":…,"actor":…,"scope":…,
 *       "storeRevision":{"seq","hash"},"createdAt":…,"accounts":[      ← line 1: the head
 *     {…one AccountChange (app/sync/journal.ts), as the writer emits it…},
 *     …
 *     ],"rejects":[                                                     ← the accounts end
 *     {"line":7,"errors":[{"key":"row.email","params":{…},"column":"COURRIEL_CONTACT"}]},
 *     …
 *     ],"summary":{…},"overLimit":{"count","limit","total","accounts":[…]}|null}   ← the tail
 *
 * The store's revision is the audit chain's head: every change and every refusal moves it, so
 * a plan whose head is no longer the store's is stale (exit 6). Applying it runs the sync again
 * with the plan's options and scope, in one transaction that first checks the revision, that
 * no run applied this plan yet (`run.plan_sha256`, unique) and who applies it (domain/rights.ts
 * mayApplyPlan: the planner, or — over --max-deactivations — another correspondent whose scope
 * covers the planner's, with --reason); then every account the run changes must be the plan's
 * next entry, and the plan must have no entry left: otherwise the whole run rolls back (6).
 */

export const PLAN_FORMAT = 'chorus-admin/sync-plan';
export const PLAN_VERSION = 1;

/** How the accounts end and the rejects begin, on a line of its own. */
const REJECTS = '],"rejects":[';
/** How the tail begins. */
const TAIL = '],"summary":';
/** How the seal begins, at the end of the tail. */
const SEAL = ',"seal":"';

/**
 * A plan's seal: the HMAC-SHA256, with the store's key (migration 0008 `store_key`), of the
 * SHA-256 of the plan's text before the seal. Only the program, reading the store, writes a plan
 * `sync apply` takes: a plan's actor, scope or limit written over by hand breaks it (exit 5).
 */
export const planSeal = (key: string, digest: string): string =>
  createHmac('sha256', Buffer.from(key, 'hex')).update(digest).digest('hex');

/** The options a plan was made with: `sync apply` runs with the same. */
export interface PlanOptions {
  mode: 'full' | 'delta';
  maxDeactivations: string;
  strict: boolean;
  encoding: EncodingChoice;
  noCredentials: boolean;
}

/** A plan's head and tail: everything but its accounts and rejects. */
export interface PlanHead {
  format: typeof PLAN_FORMAT;
  version: typeof PLAN_VERSION;
  file: { name: string; path: string; sha256: string; encoding: string };
  options: PlanOptions;
  actor: string;
  scope: Scope;
  storeRevision: { seq: number; hash: string };
  createdAt: string;
  summary: SyncSummary;
  overLimit: OverLimit | null;
}

// ---- writing ---------------------------------------------------------------------------------

/**
 * The journal that writes a plan (`--plan`, and every dry run, which shows it): its head when the
 * run begins (the store's revision, read in the run's transaction), each account's entry as the
 * writer flushes a chunk, the rejects and the tail when the run ends. A streamed attempt that
 * gives way to the staged path starts the file over.
 */
export class PlanWriter implements SyncJournal {
  private pending: string[] = [];
  private first = true;
  /** The SHA-256 of what the plan holds so far, and the store's key that seals it (planSeal). */
  private digest: Hash = createHash('sha256');
  private key = '';

  constructor(
    readonly out: PlanOutput,
    private readonly filePath: string,
    private readonly options: PlanOptions,
  ) {}

  /** The run's steps the plan follows (madrhas.ts RunHooks). */
  hooks(): RunHooks {
    return {
      begin: (uc, run) => this.begin(uc, run),
      end: (uc, summary, overLimit) => this.end(uc, summary, overLimit),
    };
  }

  /** Writes text into the plan, and into the digest its seal covers. */
  private async put(text: string): Promise<void> {
    this.digest.update(text);
    await this.out.write(text);
  }

  private async begin(uc: UseCase, run: RunStart): Promise<void> {
    this.digest = createHash('sha256');
    this.key = await plans.planSealKey(uc.trx);
    this.out.open();
    this.pending = [];
    this.first = true;
    const head = await plans.storeRevision(uc.trx);
    const start = {
      format: PLAN_FORMAT,
      version: PLAN_VERSION,
      file: { ...run.file, path: this.filePath },
      options: this.options,
      actor: uc.actor.login,
      scope: run.scope,
      storeRevision: { seq: head.seq, hash: head.hash },
      createdAt: uc.now,
    };
    await this.put(JSON.stringify(start).slice(0, -1) + ',"accounts":[');
  }

  account(change: AccountChange): void {
    this.pending.push((this.first ? '\n' : ',\n') + JSON.stringify(change));
    this.first = false;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    await this.put(text);
  }

  discard(): void {
    this.pending = [];
    this.first = true;
    this.out.discard();
  }

  /** The rejects (read from the run's stage, a page at a time) and the tail. */
  private async end(uc: UseCase, summary: SyncSummary, overLimit: OverLimit | null): Promise<void> {
    await this.flush();
    await this.put('\n' + REJECTS);
    let sep = '\n';
    for (let after = 0; ;) {
      const page = await stage.rejectedAfter(uc.trx, after, 5000);
      if (page.length === 0) break;
      after = page[page.length - 1]!.line;
      let text = '';
      for (const r of page) {
        text += sep + JSON.stringify({ line: r.line, errors: decodeReasons(r.reason) });
        sep = ',\n';
      }
      await this.put(text);
    }
    const { sample: _sample, ...counts } = summary;
    await this.put(
      '\n' + TAIL + JSON.stringify(counts) + ',"overLimit":' + JSON.stringify(overLimit),
    );
    // the seal closes the plan: an HMAC, with the store's key, of everything before it
    await this.out.write(SEAL + planSeal(this.key, this.digest.digest('hex')) + '"}\n');
  }
}

/**
 * The plan of a dry run: to `target` (`--plan OUT.json`: checked before any work, exit 6 when
 * something is there), or to a private temporary file, shown then removed.
 */
export function planWriter(
  target: string | undefined,
  input: string,
  options: PlanOptions,
): PlanWriter {
  const out = target === undefined ? PlanOutput.temporary() : PlanOutput.prepare(target, input);
  return new PlanWriter(out, input, options);
}

/** A plan's text as it is, to a stream (`--json`: the plan object). */
export const copyPlan = (file: string, to: NodeJS.WritableStream) => copyFileTo(file, to);

// ---- reading ---------------------------------------------------------------------------------

const ref = z.string().min(1);
const storedValue = z.unknown();
const attachmentShape = z.looseObject({
  structureId: z.number().int(),
  structureRef: ref,
  role: z.string(),
  dateStart: z.string().nullable(),
  dateEnd: z.string().nullable(),
  services: z.array(z.number().int()),
});
const accountChangeSchema = z.looseObject({
  login: z.string().min(1),
  accountId: z.number().int(),
  kind: z.enum(['created', 'updated', 'reactivated', 'deactivated', 'kept']),
  absent: z.boolean(),
  fields: z.record(z.string(), z.object({ before: storedValue, after: storedValue })),
  kept: z.array(z.string()),
  keptLocal: z.array(z.string()),
  overridden: z.array(z.looseObject({ field: z.string() })),
  attachments: z.looseObject({
    added: z.array(attachmentShape.extend({ id: z.number().int() })),
    changed: z.array(
      z.looseObject({
        id: z.number().int(),
        structureRef: ref,
        set: z.record(z.string(), storedValue),
        services: z.array(z.number().int()).nullable(),
        before: z.looseObject({ id: z.number().int(), structureId: z.number().int() }),
      }),
    ),
    ended: z.array(z.looseObject({ id: z.number().int(), structureRef: ref, status: z.string() })),
  }),
  gpKept: z.array(z.string()),
});

const headSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  version: z.literal(PLAN_VERSION),
  file: z.object({
    name: z.string().min(1),
    path: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    encoding: z.string(),
  }),
  options: z.object({
    mode: z.enum(['full', 'delta']),
    maxDeactivations: z.string().min(1),
    strict: z.boolean(),
    encoding: z.enum(['auto', 'utf8', 'cp1252']),
    noCredentials: z.boolean(),
  }),
  actor: z.string().min(1),
  scope: z.array(z.string().min(1)).min(1),
  storeRevision: z.object({ seq: z.number().int().nonnegative(), hash: z.string() }),
  createdAt: z.string(),
});

const tailSchema = z.object({
  summary: z.looseObject({
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    reactivated: z.number().int(),
    deactivated: z.number().int(),
    rejected: z.number().int(),
  }),
  overLimit: z
    .object({
      count: z.number().int(),
      limit: z.number().int(),
      total: z.number().int(),
      accounts: z.array(z.string()),
    })
    .nullable(),
  seal: z.string().regex(/^[0-9a-f]{64}$/),
});

const rejectSchema = z.object({
  line: z.number().int(),
  errors: z.array(
    z.object({
      key: z.string(),
      params: z.record(z.string(), z.unknown()).optional(),
      column: z.string().optional(),
    }),
  ),
});

/** A plan that is not one (exit 5), naming the field and the plan's line. */
function badPlan(line: number, path: PropertyKey[] = [], detail = 'plan.invalid'): never {
  const issue: FieldIssue = {
    field: path.length > 0 ? path.map(String).join('.') : 'PLAN',
    message: detail,
    line,
  };
  throw new InvalidInputError([issue], 'plan.invalidFile');
}

function parseLine(text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return badPlan(line);
  }
}

function check<S extends z.ZodType>(schema: S, value: unknown, line: number): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  return badPlan(line, issue.path, issue.message);
}

/** One account line, without its separating comma. */
const entryText = (text: string) => (text.endsWith(',') ? text.slice(0, -1) : text);

/**
 * Reads a whole plan, line by line, and checks every part of it (exit 5 naming the field and the
 * line): its head and tail, and each entry's shape. Entries and rejects are not kept.
 */
export async function readPlan(
  file: string,
  /** Each entry's shape too (apply); a dry run's own plan, just written, needs only its head and tail. */
  entries = true,
): Promise<{
  head: PlanHead;
  accounts: number;
  /** The entries that change the store (those of accounts only kept, `kind: kept`, apart). */
  changes: number;
  seal: { digest: string; seal: string };
}> {
  const found: { head?: z.output<typeof headSchema>; tail?: z.output<typeof tailSchema> } = {};
  let part: 'accounts' | 'rejects' | 'done' = 'accounts';
  let accounts = 0;
  let changes = 0;
  let last = 0;
  // what the seal covers: every byte before it (planSeal)
  const digest = createHash('sha256');
  let sealed = '';
  for await (const { line, text } of fileLines(file)) {
    last = line;
    if (part !== 'done') {
      const at = text.startsWith(TAIL) ? text.lastIndexOf(SEAL) : -1;
      if (line > 1) digest.update('\n');
      digest.update(at === -1 ? text : text.slice(0, at));
      if (at !== -1) sealed = digest.digest('hex');
    }
    if (line === 1) {
      if (!text.endsWith(',"accounts":[')) badPlan(line);
      found.head = check(headSchema, parseLine(text + ']}', line), line);
      continue;
    }
    if (part === 'done') {
      if (text.trim() !== '') badPlan(line);
      continue;
    }
    if (text === REJECTS) {
      if (part !== 'accounts') badPlan(line);
      part = 'rejects';
      continue;
    }
    if (text.startsWith(TAIL)) {
      if (part !== 'rejects') badPlan(line);
      found.tail = check(
        tailSchema,
        parseLine('{"summary":' + text.slice(TAIL.length), line),
        line,
      );
      part = 'done';
      continue;
    }
    if (part === 'accounts') {
      accounts++;
      // JSON escapes a quote inside a value: this text is the entry's own kind
      if (!text.includes('"kind":"kept"')) changes++;
    }
    if (!entries) continue;
    if (part === 'accounts') check(accountChangeSchema, parseLine(entryText(text), line), line);
    else check(rejectSchema, parseLine(entryText(text), line), line);
  }
  if (!found.head || !found.tail || sealed === '') return badPlan(last + 1);
  const { seal, ...tail } = found.tail;
  return {
    head: { ...found.head, ...tail } as unknown as PlanHead,
    accounts,
    changes,
    seal: { digest: sealed, seal },
  };
}

/** A plan's entries, one at a time, in the order the run wrote them. */
export async function* planEntries(file: string): AsyncGenerator<AccountChange> {
  for await (const { line, text } of fileLines(file)) {
    if (line === 1) continue;
    if (text === REJECTS) return;
    yield JSON.parse(entryText(text)) as AccountChange;
  }
}

/**
 * The same entry whatever the store's id sequences: the ids of what the run creates (an account,
 * its attachments) are left out — PostgreSQL's sequences move on in a rolled-back dry run. Both
 * sides come from `JSON.stringify` of the writer's entries, so their keys come in one order.
 */
function canonical(value: unknown): string {
  // a fresh object (parsed from JSON): changed in place
  const entry = value as Record<string, unknown> & {
    kind?: string;
    attachments?: { added?: Record<string, unknown>[] };
  };
  if (entry.kind === 'created') delete entry.accountId;
  for (const a of entry.attachments?.added ?? []) delete a.id;
  return JSON.stringify(entry);
}

/**
 * The journal of `sync apply`: each account the run changes must be the plan's next entry, the
 * same in every field (the ids of what it creates apart); a difference rolls the run back (6).
 */
class PlanCheck implements SyncJournal {
  private lines: AsyncGenerator<{ line: number; text: string }> | null = null;
  private pending: AccountChange[] = [];

  constructor(private readonly file: string) {}

  /** From the plan's first entry (the run starts, or starts over on the staged path). */
  async start(): Promise<void> {
    await this.lines?.return(undefined);
    this.lines = fileLines(this.file);
    this.pending = [];
    await this.lines.next(); // the head
  }

  account(change: AccountChange): void {
    this.pending.push(change);
  }

  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    for (const change of pending) {
      const next = await this.next();
      if (
        next === null ||
        canonical(JSON.parse(next)) !== canonical(JSON.parse(JSON.stringify(change)))
      )
        throw new ConflictError('plan.differs', { login: change.login });
    }
  }

  discard(): void {
    this.pending = [];
  }

  /** Every entry of the plan was met. */
  async end(): Promise<void> {
    await this.flush();
    const next = await this.next();
    if (next !== null) {
      const { login } = JSON.parse(next) as { login: string };
      throw new ConflictError('plan.differs', { login });
    }
    await this.lines?.return(undefined);
  }

  /** The next entry's text; null at the end of the accounts. */
  private async next(): Promise<string | null> {
    const r = await this.lines!.next();
    if (r.done || r.value.text === REJECTS) return null;
    return entryText(r.value.text);
  }
}

// ---- applying --------------------------------------------------------------------------------

export interface ApplyInput {
  plan: string;
  /** The export, when it is no longer at the path the plan records. */
  file?: string | undefined;
  lang: Lang;
  progress?: (read: number, total: number) => void;
  /** More journals for the run (its before-images). */
  journal?: SyncJournal;
  /**
   * Check that the plan would apply, as it is, by this actor, now, and write nothing: what a
   * second correspondent runs before a release (no --reason needed yet).
   */
  dryRun?: boolean;
}

export interface ApplyResult {
  summary: SyncSummary;
  plan: { sha256: string; actor: string; overLimit: OverLimit | null };
}

/**
 * `sync apply PLAN.json`: the plan read and checked whole (5), the export found unchanged (6),
 * then the sync run with the plan's options and scope, in one transaction that refuses a plan
 * already applied, a store that moved since (6), an actor the plan is not for (4) or a release
 * without its reason (2), and rolls back if the run differs from the plan in anything (6).
 * `dryRun`: the same checks and run, rolled back whatever happens (a release's reason aside).
 */
export async function applyPlan(
  store: Store,
  actor: string,
  input: ApplyInput,
): Promise<ApplyResult> {
  const planSha = await sha256File(input.plan);
  const { head, seal } = await readPlan(input.plan);
  const file = input.file ?? head.file.path;
  if ((await sha256File(file)) !== head.file.sha256)
    throw new ConflictError('plan.fileChanged', { file });
  const planCheck = new PlanCheck(input.plan);
  const label = `plan:${planSha.slice(0, 12)}`;
  const hooks: RunHooks = {
    begin: async (uc) => {
      // written by this program against this store, and not written over since (planSeal)
      if (planSeal(await plans.planSealKey(uc.trx), seal.digest) !== seal.seal)
        throw new InvalidInputError(
          [{ field: 'seal', message: 'plan.sealBroken', params: {} }],
          'plan.invalidFile',
        );
      const decision = mayApplyPlan(
        uc.actor,
        { login: head.actor, scope: head.scope },
        head.overLimit !== null,
      );
      if (!decision.allowed)
        throw new RefusedError('sync.madrhas', label, decision.reason, { login: uc.actor.login });
      if (head.overLimit !== null && !store.reason && !input.dryRun)
        throw new UsageError('plan.reasonRequired');
      if (await plans.runOfPlan(uc.trx, planSha)) throw new ConflictError('plan.applied', {});
      const now = await plans.storeRevision(uc.trx);
      if (now.seq !== head.storeRevision.seq || now.hash !== head.storeRevision.hash)
        throw new ConflictError('plan.stale', { at: head.createdAt });
      await planCheck.start();
    },
    end: async (uc, _summary, _overLimit, runId) => {
      await planCheck.end();
      await plans.setRunPlan(uc.trx, runId, planSha);
    },
    audit: { plan: planSha, planner: head.actor },
  };
  const summary = await syncMadrhas(store, actor, {
    file,
    encoding: head.options.encoding,
    mode: head.options.mode,
    dryRun: input.dryRun === true,
    strict: head.options.strict,
    maxDeactivations: head.options.maxDeactivations,
    noCredentials: head.options.noCredentials,
    lang: input.lang,
    progress: input.progress,
    scope: head.scope,
    overLimitReleased: head.overLimit !== null,
    journal: input.journal ? journals(planCheck, input.journal) : planCheck,
    hooks,
  });
  return {
    summary,
    plan: { sha256: planSha, actor: head.actor, overLimit: head.overLimit },
  };
}

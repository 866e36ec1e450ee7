import fs from 'node:fs';
import path from 'node:path';
import type { Scope } from '../domain/departement.js';
import { ALL, scopeCovers } from '../domain/departement.js';
import {
  deactivationLimit,
  MADRHAS_COLUMNS,
  parseMadrhasRow,
  personalFingerprint,
  planAccount,
  planIsEmpty,
  type AccountPlan,
  type CurrentAccount,
  type MadrhasRow,
  type WantedAttachment,
} from '../domain/madrhas.js';
import { composeMail, NOREPLY } from '../domain/mail.js';
import type { Role } from '../domain/enums.js';
import { ConflictError, InvalidInputError } from '../errors.js';
import { t, type Lang, type MessageKey } from '../i18n/index.js';
import { cellsOf, inspectCsv, matchHeader, openCsv, RejectsWriter, type CsvSource, type EncodingChoice } from '../io/csv.js';
import { searchKey } from '../domain/account.js';
import type { AuditFields } from '../domain/audit-chain.js';
import { appendAudit } from '../db/audit.repository.js';
import { bulkInsert, rawRows } from '../db/bulk.js';
import type { Db } from '../db/account.repository.js';
import type { Store } from '../db/store.js';
import {
  absentAccounts,
  accountsByLogin,
  attachmentsOfAccounts,
  checkAcrossRows,
  countRejected,
  createStage,
  dropStage,
  indexStage,
  loginsWithRejects,
  madrhasAccountsInScope,
  nextLogins,
  rejectedAfter,
  stagedRowsOf,
  stageRows,
  type StagedRow,
} from '../db/sync.repository.js';
import { runUseCase, type UseCase } from './use-case.js';

/**
 * `sync madrhas` (SPEC 8.1): one run, one transaction.
 *  1. The file is hashed and its encoding settled; the header checked (exit 5 before any write).
 *  2. Rows are streamed, checked one by one against the directory (loaded once: structures and
 *     services, bounded by the directory, not the file) and staged in a temporary table.
 *  3. Rules across rows are set-based queries on the stage; rejected rows get every reason.
 *  4. Accounts are planned and written a chunk of logins at a time (domain/madrhas.ts planAccount),
 *     with one audit entry per changed account, linked to the run.
 *  5. Full mode: MADRHAS accounts in scope the file no longer lists are deactivated, within
 *     --max-deactivations (else exit 6, nothing written).
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
}

export interface SyncSummary {
  file: string;
  sha256: string;
  encoding: string;
  mode: 'full' | 'delta';
  dryRun: boolean;
  rows: number;
  accounts: number;
  created: number;
  updated: number;
  unchanged: number;
  kept: number;
  reactivated: number;
  deactivated: number;
  attachmentsAdded: number;
  attachmentsChanged: number;
  attachmentsEnded: number;
  rejected: number;
  padded: number;
  unknownColumns: string[];
  sample: { line: number; errors: string[] }[];
  rejectsFile: string | null;
}

const STAGE_BATCH = 2000;
const CHUNK = 1000;
const SAMPLE = 20;

/** Thrown inside the transaction to roll a dry run back; carries its summary out. */
class DryRun extends Error {
  constructor(readonly summary: SyncSummary) {
    super('dry run');
  }
}

interface Directory {
  structures: Map<string, { id: number; active: boolean; departement: string | null; ref: string }>;
  services: Map<string, { id: number; active: boolean }>;
  refs: Map<number, string>;
}

async function loadDirectory(db: Db): Promise<Directory> {
  const structures: Directory['structures'] = new Map();
  const refs = new Map<number, string>();
  for (const [id, idType, identifier, active, departement] of await rawRows(db, 'select id, id_type, identifier, active, departement from structure', [])) {
    const ref = `${idType}:${identifier}`;
    structures.set(ref, { id: id as number, active: active === 1, departement: departement as string | null, ref });
    refs.set(id as number, ref);
  }
  const services: Directory['services'] = new Map();
  for (const [id, structureId, code, active] of await rawRows(db, 'select id, structure_id, code, active from service', []))
    services.set(`${structureId}:${code}`, { id: id as number, active: active === 1 });
  return { structures, services, refs };
}

export async function syncMadrhas(store: Store, actor: string, o: SyncOptions): Promise<SyncSummary> {
  if (o.rejects !== undefined && !fs.existsSync(path.dirname(path.resolve(o.rejects))))
    throw new InvalidInputError([{ field: '--rejects', message: 'csv.rejectsDir', params: { dir: path.dirname(path.resolve(o.rejects)) } }]);
  if (deactivationLimit(o.maxDeactivations, 100) === null)
    throw new InvalidInputError([{ field: '--max-deactivations', message: 'sync.maxDeactivationsFormat', params: { value: o.maxDeactivations } }]);
  const source = await inspectCsv(o.file, o.encoding);
  const probe = await openCsv(source);
  const header = matchHeader(probe.header, MADRHAS_COLUMNS, source.name);
  await probe.records[Symbol.asyncIterator]().return?.();

  try {
    return await runUseCase(store, { actor, action: 'sync.madrhas' }, async (uc) => {
      uc.authorize('sync.madrhas', { kind: 'none' }, `file:${source.name}`);
      const summary: SyncSummary = {
        file: source.name,
        sha256: source.sha256,
        encoding: source.encoding,
        mode: o.mode,
        dryRun: o.dryRun,
        rows: 0,
        accounts: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        kept: 0,
        reactivated: 0,
        deactivated: 0,
        attachmentsAdded: 0,
        attachmentsChanged: 0,
        attachmentsEnded: 0,
        rejected: 0,
        padded: 0,
        unknownColumns: header.unknown,
        sample: [],
        rejectsFile: o.rejects ?? null,
      };
      const scope = uc.actor.scope!;
      await createStage(uc.trx);
      const refs = await stageFile(uc, source, header.positions, scope, o, summary);
      await indexStage(uc.trx);
      await checkAcrossRows(uc.trx, (key) => splitMessage(o.lang, key));
      summary.rejected = await countRejected(uc.trx);
      await reportRejects(uc.trx, source, summary, o);
      if (o.strict && summary.rejected > 0) throw new InvalidInputError([{ field: 'FILE', message: 'sync.strictRejected', params: { count: summary.rejected } }], 'sync.strict', { count: summary.rejected });

      // the guard comes before any write: a truncated export must not wipe a département
      const absent = o.mode === 'full' ? await absentAccounts(uc.trx, scope) : [];
      if (absent.length > 0) {
        const total = await madrhasAccountsInScope(uc.trx, scope);
        const limit = deactivationLimit(o.maxDeactivations, total)!;
        if (absent.length > limit) throw new ConflictError('sync.tooManyDeactivations', { count: absent.length, total, limit, max: o.maxDeactivations });
      }

      const run = await uc.trx
        .insertInto('run')
        .values({ kind: 'sync.madrhas', actor: uc.actor.login, fileName: source.name, fileSha256: source.sha256, startedAt: uc.now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await applyPlans(uc, o.mode === 'full', run.id, summary, refs);
      await deactivateAbsent(uc, absent, run.id, summary);
      await dropStage(uc.trx);

      const counts = countsOf(summary);
      await uc.trx.updateTable('run').set({ finishedAt: new Date().toISOString(), counts: JSON.stringify(counts) }).where('id', '=', run.id).execute();
      uc.audit('sync.madrhas', `file:${source.name}`, { sha256: source.sha256, encoding: source.encoding, mode: o.mode, ...counts }, run.id);
      if (o.dryRun) throw new DryRun(summary);
      return summary;
    });
  } catch (err) {
    if (err instanceof DryRun) return err.summary;
    throw err;
  }
}

const countsOf = (s: SyncSummary) => ({
  rows: s.rows,
  accounts: s.accounts,
  created: s.created,
  updated: s.updated,
  unchanged: s.unchanged,
  kept: s.kept,
  reactivated: s.reactivated,
  deactivated: s.deactivated,
  attachmentsAdded: s.attachmentsAdded,
  attachmentsChanged: s.attachmentsChanged,
  attachmentsEnded: s.attachmentsEnded,
  rejected: s.rejected,
  padded: s.padded,
});

/** A message with one parameter, as the text before and after it (for SQL concatenation). */
function splitMessage(lang: Lang, key: string): [string, string] {
  const text = t(lang, key as MessageKey, { login: '\u0000' });
  const [before, after = ''] = text.split('\u0000');
  return [before!, after];
}

function issueText(lang: Lang, column: string, message: string, params: Record<string, unknown> = {}): string {
  return t(lang, 'row.issue', { column, message: t(lang, message as MessageKey, params) });
}

/** Steps 1–2: each row checked on its own and against the directory, then staged (valid or not). */
async function stageFile(uc: UseCase, source: CsvSource, positions: Map<string, number>, scope: Scope, o: SyncOptions, summary: SyncSummary): Promise<Map<number, string>> {
  const dir = await loadDirectory(uc.trx);
  const csv = await openCsv(source);
  let batch: unknown[][] = [];
  const flush = async () => {
    if (batch.length > 0) await stageRows(uc.trx, batch);
    batch = [];
    o.progress?.(csv.bytesRead(), source.size);
  };
  const all = scope.includes(ALL);
  for await (const records of csv.batches(STAGE_BATCH)) {
  for (const record of records) {
    summary.rows++;
    const cells = cellsOf(record.fields, positions);
    const parsed = parseMadrhasRow(cells);
    const reasons: string[] = [];
    let row: MadrhasRow | null = null;
    let structureId: number | null = null;
    let serviceId: number | null = null;
    if (!parsed.ok) for (const i of parsed.issues) reasons.push(issueText(o.lang, i.column, i.message, i.params));
    else {
      row = parsed.value;
      if (parsed.padded) summary.padded++;
      const ref = `${row.idType}:${row.identifier}`;
      const s = dir.structures.get(ref);
      if (!s) reasons.push(issueText(o.lang, 'IDENTIFIANT_STRUCTURE', 'row.unknownStructure', { ref }));
      else if (!s.active) reasons.push(issueText(o.lang, 'IDENTIFIANT_STRUCTURE', 'sync.structureInactive', { ref }));
      else if (!all && !scopeCovers(scope, s.departement)) reasons.push(issueText(o.lang, 'IDENTIFIANT_STRUCTURE', 'sync.structureOutOfScope', { ref, departement: s.departement ?? '?' }));
      else {
        structureId = s.id;
        if (row.serviceCode !== null) {
          const sv = dir.services.get(`${s.id}:${row.serviceCode}`);
          if (!sv) reasons.push(issueText(o.lang, 'CODE_SERVICE', 'sync.serviceUnknown', { code: row.serviceCode, ref }));
          else if (!sv.active) reasons.push(issueText(o.lang, 'CODE_SERVICE', 'sync.serviceInactive', { code: row.serviceCode, ref }));
          else serviceId = sv.id;
        }
      }
    }
    if (reasons.length > 0 || !row) {
      // kept with its login when readable, so that full mode does not take the account for absent
      const login = (cells.get('IDENTIFIANT_CONNEXION') ?? '').trim().toLowerCase() || null;
      batch.push([record.line, login, null, null, null, null, null, null, null, null, null, null, null, null, reasons.join(' | ')]);
    } else {
      batch.push([record.line, row.login, row.title, row.lastName, row.firstName, row.email, row.phone, structureId, serviceId, row.role, row.dateStart, row.dateEnd, row.accountStatus, personalFingerprint(row), null]);
    }
  }
  if (batch.length >= STAGE_BATCH) await flush();
  }
  await flush();
  return dir.refs;
}

/** The rejected rows: a sample for the terminal and, with --rejects, the report (a second pass over the file). */
async function reportRejects(db: Db, source: CsvSource, summary: SyncSummary, o: SyncOptions): Promise<void> {
  for (const r of await rejectedAfter(db, 0, SAMPLE)) summary.sample.push({ line: r.line, errors: r.reason.split(' | ') });
  if (o.rejects === undefined) return;
  const csv = await openCsv(source);
  const writer = new RejectsWriter(o.rejects, source, csv.header);
  try {
    let page = await rejectedAfter(db, 0, 5000);
    let i = 0;
    for await (const record of csv.records) {
      if (i >= page.length) {
        if (page.length < 5000) break;
        page = await rejectedAfter(db, page[page.length - 1]!.line, 5000);
        i = 0;
        if (page.length === 0) break;
      }
      if (record.line === page[i]!.line) {
        writer.add(record, csv.header.length, page[i]!.reason.split(' | '));
        i++;
      }
    }
    await csv.records[Symbol.asyncIterator]().return?.();
  } finally {
    await writer.close();
  }
}

/** One account's rows → its personal data and its wanted attachments (one per structure). */
function wantedOf(rows: StagedRow[], refs: Map<number, string>): WantedAttachment[] {
  const byStructure = new Map<number, WantedAttachment & { whole: boolean }>();
  for (const r of rows) {
    let w = byStructure.get(r.structureId);
    if (!w) {
      w = { structureId: r.structureId, structureRef: refs.get(r.structureId)!, role: r.role as Role, dateStart: r.dateStart, dateEnd: r.dateEnd, services: [], whole: false };
      byStructure.set(r.structureId, w);
    }
    if (r.serviceId === null) w.whole = true;
    else if (!w.services.includes(r.serviceId)) w.services.push(r.serviceId);
  }
  // a row for the whole structure makes the attachment whole, whatever services other rows name
  return [...byStructure.values()].map(({ whole, ...w }) => ({ ...w, services: whole ? [] : w.services.sort((a, b) => a - b) }));
}

const ACCOUNT_COLUMNS = ['login', 'status', 'source', 'title', 'last_name', 'first_name', 'email', 'phone', 'country', 'language', 'notify_billing', 'notify_news', 'search_key', 'created_at', 'updated_at'];
const ATTACHMENT_COLUMNS = ['account_id', 'structure_id', 'role', 'status', 'source', 'date_start', 'date_end', 'decided_at', 'decided_by', 'created_at', 'updated_at'];

/** Step 4: plans and writes, a chunk of logins at a time. */
async function applyPlans(uc: UseCase, full: boolean, runId: number, summary: SyncSummary, refs: Map<number, string>): Promise<void> {
  const at = uc.now;
  // One GP per structure is a unique index: when the file moves the role from one account to
  // another, the new GP is written after every account's demotion, whatever the logins' order.
  const promotions: { id: number; set: Record<string, unknown> }[] = [];
  const gpAdds: { accountId: number; w: WantedAttachment }[] = [];
  let after = '';
  for (;;) {
    await breathe();
    const logins = await nextLogins(uc.trx, after, CHUNK);
    if (logins.length === 0) break;
    after = logins[logins.length - 1]!;
    const rows = await stagedRowsOf(uc.trx, logins[0]!, after);
    // full mode ends unlisted attachments, but not an account's with a rejected row: that row may be the one listing it
    const withRejects = full ? await loginsWithRejects(uc.trx, logins[0]!, after) : new Set<string>();
    const current = new Map((await accountsByLogin(uc.trx, logins)).map((a) => [a.login, a]));
    const attachments = await attachmentsOfAccounts(uc.trx, [...current.values()].map((a) => a.id));
    const audits: Omit<AuditFields, 'seq'>[] = [];
    const newAccounts: { row: StagedRow; wanted: WantedAttachment[] }[] = [];
    const newAttachments: { accountId: number; w: WantedAttachment }[] = [];

    for (let i = 0; i < rows.length; ) {
      let j = i;
      while (j < rows.length && rows[j]!.login === rows[i]!.login) j++;
      const own = rows.slice(i, j);
      i = j;
      summary.accounts++;
      const first = own[0]!;
      const wanted = wantedOf(own, refs);
      const account = current.get(first.login) ?? null;
      if (!account) {
        newAccounts.push({ row: first, wanted });
        continue;
      }
      const plan = planAccount(asRow(first), wanted, account, attachments.get(account.id) ?? [], full && !withRejects.has(account.login), (id) => refs.get(id) ?? String(id));
      if (plan.kept.length > 0) summary.kept++;
      if (planIsEmpty(plan)) {
        summary.unchanged++;
        continue;
      }
      await applyPlan(uc.trx, account, plan, at, summary, promotions);
      for (const w of plan.add) newAttachments.push({ accountId: account.id, w });
      if (plan.status?.after === 'ACTIF') summary.reactivated++;
      else if (plan.status?.after === 'INACTIF') summary.deactivated++;
      else summary.updated++;
      audits.push({ at, actor: uc.actor.login, action: 'sync.account.update', target: `account:${account.login}`, outcome: 'OK', changes: JSON.stringify(auditChanges(plan)), runId });
    }

    if (newAccounts.length > 0) {
      const ids = await bulkInsert(
        uc.trx,
        'account',
        ACCOUNT_COLUMNS,
        newAccounts.map(({ row: r }) => [r.login, r.accountStatus, 'MADRHAS', r.title, r.lastName, r.firstName, r.email, r.phone, 'FR', 'fr', 1, 0, searchKey(r.login, r.lastName, r.firstName), at, at]),
        'id',
      );
      newAccounts.forEach(({ row: r, wanted }, k) => {
        const accountId = ids[k]!.id as number;
        for (const w of wanted) newAttachments.push({ accountId, w });
        summary.created++;
        audits.push({
          at,
          actor: uc.actor.login,
          action: 'sync.account.create',
          target: `account:${r.login}`,
          outcome: 'OK',
          changes: JSON.stringify({ status: r.accountStatus, lastName: r.lastName, firstName: r.firstName, email: r.email, phone: r.phone, attachmentsAdded: wanted.map(describe) }),
          runId,
        });
      });
    }
    gpAdds.push(...newAttachments.filter((a) => a.w.role === 'GESTIONNAIRE_PRINCIPAL'));
    await insertAttachments(uc, newAttachments.filter((a) => a.w.role !== 'GESTIONNAIRE_PRINCIPAL'), summary);
    if (audits.length > 0) await appendAudit(uc.trx, audits);
  }
  for (const p of promotions) await uc.trx.updateTable('attachment').set({ ...p.set, updatedAt: at }).where('id', '=', p.id).execute();
  await insertAttachments(uc, gpAdds, summary);
}

/** Lets the event loop turn between chunks: SQLite's writes are synchronous, and a batch child
 *  (bin/chorus-admin.js) must hear its parent's death before it commits, not after. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** New MADRHAS attachments, VALIDEE, with their services. */
async function insertAttachments(uc: UseCase, list: { accountId: number; w: WantedAttachment }[], summary: SyncSummary): Promise<void> {
  if (list.length === 0) return;
  const at = uc.now;
  const ids = await bulkInsert(
    uc.trx,
    'attachment',
    ATTACHMENT_COLUMNS,
    list.map(({ accountId, w }) => [accountId, w.structureId, w.role, 'VALIDEE', 'MADRHAS', w.dateStart, w.dateEnd, at, uc.actor.login, at, at]),
    'id',
  );
  const links: unknown[][] = [];
  list.forEach(({ w }, k) => {
    for (const s of w.services) links.push([ids[k]!.id, s, 'VALIDEE']);
  });
  if (links.length > 0) await bulkInsert(uc.trx, 'attachment_service', ['attachment_id', 'service_id', 'status'], links);
  summary.attachmentsAdded += list.length;
}

/** A change that makes an attachment a validated GP one (written last, see applyPlans). */
const promotes = (c: AccountPlan['change'][number]) => (c.set.role ?? c.before.role) === 'GESTIONNAIRE_PRINCIPAL' && (c.set.role !== undefined || c.set.status !== undefined);

const asRow = (r: StagedRow): MadrhasRow =>
  ({ login: r.login, title: r.title, lastName: r.lastName, firstName: r.firstName, email: r.email, phone: r.phone, accountStatus: r.accountStatus }) as MadrhasRow;

const describe = (w: WantedAttachment) => ({ structure: w.structureRef, role: w.role, dateStart: w.dateStart, dateEnd: w.dateEnd, services: w.services.length });

function auditChanges(plan: AccountPlan): Record<string, unknown> {
  return {
    ...plan.fields,
    ...(plan.status ? { status: plan.status } : {}),
    ...(plan.kept.length > 0 ? { kept: plan.kept } : {}),
    ...(plan.add.length > 0 ? { attachmentsAdded: plan.add.map(describe) } : {}),
    ...(plan.change.length > 0
      ? { attachmentsChanged: plan.change.map((c) => ({ structure: c.structureRef, ...Object.fromEntries(Object.entries(c.set).map(([k, v]) => [k, { before: (c.before as unknown as Record<string, unknown>)[k] ?? null, after: v }])), ...(c.services ? { services: { before: c.before.services.length, after: c.services.length } } : {}) })) }
      : {}),
    ...(plan.end.length > 0 ? { attachmentsEnded: plan.end.map((e) => e.structureRef) } : {}),
  };
}

async function applyPlan(db: Db, account: CurrentAccount, plan: AccountPlan, at: string, summary: SyncSummary, promotions: { id: number; set: Record<string, unknown> }[]): Promise<void> {
  const set: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(plan.fields)) set[k] = v.after;
  if (plan.status) set.status = plan.status.after;
  if (Object.keys(set).length > 0) {
    if (set.lastName !== undefined || set.firstName !== undefined)
      set.searchKey = searchKey(account.login, (set.lastName as string) ?? account.lastName, (set.firstName as string) ?? account.firstName);
    await db.updateTable('account').set({ ...set, updatedAt: at }).where('id', '=', account.id).execute();
  }
  for (const c of plan.change) {
    if (Object.keys(c.set).length > 0) {
      if (promotes(c)) promotions.push({ id: c.id, set: c.set });
      else await db.updateTable('attachment').set({ ...c.set, updatedAt: at }).where('id', '=', c.id).execute();
    }
    if (c.services !== null) {
      await db.deleteFrom('attachmentService').where('attachmentId', '=', c.id).execute();
      if (c.services.length > 0) await bulkInsert(db, 'attachment_service', ['attachment_id', 'service_id', 'status'], c.services.map((s) => [c.id, s, 'VALIDEE']));
    }
    summary.attachmentsChanged++;
  }
  if (plan.end.length > 0) {
    await db.updateTable('attachment').set({ status: 'DESACTIVEE', updatedAt: at }).where('id', 'in', plan.end.map((e) => e.id)).execute();
    summary.attachmentsEnded += plan.end.length;
  }
}

/** Step 5: the accounts full mode deactivates, with their MADRHAS attachments, audited and told. */
async function deactivateAbsent(uc: UseCase, absent: { id: number; login: string }[], runId: number, summary: SyncSummary): Promise<void> {
  for (let i = 0; i < absent.length; i += CHUNK) {
    await breathe();
    const chunk = absent.slice(i, i + CHUNK);
    const ids = chunk.map((a) => a.id);
    await uc.trx.updateTable('account').set({ status: 'INACTIF', updatedAt: uc.now }).where('id', 'in', ids).execute();
    const ended = await uc.trx
      .updateTable('attachment')
      .set({ status: 'DESACTIVEE', updatedAt: uc.now })
      .where('accountId', 'in', ids)
      .where('source', '=', 'MADRHAS')
      .where('status', '=', 'VALIDEE')
      .executeTakeFirst();
    summary.attachmentsEnded += Number(ended.numUpdatedRows);
    summary.deactivated += chunk.length;
    const accounts = await uc.trx.selectFrom('account').selectAll().where('id', 'in', ids).execute();
    const mails = accounts.map((a) => {
      const m = composeMail('ACCOUNT_DEACTIVATED', a.language as Lang, { login: a.login, firstName: a.firstName, lastName: a.lastName });
      return { accountId: a.id, structureId: null, event: 'ACCOUNT_DEACTIVATED', language: a.language, fromAddress: NOREPLY, toAddress: a.email, subject: m.subject, body: m.body, createdAt: uc.now };
    });
    if (mails.length > 0) await uc.trx.insertInto('notification').values(mails).execute();
    await appendAudit(
      uc.trx,
      chunk.map((a) => ({ at: uc.now, actor: uc.actor.login, action: 'sync.account.deactivate', target: `account:${a.login}`, outcome: 'OK' as const, changes: JSON.stringify({ status: { before: 'ACTIF', after: 'INACTIF' }, reason: 'absent' }), runId })),
    );
  }
}

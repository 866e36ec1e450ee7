import fs from 'node:fs';
import path from 'node:path';
import { ALL, scopeCovers, type Scope } from '../domain/departement.js';
import { deactivationLimit, MADRHAS_COLUMNS, parseMadrhasRow, personalFingerprint, type MadrhasRow } from '../domain/madrhas.js';
import { ConflictError, InvalidInputError } from '../errors.js';
import { t, type Lang, type MessageKey } from '../i18n/index.js';
import { cellsOf, inspectCsv, matchHeader, openCsv, RejectsWriter, type CsvSource, type EncodingChoice } from '../io/csv.js';
import { rawRows } from '../db/bulk.js';
import type { Db } from '../db/account.repository.js';
import type { Store } from '../db/store.js';
import {
  absentAccounts,
  checkAcrossRows,
  countRejected,
  createStage,
  dropStage,
  indexStage,
  madrhasAccountsInScope,
  rejectedAfter,
  stageRows,
} from '../db/sync.repository.js';
import { applyPlans, deactivateAbsent } from './sync-apply.js';
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


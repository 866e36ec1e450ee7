import {
  parseServiceRow,
  parseStructureRow,
  SERVICE_COLUMNS,
  STRUCTURE_COLUMNS,
  structureDepartement,
  structureSearchKey,
  type RowIssue,
  type RowResult,
  type ServiceValues,
  type StructureValues,
} from '../domain/structure.js';
import { ALL, type Scope } from '../domain/departement.js';
import { mayChangeStructure, structureInScope } from '../domain/rights.js';
import { fold } from '../domain/text.js';
import { t, type Lang } from '../i18n/index.js';
import {
  cellsOf,
  inspectCsv,
  matchHeader,
  openCsv,
  type ColumnSpec,
  type CsvRecord,
  type CsvSource,
  type EncodingChoice,
} from '../io/csv.js';
import { prepareRejects } from '../io/rejects.js';
import { lookUpByIndexes, withWriteBehind } from '../db/bulk-load.js';
import type { Db, NewService, NewStructure, ServiceRow, StructureRow } from '../db/schema.js';
import * as runs from '../db/run.repository.js';
import type { Store } from '../db/store.js';
import * as structures from '../db/structure.repository.js';
import { RunChanges } from './sync/runs.js';
import { runUseCase } from './use-case.js';

/**
 * `structure import` (SPEC 8.2) and `structure import-services` (SPEC 8.3): the file is read
 * once to hash it and settle its encoding, then streamed in batches of rows, each batch looked up
 * and written with a few statements, the whole run in one transaction with one audit entry.
 * Memory holds one batch, plus the keys already seen (to reject a row repeated in the file).
 *
 * PostgreSQL writes behind (db/write-behind.ts WriteBehind): a batch's COPYs are queued on the
 * connection, not awaited, and the program reads and plans the next batch while the server writes
 * them; it awaits them once the next batch's are queued (two batches of rows at most in memory).
 * A batch's reads need not wait for the batch before's writes: a key is met once in a file (a
 * repeat is rejected), so no batch looks up what another batch of the run writes. A write that
 * fails behind is the run's error, and nothing is committed.
 */

export interface ImportOptions {
  file: string;
  encoding: EncodingChoice;
  /** Where to write the rejected rows (SPEC 8); none: they are only counted and sampled. */
  rejects?: string | undefined;
  /** The language of the reasons written to the rejects file. */
  lang: Lang;
  /** Called after each batch with the bytes read and the file's size. */
  progress?: (read: number, total: number) => void;
}

export interface RejectedRow {
  line: number;
  errors: string[];
}

export interface ImportSummary {
  file: string;
  sha256: string;
  encoding: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /**
   * Rows skipped because they would change a structure outside the actor's scope, or move one
   * across départements it does not both cover (SPEC 8.2); not rejects.
   */
  outOfScope: number;
  /** SIRETs that had lost their leading zeros and were padded back. */
  padded: number;
  unknownColumns: string[];
  /** The first rejected rows, for the terminal. */
  sample: RejectedRow[];
  rejectsFile: string | null;
}

const BATCH = 1000;
const SAMPLE = 20;

interface Pending<T> {
  record: CsvRecord;
  value: T;
}

interface Importer<T> {
  kind: 'structure' | 'service';
  columns: readonly ColumnSpec[];
  parse(cells: ReadonlyMap<string, string>): RowResult<T>;
  key(value: T): string;
  /**
   * Writes a batch of valid rows; rejects the ones the store refuses (an unknown structure) and
   * skips, as `outOfScope`, those `scope` does not let the actor write (SPEC 8.2).
   */
  flush(
    db: Db,
    batch: Pending<T>[],
    at: string,
    counts: Counts,
    reject: (p: Pending<T>, issues: RowIssue[]) => void,
    scope: Scope,
    /** The run's before-images (`sync show`, `sync revert`): one per structure or service written. */
    changes: RunChanges,
  ): Promise<void>;
  /** After the last batch. */
  finish?(db: Db): Promise<void>;
}

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  outOfScope: number;
}

function issueText(lang: Lang, i: RowIssue): string {
  return t(lang, 'row.issue', {
    column: i.column,
    message: t(lang, i.message as never, i.params ?? {}),
  });
}

async function runImport<T>(
  store: Store,
  actor: string,
  o: ImportOptions,
  importer: Importer<T>,
): Promise<ImportSummary> {
  // SPEC 8: nothing at the report's name, the input least of all (exit 6 before any work)
  const report = prepareRejects(o.rejects, o.file);
  // everything that makes the file unusable is found before the transaction opens
  const source: CsvSource = await inspectCsv(o.file, o.encoding);
  const probe = await openCsv(source);
  const header = matchHeader(probe.header, importer.columns, source.name);
  await probe.records[Symbol.asyncIterator]().return?.();

  const action = importer.kind === 'structure' ? 'structure.import' : 'structure.importServices';
  const longRun = { actor, action: 'structure.import', exclusive: true } as const;
  try {
    return await runUseCase(store, longRun, async (uc) => {
      uc.authorize('structure.import', { kind: 'none' }, `file:${source.name}`);
      // each batch looks its keys up in tables this run, or an import just before it, filled
      await lookUpByIndexes(uc.trx);
      const runId = await runs.insertRun(uc.trx, {
        kind: action,
        actor: uc.actor.login,
        fileName: source.name,
        fileSha256: source.sha256,
        startedAt: uc.now,
      });
      const changes = new RunChanges(uc.trx, runId);
      const csv = await openCsv(source);
      const rejects = report?.open(source, csv.header);
      const counts: Counts = { created: 0, updated: 0, unchanged: 0, outOfScope: 0 };
      const summary: ImportSummary = {
        file: source.name,
        sha256: source.sha256,
        encoding: source.encoding,
        rows: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        outOfScope: 0,
        padded: 0,
        unknownColumns: header.unknown,
        sample: [],
        rejectsFile: o.rejects ?? null,
      };
      // a batch's rejects (found while reading, or by the store) are reported in line order
      let pending: { record: CsvRecord; issues: RowIssue[] }[] = [];
      const reject = (record: CsvRecord, issues: RowIssue[]) => pending.push({ record, issues });
      const emitRejects = () => {
        for (const { record, issues } of pending.sort((a, b) => a.record.line - b.record.line)) {
          const errors = issues.map((i) => issueText(o.lang, i));
          summary.rejected++;
          if (summary.sample.length < SAMPLE) summary.sample.push({ line: record.line, errors });
          rejects?.add(record, csv.header.length, errors);
        }
        pending = [];
      };
      const seen = new Map<string, number>();
      let batch: Pending<T>[] = [];
      // PostgreSQL: the batches' writes are queued, not awaited; null on SQLite
      await withWriteBehind(uc.trx, async (behind) => {
        const flush = async () => {
          behind?.nextChunk(); // the writes from here on are this batch's
          await importer.flush(
            uc.trx,
            batch,
            uc.now,
            counts,
            (p, issues) => reject(p.record, issues),
            uc.actor.scope ?? [],
            changes,
          );
          await changes.flush();
          await behind?.ready(); // the batch before's writes
          emitRejects();
          batch = [];
          o.progress?.(csv.bytesRead(), source.size);
        };
        for await (const record of csv.records) {
          summary.rows++;
          const parsed = importer.parse(cellsOf(record.fields, header.positions));
          if (!parsed.ok) {
            reject(record, parsed.issues);
            continue;
          }
          const key = importer.key(parsed.value);
          const first = seen.get(key);
          if (first !== undefined) {
            reject(record, [
              { column: 'Identifiant', message: 'row.duplicate', params: { line: first } },
            ]);
            continue;
          }
          seen.set(key, record.line);
          if (parsed.padded) summary.padded++;
          batch.push({ record, value: parsed.value });
          if (batch.length >= BATCH) await flush();
        }
        await flush();
      });
      // every write done before finish()'s and the run's own, which are awaited as they go
      await importer.finish?.(uc.trx);
      Object.assign(summary, counts);

      const countsJson = {
        rows: summary.rows,
        ...counts,
        rejected: summary.rejected,
        padded: summary.padded,
      };
      await runs.finishRun(uc.trx, runId, {
        finishedAt: store.clock.now().toISOString(),
        counts: JSON.stringify(countsJson),
      });
      uc.audit(
        action,
        `file:${source.name}`,
        { sha256: source.sha256, encoding: source.encoding, ...countsJson },
        runId,
      );
      // the report takes its name last, never over a file that appeared meanwhile (exit 6)
      await report?.commit();
      return summary;
    });
  } catch (err) {
    // nothing was applied: a rejects report would describe a run that did not happen
    report?.discard();
    throw err;
  }
}

// ---- the directory (SPEC 8.2) -----------------------------------------------------------

const STRUCTURE_DEFAULTS = {
  ediSender: 0,
  ediReceiver: 0,
  managesPaymentStatus: 0,
  managesCommitment: 0,
  managesService: 0,
  managesServiceCommitment: 0,
  isMoa: 0,
  isMoaOnly: 0,
  active: 1,
  address: null,
  addressComplement1: null,
  addressComplement2: null,
  postalCode: null,
  city: null,
  phone: null,
  email: null,
  countryCode: null,
  countryLabel: null,
  departement: null,
} as const;

const structureImporter: Importer<StructureValues> = {
  kind: 'structure',
  columns: STRUCTURE_COLUMNS,
  parse: parseStructureRow,
  key: (v) => `${v.idType}:${v.identifier}`,
  async flush(db, batch, at, counts, _reject, scope, changes) {
    const everywhere = scope.includes(ALL);
    const existing = await structures.structuresByKey(
      db,
      batch.map((p) => p.value.identifier),
    );
    const inserts: NewStructure[] = [];
    const renamed: { row: StructureRow; set: Partial<NewStructure> }[] = [];
    for (const { value } of batch) {
      const row = existing.get(`${value.idType}:${value.identifier}`);
      // the département follows the postal code and country the structure will have (SPEC 6),
      // the row's where it gives them, else the stored ones
      const departement = structureDepartement(
        value.postalCode === undefined ? (row?.postalCode ?? null) : value.postalCode,
        value.countryCode === undefined ? (row?.countryCode ?? null) : value.countryCode,
      );
      if (!row) {
        // the directory is national: any correspondent creates the structures it does not know
        changes.add(`structure:${value.idType}:${value.identifier}`, 'created', null, {
          companyName: value.companyName,
        });
        inserts.push({
          ...STRUCTURE_DEFAULTS,
          ...value,
          departement,
          nameKey: fold(value.companyName),
          cityKey: fold(value.city ?? null),
          searchKey: structureSearchKey(value),
          createdAt: at,
          updatedAt: at,
        });
        continue;
      }
      const set: Record<string, unknown> = {};
      for (const [k, v] of Object.entries({ ...value, departement }))
        if ((row as unknown as Record<string, unknown>)[k] !== v) set[k] = v;
      if (Object.keys(set).length === 0) {
        counts.unchanged++;
        continue;
      }
      // nobody changes a structure outside their scope, nor moves one into it or out of a colleague's
      if (!everywhere && !mayChangeStructure(scope, row.departement, departement)) {
        counts.outOfScope++;
        continue;
      }
      counts.updated++;
      changes.add(`structure:${row.idType}:${row.identifier}`, 'updated', pickOf(row, set), {
        ...set,
      });
      if (set.companyName !== undefined) set.nameKey = fold(value.companyName);
      if (set.city !== undefined) set.cityKey = fold(value.city ?? null);
      set.updatedAt = at;
      if (set.companyName !== undefined) renamed.push({ row, set });
      else await structures.updateStructure(db, row.id, set);
    }
    if (renamed.length > 0) {
      // a new name changes the search key, which also holds the structure's services
      const services = await structures.servicesOf(
        db,
        renamed.map((r) => r.row.id),
      );
      for (const { row, set } of renamed)
        await structures.updateStructure(db, row.id, {
          ...set,
          searchKey: structureSearchKey(
            { identifier: row.identifier, companyName: set.companyName as string },
            services.filter((s) => s.structureId === row.id),
          ),
        });
    }
    await structures.insertStructures(db, inserts);
    counts.created += inserts.length;
  },
};

export function importStructures(
  store: Store,
  actor: string,
  o: ImportOptions,
): Promise<ImportSummary> {
  return runImport(store, actor, o, structureImporter);
}

// ---- services (SPEC 8.3) ----------------------------------------------------------------

function serviceImporter(): Importer<ServiceValues> {
  const touched = new Set<number>();
  return {
    kind: 'service',
    columns: SERVICE_COLUMNS,
    parse: parseServiceRow,
    key: (v) => `${v.idType}:${v.identifier}:${v.code}`,
    async flush(db, batch, at, counts, reject, scope, changes) {
      const everywhere = scope.includes(ALL);
      const byKey = await structures.structuresByKey(
        db,
        batch.map((p) => p.value.identifier),
      );
      const known = batch.filter((p) => {
        if (byKey.has(`${p.value.idType}:${p.value.identifier}`)) return true;
        reject(p, [
          {
            column: 'Identifiant',
            message: 'row.unknownStructure',
            params: { ref: `${p.value.idType}:${p.value.identifier}` },
          },
        ]);
        return false;
      });
      const current = new Map<string, ServiceRow>();
      for (const s of await structures.servicesOf(db, [
        ...new Set([...byKey.values()].map((s) => s.id)),
      ]))
        current.set(`${s.structureId}:${s.code}`, s);
      const inserts: NewService[] = [];
      for (const { value } of known) {
        const structure = byKey.get(`${value.idType}:${value.identifier}`)!;
        // a structure's services are its own: only a correspondent whose scope holds it writes them
        const inScope = everywhere || structureInScope(scope, structure.departement);
        const structureId = structure.id;
        const row = current.get(`${structureId}:${value.code}`);
        const { idType: _t, identifier: _i, code, ...fields } = value;
        if (!row) {
          if (!inScope) {
            counts.outOfScope++;
            continue;
          }
          changes.add(`service:${value.idType}:${value.identifier}/${code}`, 'created', null, {
            label: fields.label!,
          });
          inserts.push({
            structureId,
            code,
            label: fields.label!,
            active: fields.active ?? 1,
            dateStart: fields.dateStart ?? null,
            dateEnd: fields.dateEnd ?? null,
            createdAt: at,
            updatedAt: at,
          });
          touched.add(structureId);
          continue;
        }
        const set: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(fields))
          if ((row as unknown as Record<string, unknown>)[k] !== v) set[k] = v;
        if (Object.keys(set).length === 0) {
          counts.unchanged++;
          continue;
        }
        if (!inScope) {
          counts.outOfScope++;
          continue;
        }
        counts.updated++;
        changes.add(
          `service:${value.idType}:${value.identifier}/${code}`,
          'updated',
          pickOf(row, set),
          {
            ...set,
          },
        );
        if (set.label !== undefined) touched.add(structureId);
        await structures.updateService(db, row.id, { ...set, updatedAt: at });
      }
      await structures.insertServices(db, inserts);
      counts.created += inserts.length;
    },
    async finish(db) {
      await structures.refreshSearchKeys(db, touched);
    },
  };
}

export function importServices(
  store: Store,
  actor: string,
  o: ImportOptions,
): Promise<ImportSummary> {
  return runImport(store, actor, o, serviceImporter());
}

/** The stored values of the fields a change sets: its before-image. */
function pickOf(row: object, set: Record<string, unknown>): Record<string, unknown> {
  const r = row as Record<string, unknown>;
  return Object.fromEntries(Object.keys(set).map((k) => [k, r[k] ?? null]));
}

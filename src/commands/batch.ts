import type { ItemOutcome } from '../app/requests.js';
import { PartialBatchError } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import type { Column } from '../ui/output.js';
import type { Globals } from './context.js';

/** What the file-driven commands (imports, sync) report: their summary, and the rows they rejected. */
export interface BatchSummary {
  rows: number;
  rejected: number;
  unknownColumns: string[];
  sample: { line: number; errors: string[] }[];
  rejectsFile: string | null;
}

/**
 * The summary on stdout; unknown columns and the first rejected lines on stderr; exit 1 when rows
 * were rejected (SPEC 5), after the summary, so scripts get both.
 */
export async function reportBatch<T extends BatchSummary>(
  g: Globals,
  summary: T,
  columns: Column<T>[],
  done: MessageKey,
  doneParams: Record<string, unknown>,
): Promise<void> {
  for (const c of summary.unknownColumns) g.out.warn('import.unknownColumn', { column: c });
  await g.out.record(summary, columns);
  if (summary.rejected === 0) {
    g.out.success(done, doneParams);
    return;
  }
  for (const r of summary.sample)
    g.out.info('import.rejectedLine', { line: r.line, errors: r.errors.join(' ; ') });
  if (summary.rejected > summary.sample.length)
    g.out.info('import.moreRejected', { count: summary.rejected - summary.sample.length });
  throw new PartialBatchError(
    summary,
    summary.rejectsFile ? 'import.partialWithFile' : 'import.partial',
    { rejected: summary.rejected, rows: summary.rows, file: summary.rejectsFile },
  );
}

/** One id of a bulk command as the output shows it: what it became, or why not. */
export interface BulkRow {
  id: number;
  ok: boolean;
  status: string | null;
  exitCode: number;
  message: string | null;
}

const BULK_COLUMNS: Column<BulkRow>[] = [
  { key: 'id', label: 'col.id' },
  { key: 'status', label: 'col.status', as: 'status' },
  { key: 'exitCode', label: 'col.exitCode' },
  { key: 'message', label: 'col.message', min: 20 },
];

/**
 * The per-id results of `approve|reject|remove ID...` on stdout. One id that failed exits with
 * its own code (3, 4, 6…) and message; several: 0 when all went through, else 1 (SPEC 5: a bulk
 * decision whose items were partly rejected), each failure said in its row.
 */
export async function reportBulk(
  g: Globals,
  outcomes: readonly ItemOutcome<{ status: string }>[],
  done: MessageKey,
): Promise<void> {
  const [only] = outcomes;
  if (outcomes.length === 1 && only && !only.ok) throw only.error;
  const rows: BulkRow[] = outcomes.map((o) =>
    o.ok
      ? { id: o.id, ok: true, status: o.value.status, exitCode: 0, message: null }
      : {
          id: o.id,
          ok: false,
          status: null,
          exitCode: o.error.exitCode,
          message: g.out.text(o.error.key, o.error.params),
        },
  );
  await g.out.list(rows, BULK_COLUMNS);
  const failed = rows.filter((r) => !r.ok).length;
  if (failed === 0) return g.out.success(done, { count: rows.length });
  throw new PartialBatchError(rows, 'bulk.partial', { failed, count: rows.length });
}

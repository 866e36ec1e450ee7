import type { Command } from 'commander';
import { z } from 'zod';
import type { DecideMany, ItemOutcome } from '../app/requests.js';
import { withStore } from '../app/session.js';
import { rowId } from '../domain/fields.js';
import { PartialBatchError } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import type { Column } from '../ui/output.js';
import { actorOf, globalsOf, parse, type Globals } from './context.js';

/** What the file-driven commands (imports, sync) report: their summary, and the rows they rejected. */
export interface BatchSummary {
  rows: number;
  rejected: number;
  unknownColumns: string[];
  sample: { line: number; errors: string[] }[];
  rejectsFile: string | null;
  /** A dry run (sync --dry-run): its messages say what would be, not what was. */
  dryRun?: boolean;
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
  /** False when the command has shown its result itself (a sync's plan). */
  record = true,
): Promise<void> {
  const dryRun = summary.dryRun === true ? 'yes' : 'no';
  for (const c of summary.unknownColumns) g.out.warn('import.unknownColumn', { column: c });
  if (record) await g.out.record(summary, columns);
  if (summary.rejected === 0) {
    g.out.success(done, { ...doneParams, dryRun });
    return;
  }
  for (const r of summary.sample)
    g.out.info('import.rejectedLine', { line: r.line, errors: r.errors.join(' ; ') });
  if (summary.rejected > summary.sample.length)
    g.out.info('import.moreRejected', { count: summary.rejected - summary.sample.length });
  throw new PartialBatchError(
    summary,
    summary.rejectsFile ? 'import.partialWithFile' : 'import.partial',
    { rejected: summary.rejected, rows: summary.rows, file: summary.rejectsFile, dryRun },
  );
}

/** One id of a bulk command as the output shows it: what it became, or why not. */
export interface BulkRow {
  id: number;
  ok: boolean;
  status: string | null;
  /** The exit code (SPEC 5) this id alone would have given: 0 when it went through. */
  code: number;
  message: string | null;
}

const BULK_COLUMNS: Column<BulkRow>[] = [
  { key: 'id', label: 'col.id' },
  { key: 'ok', label: 'col.ok' },
  { key: 'status', label: 'col.status', as: 'status' },
  { key: 'code', label: 'col.exitCode' },
  { key: 'message', label: 'col.message', min: 20 },
];

/**
 * The one rule of every bulk command (`approve|reject|remove ID...`): the per-id results on
 * stdout, as a table or CSV, and with `--json` an array whatever the number of ids. One id that
 * failed exits with its own code (3, 4, 6…) and message, said on stderr (a table shows nothing
 * more); several: 0 when all went through, else 1 (SPEC 5: a bulk decision whose items were
 * partly rejected), each failure said in its row.
 */
export async function reportBulk(
  g: Globals,
  outcomes: readonly ItemOutcome<{ status: string }>[],
  done: MessageKey,
  partial: MessageKey = 'bulk.partial',
): Promise<void> {
  const rows: BulkRow[] = outcomes.map((o) =>
    o.ok
      ? { id: o.id, ok: true, status: o.value.status, code: 0, message: null }
      : {
          id: o.id,
          ok: false,
          status: null,
          code: o.error.exitCode,
          message: g.out.text(o.error.key, o.error.params),
        },
  );
  const [only] = outcomes;
  if (outcomes.length === 1 && only && !only.ok) {
    if (g.format === 'json') await g.out.list(rows, BULK_COLUMNS);
    throw only.error;
  }
  await g.out.list(rows, BULK_COLUMNS);
  const failed = rows.filter((r) => !r.ok).length;
  if (failed === 0) return g.out.success(done, { count: rows.length });
  throw new PartialBatchError(rows, partial, { failed, count: rows.length, total: rows.length });
}

/** The ids a bulk command is given (`approve|reject|remove ID...`). */
export const requestIds = z.object({ ID: z.array(rowId).min(1) });

const decisionReason = z.object({ reason: z.string().trim().min(1).max(500).optional() });

/**
 * The action of `approve|reject ID... [--reason]` for one kind of request: the ids and the reason
 * checked, the decisions made in the store (`load` gives how: a lazy import keeps start-up
 * light), the outcomes reported as a bulk (`reportBulk`).
 */
export const decisionAction =
  (decision: 'approve' | 'reject', load: () => Promise<DecideMany>) =>
  async (given: string[], opts: { reason?: string }, cmd: Command): Promise<void> => {
    const g = globalsOf(cmd);
    const actor = actorOf(g);
    const { ID } = parse(requestIds, { ID: given });
    const { reason } = parse(decisionReason, opts);
    const decide = await load();
    const outcomes = await withStore(g.store, (s) => decide(s, actor, ID, decision, reason));
    await reportBulk(g, outcomes, decision === 'approve' ? 'request.approved' : 'request.rejected');
  };

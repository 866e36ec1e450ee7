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
export function reportBatch<T extends BatchSummary>(g: Globals, summary: T, columns: Column<T>[], done: MessageKey, doneParams: Record<string, unknown>): void {
  for (const c of summary.unknownColumns) g.out.warn('import.unknownColumn', { column: c });
  g.out.record(summary, columns);
  if (summary.rejected === 0) {
    g.out.success(done, doneParams);
    return;
  }
  for (const r of summary.sample) g.out.info('import.rejectedLine', { line: r.line, errors: r.errors.join(' ; ') });
  if (summary.rejected > summary.sample.length) g.out.info('import.moreRejected', { count: summary.rejected - summary.sample.length });
  throw new PartialBatchError(summary, summary.rejectsFile ? 'import.partialWithFile' : 'import.partial', { rejected: summary.rejected, rows: summary.rows, file: summary.rejectsFile });
}

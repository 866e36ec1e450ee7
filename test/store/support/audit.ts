import { auditEntries } from '../../../src/app/audit.js';
import type { AuditLogRow, Db } from '../../../src/db/schema.js';

/**
 * The audit log as `audit export` reads it, oldest first, each entry in its stored row's shape
 * (`changes` as JSON text): the stored entries, and the accounts each sync run changed, read
 * from its run_change rows (issue 16 point 9) right before its entry. The tests of what a sync
 * audits read it so, as a correspondent does.
 */
export async function auditRows(
  db: Db,
): Promise<(Omit<AuditLogRow, 'prevHash'> & { fromRun?: true })[]> {
  const out: (Omit<AuditLogRow, 'prevHash'> & { fromRun?: true })[] = [];
  for await (const e of auditEntries(db))
    out.push({
      ...e,
      outcome: e.outcome as AuditLogRow['outcome'],
      changes: e.changes === null ? null : JSON.stringify(e.changes),
    });
  return out;
}

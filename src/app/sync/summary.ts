/** What one `sync madrhas` run did (or would do, dry): its own module, so the sync's files share it without importing each other. */

export interface SyncSummary {
  file: string;
  sha256: string;
  encoding: string;
  mode: 'full' | 'delta';
  dryRun: boolean;
  /** `streamed` (each login's rows together, the fast path) or `staged` (any other file). */
  strategy: 'streamed' | 'staged';
  rows: number;
  accounts: number;
  created: number;
  updated: number;
  unchanged: number;
  kept: number;
  /** Accounts where the merge kept a value the store changed since the base (the file had not). */
  keptLocal: number;
  /** Accounts where the file replaced a value the store had changed since the base. */
  overridden: number;
  reactivated: number;
  deactivated: number;
  attachmentsAdded: number;
  attachmentsChanged: number;
  attachmentsEnded: number;
  rejected: number;
  padded: number;
  /** Structures whose GP the file would remove (an attachment ended, an account deactivated): kept. */
  gpKept: number;
  unknownColumns: string[];
  sample: { line: number; errors: string[] }[];
  rejectsFile: string | null;
}

/** A run's summary before its first row. */
export function emptySummary(
  source: { name: string; sha256: string; encoding: string },
  o: { mode: SyncSummary['mode']; dryRun: boolean; rejects?: string | undefined },
  unknownColumns: string[],
): SyncSummary {
  return {
    file: source.name,
    sha256: source.sha256,
    encoding: source.encoding,
    mode: o.mode,
    dryRun: o.dryRun,
    strategy: 'staged',
    rows: 0,
    accounts: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    kept: 0,
    keptLocal: 0,
    overridden: 0,
    reactivated: 0,
    deactivated: 0,
    attachmentsAdded: 0,
    attachmentsChanged: 0,
    attachmentsEnded: 0,
    rejected: 0,
    padded: 0,
    gpKept: 0,
    unknownColumns,
    sample: [],
    rejectsFile: o.rejects ?? null,
  };
}

/** The counts a run's row and audit entry keep of its summary. */
export const countsOf = (s: SyncSummary) => ({
  rows: s.rows,
  accounts: s.accounts,
  created: s.created,
  updated: s.updated,
  unchanged: s.unchanged,
  kept: s.kept,
  keptLocal: s.keptLocal,
  overridden: s.overridden,
  reactivated: s.reactivated,
  deactivated: s.deactivated,
  attachmentsAdded: s.attachmentsAdded,
  attachmentsChanged: s.attachmentsChanged,
  attachmentsEnded: s.attachmentsEnded,
  rejected: s.rejected,
  padded: s.padded,
  gpKept: s.gpKept,
});

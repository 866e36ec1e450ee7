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

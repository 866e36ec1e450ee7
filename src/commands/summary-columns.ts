import type { ImportSummary } from '../app/structure-import.js';
import type { SyncSummary } from '../app/sync/madrhas.js';
import type { Column } from '../ui/output.js';

/**
 * The summaries of the batch runs, as their commands show them, and as `sync runs` and `sync show`
 * label a run's counts (sync-runs.ts), in the words the run's own command used.
 */

/** `sync madrhas` and `sync apply`. */
export const SYNC_SUMMARY_COLUMNS: Column<SyncSummary>[] = [
  { key: 'file', label: 'col.file' },
  { key: 'encoding', label: 'col.encoding' },
  { key: 'mode', label: 'col.mode' },
  { key: 'dryRun', label: 'col.dryRun' },
  { key: 'rows', label: 'col.rows' },
  { key: 'accounts', label: 'col.accounts' },
  { key: 'created', label: 'col.accountsCreated' },
  { key: 'updated', label: 'col.accountsUpdated' },
  { key: 'unchanged', label: 'col.accountsUnchanged' },
  { key: 'kept', label: 'col.kept' },
  { key: 'keptLocal', label: 'col.keptLocal' },
  { key: 'overridden', label: 'col.overridden' },
  { key: 'reactivated', label: 'col.reactivated' },
  { key: 'deactivated', label: 'col.deactivated' },
  { key: 'attachmentsAdded', label: 'col.attachmentsAdded' },
  { key: 'attachmentsChanged', label: 'col.attachmentsChanged' },
  { key: 'attachmentsEnded', label: 'col.attachmentsEnded' },
  { key: 'rejected', label: 'col.rowsRejected' },
  { key: 'padded', label: 'col.padded' },
  { key: 'gpKept', label: 'col.gpKept' },
  { key: 'sha256', label: 'col.sha256', as: 'hash' },
];

/** `structure import` and `structure import-services`. */
export const IMPORT_SUMMARY_COLUMNS: Column<ImportSummary>[] = [
  { key: 'file', label: 'col.file' },
  { key: 'encoding', label: 'col.encoding' },
  { key: 'rows', label: 'col.rows' },
  { key: 'created', label: 'col.created' },
  { key: 'updated', label: 'col.updated' },
  { key: 'unchanged', label: 'col.unchanged' },
  { key: 'rejected', label: 'col.rejected' },
  { key: 'outOfScope', label: 'col.outOfScope' },
  { key: 'padded', label: 'col.padded' },
  { key: 'sha256', label: 'col.sha256', as: 'hash' },
];

import { Command } from 'commander';
import { enumOption } from './options.js';
import { z } from 'zod';
import type { SyncSummary } from '../app/sync/madrhas.js';
import { withStore } from '../app/session.js';
import { t as translate, type Lang, type MessageKey } from '../i18n/index.js';
import type { Column } from '../ui/output.js';
import { progressBar } from '../ui/progress.js';
import { reportBatch } from './batch.js';
import { actorOf, examples, globalsOf, parse, userPath } from './context.js';
import { columns } from './help-text.js';
import { MADRHAS_COLUMNS } from '../domain/madrhas.js';
import { addRunCommands } from './sync-runs.js';

/** `sync madrhas`: the main job (SPEC 8.1). */

const COLUMNS: Column<SyncSummary>[] = [
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

export function syncCommand(lang: Lang): Command {
  const t = (key: MessageKey) => translate(lang, key);
  const sync = new Command('sync')
    .description(t('cmd.sync'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr sync madrhas export-64.csv --rejects rejets.csv',
      ),
    );

  sync
    .command('madrhas')
    .description(t('cmd.sync.madrhas'))
    .argument('<file>', t('arg.csvFile'))
    .option('--dry-run', t('opt.dryRun'))
    .addOption(enumOption('--mode <mode>', t('opt.mode'), ['full', 'delta']).default('full'))
    .addOption(
      enumOption('--encoding <encoding>', t('opt.encoding'), ['auto', 'utf8', 'cp1252']).default(
        'auto',
      ),
    )
    .option('--rejects <file>', t('opt.rejects'))
    .option('--max-deactivations <n|p%>', t('opt.maxDeactivations'), '10%')
    .option('--strict', t('opt.strict'))
    .addHelpText('after', columns(lang, MADRHAS_COLUMNS))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr sync madrhas export-64.csv --dry-run',
        'chorus-admin --as corr@dgfip.fr sync madrhas export-64.csv --rejects rejets.csv --max-deactivations 50',
        'chorus-admin --as corr@dgfip.fr --json sync madrhas export-64.csv --mode delta --strict',
      ),
    )
    .action(async (file: string, opts: Record<string, unknown>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const o = parse(
        z.object({
          FILE: z.string().min(1),
          dryRun: z.boolean().default(false),
          mode: z.enum(['full', 'delta']),
          encoding: z.enum(['auto', 'utf8', 'cp1252']),
          rejects: z.string().min(1).optional(),
          maxDeactivations: z.string().min(1),
          strict: z.boolean().default(false),
        }),
        { ...opts, FILE: file },
      );
      const { syncMadrhas } = await import('../app/sync/madrhas.js');
      const bar = progressBar(g.out, g.out.t('import.progress'));
      let summary: SyncSummary;
      try {
        summary = await withStore(g.store, (s) =>
          syncMadrhas(s, actor, {
            ...o,
            file: userPath(g, o.FILE),
            rejects: o.rejects === undefined ? undefined : userPath(g, o.rejects),
            lang: g.lang,
            progress: (done, total) => bar.update(done, total),
          }),
        );
      } finally {
        bar.stop();
      }
      if (summary.dryRun) g.out.info('sync.dryRunDone');
      if (summary.gpKept > 0) g.out.warn('sync.gpKept', { count: summary.gpKept });
      await reportBatch(g, summary, COLUMNS, 'sync.done', {
        file: summary.file,
        accounts: summary.accounts,
        rows: summary.rows,
      });
    });
  addRunCommands(sync, lang);
  return sync;
}

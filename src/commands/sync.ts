import { Command } from 'commander';
import { enumOption } from './options.js';
import { z } from 'zod';
import type { SyncSummary } from '../app/sync/madrhas.js';
import { withStore } from '../app/session.js';
import { t as translate, type Lang, type MessageKey } from '../i18n/index.js';
import { progressBar } from '../ui/progress.js';
import { reportBatch } from './batch.js';
import { actorOf, examples, globalsOf, parse, userPath, type Globals } from './context.js';
import { ChangesPendingError, UsageError } from '../errors.js';
import { columns } from './help-text.js';
import { MADRHAS_COLUMNS } from '../domain/madrhas.js';
import { addRunCommands } from './sync-runs.js';
import { SYNC_SUMMARY_COLUMNS } from './summary-columns.js';

/** `sync madrhas`: the main job (SPEC 8.1). */

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
    .option('--plan <file>', t('opt.plan'))
    .option('--check', t('opt.check'))
    .option('--no-credentials', t('opt.noCredentials'))
    .addHelpText('after', columns(lang, MADRHAS_COLUMNS))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr sync madrhas export-64.csv --dry-run',
        'chorus-admin --as corr@dgfip.fr sync madrhas export-64.csv --rejects rejets.csv --max-deactivations 50',
        'chorus-admin --as corr@dgfip.fr --json sync madrhas export-64.csv --mode delta --strict',
        'chorus-admin --as corr@dgfip.fr sync madrhas export-64.csv --plan plan-64.json',
        'chorus-admin --as corr@dgfip.fr sync madrhas export-64.csv --dry-run --check',
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
          plan: z.string().min(1).optional(),
          check: z.boolean().default(false),
          credentials: z.boolean().default(true),
        }),
        { ...opts, FILE: file },
      );
      // a plan is a dry run's: written to --plan, or shown and dropped
      const dryRun = o.dryRun || o.plan !== undefined;
      // SPEC 8.1: --check says whether a dry run found changes; on a real run it means nothing
      if (o.check && !dryRun) throw new UsageError('sync.checkNeedsDryRun');
      const { syncMadrhas, OverLimitError, overLimitPlanned } =
        await import('../app/sync/madrhas.js');
      const { planWriter } = await import('../app/sync/plan.js');
      const input = userPath(g, o.FILE);
      const plan = dryRun
        ? planWriter(o.plan === undefined ? undefined : userPath(g, o.plan), input, {
            mode: o.mode,
            maxDeactivations: o.maxDeactivations,
            strict: o.strict,
            encoding: o.encoding,
            noCredentials: !o.credentials,
          })
        : null;
      const bar = progressBar(g.out, g.out.t('import.progress'));
      let summary: SyncSummary;
      try {
        summary = await withStore(g.store, (s) =>
          syncMadrhas(s, actor, {
            file: input,
            encoding: o.encoding,
            mode: o.mode,
            dryRun,
            strict: o.strict,
            maxDeactivations: o.maxDeactivations,
            noCredentials: !o.credentials,
            rejects: o.rejects === undefined ? undefined : userPath(g, o.rejects),
            lang: g.lang,
            progress: (done, total) => bar.update(done, total),
            ...(plan ? { journal: plan, hooks: plan.hooks() } : {}),
          }),
        );
      } catch (err) {
        bar.stop();
        // over the limit: nothing written, but what the run would do is shown (and its plan kept)
        if (err instanceof OverLimitError) {
          if (plan) {
            await plan.out.commit();
            const count = await showPlan(g, actor, plan.out.path, err.summary);
            plan.out.remove();
            if (o.plan !== undefined) {
              g.out.info('sync.planWrittenOverLimit', { file: o.plan, count });
              throw overLimitPlanned(err);
            }
          } else
            await g.out.record(
              { ...err.summary, overLimit: err.accounts } as SyncSummary,
              SYNC_SUMMARY_COLUMNS,
            );
        } else plan?.out.remove();
        throw err;
      } finally {
        bar.stop();
      }
      let changes = 0;
      if (plan) {
        await plan.out.commit();
        changes = await showPlan(g, actor, plan.out.path, summary);
        plan.out.remove();
      } else await g.out.record(summary, SYNC_SUMMARY_COLUMNS);
      if (summary.dryRun) g.out.info('sync.dryRunDone');
      if (o.plan !== undefined) g.out.info('sync.planWritten', { file: o.plan, count: changes });
      if (summary.gpKept > 0) g.out.warn('sync.gpKept', { count: summary.gpKept });
      // --check: 8 when the file would change the store (over rejected rows' 1), else as any run
      if (o.check && changes > 0) {
        reportRejected(g, summary);
        throw new ChangesPendingError('sync.changesPending', { count: changes });
      }
      if (o.check && summary.rejected === 0) g.out.info('sync.upToDate');
      await reportBatch(
        g,
        summary,
        SYNC_SUMMARY_COLUMNS,
        'sync.done',
        { file: summary.file, accounts: summary.accounts, rows: summary.rows },
        false,
      );
    });

  sync
    .command('apply')
    .description(t('cmd.sync.apply'))
    .argument('<plan>', t('arg.planFile'))
    .option('--file <file>', t('opt.planExport'))
    .option('--dry-run', t('opt.planDryRun'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr sync apply plan-64.json --dry-run',
        'chorus-admin --as corr@dgfip.fr sync apply plan-64.json',
        'chorus-admin --as corr@dgfip.fr --reason "export relu" sync apply plan-64.json --file export-64.csv',
      ),
    )
    .action(async (planFile: string, opts: Record<string, unknown>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const o = parse(
        z.object({
          PLAN: z.string().min(1),
          file: z.string().min(1).optional(),
          dryRun: z.boolean().default(false),
        }),
        { ...opts, PLAN: planFile },
      );
      const { applyPlan } = await import('../app/sync/plan.js');
      const bar = progressBar(g.out, g.out.t('import.progress'));
      let applied: Awaited<ReturnType<typeof applyPlan>>;
      try {
        applied = await withStore(g.store, (s) =>
          applyPlan(s, actor, {
            plan: userPath(g, o.PLAN),
            file: o.file === undefined ? undefined : userPath(g, o.file),
            lang: g.lang,
            progress: (done, total) => bar.update(done, total),
            dryRun: o.dryRun,
          }),
        );
      } finally {
        bar.stop();
      }
      const { summary } = applied;
      if (o.dryRun) {
        // what a reviewer reads: the plan for people (JSON: the plan itself), checked against now
        await showPlan(g, actor, userPath(g, o.PLAN), summary);
        g.out.info('sync.planWouldApply', {
          planner: applied.plan.actor,
          overLimit: applied.plan.overLimit === null ? 'no' : 'yes',
        });
        g.out.info('sync.dryRunDone');
        return;
      }
      if (summary.gpKept > 0) g.out.warn('sync.gpKept', { count: summary.gpKept });
      await reportBatch(g, summary, SYNC_SUMMARY_COLUMNS, 'sync.planApplied', {
        planner: applied.plan.actor,
        accounts: summary.accounts,
        rows: summary.rows,
      });
    });
  addRunCommands(sync, lang);
  return sync;
}

/**
 * A dry run's plan on stdout: for scripts (`--json`) the plan object itself; for people the diff
 * by structure (ui/plan-view.ts, each structure with its raison sociale), then the summary; csv
 * and xlsx: the summary. Returns how many accounts the plan changes.
 */
async function showPlan(
  g: Globals,
  actor: string,
  file: string,
  summary: SyncSummary,
): Promise<number> {
  const { copyPlan, planEntries, readPlan } = await import('../app/sync/plan.js');
  const { head, changes } = await readPlan(file, false);
  if (g.format === 'json') await copyPlan(file, g.io.stdout);
  else {
    if (g.format === 'table') {
      const { renderPlan } = await import('../ui/plan-view.js');
      const { namesByRef } = await import('../app/structures.js');
      const names = (refs: string[]) => withStore(g.store, (s) => namesByRef(s, actor, refs));
      const lines = await renderPlan(g.out, head, planEntries(file), names);
      g.io.stdout.write(lines.join('\n') + '\n\n');
    }
    await g.out.record(summary, SYNC_SUMMARY_COLUMNS);
  }
  return changes;
}

/** The first rejected lines on stderr, as a batch says them. */
function reportRejected(g: Globals, summary: SyncSummary): void {
  for (const r of summary.sample)
    g.out.info('import.rejectedLine', { line: r.line, errors: r.errors.join(' ; ') });
  if (summary.rejected > summary.sample.length)
    g.out.info('import.moreRejected', { count: summary.rejected - summary.sample.length });
}

import type { Command } from 'commander';
import { z } from 'zod';
import type { ChangeView, RunView } from '../app/sync/runs.js';
import type { REVERT_KIND, RevertConflict, RevertSummary } from '../app/sync/revert.js';
import { withStore } from '../app/session.js';
import { t as translate, type Lang, type MessageKey } from '../i18n/index.js';
import type { Column, EntryLayout, Output } from '../ui/output.js';
import { changeValue, valueField, valueLabel } from '../ui/changes.js';
import { confirm } from '../ui/prompts.js';
import { IMPORT_SUMMARY_COLUMNS, SYNC_SUMMARY_COLUMNS } from './summary-columns.js';
import { actorOf, askReasonIfMissing, examples, globalsOf, parse, positiveInt } from './context.js';

/**
 * `sync runs`, `sync show RUN`, `sync revert RUN` (SPEC 8.1 "Runs"): the runs a correspondent may
 * look back on (those of correspondents whose scope its own covers), what one did account by
 * account, and its undoing (app/sync/revert.ts).
 */

/** A revert run's kind (app/sync/revert.ts, loaded only when a command needs it; the type checks the text). */
const REVERT: typeof REVERT_KIND = 'sync.revert';

/**
 * A run's counts for people, each labelled as the run's own command labels it in its summary
 * ("Créés 3, Lignes rejetées 1"); a count no summary names keeps its key.
 */
function countsText(kind: string, counts: Record<string, number>, lang: Lang): string {
  const columns: readonly { key: string; label: MessageKey }[] =
    kind === 'sync.madrhas'
      ? SYNC_SUMMARY_COLUMNS
      : kind === REVERT
        ? REVERT_COLUMNS
        : kind.startsWith('structure.import')
          ? IMPORT_SUMMARY_COLUMNS
          : [];
  return Object.entries(counts)
    .filter(([, n]) => n !== 0)
    .map(([k, n]) => {
      const label = columns.find((c) => c.key === k)?.label;
      return `${label ? translate(lang, label) : k} ${n}`;
    })
    .join(', ');
}

const RUN_COLUMNS: Column<RunView>[] = [
  { key: 'id', label: 'col.id', priority: 1 },
  { key: 'kind', label: 'col.kind', as: 'auditAction', priority: 1 },
  { key: 'actor', label: 'col.actor' },
  { key: 'file', label: 'col.file' },
  { key: 'sha256', label: 'col.sha256', as: 'hash', priority: 3 },
  { key: 'startedAt', label: 'col.startedAt' },
  { key: 'finishedAt', label: 'col.finishedAt', priority: 3 },
  {
    key: 'counts',
    label: 'col.counts',
    show: (v, run, lang) => countsText(run.kind, v as Record<string, number>, lang),
    // a long line of counts, unreadable cut short: sync show RUN gives it whole
    priority: 3,
  },
  { key: 'plan', label: 'col.plan', as: 'hash', priority: 3 },
  { key: 'revertedBy', label: 'col.revertedBy' },
];

interface ChangeRow {
  target: string;
  kind: string;
  details: string;
}

const CHANGE_COLUMNS: Column<ChangeRow>[] = [
  { key: 'target', label: 'col.target', priority: 1 },
  { key: 'kind', label: 'col.kind', as: 'change', priority: 1 },
  { key: 'details', label: 'col.changes', lines: true },
];
const CHANGE_LOG: EntryLayout<ChangeRow> = {
  head: [],
  title: ['target', 'kind'],
  body: ['details'],
  labelled: [],
};

const REVERT_COLUMNS: Column<RevertSummary>[] = [
  { key: 'run', label: 'col.run' },
  { key: 'revertRun', label: 'col.revertRun' },
  { key: 'dryRun', label: 'col.dryRun' },
  { key: 'changes', label: 'col.runChanges' },
  { key: 'restored', label: 'col.restored' },
  { key: 'deleted', label: 'col.deleted' },
  { key: 'attachmentsRemoved', label: 'col.attachmentsRemoved' },
  { key: 'attachmentsRestored', label: 'col.attachmentsRestored' },
  {
    key: 'conflicts',
    label: 'col.conflicts',
    show: (v) => String((v as RevertConflict[]).length),
  },
];

const shown = (v: unknown) => (v === null || v === undefined ? '∅' : String(v));

/** A change as lines for people: fields before → after, attachments added, changed, ended. */
function detailsOf(out: Output, c: ChangeView): string {
  const lines: string[] = [];
  const value = (field: string, v: unknown) => changeValue(field, v, out.lang);
  const before = (c.before ?? {}) as Record<string, unknown>;
  const after = (c.after ?? {}) as Record<string, unknown>;
  const fieldsBefore = (before.fields ?? (c.target.startsWith('account:') ? {} : before)) as Record<
    string,
    unknown
  >;
  const fieldsAfter = (after.fields ?? (c.target.startsWith('account:') ? {} : after)) as Record<
    string,
    unknown
  >;
  for (const [k, v] of Object.entries(fieldsAfter))
    if (shown(fieldsBefore[k]) !== shown(v))
      lines.push(
        // a value the account did not have before (a creation): the value alone, as audit list
        k in fieldsBefore
          ? `${out.fieldNames([k])} : ${value(k, fieldsBefore[k])} → ${value(k, v)}`
          : `${out.fieldNames([k])} : ${value(k, v)}`,
      );
  for (const a of (after.added ?? []) as { structure: string; role: string }[])
    lines.push(out.t('run.detail.added', { structure: a.structure, role: value('role', a.role) }));
  const was = ((before.changed ?? []) as Record<string, unknown>[]).reduce(
    (m, b) => m.set(b.id as number, b),
    new Map<number, Record<string, unknown>>(),
  );
  for (const a of (after.changed ?? []) as {
    id: number;
    structure: string;
    set: Record<string, unknown>;
    services: number[] | null;
  }[]) {
    const b = was.get(a.id) ?? {};
    const parts = Object.entries(a.set).map(
      ([k, v]) => `${out.fieldNames([k])} ${value(k, b[k])} → ${value(k, v)}`,
    );
    if (a.services !== null)
      parts.push(
        `${out.fieldNames(['services'])} ${((b.services as number[] | undefined) ?? []).length} → ${a.services.length}`,
      );
    lines.push(out.t('run.detail.changed', { structure: a.structure, changes: parts.join(', ') }));
  }
  for (const a of (after.ended ?? []) as { structure: string }[])
    lines.push(out.t('run.detail.ended', { structure: a.structure }));
  // merged values by their names: `attachment:REF.role` reads Rôle (REF)
  const named = (list: readonly string[]) => list.map((p) => valueLabel(p, out.lang)).join(', ');
  for (const k of ['kept', 'keptLocal', 'gpKept'] as const) {
    const list = after[k] as string[] | undefined;
    if (list && list.length > 0)
      lines.push(
        out.t(`run.detail.${k}`, { fields: k === 'gpKept' ? list.join(', ') : named(list) }),
      );
  }
  const overridden = (after.overridden ?? []) as { field: string }[];
  if (overridden.length > 0)
    lines.push(out.t('run.detail.overridden', { fields: named(overridden.map((o) => o.field)) }));
  return lines.join('\n');
}

/**
 * The conflicts for people, under their targets: each value named, its codes in words, whole
 * (a message cut to a table's column says nothing). JSON keeps them as stored.
 */
function conflictLines(out: Output, conflicts: readonly RevertConflict[]): string[] {
  const lines: string[] = [];
  let target = '';
  for (const c of conflicts) {
    if (c.target !== target) lines.push((target = c.target));
    const value = (v: unknown) => changeValue(valueField(c.field), v, out.lang);
    const text = out.t(`run.conflict.${c.reason}` as MessageKey, {
      run: value(c.run),
      now: value(c.now),
    });
    const line = `${valueLabel(c.field, out.lang)}${out.lang === 'fr' ? ' : ' : ': '}${text}`;
    lines.push(...out.indented(line));
  }
  return lines;
}

const runArg = z.object({ RUN: positiveInt });

/** Adds `runs`, `show RUN` and `revert RUN` to the `sync` command. */
export function addRunCommands(sync: Command, lang: Lang): void {
  const t = (key: MessageKey) => translate(lang, key);

  sync
    .command('runs')
    .description(t('cmd.sync.runs'))
    .option('--limit <n>', t('opt.limit'), '100')
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr sync runs',
        'chorus-admin --as corr@dgfip.fr --json sync runs --limit 10',
      ),
    )
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { limit } = parse(z.object({ limit: positiveInt }), opts);
      const { listRuns } = await import('../app/sync/runs.js');
      const items = await withStore(g.store, (s) =>
        listRuns(s, actor, limit === 0 ? Number.MAX_SAFE_INTEGER : limit),
      );
      await g.out.list(items, RUN_COLUMNS);
    });

  sync
    .command('show')
    .description(t('cmd.sync.show'))
    .argument('<run>', t('arg.run'))
    .option('--limit <n>', t('opt.limit'), '1000')
    .addHelpText('after', examples(lang, 'chorus-admin --as corr@dgfip.fr sync show 3'))
    .action(async (run: string, opts: Record<string, unknown>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { RUN, limit } = parse(runArg.extend({ limit: positiveInt }), { ...opts, RUN: run });
      const { showRun } = await import('../app/sync/runs.js');
      const detail = await withStore(g.store, (s) =>
        showRun(s, actor, RUN, limit === 0 ? Number.MAX_SAFE_INTEGER : limit),
      );
      if (g.format === 'json') return g.out.json(detail);
      const rows = detail.changes.map((c) => ({
        target: c.target,
        kind: c.kind,
        details: detailsOf(g.out, c),
      }));
      if (g.format === 'table') {
        await g.out.record(detail.run, RUN_COLUMNS);
        g.io.stdout.write('\n');
      }
      // for people, each target and what was done to it, its changes beneath (a log)
      await g.out.entries(rows, CHANGE_COLUMNS, CHANGE_LOG);
      if (detail.total > detail.changes.length)
        g.out.info('run.moreChanges', { count: detail.total - detail.changes.length });
    });

  sync
    .command('revert')
    .description(t('cmd.sync.revert'))
    .argument('<run>', t('arg.run'))
    .option('--dry-run', t('opt.revertDryRun'))
    .option('--yes', t('opt.yes'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr sync revert 3 --dry-run',
        'chorus-admin --as corr@dgfip.fr sync revert 3 --yes --reason "export tronqué"',
      ),
    )
    .action(async (run: string, opts: Record<string, unknown>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { RUN, dryRun } = parse(runArg.extend({ dryRun: z.boolean().default(false) }), {
        dryRun: opts.dryRun,
        RUN: run,
      });
      if (!dryRun) {
        // SPEC 7: a revert asks for a confirmation (--yes), and on a terminal for its reason
        if (
          !(await confirm(g.out, g.yes || opts.yes === true, 'run.confirmRevert', { run: RUN }))
        ) {
          g.out.info('output.cancelled');
          return;
        }
        await askReasonIfMissing(g);
      }
      const { revertRun } = await import('../app/sync/revert.js');
      const summary = await withStore(g.store, (s) => revertRun(s, actor, RUN, { dryRun }));
      if (g.format === 'json') g.out.json(summary);
      else {
        await g.out.record(summary, REVERT_COLUMNS);
        if (summary.conflicts.length > 0 && g.format === 'table')
          g.io.stdout.write(['', ...conflictLines(g.out, summary.conflicts), ''].join('\n'));
      }
      if (summary.conflicts.length > 0)
        g.out.warn('run.conflicts', { count: summary.conflicts.length });
      if (dryRun) g.out.info('run.revertDryRun');
      else g.out.success('run.reverted', { run: RUN, revertRun: summary.revertRun });
    });
}

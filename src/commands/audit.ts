import { Command } from 'commander';
import { z } from 'zod';
import type { AuditView, HeadView } from '../app/audit.js';
import { withStore } from '../app/session.js';
import * as f from '../domain/fields.js';
import { PartialBatchError } from '../errors.js';
import { t, type Lang } from '../i18n/index.js';
import { formatChanges } from '../ui/changes.js';
import { label } from '../i18n/labels.js';
import { shortHash, type Column, type EntryLayout } from '../ui/output.js';
import { actorOf, examples, globalsOf, parse, positiveInt, userPath } from './context.js';

/** The head for people: the hash shortened (the JSON line carries it whole, for an anchors file). */
const HEAD_COLUMNS: Column<HeadView>[] = [
  { key: 'seq', label: 'col.seq' },
  { key: 'at', label: 'col.at' },
  { key: 'hash', label: 'col.hash', as: 'hash' },
];

const COLUMNS: Column<AuditView>[] = [
  { key: 'seq', label: 'col.seq', priority: 1 },
  { key: 'at', label: 'col.at', priority: 2 },
  { key: 'actor', label: 'col.actor', priority: 3, min: 12 },
  { key: 'action', label: 'col.action', as: 'auditAction', priority: 1, min: 14 },
  { key: 'target', label: 'col.target', priority: 2, min: 14 },
  { key: 'outcome', label: 'col.outcome', as: 'outcome', priority: 4 },
  {
    key: 'changes',
    label: 'col.changes',
    show: (v, _row, lang) => formatChanges(v, lang),
    lines: true,
    priority: 2,
    min: 20,
  },
  { key: 'reason', label: 'col.reason', priority: 4, min: 12 },
];

/**
 * `audit list` for people: a log, entry under entry (Output.entries) — its number, date and
 * actor, a refusal said; then what was done to what; then the changes and the reason, whole.
 */
const LOG_COLUMNS: Column<AuditView>[] = COLUMNS.map((c) =>
  c.key === 'seq'
    ? { ...c, show: (v, _row, lang) => `${t(lang, 'col.seq')} ${String(v)}` }
    : c.key === 'outcome'
      ? { ...c, show: (v, _row, lang) => (v === 'OK' ? '' : label('outcome', String(v), lang)) }
      : c.key === 'changes'
        ? { ...c, show: (v, row, lang) => formatChanges(v, lang, { actor: row.actor }) }
        : c,
);
const LOG: EntryLayout<AuditView> = {
  head: ['seq', 'at', 'actor', 'outcome'],
  title: ['action', 'target'],
  body: ['changes'],
  labelled: ['reason'],
};

/** What `audit export` writes as CSV or xlsx: every field of an entry, the hash whole. */
const EXPORT_COLUMNS: Column<AuditView>[] = [
  ...COLUMNS,
  { key: 'runId', label: 'col.runId' },
  { key: 'hash', label: 'col.hash' },
  // an account a sync changed, read from its run's row: the seq and hash are the run entry's
  { key: 'fromRun', label: 'col.fromRun' },
];

export function auditCommand(lang: Lang): Command {
  const audit = new Command('audit')
    .description(t(lang, 'cmd.audit'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr audit list --since 01/11/2026',
        'chorus-admin --as corr@dgfip.fr audit verify',
      ),
    );

  audit
    .command('list')
    .description(t(lang, 'cmd.audit.list'))
    .option('--actor <login>', t(lang, 'opt.auditActor'))
    .option('--target <target>', t(lang, 'opt.auditTarget'))
    .option('--action <action>', t(lang, 'opt.auditAction'))
    .option('--since <date>', t(lang, 'opt.since'))
    .option('--structure <structure>', t(lang, 'opt.auditStructure'))
    .option('--limit <n>', t(lang, 'opt.limit'), '100')
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr audit list --target pauline.dufour@mairie-pau.fr --since 01/11/2026',
        'chorus-admin --as gp@mairie-pau.fr audit list --structure 21640445900010',
      ),
    )
    .action(async (opts: Record<string, string | undefined>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const filter = parse(
        z.object({
          actor: f.login.optional(),
          target: z.string().min(1).optional(),
          action: z.string().min(1).optional(),
          since: f.since.optional(),
          structure: z.string().trim().min(1).optional(),
          limit: positiveInt,
        }),
        opts,
      );
      const { listAudit } = await import('../app/audit.js');
      const { items, total } = await withStore(g.store, (s) => listAudit(s, actor, filter));
      await g.out.entries(items, g.format === 'table' ? LOG_COLUMNS : COLUMNS, LOG);
      if (items.length < total)
        g.out.info('output.partialList', { shown: items.length, total, page: 1 });
    });

  audit
    .command('verify')
    .description(t(lang, 'cmd.audit.verify'))
    .option('--anchor <file>', t(lang, 'opt.auditAnchor'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr audit verify',
        'chorus-admin --as corr@dgfip.fr audit verify --anchor /srv/ancres/chorus.jsonl',
      ),
    )
    .action(async (opts: { anchor?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { verifyAudit } = await import('../app/audit.js');
      const anchorFile = opts.anchor === undefined ? undefined : userPath(g, opts.anchor);
      const result = await withStore(g.store, (s) => verifyAudit(s, actor, anchorFile));
      if (g.format === 'json') g.out.json(result);
      for (const miss of result.anchors)
        g.out.error(g.out.t(`audit.anchor.${miss.kind}`, { line: miss.line, seq: miss.seq }));
      if (result.break)
        throw new PartialBatchError(result, `audit.broken.${result.break.kind}`, {
          seq: result.break.seq,
          entries: result.entries,
        });
      if (result.anchors.length > 0)
        throw new PartialBatchError(result, 'audit.anchor.broken', {
          count: result.anchors.length,
        });
      g.out.success('audit.intact', {
        entries: result.entries,
        seq: result.head?.seq ?? 0,
        // a message fits the terminal: the whole hash is in `audit head --json`
        hash: shortHash(result.head?.hash ?? ''),
      });
    });

  audit
    .command('head')
    .description(t(lang, 'cmd.audit.head'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr audit head --json >> /srv/ancres/chorus.jsonl',
      ),
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { auditHead } = await import('../app/audit.js');
      const head = await withStore(g.store, (s) => auditHead(s, actor));
      // one line: what an anchors file holds, a head per line
      if (g.format === 'json') g.out.jsonLine(head);
      else await g.out.record(head, HEAD_COLUMNS);
    });

  audit
    .command('export')
    .description(t(lang, 'cmd.audit.export'))
    .addHelpText(
      'after',
      examples(lang, 'chorus-admin --as corr@dgfip.fr audit export > journal.jsonl'),
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { exportAudit } = await import('../app/audit.js');
      // JSON lines by default; CSV streamed a record per entry; xlsx gathered into one workbook
      const n = await withStore(g.store, (s) =>
        exportAudit(s, actor, (e) => g.out.streamEntry(e, EXPORT_COLUMNS)),
      );
      await g.out.endStream(EXPORT_COLUMNS);
      g.out.info('audit.exported', { count: n });
    });

  return audit;
}

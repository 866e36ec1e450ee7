import { Command } from 'commander';
import { z } from 'zod';
import type { AuditView } from '../app/audit.js';
import { withStore } from '../app/session.js';
import * as f from '../domain/fields.js';
import { PartialBatchError } from '../errors.js';
import { t, type Lang } from '../i18n/index.js';
import type { Column } from '../ui/output.js';
import { actorOf, examples, globalsOf, parse, positiveInt } from './context.js';

const COLUMNS: Column<AuditView>[] = [
  { key: 'seq', label: 'col.seq' },
  { key: 'at', label: 'col.at' },
  { key: 'actor', label: 'col.actor' },
  { key: 'action', label: 'col.action' },
  { key: 'target', label: 'col.target' },
  { key: 'outcome', label: 'col.outcome' },
  { key: 'changes', label: 'col.changes', show: (v) => formatChanges(v), lines: true },
];

/** `field: before → after`, a line each, for people; JSON keeps the object. */
export function formatChanges(changes: unknown): string {
  if (changes === null || typeof changes !== 'object')
    return changes === null ? '' : String(changes);
  return Object.entries(changes as Record<string, unknown>)
    .map(([field, v]) => {
      if (v !== null && typeof v === 'object' && 'after' in v) {
        const { before, after } = v as { before: unknown; after: unknown };
        return `${field}: ${show(before)} → ${show(after)}`;
      }
      return `${field}: ${show(v)}`;
    })
    .join('\n');
}

const show = (v: unknown) =>
  v === null || v === undefined ? '∅' : typeof v === 'object' ? JSON.stringify(v) : String(v);

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
    .option('--limit <n>', t(lang, 'opt.limit'), '100')
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr audit list --target pauline.dufour@mairie-pau.fr --since 01/11/2026',
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
          limit: positiveInt,
        }),
        opts,
      );
      const { listAudit } = await import('../app/audit.js');
      const { items, total } = await withStore(g.store, (s) => listAudit(s, actor, filter));
      g.out.list(items, COLUMNS);
      if (items.length < total)
        g.out.info('output.partialList', { shown: items.length, total, page: 1 });
    });

  audit
    .command('verify')
    .description(t(lang, 'cmd.audit.verify'))
    .addHelpText('after', examples(lang, 'chorus-admin --as corr@dgfip.fr audit verify'))
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { verifyAudit } = await import('../app/audit.js');
      const result = await withStore(g.store, (s) => verifyAudit(s, actor));
      if (g.format === 'json') g.out.json(result);
      if (result.break)
        throw new PartialBatchError(result, `audit.broken.${result.break.kind}`, {
          seq: result.break.seq,
          entries: result.entries,
        });
      g.out.success('audit.intact', {
        entries: result.entries,
        seq: result.head.seq,
        hash: result.head.hash,
      });
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
      const n = await withStore(g.store, (s) => exportAudit(s, actor, (e) => g.out.jsonLine(e)));
      g.out.info('audit.exported', { count: n });
    });

  return audit;
}

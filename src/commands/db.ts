import { Command } from 'commander';
import type { Break } from '../domain/audit-chain.js';
import { PartialBatchError } from '../errors.js';
import { t, type Lang } from '../i18n/index.js';
import { examples, globalsOf, userPath, type Globals } from './context.js';
import type { Column } from '../ui/output.js';

/** `db …`: the store's upkeep. No acting account needed (SPEC 4). */

type Row = { key: string; value: unknown };
const KV: Column<Row>[] = [
  { key: 'key', label: 'col.key' },
  { key: 'value', label: 'col.value' },
];

/**
 * A flat result: label/value lines for people, key/value records in CSV (the keys as they are),
 * labelled rows in a workbook, the object itself in JSON.
 */
async function showObject(g: Globals, value: Record<string, unknown>): Promise<void> {
  if (g.format === 'json') return g.out.json(value);
  const named = (key: string) => (g.format === 'csv' ? key : g.out.text(`field.${key}`));
  const rows = Object.entries(value).map(([key, v]) => ({ key: named(key), value: v }));
  if (g.format === 'table')
    return g.out.fields(rows.map((r) => ({ label: r.key, value: r.value })));
  await g.out.list(rows, KV);
}

export function dbCommand(lang: Lang): Command {
  const db = new Command('db')
    .description(t(lang, 'cmd.db'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin db status',
        'chorus-admin db backup /srv/sauvegardes/chorus.sqlite',
      ),
    );

  db.command('migrate')
    .description(t(lang, 'cmd.db.migrate'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin db migrate',
        'chorus-admin --db postgres://chorus@db.example/chorus db migrate',
      ),
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const { migrate } = await import('../app/store-admin.js');
      const result = await migrate(g.store);
      if (result.applied.length === 0) g.out.info('db.upToDate', { schema: result.current });
      else g.out.success('db.migrated', { applied: result.applied.join(', ') });
      await showObject(g, result);
    });

  db.command('status')
    .description(t(lang, 'cmd.db.status'))
    .addHelpText('after', examples(lang, 'chorus-admin db status --json'))
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const { status } = await import('../app/store-admin.js');
      const result = await status(g.store);
      if (result.pending.length > 0)
        g.out.warn('db.pending', { pending: result.pending.join(', ') });
      await showObject(g, result);
    });

  db.command('check')
    .description(t(lang, 'cmd.db.check'))
    .addHelpText('after', examples(lang, 'chorus-admin db check', 'chorus-admin db check --json'))
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const { check } = await import('../app/store-admin.js');
      const result = await check(g.store);
      const { findings, ...summary } = result;
      if (g.format === 'json') g.out.json(result);
      else await showObject(g, { ...summary, problems: findings.length });
      // one line per finding, in the user's language
      for (const f of findings)
        g.out.error(
          f.kind === 'auditChain'
            ? g.out.t('check.auditChain', {
                detail: g.out.t(`audit.broken.${f.break as Break['kind']}`, { seq: f.seq }),
              })
            : g.out.t(`check.${f.kind}`, f),
        );
      if (!result.ok)
        throw new PartialBatchError(result, 'db.checkFailed', { count: findings.length });
      g.out.success('db.checkOk');
    });

  db.command('backup')
    .description(t(lang, 'cmd.db.backup'))
    .argument('<file>', t(lang, 'arg.backupFile'))
    .addHelpText(
      'after',
      examples(lang, 'chorus-admin db backup /srv/sauvegardes/chorus-$(date +%F).sqlite'),
    )
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const { backup } = await import('../app/store-admin.js');
      const result = await backup(g.store, userPath(g, file));
      g.out.success('db.backedUp', { file: result.backup });
      await showObject(g, result);
    });

  return db;
}

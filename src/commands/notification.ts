import { Command } from 'commander';
import { z } from 'zod';
import type { DigestResult, ExportedMessage, NotificationView } from '../app/notifications.js';
import { withStore } from '../app/session.js';
import { UsageError } from '../errors.js';
import { t as translate, type Lang, type MessageKey } from '../i18n/index.js';
import type { Column } from '../ui/output.js';
import { actorOf, examples, globalsOf, parse, userPath } from './context.js';

/** `notification …`: the outbox of SPEC 10. */

const COLUMNS: Column<NotificationView>[] = [
  { key: 'id', label: 'col.id', priority: 1 },
  { key: 'account', label: 'col.account', priority: 4 },
  { key: 'to', label: 'col.to', priority: 2, min: 16 },
  { key: 'event', label: 'col.event', as: 'event', priority: 3 },
  { key: 'language', label: 'col.language', as: 'language', priority: 5 },
  { key: 'subject', label: 'col.subject', priority: 1, min: 16 },
  { key: 'createdAt', label: 'col.createdAt', priority: 3 },
  { key: 'sentAt', label: 'col.sentAt', priority: 4 },
];
const EXPORT_COLUMNS: Column<ExportedMessage>[] = [
  { key: 'id', label: 'col.id' },
  { key: 'to', label: 'col.to', priority: 2, min: 16 },
  { key: 'subject', label: 'col.subject', priority: 3, min: 16 },
  { key: 'path', label: 'col.path', priority: 1, min: 16 },
];
const DIGEST_COLUMNS: Column<DigestResult>[] = [
  { key: 'week', label: 'col.week' },
  { key: 'structures', label: 'col.structures' },
  { key: 'queued', label: 'col.queued' },
  { key: 'alreadyQueued', label: 'col.alreadyQueued' },
];

export function notificationCommand(lang: Lang): Command {
  const t = (key: MessageKey) => translate(lang, key);
  const notification = new Command('notification')
    .description(t('cmd.notification'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr notification list --pending',
        'chorus-admin --as corr@dgfip.fr notification export --to sortie/',
      ),
    );

  notification
    .command('list')
    .description(t('cmd.notification.list'))
    .option('--pending', t('opt.pending'))
    .addHelpText(
      'after',
      examples(lang, 'chorus-admin --as corr@dgfip.fr notification list --pending --json'),
    )
    .action(async (opts: { pending?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { listNotifications } = await import('../app/notifications.js');
      await g.out.list(
        await withStore(g.store, (s) =>
          listNotifications(s, actor, { pending: opts.pending === true }),
        ),
        COLUMNS,
      );
    });

  notification
    .command('export')
    .description(t('cmd.notification.export'))
    .option('--to <dir>', t('opt.toDir'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr notification export --to /var/spool/chorus-admin',
      ),
    )
    .action(async (opts: { to?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      if (opts.to === undefined || opts.to === '')
        throw new UsageError('usage.missingValue', { option: '--to' });
      const { exportNotifications } = await import('../app/notifications.js');
      const written = await withStore(g.store, (s) =>
        exportNotifications(s, actor, userPath(g, opts.to!)),
      );
      await g.out.list(written, EXPORT_COLUMNS);
      g.out.success('notification.exported', { count: written.length });
    });

  notification
    .command('digest')
    .description(t('cmd.notification.digest'))
    .option('--week <week>', t('opt.week'))
    .addHelpText(
      'after',
      examples(lang, 'chorus-admin --as corr@dgfip.fr notification digest --week 2025-W11'),
    )
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { week } = parse(z.object({ week: z.string().optional() }), opts);
      const { queueDigest } = await import('../app/notifications.js');
      const r = await withStore(g.store, (s) => queueDigest(s, actor, week));
      await g.out.record(r, DIGEST_COLUMNS);
      if (!r.complete) g.out.warn('notification.weekCurrent', { week: r.week });
      g.out.success('notification.digestQueued', { week: r.week, count: r.queued });
    });

  return notification;
}

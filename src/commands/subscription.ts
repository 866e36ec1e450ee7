import { Command } from 'commander';
import { enumOption } from './options.js';
import { z } from 'zod';
import type { SubscriptionView } from '../app/subscriptions.js';
import { withStore } from '../app/session.js';
import { REQUEST_STATUSES, SPACES, SUBSCRIPTION_MODES } from '../domain/enums.js';
import { UsageError } from '../errors.js';
import { t as translate, type Lang, type MessageKey } from '../i18n/index.js';
import { sameOnEveryRow, type Column } from '../ui/output.js';
import { askChoices, interactive } from '../ui/prompts.js';
import { decisionAction, reportBulk, requestIds } from './batch.js';
import { actorOf, examples, globalsOf, parse, type Globals } from './context.js';

/** `subscription …`: space subscriptions (SPEC 3, 7): the holder's requests and the deciders' decisions. */

const COLUMNS: Column<SubscriptionView>[] = [
  { key: 'id', label: 'col.id', priority: 1 },
  { key: 'account', label: 'col.account', priority: 1, min: 16 },
  { key: 'structure', label: 'col.structure', priority: 2 },
  { key: 'service', label: 'col.service', priority: 3 },
  { key: 'space', label: 'col.space', as: 'space', priority: 1, min: 12 },
  { key: 'mode', label: 'col.mode', as: 'mode', priority: 2 },
  { key: 'status', label: 'col.status', as: 'status', priority: 2 },
  { key: 'default', label: 'col.default', priority: 5 },
  { key: 'requestedAt', label: 'col.requestedAt', priority: 4 },
  { key: 'decidedBy', label: 'col.decidedBy', priority: 5 },
];

/** An enumeration value of SPEC 3, in any case. */
export const upper = <T extends readonly [string, ...string[]]>(values: T, error: MessageKey) =>
  z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .pipe(z.enum(values, { error }));

/** The ids given; none on a terminal: ticked from `choices()`; none without a terminal: usage error. */
export async function idsOrTicked(
  g: Globals,
  given: string[],
  choices: () => Promise<{ value: number; name: string }[]>,
  label: MessageKey,
): Promise<number[]> {
  if (given.length > 0) return parse(requestIds, { ID: given }).ID;
  if (!interactive(g.out)) throw new UsageError('usage.missingValue', { option: 'ID' });
  const offered = await choices();
  if (offered.length === 0) {
    g.out.info('request.noneToChoose');
    return [];
  }
  return askChoices(g.out, g.out.t(label), offered, 'ID');
}

export function subscriptionCommand(lang: Lang): Command {
  const t = (key: MessageKey) => translate(lang, key);
  const PAULINE = 'chorus-admin --as pauline.dufour@mairie-pau.fr';
  const GP = 'chorus-admin --as gp@mairie-pau.fr';
  const subscription = new Command('subscription')
    .description(t('cmd.subscription'))
    .addHelpText(
      'after',
      examples(
        lang,
        `${PAULINE} subscription request 21640445900010 FACTURES_TRAVAUX`,
        `${PAULINE} subscription list`,
      ),
    );

  subscription
    .command('list')
    .description(t('cmd.subscription.list'))
    .option('--structure <id>', t('opt.subscriptionStructure'))
    .addOption(enumOption('--status <status>', t('opt.status'), REQUEST_STATUSES))
    .addHelpText(
      'after',
      examples(
        lang,
        `${PAULINE} subscription list`,
        `${GP} subscription list --structure 21640445900010 --status EN_COURS_DE_VALIDATION --json`,
      ),
    )
    .action(async (opts: { structure?: string; status?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { listSubscriptions } = await import('../app/subscriptions.js');
      // without --structure, the actor's own subscriptions: its login on every row
      await g.out.list(
        await withStore(g.store, (s) => listSubscriptions(s, actor, opts)),
        opts.structure === undefined ? sameOnEveryRow(COLUMNS, 'account') : COLUMNS,
      );
    });

  subscription
    .command('request')
    .description(t('cmd.subscription.request'))
    .argument('<structure>', t('arg.structure'))
    .argument('<space>', t('arg.space'))
    .option('--service <code>', t('opt.serviceOne'))
    .addOption(enumOption('--mode <mode>', t('opt.subscriptionMode'), SUBSCRIPTION_MODES))
    .addHelpText(
      'after',
      examples(
        lang,
        `${PAULINE} subscription request 21640445900010 FACTURES_TRAVAUX --mode CONSULTATION_UNIQUEMENT`,
      ),
    )
    .action(
      async (
        structure: string,
        space: string,
        opts: { service?: string; mode?: string },
        cmd: Command,
      ) => {
        const g = globalsOf(cmd);
        const actor = actorOf(g);
        const o = parse(
          z.object({
            SPACE: upper(SPACES, 'validation.space'),
            mode: upper(SUBSCRIPTION_MODES, 'validation.mode').optional(),
            service: z.string().min(1).optional(),
          }),
          { SPACE: space, ...opts },
        );
        const { requestSubscription } = await import('../app/subscriptions.js');
        const made = await withStore(g.store, (s) =>
          requestSubscription(s, actor, {
            structure,
            space: o.SPACE,
            service: o.service,
            mode: o.mode,
          }),
        );
        g.out.success('subscription.requested', {
          id: made.id,
          space: made.space,
          structure: made.structure,
        });
        await g.out.record(made, COLUMNS);
      },
    );

  for (const decision of ['approve', 'reject'] as const) {
    subscription
      .command(decision)
      .description(
        t(decision === 'approve' ? 'cmd.subscription.approve' : 'cmd.subscription.reject'),
      )
      .argument('<ids...>', t('arg.requestIds'))
      .option('--reason <text>', t('opt.reason'))
      .addHelpText('after', examples(lang, `${GP} subscription ${decision} 12 13 14`))
      .action(
        decisionAction(
          decision,
          async () => (await import('../app/subscriptions.js')).decideSubscriptions,
        ),
      );
  }

  subscription
    .command('remove')
    .description(t('cmd.subscription.remove'))
    .argument('[ids...]', t('arg.requestIds'))
    .addHelpText('after', examples(lang, `${PAULINE} subscription remove 12 13`))
    .action(async (given: string[], _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { listSubscriptions, removeSubscriptions } = await import('../app/subscriptions.js');
      const ids = await idsOrTicked(
        g,
        given,
        async () =>
          (await withStore(g.store, (s) => listSubscriptions(s, actor, {})))
            .filter((v) => v.id !== null && v.status !== 'REFUSEE')
            .map((v) => ({
              value: v.id!,
              name: `${v.id}  ${v.structure}${v.service ? '/' + v.service : ''}  ${v.space} (${v.status})`,
            })),
        'subscription.askIds',
      );
      if (ids.length === 0) return g.out.info('output.cancelled');
      await reportBulk(
        g,
        await withStore(g.store, (s) => removeSubscriptions(s, actor, ids)),
        'request.removed',
      );
    });

  return subscription;
}

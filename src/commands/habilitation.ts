import { Command } from 'commander';
import { enumOption } from './options.js';
import { z } from 'zod';
import type { HabilitationView } from '../app/habilitations.js';
import { withStore } from '../app/session.js';
import { HABILITATION_PROFILES, REQUEST_STATUSES } from '../domain/enums.js';
import * as f from '../domain/fields.js';
import { InvalidInputError } from '../errors.js';
import { t as translate, type Lang, type MessageKey } from '../i18n/index.js';
import type { Column } from '../ui/output.js';
import { decisionAction, reportBulk, requestIds } from './batch.js';
import { actorOf, examples, globalsOf, parse } from './context.js';
import { idsOrTicked, upper } from './subscription.js';

/** `habilitation …`: management rights on a structure or service (SPEC 6, 7). */

const COLUMNS: Column<HabilitationView>[] = [
  { key: 'id', label: 'col.id', priority: 1 },
  { key: 'account', label: 'col.account', priority: 1, min: 16 },
  { key: 'structure', label: 'col.structure', priority: 2 },
  { key: 'service', label: 'col.service', priority: 3 },
  { key: 'profile', label: 'col.profile', as: 'profile', priority: 1, min: 14 },
  { key: 'status', label: 'col.status', as: 'status', priority: 2 },
  { key: 'requestedAt', label: 'col.requestedAt', priority: 4 },
  { key: 'decidedAt', label: 'col.decidedAt', priority: 5 },
  { key: 'decidedBy', label: 'col.decidedBy', priority: 5 },
];

const profile = upper(HABILITATION_PROFILES, 'validation.profile');
const place = z.object({
  structure: z.string().min(1),
  service: z.string().min(1).optional(),
  profile,
});

export function habilitationCommand(lang: Lang): Command {
  const t = (key: MessageKey) => translate(lang, key);
  const USER = 'chorus-admin --as pauline.dufour@mairie-pau.fr';
  const GP = 'chorus-admin --as gp@mairie-pau.fr';
  const habilitation = new Command('habilitation')
    .description(t('cmd.habilitation'))
    .addHelpText(
      'after',
      examples(
        lang,
        `${USER} habilitation request --structure 21640445900010 --profile VALIDATION_ABONNEMENTS`,
        `${GP} habilitation list --structure 21640445900010`,
      ),
    );

  habilitation
    .command('list')
    .description(t('cmd.habilitation.list'))
    .option('--account <login>', t('opt.habilitationAccount'))
    .option('--structure <id>', t('opt.habilitationStructure'))
    .addOption(enumOption('--status <status>', t('opt.status'), REQUEST_STATUSES))
    .addHelpText(
      'after',
      examples(
        lang,
        `${USER} habilitation list`,
        `${GP} habilitation list --structure 21640445900010 --status EN_COURS_DE_VALIDATION`,
      ),
    )
    .action(async (opts: Record<string, string | undefined>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const input = parse(
        z.object({
          account: f.login.optional(),
          structure: z.string().min(1).optional(),
          status: z.string().optional(),
        }),
        opts,
      );
      const { listHabilitations } = await import('../app/habilitations.js');
      await g.out.list(
        await withStore(g.store, (s) => listHabilitations(s, actor, input)),
        COLUMNS,
      );
    });

  habilitation
    .command('request')
    .description(t('cmd.habilitation.request'))
    .requiredOption('--structure <id>', t('arg.structure'))
    .option('--service <code>', t('opt.serviceOne'))
    .addOption(
      enumOption(
        '--profile <profile>',
        t('opt.profile'),
        HABILITATION_PROFILES,
      ).makeOptionMandatory(),
    )
    .addHelpText(
      'after',
      examples(
        lang,
        `${USER} habilitation request --structure 21640445900010 --service SERV-CULT --profile CONSULTATION_UTILISATEURS`,
      ),
    )
    .action(async (opts: Record<string, string | undefined>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const input = parse(place, opts);
      const { requestHabilitation } = await import('../app/habilitations.js');
      const made = await withStore(g.store, (s) => requestHabilitation(s, actor, input));
      g.out.success('habilitation.requested', {
        id: made.id,
        profile: made.profile,
        structure: made.structure,
      });
      await g.out.record(made, COLUMNS);
    });

  habilitation
    .command('grant')
    .description(t('cmd.habilitation.grant'))
    .argument('<login>', t('arg.login'))
    .requiredOption('--structure <id>', t('arg.structure'))
    .option('--service <code>', t('opt.serviceOne'))
    .addOption(
      enumOption(
        '--profile <profile>',
        t('opt.profile'),
        HABILITATION_PROFILES,
      ).makeOptionMandatory(),
    )
    .addHelpText(
      'after',
      examples(
        lang,
        `${GP} habilitation grant pauline.dufour@mairie-pau.fr --structure 21640445900010 --profile VALIDATION_RATTACHEMENTS`,
      ),
    )
    .action(async (login: string, opts: Record<string, string | undefined>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const input = parse(place.extend({ LOGIN: f.login }), { ...opts, LOGIN: login });
      const { grantHabilitation } = await import('../app/habilitations.js');
      const made = await withStore(g.store, (s) => grantHabilitation(s, actor, input.LOGIN, input));
      g.out.success('habilitation.granted', {
        id: made.id,
        profile: made.profile,
        login: made.account,
      });
      await g.out.record(made, COLUMNS);
    });

  habilitation
    .command('edit')
    .description(t('cmd.habilitation.edit'))
    .argument('<id>', t('arg.requestId'))
    .addOption(enumOption('--profile <profile>', t('opt.profile'), HABILITATION_PROFILES))
    .option('--service <code>', t('opt.serviceEdit'))
    .addHelpText(
      'after',
      examples(
        lang,
        `${GP} habilitation edit 7 --profile MODIFICATION_STRUCTURE`,
        `${GP} habilitation edit 7 --service ""`,
      ),
    )
    .action(async (id: string, opts: Record<string, string | undefined>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const [ID] = parse(requestIds, { ID: [id] }).ID;
      const o = parse(
        z.object({ profile: profile.optional(), service: z.string().trim().optional() }),
        opts,
      );
      if (o.profile === undefined && o.service === undefined)
        throw new InvalidInputError([
          { field: '--profile', message: 'habilitation.nothingToEdit' },
        ]);
      const { editHabilitation } = await import('../app/habilitations.js');
      const service = o.service === undefined ? undefined : o.service === '' ? null : o.service;
      const { habilitation: edited, changed } = await withStore(g.store, (s) =>
        editHabilitation(s, actor, ID!, { profile: o.profile, service }),
      );
      if (changed.length === 0) g.out.info('habilitation.unchanged', { id: edited.id });
      else g.out.success('habilitation.edited', { id: edited.id, fields: changed.join(', ') });
      await g.out.record(edited, COLUMNS);
    });

  for (const decision of ['approve', 'reject'] as const) {
    const command = habilitation
      .command(decision)
      .description(
        t(decision === 'approve' ? 'cmd.habilitation.approve' : 'cmd.habilitation.reject'),
      )
      .argument('<ids...>', t('arg.requestIds'));
    if (decision === 'reject') command.requiredOption('--reason <text>', t('opt.reason'));
    command
      .addHelpText(
        'after',
        examples(
          lang,
          decision === 'approve'
            ? `${GP} habilitation approve 7 8`
            : `${GP} habilitation reject 7 --reason "Profil non justifié"`,
        ),
      )
      .action(
        decisionAction(
          decision,
          async () => (await import('../app/habilitations.js')).decideHabilitations,
        ),
      );
  }

  habilitation
    .command('remove')
    .description(t('cmd.habilitation.remove'))
    .argument('[ids...]', t('arg.requestIds'))
    .addHelpText('after', examples(lang, `${USER} habilitation remove 7 8`))
    .action(async (given: string[], _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { listHabilitations, removeHabilitations } = await import('../app/habilitations.js');
      const ids = await idsOrTicked(
        g,
        given,
        async () =>
          (await withStore(g.store, (s) => listHabilitations(s, actor, {})))
            .filter((v) => v.status !== 'REFUSEE')
            .map((v) => ({
              value: v.id,
              name: `${v.id}  ${v.structure}${v.service ? '/' + v.service : ''}  ${v.profile} (${v.status})`,
            })),
        'habilitation.askIds',
      );
      if (ids.length === 0) return g.out.info('output.cancelled');
      await reportBulk(
        g,
        await withStore(g.store, (s) => removeHabilitations(s, actor, ids)),
        'request.removed',
      );
    });

  habilitation
    .command('remove-all')
    .description(t('cmd.habilitation.removeAll'))
    .requiredOption('--structure <id>', t('arg.structure'))
    .option('--service <code>', t('opt.serviceOne'))
    .option('--account <login>', t('opt.removeAllAccount'))
    .addHelpText(
      'after',
      examples(
        lang,
        `${USER} habilitation remove-all --structure 21640445900010`,
        `${GP} habilitation remove-all --structure 21640445900010 --account pauline.dufour@mairie-pau.fr`,
      ),
    )
    .action(async (opts: Record<string, string | undefined>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const input = parse(
        z.object({
          structure: z.string().min(1),
          service: z.string().min(1).optional(),
          account: f.login.optional(),
        }),
        opts,
      );
      const { removeAllHabilitations } = await import('../app/habilitations.js');
      const removed = await withStore(g.store, (s) => removeAllHabilitations(s, actor, input));
      g.out.success('habilitation.removedAll', { count: removed.length });
      await g.out.list(removed, COLUMNS);
    });

  return habilitation;
}

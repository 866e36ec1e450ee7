import { Command } from 'commander';
import { enumOption } from './options.js';
import { z } from 'zod';
import type { AttachmentView, DecisionResult } from '../app/attachments.js';
import { withStore } from '../app/session.js';
import { ATTACHMENT_STATUSES, ROLES } from '../domain/enums.js';
import * as f from '../domain/fields.js';
import { t as translate, type Lang, type MessageKey } from '../i18n/index.js';
import { sameOnEveryRow, type Column } from '../ui/output.js';
import { askText, confirm, interactive } from '../ui/prompts.js';
import { reportBulk } from './batch.js';
import {
  actorOf,
  askReasonIfMissing,
  examples,
  globalsOf,
  parse,
  type Globals,
} from './context.js';

/** `attachment …`: requests, decisions, managers' additions, detachment and the GP transfer (SPEC 7). */

const COLUMNS: Column<AttachmentView>[] = [
  { key: 'id', label: 'col.id', priority: 1 },
  { key: 'account', label: 'col.account', priority: 1, min: 16 },
  { key: 'structure', label: 'col.structure', priority: 4 },
  { key: 'companyName', label: 'col.companyName', priority: 2, min: 12 },
  { key: 'services', label: 'col.services', priority: 3 },
  { key: 'role', label: 'col.role', as: 'role', priority: 2, min: 22 },
  { key: 'status', label: 'col.status', as: 'status', priority: 2 },
  { key: 'dateStart', label: 'col.dateStart', priority: 4 },
  { key: 'dateEnd', label: 'col.dateEnd', priority: 5 },
  { key: 'inEffect', label: 'col.inEffect', priority: 5 },
  { key: 'comment', label: 'col.comment', priority: 3, min: 10 },
  { key: 'refusalReason', label: 'col.refusalReason' },
  { key: 'requestedAt', label: 'col.requestedAt', priority: 3 },
  { key: 'decidedAt', label: 'col.decidedAt' },
  { key: 'decidedBy', label: 'col.decidedBy' },
];
const LIST_COLUMNS = COLUMNS.filter((c) =>
  [
    'id',
    'account',
    'structure',
    'companyName',
    'services',
    'role',
    'status',
    'dateStart',
    'dateEnd',
    'inEffect',
  ].includes(c.key),
);
const PENDING_COLUMNS = COLUMNS.filter((c) =>
  [
    'id',
    'account',
    'structure',
    'services',
    'dateStart',
    'dateEnd',
    'comment',
    'requestedAt',
  ].includes(c.key),
);

const id = f.rowId;
const optionalDate = f.date.optional().transform((d) => d ?? null);
const codes = z.array(z.string().trim().min(1)).default([]);
const collect = (value: string, previous: string[] = []) => [...previous, value];
const text = z.string().trim().min(1, { error: 'validation.required' });

/** A required text option: as given, or asked on a terminal; without one, a usage error (exit 2) like every missing value. */
async function requiredText(
  g: Globals,
  given: unknown,
  label: MessageKey,
  flag: string,
): Promise<unknown> {
  if (given !== undefined) return given;
  return askText(
    g.out,
    g.out.t(label),
    (v) => (text.safeParse(v).success ? null : 'validation.required'),
    flag,
  );
}

/**
 * Whether the actor is the principal manager of `structure` (as typed: `SIRET:…` or the
 * identifier alone): detaching then asks for a confirmation (issue 17 point 9).
 */
async function detachesAsGp(g: Globals, actor: string, structure: string): Promise<boolean> {
  const { listAttachments } = await import('../app/attachments.js');
  const mine = await withStore(g.store, (s) => listAttachments(s, actor, {}));
  const typed = structure.trim();
  return mine.some(
    (a) =>
      a.role === 'GESTIONNAIRE_PRINCIPAL' &&
      a.status === 'VALIDEE' &&
      (a.structure.toUpperCase() === typed.toUpperCase() ||
        a.structure.slice(a.structure.indexOf(':') + 1) === typed),
  );
}

/** Each request's outcome, by the rule of every bulk command (`reportBulk`). */
async function reportDecisions(
  g: Globals,
  results: DecisionResult[],
  done: MessageKey,
): Promise<void> {
  await reportBulk(
    g,
    results.map((r) =>
      r.ok || !r.error
        ? { id: r.id, ok: true as const, value: { status: r.status ?? '' } }
        : { id: r.id, ok: false as const, error: r.error },
    ),
    done,
    'attachment.decidedPartly',
  );
}

export function attachmentCommand(lang: Lang): Command {
  const t = (key: MessageKey) => translate(lang, key);
  const attachment = new Command('attachment')
    .description(t('cmd.attachment'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as agent@mairie-pau.fr attachment request 21640445900010 --comment "Agent comptable"',
        'chorus-admin --as gp@mairie-pau.fr attachment pending',
      ),
    );

  attachment
    .command('list')
    .description(t('cmd.attachment.list'))
    .option('--account <login>', t('opt.attachmentAccount'))
    .addOption(enumOption('--status <status>', t('opt.status'), ATTACHMENT_STATUSES))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as agent@mairie-pau.fr attachment list',
        'chorus-admin --as corr@dgfip.fr attachment list --account agent@mairie-pau.fr --status VALIDEE --json',
      ),
    )
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const input = parse(
        z.object({ account: f.login.optional(), status: z.enum(ATTACHMENT_STATUSES).optional() }),
        opts,
      );
      const { listAttachments } = await import('../app/attachments.js');
      // one account's attachments (the actor's own, or --account's): its login on every row
      await g.out.list(
        await withStore(g.store, (s) => listAttachments(s, actor, input)),
        sameOnEveryRow(LIST_COLUMNS, 'account'),
      );
    });

  attachment
    .command('request')
    .description(t('cmd.attachment.request'))
    .argument('<structure>', t('arg.structure'))
    .option('--service <code>', t('opt.service'), collect)
    .option('--comment <text>', t('opt.comment'))
    .option('--from <date>', t('opt.from'))
    .option('--until <date>', t('opt.until'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as agent@mairie-pau.fr attachment request SIRET:21640445900010 --service SERV-CULT --comment "Régisseur du service culturel" --from 01/04/2025',
      ),
    )
    .action(async (structure: string, opts: Record<string, unknown>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const comment = await requiredText(g, opts.comment, 'attachment.askComment', '--comment');
      const input = parse(
        z.object({ service: codes, comment: text, from: optionalDate, until: optionalDate }),
        { ...opts, comment },
      );
      const { requestAttachmentOutcome } = await import('../app/attachments.js');
      const { attachment: made, turnTo } = await withStore(g.store, (s) =>
        requestAttachmentOutcome(s, actor, {
          structure,
          services: input.service,
          comment: input.comment,
          from: input.from,
          until: input.until,
        }),
      );
      if (turnTo === null)
        g.out.success('attachment.requested', { id: made.id, structure: made.structure });
      else {
        g.out.success('attachment.requestedUndecidable', {
          id: made.id,
          structure: made.structure,
        });
        g.out.warn('attachment.undecidable', {
          structure: made.structure,
          count: turnTo.length,
          correspondents: turnTo.map((c) => `${c.name} (${c.login})`).join(', '),
        });
      }
      await g.out.record(made, COLUMNS);
    });

  attachment
    .command('pending')
    .description(t('cmd.attachment.pending'))
    .option('--structure <id>', t('opt.structure'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as gp@mairie-pau.fr attachment pending --structure 21640445900010',
      ),
    )
    .action(async (opts: { structure?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { pendingAttachments } = await import('../app/attachments.js');
      await g.out.list(
        await withStore(g.store, (s) => pendingAttachments(s, actor, opts.structure)),
        PENDING_COLUMNS,
      );
    });

  attachment
    .command('approve')
    .description(t('cmd.attachment.approve'))
    .argument('<id...>', t('arg.attachmentIds'))
    .addHelpText(
      'after',
      examples(lang, 'chorus-admin --as gp@mairie-pau.fr attachment approve 12 13 14'),
    )
    .action(async (given: string[], _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { ID } = parse(z.object({ ID: z.array(id) }), { ID: given });
      const { decideAttachments } = await import('../app/attachments.js');
      await reportDecisions(
        g,
        await withStore(g.store, (s) => decideAttachments(s, actor, ID, { approve: true })),
        'attachment.approved',
      );
    });

  attachment
    .command('reject')
    .description(t('cmd.attachment.reject'))
    .argument('<id...>', t('arg.attachmentIds'))
    .option('--reason <text>', t('opt.reason'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as gp@mairie-pau.fr attachment reject 15 --reason "Agent inconnu du service"',
      ),
    )
    .action(async (given: string[], opts: Record<string, unknown>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { ID } = parse(z.object({ ID: z.array(id) }), { ID: given });
      const { reason } = parse(z.object({ reason: text }), {
        // its own --reason, or the global one given before the command's name
        reason: await requiredText(g, opts.reason ?? g.reason, 'attachment.askReason', '--reason'),
      });
      const { decideAttachments } = await import('../app/attachments.js');
      await reportDecisions(
        g,
        // the decision's reason is the audit entry's, asked for or given
        await withStore({ ...g.store, reason }, (s) =>
          decideAttachments(s, actor, ID, { approve: false, reason }),
        ),
        'attachment.rejected',
      );
    });

  attachment
    .command('add')
    .description(t('cmd.attachment.add'))
    .argument('<login>', t('arg.login'))
    .argument('<structure>', t('arg.structure'))
    .option('--service <code>', t('opt.service'), collect)
    .addOption(enumOption('--role <role>', t('opt.role'), ROLES).default('UTILISATEUR'))
    .option('--from <date>', t('opt.from'))
    .option('--until <date>', t('opt.until'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as gp@mairie-pau.fr attachment add agent@mairie-pau.fr 21640445900010 --role GESTIONNAIRE_SECONDAIRE',
      ),
    )
    .action(
      async (login: string, structure: string, opts: Record<string, unknown>, cmd: Command) => {
        const g = globalsOf(cmd);
        const actor = actorOf(g);
        const input = parse(
          z.object({
            LOGIN: f.login,
            service: codes,
            role: z.enum(ROLES),
            from: optionalDate,
            until: optionalDate,
          }),
          { LOGIN: login, ...opts },
        );
        // designating a GP says why on a terminal
        if (input.role === 'GESTIONNAIRE_PRINCIPAL') await askReasonIfMissing(g);
        const { addAttachment } = await import('../app/attachment-add.js');
        const made = await withStore(g.store, (s) =>
          addAttachment(s, actor, {
            login: input.LOGIN,
            structure,
            services: input.service,
            role: input.role,
            from: input.from,
            until: input.until,
          }),
        );
        g.out.success(
          input.role === 'GESTIONNAIRE_PRINCIPAL' ? 'attachment.designated' : 'attachment.added',
          { id: made.id, login: made.account, structure: made.structure },
        );
        await g.out.record(made, COLUMNS);
      },
    );

  attachment
    .command('detach')
    .description(t('cmd.attachment.detach'))
    .argument('<structure>', t('arg.structure'))
    .option('--service <code>', t('opt.service'), collect)
    .option('--new-manager <login>', t('opt.newManager'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as pauline.dufour@mairie-pau.fr attachment detach 21640445900010',
        'chorus-admin --as gp@mairie-pau.fr attachment detach 21640445900010 --new-manager gs@mairie-pau.fr --yes',
      ),
    )
    .action(async (structure: string, opts: Record<string, unknown>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const input = parse(z.object({ service: codes, newManager: f.login.optional() }), opts);
      // a GP leaving, or handing the role over, confirms it (--yes), as `file remove` does, and
      // says why on a terminal
      const asks = !g.yes || (g.reason === undefined && interactive(g.out));
      if (asks && (await detachesAsGp(g, actor, structure))) {
        const sure = await confirm(g.out, g.yes, 'attachment.confirmDetachGp', {
          structure: structure.trim(),
          hasSuccessor: input.newManager === undefined ? 'no' : 'yes',
          login: input.newManager ?? '',
        });
        if (!sure) return g.out.info('output.cancelled');
        await askReasonIfMissing(g);
      }
      const { detach } = await import('../app/attachment-detach.js');
      const r = await withStore(g.store, (s) =>
        detach(s, actor, {
          structure,
          services: input.service,
          newManager: input.newManager ?? null,
        }),
      );
      if (r.newManager)
        g.out.success('attachment.transferred', {
          structure: r.attachment.structure,
          login: r.newManager,
          title: r.title,
        });
      else if (r.detachedServices.length > 0)
        g.out.success('attachment.detachedServices', {
          structure: r.attachment.structure,
          services: r.detachedServices.join(', '),
          count: r.detachedServices.length,
          title: r.title,
        });
      else
        g.out.success('attachment.detached', { structure: r.attachment.structure, title: r.title });
      await g.out.record(r.attachment, COLUMNS);
    });

  return attachment;
}

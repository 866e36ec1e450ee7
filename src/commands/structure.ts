import { Command } from 'commander';
import { enumOption } from './options.js';
import { z } from 'zod';
import type { OrphanRow } from '../app/orphans.js';
import type {
  ServiceView,
  StructureDetails,
  StructureUser,
  StructureView,
} from '../app/structures.js';
import { withStore } from '../app/session.js';
import { ATTACHMENT_STATUSES, IDENTIFIER_TYPES } from '../domain/enums.js';
import * as f from '../domain/fields.js';
import { InvalidInputError } from '../errors.js';
import { reportBatch } from './batch.js';
import { IMPORT_SUMMARY_COLUMNS } from './summary-columns.js';
import { t as translate, type Lang, type MessageKey } from '../i18n/index.js';
import type { Column } from '../ui/output.js';
import { label as labelOf } from '../i18n/labels.js';
import { progressBar } from '../ui/progress.js';
import { actorOf, examples, globalsOf, parse, positiveInt, userPath } from './context.js';
import { columns } from './help-text.js';
import {
  SERVICE_COLUMNS as SERVICE_FILE_COLUMNS,
  STRUCTURE_COLUMNS as DIRECTORY_COLUMNS,
} from '../domain/structure.js';

/** `structure …`: the public directory (SPEC 7, 8.2, 8.3), its search, and the services its managers keep. */

const SEARCH_COLUMNS: Column<StructureView>[] = [
  { key: 'idType', label: 'col.idType', as: 'idType', priority: 4 },
  { key: 'identifier', label: 'col.identifier', priority: 1, min: 14 },
  { key: 'companyName', label: 'col.companyName', priority: 1, min: 16 },
  { key: 'postalCode', label: 'col.postalCode', priority: 3 },
  { key: 'city', label: 'col.city', priority: 2, min: 8 },
  { key: 'active', label: 'col.active', priority: 5 },
];

const DETAIL_COLUMNS: Column<StructureDetails>[] = [
  ...(SEARCH_COLUMNS as unknown as Column<StructureDetails>[]),
  { key: 'address', label: 'col.address' },
  { key: 'addressComplement1', label: 'col.addressComplement1' },
  { key: 'addressComplement2', label: 'col.addressComplement2' },
  { key: 'departement', label: 'col.departement' },
  { key: 'countryCode', label: 'col.country' },
  { key: 'countryLabel', label: 'col.countryLabel' },
  { key: 'phone', label: 'col.phone' },
  { key: 'email', label: 'col.email' },
  { key: 'ediSender', label: 'col.ediSender' },
  { key: 'ediReceiver', label: 'col.ediReceiver' },
  { key: 'managesPaymentStatus', label: 'col.managesPaymentStatus' },
  { key: 'managesCommitment', label: 'col.managesCommitment' },
  { key: 'managesService', label: 'col.managesService' },
  { key: 'managesServiceCommitment', label: 'col.managesServiceCommitment' },
  { key: 'isMoa', label: 'col.isMoa' },
  { key: 'isMoaOnly', label: 'col.isMoaOnly' },
  {
    key: 'principalManager',
    label: 'col.principalManager',
    show: (v) => (v ? `${(v as { login: string }).login}` : ''),
  },
  {
    key: 'attachments',
    label: 'col.attachmentCounts',
    show: (v, _row, lang) =>
      Object.entries(v as Record<string, number>)
        .map(([k, n]) => `${labelOf('status', k, lang)} ${n}`)
        .join(', '),
  },
  { key: 'updatedAt', label: 'col.updatedAt' },
];

/** `structure orphans`: who is attached, or waits, where nobody manages (issue 17). */
const ORPHAN_COLUMNS: Column<OrphanRow>[] = [
  { key: 'structure', label: 'col.structure', priority: 1, min: 20 },
  { key: 'companyName', label: 'col.companyName', priority: 3, min: 12 },
  {
    key: 'reason',
    label: 'col.orphanReason',
    priority: 4,
    show: (v, _row, lang) => translate(lang, `orphans.reason.${String(v)}` as MessageKey),
  },
  { key: 'id', label: 'col.id', priority: 5 },
  { key: 'account', label: 'col.account', priority: 1, min: 16 },
  { key: 'name', label: 'col.name', priority: 6 },
  { key: 'role', label: 'col.role', as: 'role', priority: 5, min: 22 },
  { key: 'status', label: 'col.attachmentStatus', as: 'status', priority: 2 },
  { key: 'services', label: 'col.services', priority: 4 },
  { key: 'requestedAt', label: 'col.requestedAt', priority: 2 },
  {
    key: 'decidable',
    label: 'col.decidable',
    priority: 6,
    show: (v, _row, lang) => (v === null ? '' : translate(lang, v ? 'orphans.yes' : 'orphans.no')),
  },
];

const SERVICE_COLUMNS: Column<ServiceView>[] = [
  { key: 'code', label: 'col.serviceCode', priority: 1 },
  { key: 'label', label: 'col.serviceLabel', priority: 1, min: 12 },
  { key: 'active', label: 'col.active', priority: 3 },
  { key: 'dateStart', label: 'col.dateStart', priority: 4 },
  { key: 'dateEnd', label: 'col.dateEnd', priority: 4 },
];

const USER_COLUMNS: Column<FlatUser>[] = [
  { key: 'login', label: 'col.login', priority: 1, min: 16 },
  { key: 'lastName', label: 'col.lastName', priority: 1, min: 8 },
  { key: 'firstName', label: 'col.firstName', priority: 2, min: 8 },
  { key: 'email', label: 'col.email', priority: 6 },
  { key: 'accountStatus', label: 'col.accountStatus', as: 'accountStatus', priority: 5 },
  { key: 'role', label: 'col.role', as: 'role', priority: 2, min: 22 },
  { key: 'status', label: 'col.attachmentStatus', as: 'status', priority: 3 },
  { key: 'services', label: 'col.services', priority: 4 },
  { key: 'dateStart', label: 'col.dateStart', priority: 5 },
  { key: 'dateEnd', label: 'col.dateEnd', priority: 6 },
  {
    key: 'habilitations',
    label: 'col.habilitations',
    priority: 4,
    min: 14,
    lines: true,
    show: (v, _row, lang) =>
      (v as string[]).map((code) => placed('profile', code, lang)).join('\n'),
  },
  {
    key: 'spaces',
    label: 'col.spaces',
    priority: 4,
    min: 14,
    lines: true,
    show: (v, _row, lang) =>
      (v as string[])
        .map((code) =>
          code.endsWith(DEFAULT_MARK)
            ? placed('space', code.slice(0, -DEFAULT_MARK.length), lang, DEFAULT_MARK)
            : placed('space', code, lang),
        )
        .join('\n'),
  },
];

/** How a default space is marked in a table, CSV or workbook (JSON says `default: true`). */
const DEFAULT_MARK = '*';

/** `CODE` or `CODE:SERVICE` as people read it: `Libellé (SERVICE)`, a mark after the label. */
function placed(kind: 'profile' | 'space', code: string, lang: Lang, mark = ''): string {
  const [value, service] = code.split(':');
  const text = labelOf(kind, value!, lang) + mark;
  return service === undefined ? text : `${text} (${service})`;
}

/** A user's row for a table, CSV or workbook: its spaces as codes, the default ones marked. */
const flatUser = (u: StructureUser): FlatUser => ({
  ...u,
  spaces: u.spaces.map(
    (sp) =>
      (sp.service === null ? sp.space : `${sp.space}:${sp.service}`) +
      (sp.default ? DEFAULT_MARK : ''),
  ),
});
type FlatUser = Omit<StructureUser, 'spaces'> & { spaces: string[] };

const importOptions = z.object({
  FILE: z.string().min(1),
  encoding: z.enum(['auto', 'utf8', 'cp1252']),
  rejects: z.string().min(1).optional(),
});

const optionalDate = z
  .string()
  .transform((raw, ctx) => {
    if (raw.trim() === '') return null;
    const d = f.parseDate(raw);
    if (d === null) {
      ctx.addIssue({ code: 'custom', message: 'validation.date', input: raw });
      return z.NEVER;
    }
    return d;
  })
  .optional();

const label = z
  .string()
  .trim()
  .min(1, { error: 'validation.required' })
  .max(200, { error: 'validation.tooLong200' });

export function structureCommand(lang: Lang): Command {
  const t = (key: MessageKey) => translate(lang, key);
  const structure = new Command('structure')
    .description(t('cmd.structure'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr structure import annuaire.csv --rejects rejets.csv',
        'chorus-admin --as corr@dgfip.fr structure search chateau --code-postal 64',
      ),
    );

  for (const [name, kind] of [
    ['import', 'structures'],
    ['import-services', 'services'],
  ] as const) {
    structure
      .command(name)
      .description(
        t(kind === 'structures' ? 'cmd.structure.import' : 'cmd.structure.importServices'),
      )
      .argument('<file>', t('arg.csvFile'))
      .addOption(
        enumOption('--encoding <encoding>', t('opt.encoding'), ['auto', 'utf8', 'cp1252']).default(
          'auto',
        ),
      )
      .option('--rejects <file>', t('opt.rejects'))
      .addHelpText(
        'after',
        columns(lang, kind === 'structures' ? DIRECTORY_COLUMNS : SERVICE_FILE_COLUMNS),
      )
      .addHelpText(
        'after',
        examples(
          lang,
          `chorus-admin --as corr@dgfip.fr structure ${name} ${kind === 'structures' ? 'annuaire.csv' : 'services.csv'} --rejects rejets.csv`,
        ),
      )
      .action(async (file: string, opts: Record<string, string | undefined>, cmd: Command) => {
        const g = globalsOf(cmd);
        const actor = actorOf(g);
        const o = parse(importOptions, { ...opts, FILE: file });
        const app = await import('../app/structure-import.js');
        const bar = progressBar(g.out, g.out.t('import.progress'));
        const run = kind === 'structures' ? app.importStructures : app.importServices;
        try {
          const summary = await withStore(g.store, (s) =>
            run(s, actor, {
              file: userPath(g, o.FILE),
              encoding: o.encoding,
              rejects: o.rejects === undefined ? undefined : userPath(g, o.rejects),
              lang: g.lang,
              progress: (done, total) => bar.update(done, total),
            }),
          );
          bar.stop();
          await reportBatch(g, summary, IMPORT_SUMMARY_COLUMNS, 'import.done', {
            file: summary.file,
            rows: summary.rows,
          });
        } finally {
          bar.stop();
        }
      });
  }

  structure
    .command('search')
    .description(t('cmd.structure.search'))
    .argument('[text...]', t('arg.searchText'))
    .option('--identifiant <identifiant>', t('opt.identifiant'))
    .addOption(enumOption('--type <type>', t('opt.idType'), IDENTIFIER_TYPES))
    .option('--raison-sociale <text>', t('opt.raisonSociale'))
    .option('--code-postal <code>', t('opt.codePostalSearch'))
    .option('--ville <ville>', t('opt.villeSearch'))
    .option('--nom <nom>', t('opt.nomSearch'))
    .option('--prenom <prenom>', t('opt.prenomSearch'))
    .option('--limit <n>', t('opt.limit'), '20')
    .option('--page <n>', t('opt.page'), '1')
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr structure search "mairie de pau"',
        'chorus-admin --as corr@dgfip.fr structure search --type TAHITI --identifiant 003970-001',
        'chorus-admin --as corr@dgfip.fr structure search --ville chateau --page 2 --json',
      ),
    )
    .action(async (words: string[], opts: Record<string, string | undefined>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      // `structure search commune de pau` reads as one text, quoted or not
      const text = words.length > 0 ? words.join(' ') : undefined;
      const filled = z
        .string()
        .trim()
        .min(1, { error: 'validation.required' })
        .max(200, { error: 'validation.tooLong200' })
        .optional();
      const input = parse(
        z.object({
          text: filled,
          identifiant: filled,
          type: z.enum(IDENTIFIER_TYPES).optional(),
          raisonSociale: filled,
          codePostal: filled,
          ville: filled,
          nom: filled,
          prenom: filled,
          limit: positiveInt,
          page: positiveInt.pipe(z.number().min(1, { error: 'validation.positiveInt' })),
        }),
        { ...opts, text },
      );
      if (
        input.text === undefined &&
        [
          input.identifiant,
          input.type,
          input.raisonSociale,
          input.codePostal,
          input.ville,
          input.nom,
          input.prenom,
        ].every((v) => v === undefined)
      )
        throw new InvalidInputError([{ field: 'TEXT', message: 'structure.searchNeedsCriteria' }]);
      const { searchStructures } = await import('../app/structures.js');
      const { items, total } = await withStore(g.store, (s) => searchStructures(s, actor, input));
      await g.out.list(items, SEARCH_COLUMNS);
      if (items.length < total)
        g.out.info('output.partialList', { shown: items.length, total, page: input.page });
    });

  structure
    .command('orphans')
    .description(t('cmd.structure.orphans'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr structure orphans',
        'chorus-admin --as corr@dgfip.fr structure orphans --format csv > sans-gestionnaire.csv',
      ),
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { listOrphans } = await import('../app/orphans.js');
      await g.out.list(await withStore(g.store, (s) => listOrphans(s, actor)), ORPHAN_COLUMNS);
    });

  structure
    .command('show')
    .description(t('cmd.structure.show'))
    .argument('<id>', t('arg.structure'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr structure show 21640445900010',
        'chorus-admin --as corr@dgfip.fr structure show TAHITI:003970-001 --json',
      ),
    )
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { showStructure } = await import('../app/structures.js');
      const details = await withStore(g.store, (s) => showStructure(s, actor, id));
      await g.out.record(details, DETAIL_COLUMNS);
      if (g.format === 'table' && details.services.length > 0)
        await g.out.list(details.services, SERVICE_COLUMNS);
    });

  structure
    .command('users')
    .description(t('cmd.structure.users'))
    .argument('<id>', t('arg.structure'))
    .addOption(enumOption('--status <status...>', t('opt.attachmentStatus'), ATTACHMENT_STATUSES))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as gp@mairie-pau.fr structure users 21640445900010 --format csv > utilisateurs.csv',
      ),
    )
    .action(async (id: string, opts: { status?: string[] }, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { structureUsers, DEFAULT_USER_STATUSES } = await import('../app/structures.js');
      const users = await withStore(g.store, (s) =>
        structureUsers(s, actor, id, opts.status ?? DEFAULT_USER_STATUSES),
      );
      // JSON keeps each space an object ({ space, service, default }); the others join codes
      if (g.format === 'json') g.out.json(users);
      else await g.out.list(users.map(flatUser), USER_COLUMNS);
    });

  const service = structure
    .command('service')
    .description(t('cmd.structure.service'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as gp@mairie-pau.fr structure service add 21640445900010 SERV-SPORT --libelle "Service des sports"',
      ),
    );

  service
    .command('add')
    .description(t('cmd.structure.service.add'))
    .argument('<structure>', t('arg.structure'))
    .argument('<code>', t('arg.serviceCode'))
    .requiredOption('--libelle <libelle>', t('opt.libelle'))
    .option('--debut <date>', t('opt.debut'))
    .option('--fin <date>', t('opt.fin'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as gp@mairie-pau.fr structure service add 21640445900010 SERV-SPORT --libelle "Service des sports" --debut 01/01/2027',
      ),
    )
    .action(
      async (ref: string, code: string, opts: Record<string, string | undefined>, cmd: Command) => {
        const g = globalsOf(cmd);
        const actor = actorOf(g);
        const o = parse(z.object({ libelle: label, debut: optionalDate, fin: optionalDate }), opts);
        const { addService } = await import('../app/structures.js');
        const added = await withStore(g.store, (s) =>
          addService(s, actor, ref, code, { label: o.libelle, dateStart: o.debut, dateEnd: o.fin }),
        );
        g.out.success('service.added', { code: added.code, structure: ref });
        await g.out.record(added, SERVICE_COLUMNS);
      },
    );

  service
    .command('edit')
    .description(t('cmd.structure.service.edit'))
    .argument('<structure>', t('arg.structure'))
    .argument('<code>', t('arg.serviceCode'))
    .option('--libelle <libelle>', t('opt.libelle'))
    .option('--debut <date>', t('opt.debutClear'))
    .option('--fin <date>', t('opt.finClear'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as gp@mairie-pau.fr structure service edit 21640445900010 SERV-CULT --libelle "Culture et patrimoine" --fin ""',
      ),
    )
    .action(
      async (ref: string, code: string, opts: Record<string, string | undefined>, cmd: Command) => {
        const g = globalsOf(cmd);
        const actor = actorOf(g);
        const o = parse(
          z.object({ libelle: label.optional(), debut: optionalDate, fin: optionalDate }),
          opts,
        );
        if (o.libelle === undefined && o.debut === undefined && o.fin === undefined)
          throw new InvalidInputError([{ field: '--libelle', message: 'service.nothingToEdit' }]);
        const { editService } = await import('../app/structures.js');
        const { service: edited, changed } = await withStore(g.store, (s) =>
          editService(s, actor, ref, code, {
            label: o.libelle,
            dateStart: o.debut,
            dateEnd: o.fin,
          }),
        );
        if (changed.length === 0) g.out.info('service.unchanged', { code: edited.code });
        else
          g.out.success('service.edited', { code: edited.code, fields: g.out.fieldNames(changed) });
        await g.out.record(edited, SERVICE_COLUMNS);
      },
    );

  service
    .command('deactivate')
    .description(t('cmd.structure.service.deactivate'))
    .argument('<structure>', t('arg.structure'))
    .argument('<code>', t('arg.serviceCode'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as gp@mairie-pau.fr structure service deactivate 21640445900010 SERV-CULT',
      ),
    )
    .action(async (ref: string, code: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { deactivateService } = await import('../app/structures.js');
      const done = await withStore(g.store, (s) => deactivateService(s, actor, ref, code));
      g.out.success('service.deactivated', { code: done.code });
      await g.out.record(done, SERVICE_COLUMNS);
    });

  return structure;
}

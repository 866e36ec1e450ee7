import { Command } from 'commander';
import { enumOption } from './options.js';
import { z } from 'zod';
import type { AccountDetails, AccountView } from '../app/accounts.js';
import {
  checkPostalCode,
  personalPatchSchema,
  toPersonalPatch,
  OPTION_OF,
  type PersonalData,
} from '../domain/account.js';
import { parseScope } from '../domain/departement.js';
import { ACCOUNT_STATUSES } from '../domain/enums.js';
import * as f from '../domain/fields.js';
import { InvalidInputError } from '../errors.js';
import { t as translate, type Lang, type MessageKey } from '../i18n/index.js';
import type { Column } from '../ui/output.js';
import { askText, confirm } from '../ui/prompts.js';
import {
  actorOf,
  askReasonIfMissing,
  examples,
  fieldIssues,
  globalsOf,
  parse,
  positiveInt,
  type Globals,
} from './context.js';
import { withStore } from '../app/session.js';

/** `account …`: the correspondent's account management and the holder's own data (SPEC 7). */

const PERSONAL_OPTIONS: [flags: string, key: MessageKey][] = [
  ['--email <email>', 'opt.email'],
  ['--civilite <civilite>', 'opt.civilite'],
  ['--nom <nom>', 'opt.nom'],
  ['--prenom <prenom>', 'opt.prenom'],
  ['--telephone <numero>', 'opt.telephone'],
  ['--mobile <numero>', 'opt.mobile'],
  ['--adresse <adresse>', 'opt.adresse'],
  ['--complement <complement>', 'opt.complement'],
  ['--code-postal <code>', 'opt.codePostal'],
  ['--ville <ville>', 'opt.ville'],
  ['--pays <code>', 'opt.pays'],
  ['--langue <fr|en>', 'opt.langue'],
  ['--notif-facturation <on|off>', 'opt.notifFacturation'],
  ['--notif-actualite <on|off>', 'opt.notifActualite'],
];
const PERSONAL_KEYS = Object.keys(personalPatchSchema.shape);

function withPersonalOptions(cmd: Command, lang: Lang): Command {
  for (const [flags, key] of PERSONAL_OPTIONS) cmd.option(flags, translate(lang, key));
  return cmd;
}

/**
 * The personal options, validated together so that every invalid one is named at once: the
 * postal code too, whose format depends on the country (`--pays`, else the account's, which
 * `countryOf` reads only when another option already fails).
 */
async function personalPatchOf(
  opts: Record<string, unknown>,
  countryOf: () => Promise<string | undefined>,
) {
  const input = Object.fromEntries(
    PERSONAL_KEYS.filter((k) => opts[k] !== undefined).map((k) => [k, opts[k]]),
  );
  const r = personalPatchSchema.safeParse(input);
  if (r.success) return toPersonalPatch(r.data);
  const issues = fieldIssues(r.error, input);
  const code = input.codePostal;
  if (typeof code === 'string' && code !== '' && !issues.some((i) => i.field === '--code-postal')) {
    const pays = personalPatchSchema.shape.pays.safeParse(input.pays);
    const country = (pays.success ? pays.data : undefined) ?? (await countryOf());
    if (country !== undefined && !checkPostalCode(code, country).ok)
      issues.push({ field: OPTION_OF.postalCode, message: 'validation.postalCode' });
  }
  throw new InvalidInputError(issues);
}

/** The country of the account a command changes, for its postal code; unknown when it cannot be read. */
function countryOfAccount(g: Globals, actor: string, login: string | undefined) {
  return async () => {
    const { showAccount: show } = await import('../app/accounts.js');
    return withStore(g.store, (s) => show(s, actor, login)).then(
      (a) => a.country,
      () => undefined,
    );
  };
}

export const ACCOUNT_COLUMNS: Column<AccountView>[] = [
  { key: 'login', label: 'col.login', priority: 1, min: 16 },
  { key: 'status', label: 'col.status', as: 'accountStatus', priority: 2 },
  { key: 'kind', label: 'col.kind', as: 'accountKind', priority: 4 },
  { key: 'scope', label: 'col.scope' },
  { key: 'title', label: 'col.title' },
  { key: 'lastName', label: 'col.lastName', priority: 1, min: 8 },
  { key: 'firstName', label: 'col.firstName', priority: 2, min: 8 },
  { key: 'email', label: 'col.email', priority: 6 },
  { key: 'phone', label: 'col.phone' },
  { key: 'mobile', label: 'col.mobile' },
  { key: 'address', label: 'col.address' },
  { key: 'addressComplement', label: 'col.addressComplement' },
  { key: 'postalCode', label: 'col.postalCode', priority: 5 },
  { key: 'city', label: 'col.city', priority: 3 },
  { key: 'country', label: 'col.country' },
  { key: 'language', label: 'col.language', as: 'language' },
  { key: 'notifyBilling', label: 'col.notifyBilling' },
  { key: 'notifyNews', label: 'col.notifyNews' },
  { key: 'source', label: 'col.source', as: 'source' },
  { key: 'completedAt', label: 'col.completedAt', priority: 4 },
  { key: 'createdAt', label: 'col.createdAt' },
  { key: 'updatedAt', label: 'col.updatedAt' },
];

const LIST_COLUMNS = ACCOUNT_COLUMNS.filter((c) =>
  [
    'login',
    'status',
    'kind',
    'lastName',
    'firstName',
    'email',
    'postalCode',
    'city',
    'completedAt',
  ].includes(c.key),
);

const ATTACHMENT_COLUMNS: Column<AccountDetails['attachments'][number]>[] = [
  { key: 'id', label: 'col.id', priority: 1 },
  { key: 'structure', label: 'col.structure', priority: 3 },
  { key: 'companyName', label: 'col.companyName', priority: 1, min: 12 },
  { key: 'role', label: 'col.role', as: 'role', priority: 2, min: 22 },
  { key: 'status', label: 'col.status', as: 'status', priority: 2 },
  { key: 'dateStart', label: 'col.dateStart', priority: 4 },
  { key: 'dateEnd', label: 'col.dateEnd', priority: 4 },
];

async function showAccount(g: Globals, account: AccountView | AccountDetails): Promise<void> {
  await g.out.record(account, ACCOUNT_COLUMNS);
  if (g.format !== 'table') return;
  if ('attachments' in account && account.attachments.length > 0)
    await g.out.list(account.attachments, ATTACHMENT_COLUMNS);
}

const loginArg = z.object({ LOGIN: f.login });

export function accountCommand(lang: Lang): Command {
  const t = (key: MessageKey) => translate(lang, key);
  const account = new Command('account')
    .description(t('cmd.account'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr account list --status ACTIF',
        'chorus-admin --as pauline.dufour@mairie-pau.fr account show',
      ),
    );

  withPersonalOptions(
    account
      .command('create')
      .description(t('cmd.account.create'))
      .argument('<login>', t('arg.login'))
      .option('--correspondent', t('opt.correspondent'))
      .option('--scope <departements>', t('opt.scope')),
    lang,
  )
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr account create marie.lopez@mairie-pau.fr --email marie.lopez@mairie-pau.fr --nom LOPEZ --prenom Marie',
        'chorus-admin --as corr@dgfip.fr account create agent@dgfip.fr --email agent@dgfip.fr --nom MARTIN --prenom Jean --correspondent --scope 64',
      ),
    )
    .action(async (login: string, opts: Record<string, unknown>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { LOGIN } = parse(loginArg, { LOGIN: login });
      const data = await personalPatchOf(opts, () => Promise.resolve('FR'));
      const missing = (['email', 'lastName', 'firstName'] as const).filter(
        (k) => data[k] === undefined,
      );
      if (missing.length > 0)
        throw new InvalidInputError(
          missing.map((k) => ({ field: OPTION_OF[k], message: 'validation.required' })),
        );
      const scope = scopeOption(opts);
      const { createAccount } = await import('../app/accounts.js');
      const created = await withStore(g.store, (s) =>
        createAccount(s, actor, {
          login: LOGIN,
          data: data as Parameters<typeof createAccount>[2]['data'],
          scope,
        }),
      );
      g.out.success('account.created', { login: created.login });
      await showAccount(g, created);
    });

  for (const transition of ['deactivate', 'reactivate', 'delete'] as const) {
    account
      .command(transition)
      .description(t(`cmd.account.${transition}`))
      .argument('<login>', t('arg.login'))
      .addHelpText(
        'after',
        examples(
          lang,
          `chorus-admin --as corr@dgfip.fr account ${transition} pauline.dufour@mairie-pau.fr${transition === 'delete' ? ' --yes' : ''}`,
        ),
      )
      .action(async (login: string, _opts: unknown, cmd: Command) => {
        const g = globalsOf(cmd);
        const actor = actorOf(g);
        const { LOGIN } = parse(loginArg, { LOGIN: login });
        if (
          transition === 'delete' &&
          !(await confirm(g.out, g.yes, 'account.confirmDelete', { login: LOGIN }))
        ) {
          g.out.info('output.cancelled');
          return;
        }
        if (transition !== 'reactivate') await askReasonIfMissing(g);
        const { changeStatus } = await import('../app/accounts.js');
        const result = await withStore(g.store, (s) => changeStatus(s, actor, LOGIN, transition));
        g.out.success(`account.${transition}d`, { login: result.login });
        await showAccount(g, result);
      });
  }

  account
    .command('resend-credentials')
    .description(t('cmd.account.resendCredentials'))
    .argument('<login>', t('arg.login'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr account resend-credentials pauline.dufour@mairie-pau.fr',
      ),
    )
    .action(async (login: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const { LOGIN } = parse(loginArg, { LOGIN: login });
      const { resendCredentials } = await import('../app/accounts.js');
      const result = await withStore(g.store, (s) => resendCredentials(s, actor, LOGIN));
      g.out.success('account.credentialsQueued', { login: result.login, email: result.email });
    });

  account
    .command('list')
    .description(t('cmd.account.list'))
    .addOption(enumOption('--status <status>', t('opt.status'), ACCOUNT_STATUSES))
    .option('--structure <id>', t('opt.structure'))
    .option('--search <text>', t('opt.search'))
    .option('--limit <n>', t('opt.limit'), '100')
    .option('--page <n>', t('opt.page'), '1')
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as corr@dgfip.fr account list --status ACTIF --search dufour',
        'chorus-admin --as corr@dgfip.fr account list --structure SIRET:21640445900010 --format csv',
      ),
    )
    .action(async (opts: Record<string, string | undefined>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const input = parse(
        z.object({
          status: z.enum(ACCOUNT_STATUSES).optional(),
          structure: z.string().min(1).optional(),
          search: z.string().min(1).optional(),
          limit: positiveInt,
          page: positiveInt.pipe(z.number().min(1, { error: 'validation.positiveInt' })),
        }),
        opts,
      );
      const { listAccounts } = await import('../app/accounts.js');
      const { items, total } = await withStore(g.store, (s) => listAccounts(s, actor, input));
      await g.out.list(items, LIST_COLUMNS);
      if (items.length < total)
        g.out.info('output.partialList', { shown: items.length, total, page: input.page });
    });

  account
    .command('show')
    .description(t('cmd.account.show'))
    .argument('[login]', t('arg.loginOptional'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as pauline.dufour@mairie-pau.fr account show',
        'chorus-admin --as corr@dgfip.fr account show pauline.dufour@mairie-pau.fr --json',
      ),
    )
    .action(async (login: string | undefined, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const target = login === undefined ? undefined : parse(loginArg, { LOGIN: login }).LOGIN;
      const { showAccount: show } = await import('../app/accounts.js');
      await showAccount(g, await withStore(g.store, (s) => show(s, actor, target)));
    });

  withPersonalOptions(
    account
      .command('edit')
      .description(t('cmd.account.edit'))
      .argument('[login]', t('arg.loginOptional')),
    lang,
  )
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as pauline.dufour@mairie-pau.fr account edit --telephone "05 59 27 85 80" --notif-actualite off',
      ),
    )
    .action(async (login: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const target = login === undefined ? undefined : parse(loginArg, { LOGIN: login }).LOGIN;
      const patch = await personalPatchOf(opts, countryOfAccount(g, actor, target));
      if (Object.keys(patch).length === 0) throw new InvalidInputError([], 'account.nothingToEdit');
      const { editAccount } = await import('../app/accounts.js');
      const result = await withStore(g.store, (s) => editAccount(s, actor, target, patch));
      if (result.changed.length === 0)
        g.out.info('account.unchanged', { login: result.account.login });
      else
        g.out.success('account.edited', {
          login: result.account.login,
          fields: g.out.fieldNames(result.changed),
        });
      await showAccount(g, result.account);
    });

  withPersonalOptions(account.command('complete').description(t('cmd.account.complete')), lang)
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as pauline.dufour@mairie-pau.fr account complete --adresse "Place Royale" --code-postal 64000 --ville Pau',
      ),
    )
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const patch = await personalPatchOf(opts, countryOfAccount(g, actor, undefined));
      const { completionState, completeAccount } = await import('../app/accounts.js');
      const state = await withStore(g.store, (s) => completionState(s, actor));
      // the first-login form: what is still missing is asked for on a TTY
      for (const field of state.missing.filter(
        (k) => patch[k] === undefined || patch[k] === null,
      )) {
        (patch as Record<string, unknown>)[field] = await askField(
          g,
          field,
          patch.country ?? state.account.country,
        );
      }
      const result = await withStore(g.store, (s) => completeAccount(s, actor, patch));
      g.out.success('account.completed', { login: result.account.login });
      await showAccount(g, result.account);
    });

  return account;
}

/** Asks one missing field of the first-login step, validated as the option would be. */
async function askField(g: Globals, field: keyof PersonalData, country: string): Promise<string> {
  const flag = OPTION_OF[field];
  const key = flag
    .slice(2)
    .replace(/-([a-z])/g, (_, c: string) =>
      c.toUpperCase(),
    ) as keyof typeof personalPatchSchema.shape;
  const schema = personalPatchSchema.shape[key];
  const answer = await askText(
    g.out,
    g.out.t(`col.${field}` as MessageKey),
    (v) => {
      // the postal code's format depends on the country, as `completeAccount` checks it
      if (field === 'postalCode')
        return checkPostalCode(v, country).ok ? null : 'validation.postalCode';
      const r = schema.safeParse(v);
      return r.success && v.trim() !== ''
        ? null
        : ((r.error?.issues[0]?.message ?? 'validation.required') as MessageKey);
    },
    flag,
  );
  const parsed = toPersonalPatch(parse(personalPatchSchema, { [key]: answer }));
  return parsed[field] as string;
}

function scopeOption(opts: Record<string, unknown>) {
  const wantsCorrespondent = opts.correspondent === true;
  const text = opts.scope as string | undefined;
  if (!wantsCorrespondent && text === undefined) return undefined;
  if (!wantsCorrespondent)
    throw new InvalidInputError([
      { field: '--scope', message: 'validation.scopeWithoutCorrespondent' },
    ]);
  if (text === undefined)
    throw new InvalidInputError([{ field: '--scope', message: 'validation.required' }]);
  const { scope, invalid } = parseScope(text);
  if (invalid.length > 0)
    throw new InvalidInputError([
      { field: '--scope', message: 'validation.scope', params: { values: invalid.join(', ') } },
    ]);
  return scope;
}

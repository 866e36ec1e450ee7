import {
  ACCOUNT_TRANSITIONS,
  checkPostalCode,
  diff,
  missingForCompletion,
  OPTION_OF,
  searchKey,
  type AccountTransition,
  type PersonalData,
  type PersonalPatch,
} from '../domain/account.js';
import type { Scope } from '../domain/departement.js';
import type { AccountStatus, Source } from '../domain/enums.js';
import { formatStructureRef, parseStructureRef } from '../domain/structure-ref.js';
import { ConflictError, InvalidInputError } from '../errors.js';
import * as accounts from '../db/account.repository.js';
import * as attachments from '../db/attachment.repository.js';
import type { AccountRow, Db } from '../db/schema.js';
import type { Store } from '../db/store.js';
import * as structures from '../db/structure.repository.js';
import { reachAccount } from './reach-account.js';
import { runUseCase, type UseCase } from './use-case.js';
import type { AuditAction } from '../i18n/labels.js';

/** An account as commands show it: stable English keys (SPEC 4). */
export interface AccountView extends PersonalData {
  login: string;
  status: AccountStatus;
  kind: 'correspondent' | 'user';
  scope: string[] | null;
  source: string;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AccountDetails extends AccountView {
  attachments: {
    id: number;
    structure: string;
    companyName: string;
    role: string;
    status: string;
    dateStart: string | null;
    dateEnd: string | null;
  }[];
}

export function toView(row: AccountRow, scope: Scope | null): AccountView {
  return {
    login: row.login,
    status: row.status,
    kind: scope ? 'correspondent' : 'user',
    scope: scope ? [...scope] : null,
    title: row.title,
    lastName: row.lastName,
    firstName: row.firstName,
    email: row.email,
    phone: row.phone,
    mobile: row.mobile,
    address: row.address,
    addressComplement: row.addressComplement,
    postalCode: row.postalCode,
    city: row.city,
    country: row.country,
    language: row.language,
    notifyBilling: row.notifyBilling === 1,
    notifyNews: row.notifyNews === 1,
    source: row.source,
    completedAt: row.completedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const accountLabel = (login: string) => `account:${login}`;

/** The patch as columns: flags become 0/1, and the search key follows the names. */
function toColumns<P extends PersonalPatch>(
  patch: P,
  current: Pick<AccountRow, 'login' | 'lastName' | 'firstName'>,
) {
  const { notifyBilling, notifyNews, ...rest } = patch;
  return {
    ...rest,
    ...(notifyBilling === undefined ? {} : { notifyBilling: notifyBilling ? 1 : 0 }),
    ...(notifyNews === undefined ? {} : { notifyNews: notifyNews ? 1 : 0 }),
    searchKey: searchKey(
      current.login,
      patch.lastName ?? current.lastName,
      patch.firstName ?? current.firstName,
    ),
  };
}

/** The postal code's format depends on the country the account will have after the patch. */
function checkedPostalCode<P extends PersonalPatch>(patch: P, currentCountry: string): P {
  if (patch.postalCode === undefined || patch.postalCode === null) return patch;
  const checked = checkPostalCode(patch.postalCode, patch.country ?? currentCountry);
  if (!checked.ok)
    throw new InvalidInputError([
      { field: OPTION_OF.postalCode, message: 'validation.postalCode' },
    ]);
  return { ...patch, postalCode: checked.value };
}

export interface CreateAccountInput {
  login: string;
  data: PersonalPatch & Pick<PersonalData, 'email' | 'lastName' | 'firstName'>;
  /** Makes the account a correspondent with this scope. */
  scope?: Scope | undefined;
}

export async function createAccount(
  store: Store,
  actor: string,
  input: CreateAccountInput,
): Promise<AccountView> {
  const label = accountLabel(input.login);
  return runUseCase(
    store,
    { actor, action: input.scope ? 'correspondent.create' : 'account.create' },
    async (uc) => {
      if (input.scope)
        uc.authorize('correspondent.create', { kind: 'scope', scope: input.scope }, label);
      else uc.authorize('account.create', { kind: 'none' }, label);
      const existing = await accounts.findAccount(uc.trx, input.login);
      if (existing)
        throw new ConflictError(
          existing.status === 'SUPPRIME' ? 'account.existsDeleted' : 'account.exists',
          { login: input.login },
        );
      const data = checkedPostalCode(input.data, input.data.country ?? 'FR');
      const account = await insertNew(
        uc.trx,
        uc.now,
        input.login,
        data,
        input.scope ?? null,
        'MANUEL',
      );
      uc.audit(input.scope ? 'correspondent.create' : 'account.create', label, {
        ...diff({} as PersonalData, data),
        ...(input.scope ? { scope: { before: null, after: input.scope.join(',') } } : {}),
      });
      uc.notify(account, 'ACCOUNT_CREATED', {});
      return toView(account, input.scope ?? null);
    },
  );
}

/** Inserts an active account (and its scope); preferences take the store's defaults. */
export async function insertNew(
  db: Db,
  at: string,
  login: string,
  data: CreateAccountInput['data'],
  scope: Scope | null,
  source: Source,
): Promise<AccountRow> {
  const id = await accounts.insertAccount(db, {
    login,
    status: 'ACTIF',
    source,
    ...toColumns(data, { login, lastName: data.lastName, firstName: data.firstName }),
    createdAt: at,
    updatedAt: at,
  });
  if (scope) await accounts.insertScope(db, id, scope);
  return accounts.getAccount(db, login);
}

/** deactivate, reactivate, delete: a correspondent's status change on an account in scope. */
export async function changeStatus(
  store: Store,
  actor: string,
  login: string,
  transition: AccountTransition,
): Promise<AccountView> {
  const action = `account.${transition}` as const;
  const label = accountLabel(login);
  return runUseCase(store, { actor, action }, async (uc) => {
    const { account } = await reachAccount(uc, login, action, label);
    if (account.id === uc.actor.id) throw new ConflictError('account.notYourself', { login });
    const rule = ACCOUNT_TRANSITIONS[transition];
    if (!(rule.from as readonly string[]).includes(account.status))
      throw new ConflictError(`account.cannot.${transition}`, { login, status: account.status });
    if (transition !== 'reactivate') {
      // a structure's GP is never deleted nor deactivated (db check holds it): the role must be
      // handed over first (attachment detach --new-manager)
      const gp = await attachments.principalOf(uc.trx, account.id);
      if (gp.length > 0)
        throw new ConflictError('account.isPrincipalManager', {
          login,
          structures: gp.map(formatStructureRef).join(', '),
        });
    }
    await accounts.updateAccount(uc.trx, account.id, { status: rule.to, updatedAt: uc.now });
    const changes: Record<string, unknown> = { status: { before: account.status, after: rule.to } };
    if (transition === 'delete')
      changes.attachmentsEnded = await accounts.endAttachments(
        uc.trx,
        account.id,
        'SUPPRIMEE',
        uc.now,
      );
    uc.audit(action, label, changes);
    if (transition === 'deactivate') uc.notify(account, 'ACCOUNT_DEACTIVATED', {});
    return toView(
      { ...account, status: rule.to, updatedAt: uc.now },
      await accounts.scopeOf(uc.trx, account.id),
    );
  });
}

export async function resendCredentials(
  store: Store,
  actor: string,
  login: string,
): Promise<AccountView> {
  const label = accountLabel(login);
  return runUseCase(store, { actor, action: 'account.resendCredentials' }, async (uc) => {
    const { account } = await reachAccount(uc, login, 'account.resendCredentials', label);
    if (account.status !== 'ACTIF')
      throw new ConflictError('account.notActive', { login, status: account.status });
    uc.notify(account, 'ACCOUNT_CREATED', {});
    uc.audit('account.resendCredentials', label, { to: account.email });
    return toView(account, await accounts.scopeOf(uc.trx, account.id));
  });
}

export interface ListAccountsInput {
  status?: AccountStatus | undefined;
  structure?: string | undefined;
  search?: string | undefined;
  limit: number;
  page: number;
}

export async function listAccounts(store: Store, actor: string, input: ListAccountsInput) {
  return runUseCase(store, { actor, action: 'account.list', readOnly: true }, async (uc) => {
    uc.authorize('account.list', { kind: 'none' }, 'accounts');
    const structureId = input.structure
      ? (await structures.getStructure(uc.trx, parseStructureRef(input.structure))).id
      : undefined;
    const { rows, total } = await accounts.listAccounts(uc.trx, {
      status: input.status,
      structureId,
      search: input.search === undefined ? undefined : searchKey(input.search),
      scope: uc.actor.scope ?? undefined,
      limit: input.limit,
      offset: (input.page - 1) * input.limit,
    });
    const scopes = await accounts.allScopes(uc.trx);
    return { items: rows.map((r) => toView(r, scopes.get(r.id) ?? null)), total };
  });
}

/** An account with its attachments; the actor's own when `login` is omitted. */
export async function showAccount(
  store: Store,
  actor: string,
  login: string | undefined,
): Promise<AccountDetails> {
  return runUseCase(store, { actor, action: 'account.read', readOnly: true }, async (uc) => {
    const account =
      login === undefined
        ? uc.actorAccount
        : (await reachAccount(uc, login, 'account.read')).account;
    const held = await accounts.attachmentsOf(uc.trx, account.id);
    return {
      ...toView(account, await accounts.scopeOf(uc.trx, account.id)),
      attachments: held.map((a) => ({
        id: a.id,
        structure: `${a.idType}:${a.identifier}`,
        companyName: a.companyName,
        role: a.role,
        status: a.status,
        dateStart: a.dateStart,
        dateEnd: a.dateEnd,
      })),
    };
  });
}

export interface EditResult {
  account: AccountView;
  changed: string[];
}

/** Edits personal data: the holder's own, or an account in a correspondent's scope. The login never changes. */
export async function editAccount(
  store: Store,
  actor: string,
  login: string | undefined,
  patch: PersonalPatch,
): Promise<EditResult> {
  return runUseCase(store, { actor, action: 'account.edit' }, async (uc) => {
    const account =
      login === undefined
        ? uc.actorAccount
        : (await reachAccount(uc, login, 'account.edit')).account;
    const label = accountLabel(account.login);
    if (account.status === 'SUPPRIME')
      throw new ConflictError('account.isDeleted', { login: account.login });
    return applyPatch(
      uc,
      account,
      checkedPostalCode(patch, account.country),
      'account.edit',
      label,
    );
  });
}

async function applyPatch(
  uc: UseCase,
  account: AccountRow,
  patch: PersonalPatch,
  action: AuditAction,
  label: string,
  extra: Record<string, unknown> = {},
): Promise<EditResult> {
  const current = toView(account, null);
  const changes = diff(current, patch);
  const changed = Object.keys(changes);
  if (changed.length === 0 && Object.keys(extra).length === 0)
    return { account: toView(account, await accounts.scopeOf(uc.trx, account.id)), changed };
  const update = { ...toColumns(patch, account), ...extra, updatedAt: uc.now };
  await accounts.updateAccount(uc.trx, account.id, update);
  uc.audit(action, label, {
    ...changes,
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { before: null, after: v }])),
  });
  return {
    account: toView(
      await accounts.getAccount(uc.trx, account.login),
      await accounts.scopeOf(uc.trx, account.id),
    ),
    changed,
  };
}

/** What the first-login step still needs, for the command to ask (or refuse) before completing. */
export async function completionState(
  store: Store,
  actor: string,
): Promise<{ account: AccountView; missing: (keyof PersonalData)[] }> {
  return runUseCase(store, { actor, action: 'account.complete', readOnly: true }, async (uc) => {
    uc.authorize('account.complete', { kind: 'none' }, accountLabel(uc.actorAccount.login));
    if (uc.actorAccount.completedAt)
      throw new ConflictError('account.alreadyCompleted', { login: uc.actorAccount.login });
    const account = toView(uc.actorAccount, null);
    return { account, missing: missingForCompletion(account) };
  });
}

/** The first-login step: contact e-mail, names and professional address set and checked, account marked completed. */
export async function completeAccount(
  store: Store,
  actor: string,
  patch: PersonalPatch,
): Promise<EditResult> {
  return runUseCase(store, { actor, action: 'account.complete' }, async (uc) => {
    const account = uc.actorAccount;
    const label = accountLabel(account.login);
    uc.authorize('account.complete', { kind: 'none' }, label);
    if (account.completedAt)
      throw new ConflictError('account.alreadyCompleted', { login: account.login });
    const checked = checkedPostalCode(patch, account.country);
    const missing = missingForCompletion({ ...toView(account, null), ...checked });
    if (missing.length > 0)
      throw new InvalidInputError(
        missing.map((field) => ({ field: OPTION_OF[field], message: 'validation.required' })),
      );
    return applyPatch(uc, account, checked, 'account.complete', label, { completedAt: uc.now });
  });
}

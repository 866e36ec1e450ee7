import { authorize, type Action, type Target } from '../domain/rights.js';
import { NotFoundError } from '../errors.js';
import * as accounts from '../db/account.repository.js';
import type { AccountRow } from '../db/schema.js';
import { RefusedError, type UseCase } from './use-case.js';

/** The actions whose target is an account named by its login. */
export type AccountAction = Extract<
  Action,
  | 'account.read'
  | 'account.edit'
  | 'file.read'
  | 'account.delete'
  | 'account.deactivate'
  | 'account.reactivate'
  | 'account.resendCredentials'
>;

/**
 * The account `login` names, if the actor may do `action` on it (SPEC 6): the one way every
 * command reaches another account by its login, so that none of them can be used to probe.
 * - a correspondent gets 4 ("hors de votre périmètre") for an account outside its scope;
 * - an account that may read the other one (a manager of its structure) gets 4 for more;
 * - anyone else gets 3, exactly as for a login that does not exist — the refusal is still
 *   written to the audit log as refused;
 * - an action only correspondents have is refused (4) before the login is even looked up.
 */
export async function reachAccount(
  uc: UseCase,
  login: string,
  action: AccountAction,
  label = `account:${login}`,
): Promise<{ account: AccountRow; target: Extract<Target, { kind: 'account' }> }> {
  const asNone = authorize(uc.actor, action, { kind: 'none' }, uc.today);
  if (!asNone.allowed && asNone.reason === 'rights.correspondentOnly')
    uc.authorize(action, { kind: 'none' }, label);
  const notFound = new NotFoundError('account.notFound', { login });
  const account = await accounts.findAccount(uc.trx, login);
  if (!account) throw notFound;
  const target = await accounts.accountTarget(uc.trx, account);
  const decision = authorize(uc.actor, action, target, uc.today);
  if (decision.allowed) return { account, target };
  if (uc.actor.scope !== null || uc.allows('account.read', target))
    uc.authorize(action, target, label);
  throw new RefusedError(action, label, decision.reason, { login: uc.actor.login }, notFound);
}

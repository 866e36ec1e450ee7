import { ALL, type Scope } from '../domain/departement.js';
import type { PersonalData, PersonalPatch } from '../domain/account.js';
import { ConflictError } from '../errors.js';
import * as accounts from '../db/account.repository.js';
import * as audit from '../db/audit.repository.js';
import { migrateToLatest, openStore } from '../db/store.js';
import { insertNew, toView, type AccountView } from './accounts.js';
import type { StoreAccess } from './session.js';

export interface InitInput {
  store: StoreAccess;
  login: string;
  data: PersonalPatch & Pick<PersonalData, 'email' | 'lastName' | 'firstName'>;
  scope: Scope;
}

/** Creates the store (or migrates an empty one) and its first correspondent; a store with accounts is left alone. */
export async function initStore(
  input: InitInput,
): Promise<{ location: string; dialect: string; account: AccountView }> {
  const store = await openStore(input.store.location, {
    create: true,
    lockTimeoutMs: input.store.lockTimeoutMs,
    clock: input.store.clock,
  });
  try {
    await migrateToLatest(store);
    const at = store.clock.now().toISOString();
    const account = await store.db.transaction().execute(async (trx) => {
      if (await accounts.hasAccounts(trx))
        throw new ConflictError('init.alreadyInitialised', { location: store.location });
      const account = await insertNew(trx, at, input.login, input.data, input.scope, 'MANUEL');
      await audit.appendAudit(trx, [
        {
          at,
          actor: input.login,
          action: 'store.init',
          target: `account:${input.login}`,
          outcome: 'OK',
          changes: JSON.stringify({
            scope: { before: null, after: input.scope.join(',') },
            correspondent: { before: null, after: input.login },
          }),
          runId: null,
        },
      ]);
      return account;
    });
    return {
      location: store.location,
      dialect: store.dialect,
      account: toView(account, input.scope.includes(ALL) ? [ALL] : input.scope),
    };
  } finally {
    await store.close();
  }
}

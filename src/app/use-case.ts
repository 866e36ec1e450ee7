import type { Transaction } from 'kysely';
import type { AuditFields } from '../domain/audit-chain.js';
import { composeMail, NOREPLY, wantsMail, type MailEvent } from './mail.js';
import { authorize, type Action, type Actor, type Target } from '../domain/rights.js';
import { ForbiddenError, type AppError } from '../errors.js';
import * as accounts from '../db/account.repository.js';
import * as audit from '../db/audit.repository.js';
import * as notifications from '../db/notification.repository.js';
import type { AccountRow, Database, NewNotification } from '../db/schema.js';
import {
  isRetryable,
  lockForLongRun,
  toStoreError,
  transactionOf,
  type Store,
} from '../db/store.js';
import { dayOf } from '../domain/clock.js';
import type { AuditAction } from '../i18n/labels.js';

/**
 * Every command's way into the store: one transaction, the acting account loaded, each right
 * asked of `authorize` (domain/rights.ts), the audit entries and queued e-mails written in the
 * same transaction. A refusal rolls everything back, then is itself written to the audit log.
 *
 * Two commands at the same moment give what one after the other would (SPEC 5): on SQLite the
 * writers take turns (BEGIN IMMEDIATE); on PostgreSQL they run SERIALIZABLE, and the one that
 * loses a race is run again, whole, on the state the winner left: its own checks then say why it
 * cannot be done (already decided: 6). A long run takes every table before it starts instead,
 * so that no short command can make it fail at its commit; those wait for it.
 */

export type Changes = Record<string, { before: unknown; after: unknown }>;

export interface UseCase {
  trx: Transaction<Database>;
  actor: Actor;
  actorAccount: AccountRow;
  /** The instant the use case runs at, and its day (AAAA-MM-JJ) for validity dates. */
  now: string;
  today: string;
  /** Throws Forbidden (exit 4, audited as refused) unless the actor may do `action` on `target`. */
  authorize(action: Action, target: Target, targetLabel: string): void;
  /** Whether `authorize` would let the actor do `action` on `target`; asks without refusing (nothing audited). */
  allows(action: Action, target: Target): boolean;
  /** Records a change; written when the use case succeeds. */
  audit(
    action: AuditAction,
    target: string,
    changes?: Changes | Record<string, unknown> | null,
    runId?: number | null,
  ): void;
  /** Queues an e-mail to an account, in its language, if its preferences allow. */
  notify(
    to: AccountRow,
    event: MailEvent,
    params: Record<string, unknown>,
    structureId?: number | null,
  ): void;
}

/** A refusal, with what the audit log must say of it. */
export class RefusedError extends ForbiddenError {
  constructor(
    readonly action: string,
    readonly target: string,
    reason: ForbiddenError['key'],
    params: ForbiddenError['params'] = {},
    /** What the user sees instead (SPEC 6, no probing: "not found"); the audit log still says refused. */
    readonly shownAs?: AppError,
  ) {
    super(reason, params);
  }
}

export interface RunOptions {
  /** The acting account's login (`--as`). */
  actor: string;
  /** The command's action: what a refusal of the actor itself is recorded as. */
  action: Action;
  /** Read-only use cases do not take the write lock. */
  readOnly?: boolean;
  /**
   * A long run (a sync, an import): it locks every table before it reads (PostgreSQL), so that
   * the commands that would write meanwhile wait for it, and it is never run twice.
   */
  exclusive?: boolean;
  /** Undoes what an attempt did outside the store (files written) before the body runs again. */
  beforeRetry?: () => Promise<void>;
  /**
   * Why the change is made (`--reason`, SPEC 11): kept in every entry the use case writes, its
   * refusal's too. The store's (`Store.reason`, the command's `--reason`) when not given here.
   */
  reason?: string | undefined;
  /** The last thing the transaction does before it commits, after the audit and the mails. */
  beforeCommit?: (trx: Transaction<Database>) => Promise<void>;
}

/** The reason a use case's entries carry: its own, else the command's. */
const reasonOf = (store: Store, options: RunOptions): string | null =>
  options.reason ?? store.reason ?? null;

/** How many times a use case runs at most when it keeps losing races (PostgreSQL). */
export const MAX_ATTEMPTS = 8;

export async function runUseCase<T>(
  store: Store,
  options: RunOptions,
  body: (uc: UseCase) => Promise<T>,
): Promise<T> {
  // the instant the command runs at, whichever attempt commits
  const at = store.clock.now().toISOString();
  for (let attempt = 1; ; attempt++) {
    let started = false;
    try {
      return await attemptUseCase(store, options, at, body, () => (started = true));
    } catch (err) {
      // a long run is not run twice: only its locking, before anything was read, is retried
      const again =
        attempt < MAX_ATTEMPTS &&
        isRetryable(err, store.dialect) &&
        !(options.exclusive && started);
      if (!again) throw await failed(store, options, at, err);
      await options.beforeRetry?.();
    }
  }
}

/** What a failed use case throws: a refusal is recorded first; a driver's error becomes ours. */
async function failed(
  store: Store,
  options: RunOptions,
  at: string,
  err: unknown,
): Promise<unknown> {
  // the refusal is what the user must see, even if recording it failed (a lock, a lost connection)
  if (err instanceof RefusedError)
    await recordRefusal(store, options.actor, err, at, reasonOf(store, options)).catch(
      () => undefined,
    );
  return toStoreError(
    err instanceof RefusedError && err.shownAs ? err.shownAs : err,
    store.location,
  );
}

/** One run of the body in its own transaction. */
async function attemptUseCase<T>(
  store: Store,
  options: RunOptions,
  at: string,
  body: (uc: UseCase) => Promise<T>,
  starting: () => void,
): Promise<T> {
  const mode = options.readOnly ? 'read' : options.exclusive ? 'exclusive' : 'write';
  return transactionOf(store, mode).execute(async (trx) => {
    if (mode === 'exclusive') await lockForLongRun(trx, store.dialect);
    starting();
    const account = await accounts.findAccount(trx, options.actor);
    if (!account)
      throw new RefusedError(options.action, '-', 'rights.unknownActor', {
        login: options.actor,
      });
    const actor = await accounts.loadActor(trx, account);
    if (actor.status !== 'ACTIF')
      throw new RefusedError(options.action, '-', 'rights.inactiveActor', {
        login: actor.login,
      });

    const audits: Omit<AuditFields, 'seq'>[] = [];
    const mails: NewNotification[] = [];
    const reason = reasonOf(store, options);
    const uc: UseCase = {
      trx,
      actor,
      actorAccount: account,
      now: at,
      today: dayOf(at),
      authorize(action, target, targetLabel) {
        const decision = authorize(actor, action, target, dayOf(at));
        if (!decision.allowed)
          throw new RefusedError(action, targetLabel, decision.reason, { login: actor.login });
      },
      allows(action, target) {
        return authorize(actor, action, target, dayOf(at)).allowed;
      },
      audit(action, target, changes = null, runId = null) {
        audits.push({
          at,
          actor: actor.login,
          action,
          target,
          outcome: 'OK',
          changes: changes === null ? null : JSON.stringify(changes),
          runId,
          reason,
        });
      },
      notify(to, event, params, structureId = null) {
        if (!wantsMail(event, { notifyBilling: to.notifyBilling === 1 })) return;
        const language = to.language;
        const mail = composeMail(event, language, {
          login: to.login,
          title: to.title,
          firstName: to.firstName,
          lastName: to.lastName,
          ...params,
          // a decision's e-mail says why (its `Motif :` line): its own reason, else the command's
          ...(reason !== null && !givenReason(params.reason) ? { reason } : {}),
        });
        mails.push({
          accountId: to.id,
          structureId,
          event,
          language,
          fromAddress: NOREPLY,
          toAddress: to.email,
          subject: mail.subject,
          body: mail.body,
          createdAt: at,
        });
      },
    };

    const result = await body(uc);
    if (options.readOnly && (audits.length > 0 || mails.length > 0))
      throw new Error(`read-only use case ${options.action} wrote`);
    await notifications.insertNotifications(trx, mails);
    await audit.appendAudit(trx, audits);
    await options.beforeCommit?.(trx);
    return result;
  });
}

/** Whether an e-mail's parameters carry a reason of their own (`-` and '' say none). */
const givenReason = (v: unknown): boolean => typeof v === 'string' && v !== '' && v !== '-';

/** A refusal is written on its own, after the refused work was rolled back. */
async function recordRefusal(
  store: Store,
  actor: string,
  err: RefusedError,
  at: string,
  reason: string | null,
): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await audit.appendAudit(trx, [
      {
        at,
        actor,
        action: err.action,
        target: err.target,
        outcome: 'REFUSED',
        changes: JSON.stringify({ reason: err.key }),
        runId: null,
        reason,
      },
    ]);
  });
}

import { ALL, type Scope } from '../domain/departement.js';
import { accountInScope } from './account.repository.js';
import { copyObjects } from './bulk-load.js';
import type { Db, NewNotification, NotificationRow } from './schema.js';

/** The outbox (SPEC 10): queued e-mails, read, exported and marked sent. */

export async function insertNotifications(
  db: Db,
  mails: readonly NewNotification[],
): Promise<void> {
  // the bulk loader: a command's few mails in one INSERT, the sync's chunk of credentials by COPY
  await copyObjects(db, 'notification', mails);
}

/** Whose outbox: a correspondent's (`scope`: the accounts in it, and its own), or an account's own messages (`scope` null). */
export interface OutboxFilter {
  accountId: number;
  scope: Scope | null;
  pending: boolean;
}

function outbox(db: Db, f: OutboxFilter) {
  const scoped = f.scope && !f.scope.includes(ALL) ? f.scope : null;
  return db
    .selectFrom('notification')
    .leftJoin('account', 'account.id', 'notification.accountId')
    .$if(f.pending, (q) => q.where('notification.sentAt', 'is', null))
    .$if(!f.scope, (q) => q.where('notification.accountId', '=', f.accountId))
    .$if(scoped !== null, (q) =>
      q.where((eb) =>
        eb.or([
          eb('notification.accountId', '=', f.accountId),
          accountInScope(eb, 'notification.accountId', scoped!),
        ]),
      ),
    )
    .orderBy('notification.id');
}

/** The outbox's messages as `notification list` shows them, oldest first. */
export async function listOutbox(db: Db, f: OutboxFilter) {
  return outbox(db, f)
    .select([
      'notification.id',
      'account.login',
      'notification.toAddress',
      'notification.event',
      'notification.language',
      'notification.subject',
      'notification.createdAt',
      'notification.sentAt',
    ])
    .execute();
}

/** The outbox's messages whole, oldest first. */
export async function outboxMessages(db: Db, f: OutboxFilter): Promise<NotificationRow[]> {
  return outbox(db, f).selectAll('notification').execute();
}

export async function markSent(db: Db, ids: readonly number[], at: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500)
    await db
      .updateTable('notification')
      .set({ sentAt: at })
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
}

/** Whether this digest (by its subject, which names the week and the structure) is already queued to the account. */
export async function digestQueued(
  db: Db,
  d: { accountId: number; structureId: number; subject: string },
): Promise<boolean> {
  const sent = await db
    .selectFrom('notification')
    .select('id')
    .where('event', '=', 'WEEKLY_DIGEST')
    .where('accountId', '=', d.accountId)
    .where('structureId', '=', d.structureId)
    .where('subject', '=', d.subject)
    .executeTakeFirst();
  return sent !== undefined;
}

import path from 'node:path';
import { structureInScope } from '../domain/rights.js';
import { IDENTIFIER_TYPES, isOneOf } from '../domain/enums.js';
import { formatStructureRef } from '../domain/structure-ref.js';
import { parseIsoWeek, previousIsoWeek, type IsoWeek } from '../domain/week.js';
import { InvalidInputError } from '../errors.js';
import { isMessageKey, t, type Lang } from '../i18n/index.js';
import { mailSubject, wantsMail } from './mail.js';
import { composeEml } from '../io/eml.js';
import { Outputs } from '../io/file-output.js';
import * as attachments from '../db/attachment.repository.js';
import * as audit from '../db/audit.repository.js';
import * as notifications from '../db/notification.repository.js';
import type { Db } from '../db/schema.js';
import type { Store } from '../db/store.js';
import * as structures from '../db/structure.repository.js';
import { runUseCase, type UseCase } from './use-case.js';

/** The outbox (SPEC 10): reading it, exporting it as .eml files, and the weekly digest. */

export interface NotificationView {
  id: number;
  account: string | null;
  to: string;
  event: string;
  language: string;
  subject: string;
  createdAt: string;
  sentAt: string | null;
}

/** Correspondents read the outbox of the accounts in their scope (and their own); others their own messages. */
const outboxOf = (uc: UseCase, pending: boolean): notifications.OutboxFilter => ({
  accountId: uc.actor.id,
  scope: uc.actor.scope,
  pending,
});

export async function listNotifications(
  store: Store,
  actor: string,
  input: { pending: boolean },
): Promise<NotificationView[]> {
  return runUseCase(store, { actor, action: 'notification.read', readOnly: true }, async (uc) => {
    uc.authorize('notification.read', { kind: 'none' }, 'notifications');
    const rows = await notifications.listOutbox(uc.trx, outboxOf(uc, input.pending));
    return rows.map((r) => ({
      id: r.id,
      account: r.login,
      to: r.toAddress,
      event: r.event,
      language: r.language,
      subject: r.subject,
      createdAt: r.createdAt,
      sentAt: r.sentAt,
    }));
  });
}

export interface ExportedMessage {
  id: number;
  to: string;
  subject: string;
  path: string;
}

/**
 * Writes each pending message of the actor's scope as an RFC 5322 file in `dir` and marks it
 * sent, in one transaction: if anything fails, the files written are removed and nothing is marked.
 */
export async function exportNotifications(
  store: Store,
  actor: string,
  dir: string,
): Promise<ExportedMessage[]> {
  const outputs = new Outputs({ to: 'dir', path: dir });
  // a retried attempt (a race lost on PostgreSQL) writes its own files: the first one's go
  const run = {
    actor,
    action: 'notification.export',
    beforeRetry: () => outputs.discard(),
  } as const;
  try {
    return await runUseCase(store, run, async (uc) => {
      uc.authorize('notification.export', { kind: 'none' }, 'notifications');
      const rows = await notifications.outboxMessages(uc.trx, outboxOf(uc, true));
      if (rows.length === 0) return [];
      await outputs.prepare();
      const written: ExportedMessage[] = [];
      for (const r of rows) {
        const sink = await outputs.open(`notification-${r.id}.eml`);
        await sink.write(
          Buffer.from(
            composeEml({
              id: r.id,
              from: r.fromAddress,
              to: r.toAddress,
              date: r.createdAt,
              subject: r.subject,
              body: r.body,
            }),
          ),
        );
        await sink.end();
        written.push({ id: r.id, to: r.toAddress, subject: r.subject, path: sink.path! });
      }
      const ids = rows.map((r) => r.id);
      await notifications.markSent(uc.trx, ids, uc.now);
      uc.audit('notification.export', 'notifications', {
        count: ids.length,
        ids,
        dir: path.resolve(dir),
      });
      return written;
    });
  } catch (err) {
    await outputs.discard();
    throw err;
  }
}

// ---- the weekly digest ------------------------------------------------------------------

export interface DigestResult {
  week: string;
  structures: number;
  queued: number;
  /** Managers who already had this week's digest for the structure. */
  alreadyQueued: number;
}

interface Movement {
  at: string;
  action: string;
  account: string;
  services: string[];
}

/** The week's attachment (and subscription) movements of each structure, from the audit log. */
async function movements(db: Db, week: IsoWeek): Promise<Map<string, Movement[]>> {
  const rows = await audit.movementEntries(db, week.start, week.end);
  const byStructure = new Map<string, Movement[]>();
  for (const r of rows) {
    const c = r.changes ? (JSON.parse(r.changes) as Record<string, unknown>) : {};
    if (typeof c.structure !== 'string') continue;
    const services = Array.isArray(c.services) ? (c.services as string[]) : [];
    const m = {
      at: r.at,
      action: r.action,
      account: typeof c.account === 'string' ? c.account : '',
      services,
    };
    byStructure.set(c.structure, [...(byStructure.get(c.structure) ?? []), m]);
  }
  return byStructure;
}

function digestLines(lang: Lang, list: Movement[]): string {
  return list
    .map((m) => {
      const key = `digest.${m.action}`;
      const what = isMessageKey(key) ? t(lang, key) : m.action;
      const services = m.services.length > 0 ? ` (${m.services.join(', ')})` : '';
      return `- ${m.at.slice(0, 10)} ${what} : ${m.account}${services}`.replace(
        ' : ',
        lang === 'fr' ? ' : ' : ': ',
      );
    })
    .join('\n');
}

/**
 * Queues, for each structure of the actor's scope that moved during `week` (default: the last
 * complete week), one summary to each of its managers (GP and GS). Running it again for the same
 * week queues nothing new.
 */
export async function queueDigest(
  store: Store,
  actor: string,
  weekLabel: string | undefined,
): Promise<DigestResult> {
  return runUseCase(store, { actor, action: 'notification.digest' }, async (uc) => {
    const week = weekLabel === undefined ? previousIsoWeek(uc.today) : parseIsoWeek(weekLabel);
    if (!week)
      throw new InvalidInputError([
        { field: '--week', message: 'notification.week', params: { value: weekLabel } },
      ]);
    uc.authorize('notification.digest', { kind: 'none' }, `week:${week.label}`);
    const result: DigestResult = { week: week.label, structures: 0, queued: 0, alreadyQueued: 0 };
    for (const [ref, list] of await movements(uc.trx, week)) {
      const [idType, identifier] = [
        ref.slice(0, ref.indexOf(':')),
        ref.slice(ref.indexOf(':') + 1),
      ];
      const s = isOneOf(IDENTIFIER_TYPES, idType)
        ? await structures.findStructure(uc.trx, idType, identifier)
        : undefined;
      if (!s || !structureInScope(uc.actor.scope!, s.departement)) continue;
      result.structures += 1;
      const lastDay = new Date(Date.parse(week.end + 'T00:00:00Z') - 86_400_000)
        .toISOString()
        .slice(0, 10);
      for (const manager of await attachments.managersOf(
        uc.trx,
        s.id,
        uc.today < lastDay ? uc.today : lastDay,
      )) {
        const lang = manager.language;
        const subject = mailSubject('WEEKLY_DIGEST', lang, {
          week: week.label,
          structure: formatStructureRef(s),
        });
        const sent = await notifications.digestQueued(uc.trx, {
          accountId: manager.id,
          structureId: s.id,
          subject,
        });
        if (sent) {
          result.alreadyQueued += 1;
          continue;
        }
        // the digest follows the billing preference, as the requests and decisions it sums up
        if (!wantsMail('WEEKLY_DIGEST', { notifyBilling: manager.notifyBilling === 1 })) continue;
        uc.notify(
          manager,
          'WEEKLY_DIGEST',
          {
            week: week.label,
            structure: formatStructureRef(s),
            companyName: s.companyName,
            count: list.length,
            lines: digestLines(lang, list),
          },
          s.id,
        );
        result.queued += 1;
      }
    }
    uc.audit('notification.digest', `week:${week.label}`, {
      structures: result.structures,
      queued: result.queued,
    });
    return result;
  });
}

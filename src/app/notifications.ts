import path from 'node:path';
import { structureInScope } from '../domain/rights.js';
import { IDENTIFIER_TYPES, isOneOf } from '../domain/enums.js';
import { formatStructureRef } from '../domain/structure-ref.js';
import {
  calendarDay,
  parseIsoWeek,
  previousIsoWeek,
  weekBounds,
  weekState,
  type CalendarDay,
  type IsoWeek,
} from '../domain/week.js';
import { InvalidInputError } from '../errors.js';
import { isMessageKey, t, type Lang, type MessageKey } from '../i18n/index.js';
import { mailSubject, wantsMail } from './mail.js';
import { composeEml } from '../io/eml.js';
import { Outputs } from '../io/file-output.js';
import * as accounts from '../db/account.repository.js';
import * as attachments from '../db/attachment.repository.js';
import * as audit from '../db/audit.repository.js';
import * as notifications from '../db/notification.repository.js';
import * as requests from '../db/request.repository.js';
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
  /** False for the current week, named with --week: its movements up to today. */
  complete: boolean;
  structures: number;
  queued: number;
  /** Managers who already had this week's digest for the structure. */
  alreadyQueued: number;
}

/** One movement of a structure, as the digest says it: who, what, which services, by whom. */
interface Movement {
  at: string;
  action: string;
  /** The login of the account the movement is about. */
  account: string;
  /** Who did it (the audit entry's actor). */
  by: string;
  /** The services it concerns; none: the whole structure. */
  services: string[];
  space?: string;
  mode?: string;
  role?: string;
  reason?: string;
  /** The GP who handed the role over (a transfer). */
  former?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The services an attachment entry names: a list, or (a partial detachment) those it lost. */
function servicesOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (v && typeof v === 'object' && 'before' in v && 'after' in v) {
    const { before, after } = v;
    const left = new Set(servicesOf(after));
    return servicesOf(before).filter((c) => !left.has(c));
  }
  return [];
}

/**
 * The week's attachment and subscription movements of each structure, from the audit log; a
 * subscription entry names its request only, whose account, structure, service and space are
 * read from the request itself.
 */
async function movements(db: Db, week: IsoWeek): Promise<Map<string, Movement[]>> {
  const rows = await audit.movementEntries(db, week.start, week.end);
  const byStructure = new Map<string, Movement[]>();
  const add = (ref: string, m: Movement) =>
    byStructure.set(ref, [...(byStructure.get(ref) ?? []), m]);
  for (const r of rows) {
    const c = r.changes ? (JSON.parse(r.changes) as Record<string, unknown>) : {};
    const reason = str(c.reason);
    if (r.action.startsWith('subscription.')) {
      const id = Number(r.target.slice(r.target.indexOf(':') + 1));
      const sub = Number.isSafeInteger(id) ? await requests.findSubscription(db, id) : undefined;
      if (!sub) continue;
      add(formatStructureRef(sub), {
        at: r.at,
        action: r.action,
        account: sub.login,
        by: r.actor,
        services: sub.serviceCode ? [sub.serviceCode] : [],
        space: sub.space,
        mode: sub.mode,
        ...(reason === undefined ? {} : { reason }),
      });
      continue;
    }
    const ref = str(c.structure);
    const account = str(c.account);
    if (ref === undefined || account === undefined) continue;
    const pm = c.principalManager as { before?: unknown } | undefined;
    const role = str(c.role);
    const former = str(pm?.before);
    add(ref, {
      at: r.at,
      action: r.action,
      account,
      by: r.actor,
      services: servicesOf(c.services),
      ...(role === undefined ? {} : { role }),
      ...(reason === undefined ? {} : { reason }),
      ...(former === undefined ? {} : { former }),
    });
  }
  return byStructure;
}

/** A day as messages name it: `mercredi 3`, `lundi 1er`, `Wednesday 3`. */
function dayText(lang: Lang, day: CalendarDay): string {
  return t(lang, 'date.day', {
    weekday: t(lang, `date.weekday.${day.weekday}` as MessageKey),
    dayNumber: t(lang, 'date.dayNumber', { day: day.day }),
  });
}

/**
 * The week in words: `du lundi 1er au dimanche 7 décembre 2025` (long), `du 1er au 7 décembre
 * 2025` (short); across months or years each end names its own.
 */
export function weekText(lang: Lang, week: IsoWeek, form: 'span' | 'short'): string {
  const { monday, sunday } = weekBounds(week);
  const shape =
    monday.year !== sunday.year
      ? 'years'
      : monday.month !== sunday.month
        ? 'sameYear'
        : 'sameMonth';
  return t(lang, `week.${form}.${shape}`, {
    d1: t(lang, 'date.dayNumber', { day: monday.day }),
    m1: t(lang, `date.month.${monday.month}` as MessageKey),
    y1: monday.year,
    d2: t(lang, 'date.dayNumber', { day: sunday.day }),
    m2: t(lang, `date.month.${sunday.month}` as MessageKey),
    y2: sunday.year,
  });
}

/** One line per movement, in words: the day, the person, what happened, which services, by whom. */
function digestLines(lang: Lang, list: Movement[], nameOf: (login: string) => string): string {
  const label = (kind: string, code: string | undefined) => {
    const key = `label.${kind}.${code}`;
    return isMessageKey(key) ? t(lang, key) : (code ?? '');
  };
  return list
    .map((m) => {
      const key = `digest.${m.action}`;
      const what = isMessageKey(key)
        ? t(lang, key, {
            by: nameOf(m.by),
            scope: t(lang, 'digest.scope', {
              count: m.services.length,
              services: [...m.services].sort().join(', '),
            }),
            space: label('space', m.space),
            mode: label('mode', m.mode),
            role: label('role', m.role),
            former: m.former === undefined ? '' : nameOf(m.former),
            reason: m.reason ?? '',
            hasReason: m.reason ? 'yes' : 'no',
          })
        : m.action;
      return t(lang, 'digest.line', {
        day: dayText(lang, calendarDay(m.at)),
        who: nameOf(m.account),
        what,
      });
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
    // the last complete week unless one is named; a named week that has not begun has nothing to say
    const state = weekState(week, uc.today);
    if (state === 'future')
      throw new InvalidInputError([
        { field: '--week', message: 'notification.weekFuture', params: { week: week.label } },
      ]);
    uc.authorize('notification.digest', { kind: 'none' }, `week:${week.label}`);
    const result: DigestResult = {
      week: week.label,
      complete: state === 'over',
      structures: 0,
      queued: 0,
      alreadyQueued: 0,
    };
    const names = new Map<string, string>();
    const all = await movements(uc.trx, week);
    for (const list of all.values())
      for (const m of list)
        for (const login of [m.account, m.by, m.former])
          if (login !== undefined && !names.has(login)) {
            const a = await accounts.findAccount(uc.trx, login);
            names.set(login, a ? `${a.firstName} ${a.lastName}`.trim() || login : login);
          }
    const nameOf = (login: string) => names.get(login) ?? login;
    for (const [ref, list] of all) {
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
        const params = {
          week: week.label,
          weekShort: weekText(lang, week, 'short'),
          weekLong: weekText(lang, week, 'span'),
          partial:
            state === 'over'
              ? ''
              : t(lang, 'digest.partial', {
                  date: dayText(lang, calendarDay(uc.today)),
                }),
          structure: formatStructureRef(s),
          companyName: s.companyName,
        };
        const subject = mailSubject('WEEKLY_DIGEST', lang, params);
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
          { ...params, count: list.length, lines: digestLines(lang, list, nameOf) },
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

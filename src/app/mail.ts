import { hasControlOrBidi, visible } from '../domain/text.js';
import { isMessageKey, t, type Lang, type MessageKey } from '../i18n/index.js';

/** The notification e-mails of SPEC 10: who gets which, and what they say. */

export const NOREPLY = 'noreply@dgfip.finances.gouv.fr';

const EVENTS = {
  ACCOUNT_CREATED: {
    category: 'account',
    subject: 'mail.accountCreated.subject',
    body: 'mail.accountCreated.body',
  },
  ACCOUNT_DEACTIVATED: {
    category: 'account',
    subject: 'mail.accountDeactivated.subject',
    body: 'mail.accountDeactivated.body',
  },
  // attachments (issue 5 A): requests and decisions follow the billing preference; a GP transfer
  // changes who answers for the structure, so it always goes out, like an account event
  ATTACHMENT_REQUESTED: {
    category: 'billing',
    subject: 'mail.attachmentRequested.subject',
    body: 'mail.attachmentRequested.body',
  },
  ATTACHMENT_APPROVED: {
    category: 'billing',
    subject: 'mail.attachmentApproved.subject',
    body: 'mail.attachmentApproved.body',
  },
  ATTACHMENT_REJECTED: {
    category: 'billing',
    subject: 'mail.attachmentRejected.subject',
    body: 'mail.attachmentRejected.body',
  },
  ATTACHMENT_ADDED: {
    category: 'billing',
    subject: 'mail.attachmentAdded.subject',
    body: 'mail.attachmentAdded.body',
  },
  GP_TRANSFERRED: {
    category: 'account',
    subject: 'mail.gpTransferred.subject',
    body: 'mail.gpTransferred.body',
  },
  // a correspondent designates the GP of a structure that had none in effect (issue 17)
  GP_DESIGNATED: {
    category: 'account',
    subject: 'mail.gpDesignated.subject',
    body: 'mail.gpDesignated.body',
  },
  // a request reached a structure nobody can decide: the correspondents in scope hear of it
  ATTACHMENT_UNDECIDABLE: {
    category: 'account',
    subject: 'mail.attachmentUndecidable.subject',
    body: 'mail.attachmentUndecidable.body',
  },
  WEEKLY_DIGEST: {
    category: 'billing',
    subject: 'mail.weeklyDigest.subject',
    body: 'mail.weeklyDigest.body',
  },
  // --- space subscriptions and habilitations (issue 5 B): requests go to the deciders, decisions to the requester
  SUBSCRIPTION_REQUESTED: {
    category: 'billing',
    subject: 'mail.subscriptionRequested.subject',
    body: 'mail.subscriptionRequested.body',
  },
  SUBSCRIPTION_APPROVED: {
    category: 'billing',
    subject: 'mail.subscriptionApproved.subject',
    body: 'mail.subscriptionApproved.body',
  },
  SUBSCRIPTION_REJECTED: {
    category: 'billing',
    subject: 'mail.subscriptionRejected.subject',
    body: 'mail.subscriptionRejected.body',
  },
  HABILITATION_REQUESTED: {
    category: 'billing',
    subject: 'mail.habilitationRequested.subject',
    body: 'mail.habilitationRequested.body',
  },
  HABILITATION_APPROVED: {
    category: 'billing',
    subject: 'mail.habilitationApproved.subject',
    body: 'mail.habilitationApproved.body',
  },
  HABILITATION_REJECTED: {
    category: 'billing',
    subject: 'mail.habilitationRejected.subject',
    body: 'mail.habilitationRejected.body',
  },
  // --- end of issue 5 B
} as const satisfies Record<
  string,
  { category: 'account' | 'billing'; subject: MessageKey; body: MessageKey }
>;

export type MailEvent = keyof typeof EVENTS;

/** Every event, in the order above. */
export const MAIL_EVENTS = Object.keys(EVENTS) as MailEvent[];

/** The parameters that are several lines on purpose: the digest's movements, one a line (app/notifications.ts). */
const MULTILINE: Partial<Record<MailEvent, readonly string[]>> = { WEEKLY_DIGEST: ['lines'] };

/** Account events always go out; request and decision events follow the billing preference. */
export function wantsMail(event: MailEvent, prefs: { notifyBilling: boolean }): boolean {
  return EVENTS[event].category === 'account' || prefs.notifyBilling;
}

/**
 * The parameters of a message as a mail may carry them (SPEC 9): stored text (a raison sociale
 * imported with a CR/LF or a right-to-left override, a name) has its control and bidirectional
 * characters written out as the terminal shows them (domain/text.ts `visible`), so that no
 * parameter adds a line to a subject or a body, or turns the text around it.
 */
function mailParams(event: MailEvent, params: Record<string, unknown>): Record<string, unknown> {
  // a copy only when a parameter needs it: the sync queues a message for each account it creates
  let out: Record<string, unknown> | null = null;
  for (const k in params) {
    const v = params[k];
    if (typeof v === 'string' && hasControlOrBidi(v))
      (out ??= { ...params })[k] = visible(v, { lines: MULTILINE[event]?.includes(k) === true });
  }
  return out ?? params;
}

/** The label of a code in `lang` (`FACTURES_A_VALIDER` → `Factures à valider`), or the code itself. */
function labelOf(
  lang: Lang,
  kind: string,
  code: unknown,
  params: Record<string, unknown>,
): unknown {
  const key = `label.${kind}.${String(code)}`;
  return isMessageKey(key) ? t(lang, key, params) : code;
}

const noReason = (v: unknown) => v === undefined || v === null || v === '' || v === '-';

/**
 * What the messages say in words rather than in codes (SPEC 10): the structure by its raison
 * sociale with its identifier in parentheses (`Mairie de Pau (SIRET 21640445900010)`), the
 * service it is about, the labels of spaces, modes, roles and profiles (agreeing with the
 * reader's title), how many services, whether a reason was given, and which side of a GP
 * transfer the reader is on, so that the text speaks to them.
 */
function inWords(
  event: MailEvent,
  lang: Lang,
  p: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...p };
  const agree = { title: p.title };
  if (typeof p.structure === 'string') {
    const ref = p.structure;
    out.structureId = ref.replace(':', ' ');
    if (typeof p.place === 'string') {
      const prefix = `${ref} (service `;
      const service = p.place.startsWith(prefix) ? p.place.slice(prefix.length, -1) : null;
      out.place =
        service === null
          ? t(lang, 'mail.place.structure', out)
          : t(lang, 'mail.place.service', { ...out, service });
    }
  }
  if (p.space !== undefined) out.space = labelOf(lang, 'space', p.space, agree);
  if (p.mode !== undefined) out.mode = labelOf(lang, 'mode', p.mode, agree);
  if (p.profile !== undefined) out.profile = labelOf(lang, 'profile', p.profile, agree);
  if (p.role !== undefined) out.role = labelOf(lang, 'role', p.role, agree);
  if (typeof p.services === 'string') {
    const codes = p.services === '-' ? [] : p.services.split(', ').filter((c) => c !== '');
    out.scope = t(lang, 'mail.scope', { count: codes.length, services: codes.join(', ') });
  }
  out.hasReason = noReason(p.reason) ? 'no' : 'yes';
  if (event === 'GP_DESIGNATED') out.you = p.login === p.designee ? 'designee' : 'other';
  if (event === 'GP_TRANSFERRED')
    out.you = p.login === p.former ? 'former' : p.login === p.successor ? 'successor' : 'other';
  return out;
}

/** The subject alone (what a digest already queued is known by). */
export function mailSubject(event: MailEvent, lang: Lang, params: Record<string, unknown>): string {
  return t(lang, EVENTS[event].subject, inWords(event, lang, mailParams(event, params)));
}

export function composeMail(
  event: MailEvent,
  lang: Lang,
  params: Record<string, unknown>,
): { subject: string; body: string } {
  const e = EVENTS[event];
  const safe = inWords(event, lang, mailParams(event, params));
  return { subject: t(lang, e.subject, safe), body: t(lang, e.body, safe) };
}

import { describe, expect, it } from 'vitest';
import { composeMail, type MailEvent } from '../../src/app/mail.js';
import { weekText } from '../../src/app/notifications.js';
import { parseIsoWeek } from '../../src/domain/week.js';
import type { Lang } from '../../src/i18n/index.js';

/**
 * The e-mails of SPEC 10, as their reader gets them (issue 15): in the second person, the
 * structure by its raison sociale with its identifier, labels instead of codes, agreeing with
 * the reader's title (M., Mme, or a neutral form when it is not known).
 */

const READER = { login: 'pauline.dufour@mairie-pau.fr', firstName: 'Pauline', lastName: 'DUFOUR' };
const PAU = { structure: 'SIRET:21640445700019', companyName: 'COMMUNE DE PAU' };
const GP = 'gp@mairie-pau.fr';

/** Each event with the parameters its use case passes (app/attachments.ts, requests.ts…). */
const EVENTS: Record<MailEvent, Record<string, unknown>> = {
  ACCOUNT_CREATED: {},
  ACCOUNT_DEACTIVATED: {},
  ATTACHMENT_REQUESTED: {
    ...PAU,
    id: 7,
    requester: 'marc.durand@mairie-pau.fr',
    requesterName: 'Marc DURAND',
    services: 'PHARMA',
    comment: 'Régisseur',
  },
  ATTACHMENT_APPROVED: { ...PAU, id: 7, reason: '', decidedBy: GP },
  ATTACHMENT_REJECTED: { ...PAU, id: 7, reason: 'Agent inconnu', decidedBy: GP },
  ATTACHMENT_ADDED: {
    ...PAU,
    id: 7,
    role: 'GESTIONNAIRE_PRINCIPAL',
    services: '-',
    decidedBy: GP,
  },
  GP_TRANSFERRED: { ...PAU, former: GP, successor: READER.login },
  GP_DESIGNATED: {
    ...PAU,
    designee: READER.login,
    designeeName: 'Pauline DUFOUR',
    decidedBy: 'corr@dgfip.finances.gouv.fr',
  },
  ATTACHMENT_UNDECIDABLE: {
    ...PAU,
    id: 7,
    requester: 'marc.durand@mairie-pau.fr',
    requesterName: 'Marc DURAND',
    services: 'PHARMA',
  },
  WEEKLY_DIGEST: {
    ...PAU,
    week: '2025-W49',
    weekShort: 'du 1er au 7 décembre 2025',
    weekLong: 'du lundi 1er au dimanche 7 décembre 2025',
    partial: '',
    count: 1,
    lines: '- mercredi 3 — Marc DURAND : demande de rattachement (toute la structure)',
  },
  SUBSCRIPTION_REQUESTED: {
    ...PAU,
    id: 3,
    place: 'SIRET:21640445700019 (service FIN)',
    space: 'FACTURES_A_VALIDER',
    mode: 'CONSULTATION_UNIQUEMENT',
    requester: 'marc.durand@mairie-pau.fr',
  },
  SUBSCRIPTION_APPROVED: {
    ...PAU,
    id: 3,
    place: 'SIRET:21640445700019 (service FIN)',
    space: 'FACTURES_A_VALIDER',
    mode: 'CONSULTATION_UNIQUEMENT',
    reason: '-',
  },
  SUBSCRIPTION_REJECTED: {
    ...PAU,
    id: 3,
    place: 'SIRET:21640445700019',
    space: 'FACTURES_TRAVAUX',
    mode: 'MODIFICATION',
    reason: 'Pas de marché de travaux',
  },
  HABILITATION_REQUESTED: {
    ...PAU,
    id: 4,
    place: 'SIRET:21640445700019',
    profile: 'VALIDATION_ABONNEMENTS',
    requester: 'marc.durand@mairie-pau.fr',
  },
  HABILITATION_APPROVED: {
    ...PAU,
    id: 4,
    place: 'SIRET:21640445700019 (service FIN)',
    profile: 'VALIDATION_ABONNEMENTS',
    reason: '-',
  },
  HABILITATION_REJECTED: {
    ...PAU,
    id: 4,
    place: 'SIRET:21640445700019',
    profile: 'MODIFICATION_STRUCTURE',
    reason: '-',
  },
};

const TITLES = ['Mme', 'M.', null] as const;
const mail = (event: MailEvent, lang: Lang, title: string | null) =>
  composeMail(event, lang, { ...READER, title, ...EVENTS[event] });

describe('the e-mails, for each event, language and title', () => {
  for (const event of Object.keys(EVENTS) as MailEvent[])
    for (const lang of ['fr', 'en'] as const)
      for (const title of TITLES)
        it(`${event} in ${lang} to ${title ?? 'an unknown title'}`, () => {
          const { subject, body } = mail(event, lang, title);
          const text = `${subject}\n${body}`;
          // no code, no placeholder left, no « SIRET:… » reference, no empty « Motif : - »
          expect(text).not.toMatch(/\b[A-Z]+_[A-Z_]+\b/);
          expect(text).not.toMatch(/\{\w+(, (plural|select),)?/);
          expect(text).not.toContain('SIRET:');
          expect(text).not.toMatch(/(Motif|Reason) ?: -/);
          // the second person (an imperative, in a request to its deciders)
          expect(body).toMatch(
            lang === 'fr'
              ? /\b([Vv]ous|[Vv]otre|[Vv]oici|validez)\b/
              : /\b([Yy]ou|[Yy]our|Here|approve it)\b/,
          );
          if ('structure' in EVENTS[event])
            expect(body).toContain('COMMUNE DE PAU (SIRET 21640445700019)');
          // agreement with the reader's title
          if (lang === 'fr') {
            const feminine = /\b(rattachée|détachée|principale|utilisatrice)\b/;
            const neutral = /·e\b/;
            if (title === 'M.') expect(text).not.toMatch(feminine);
            if (title === 'M.' || title === 'Mme') expect(text).not.toMatch(neutral);
            if (title === null) expect(text).not.toMatch(feminine);
          }
        });
});

describe('the e-mails, whole', () => {
  it('an addition by a manager agrees with Mme, M. and an unknown title, and names the role', () => {
    expect(mail('ATTACHMENT_ADDED', 'fr', 'Mme')).toEqual({
      subject: 'Chorus Pro : vous êtes rattachée à COMMUNE DE PAU',
      body: 'Bonjour Pauline DUFOUR,\n\ngp@mairie-pau.fr vous a rattachée à COMMUNE DE PAU (SIRET 21640445700019) comme gestionnaire principale, pour toute la structure.\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
    });
    expect(mail('ATTACHMENT_ADDED', 'fr', 'M.').subject).toBe(
      'Chorus Pro : vous êtes rattaché à COMMUNE DE PAU',
    );
    expect(mail('ATTACHMENT_ADDED', 'fr', null).body).toContain(
      'vous a rattaché·e à COMMUNE DE PAU (SIRET 21640445700019) comme gestionnaire principal, pour toute la structure.',
    );
    expect(mail('ATTACHMENT_ADDED', 'en', 'Mme').body).toContain(
      'gp@mairie-pau.fr attached you to COMMUNE DE PAU (SIRET 21640445700019) as principal manager, for the whole structure.',
    );
  });

  it('a subscription decision names the space, the mode and the service by their labels', () => {
    expect(mail('SUBSCRIPTION_APPROVED', 'fr', 'Mme').body).toBe(
      'Bonjour Pauline DUFOUR,\n\nVotre demande n° 3 d’abonnement à l’espace Factures à valider (consultation uniquement) sur le service FIN de COMMUNE DE PAU (SIRET 21640445700019) a été validée.\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
    );
    expect(mail('SUBSCRIPTION_REJECTED', 'en', null).body).toBe(
      'Hello Pauline DUFOUR,\n\nYour request no. 3 for a subscription to space Works invoices (read and write) on COMMUNE DE PAU (SIRET 21640445700019) was rejected.\n\nReason: Pas de marché de travaux\n\nThis message is sent automatically; please do not reply.',
    );
  });

  it('a GP transfer speaks to the successor and to the former GP, each in the second person', () => {
    expect(mail('GP_TRANSFERRED', 'fr', 'Mme').body).toContain(
      'gp@mairie-pau.fr vous a transmis le rôle de gestionnaire principal de COMMUNE DE PAU (SIRET 21640445700019) : vous en êtes désormais la gestionnaire principale.',
    );
    const former = composeMail('GP_TRANSFERRED', 'fr', {
      ...READER,
      login: GP,
      title: 'M.',
      ...EVENTS.GP_TRANSFERRED,
    });
    expect(former.body).toContain(
      `Vous avez transmis le rôle de gestionnaire principal de COMMUNE DE PAU (SIRET 21640445700019) à ${READER.login} ; vous restez rattaché à la structure comme utilisateur simple.`,
    );
  });

  it('a request to the deciders says which services, in words', () => {
    expect(mail('ATTACHMENT_REQUESTED', 'fr', 'M.').body).toContain(
      'Marc DURAND (marc.durand@mairie-pau.fr) demande un rattachement à COMMUNE DE PAU (SIRET 21640445700019), pour le service PHARMA.',
    );
    expect(
      composeMail('ATTACHMENT_REQUESTED', 'en', {
        ...READER,
        ...EVENTS.ATTACHMENT_REQUESTED,
        services: 'FIN, PHARMA',
      }).body,
    ).toContain('for services FIN, PHARMA.');
  });
});

describe('the week in words', () => {
  it.each([
    ['2025-W49', 'fr', 'du lundi 1er au dimanche 7 décembre 2025', 'du 1er au 7 décembre 2025'],
    [
      '2026-W01',
      'fr',
      'du lundi 29 décembre 2025 au dimanche 4 janvier 2026',
      'du 29 décembre 2025 au 4 janvier 2026',
    ],
    [
      '2025-W40',
      'fr',
      'du lundi 29 septembre au dimanche 5 octobre 2025',
      'du 29 septembre au 5 octobre 2025',
    ],
    ['2025-W49', 'en', 'from Monday 1 to Sunday 7 December 2025', '1 to 7 December 2025'],
    [
      '2026-W01',
      'en',
      'from Monday 29 December 2025 to Sunday 4 January 2026',
      '29 December 2025 to 4 January 2026',
    ],
  ] as const)('%s in %s', (label, lang, span, short) => {
    const week = parseIsoWeek(label)!;
    expect(weekText(lang, week, 'span')).toBe(span);
    expect(weekText(lang, week, 'short')).toBe(short);
  });
});

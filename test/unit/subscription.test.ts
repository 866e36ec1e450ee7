import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES, SPACES, type Role } from '../../src/domain/enums.js';
import { authorize, type Actor } from '../../src/domain/rights.js';
import {
  coveredByDefault,
  defaultSpaces,
  deriveDefaultSubscriptions,
  isValidAttachment,
  nextStatus,
  type AttachmentFacts,
} from '../../src/domain/subscription.js';

const DAY = '2025-03-10';
const att = (p: Partial<AttachmentFacts> = {}): AttachmentFacts => ({
  accountId: 1,
  structureId: 10,
  role: 'UTILISATEUR',
  status: 'VALIDEE',
  dateStart: '2025-01-01',
  dateEnd: null,
  serviceIds: [],
  ...p,
});

describe('default spaces (derived from valid attachments, never stored)', () => {
  it('a user gets MON_COMPTE, FACTURES_EMISES, FACTURES_RECUES; a GP or GS ACTIVITES_GESTIONNAIRE too, all in MODIFICATION', () => {
    expect(defaultSpaces('UTILISATEUR')).toEqual([
      'MON_COMPTE',
      'FACTURES_EMISES',
      'FACTURES_RECUES',
    ]);
    expect(defaultSpaces('GESTIONNAIRE_PRINCIPAL')).toEqual([
      'MON_COMPTE',
      'FACTURES_EMISES',
      'FACTURES_RECUES',
      'ACTIVITES_GESTIONNAIRE',
    ]);
    expect(defaultSpaces('GESTIONNAIRE_SECONDAIRE')).toEqual(
      defaultSpaces('GESTIONNAIRE_PRINCIPAL'),
    );
    const gp = deriveDefaultSubscriptions([att({ role: 'GESTIONNAIRE_PRINCIPAL' })], DAY);
    expect(gp).toHaveLength(4);
    expect(
      gp.every(
        (d) =>
          d.mode === 'MODIFICATION' &&
          d.serviceId === null &&
          d.structureId === 10 &&
          d.accountId === 1,
      ),
    ).toBe(true);
  });

  it('only a validated attachment whose dates include the day counts', () => {
    expect(deriveDefaultSubscriptions([att({ status: 'EN_COURS_DE_VALIDATION' })], DAY)).toEqual(
      [],
    );
    expect(deriveDefaultSubscriptions([att({ status: 'DESACTIVEE' })], DAY)).toEqual([]);
    expect(deriveDefaultSubscriptions([att({ dateStart: '2025-03-11' })], DAY)).toEqual([]);
    expect(deriveDefaultSubscriptions([att({ dateEnd: '2025-03-09' })], DAY)).toEqual([]);
    // both ends are inclusive
    expect(deriveDefaultSubscriptions([att({ dateStart: DAY, dateEnd: DAY })], DAY)).toHaveLength(
      3,
    );
    expect(isValidAttachment({ status: 'VALIDEE', dateStart: null, dateEnd: null }, DAY)).toBe(
      true,
    );
  });

  it('an attachment limited to services gives each service its spaces', () => {
    const d = deriveDefaultSubscriptions([att({ serviceIds: [7, 5] })], DAY);
    expect(d.map((x) => `${x.serviceId}:${x.space}`)).toEqual([
      '5:MON_COMPTE',
      '5:FACTURES_EMISES',
      '5:FACTURES_RECUES',
      '7:MON_COMPTE',
      '7:FACTURES_EMISES',
      '7:FACTURES_RECUES',
    ]);
  });

  it('property: one row per valid attachment × service (or structure) × default space of its role', () => {
    const arb = fc.array(
      fc.record({
        accountId: fc.integer({ min: 1, max: 3 }),
        structureId: fc.integer({ min: 1, max: 3 }),
        role: fc.constantFrom(...ROLES),
        status: fc.constantFrom('VALIDEE', 'REFUSEE', 'EN_COURS_DE_VALIDATION'),
        dateStart: fc.constantFrom(null, '2024-01-01', '2025-06-01'),
        dateEnd: fc.constantFrom(null, '2025-01-01', '2026-01-01'),
        serviceIds: fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }),
      }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(arb, (attachments) => {
        const derived = deriveDefaultSubscriptions(attachments, DAY);
        const expected = attachments
          .filter((a) => isValidAttachment(a, DAY))
          .reduce((n, a) => n + Math.max(1, a.serviceIds.length) * defaultSpaces(a.role).length, 0);
        expect(derived).toHaveLength(expected);
        // and each derived row is covered by default, so a request for it is a conflict
        for (const d of derived) expect(coveredByDefault(attachments, d, DAY)).toBe(true);
      }),
    );
  });

  it('coveredByDefault: a whole-structure attachment covers its services; a service attachment, only those', () => {
    const whole = [att()];
    expect(
      coveredByDefault(
        whole,
        { accountId: 1, structureId: 10, serviceId: null, space: 'MON_COMPTE' },
        DAY,
      ),
    ).toBe(true);
    expect(
      coveredByDefault(
        whole,
        { accountId: 1, structureId: 10, serviceId: 99, space: 'FACTURES_RECUES' },
        DAY,
      ),
    ).toBe(true);
    // not a default space of a user, nor another account's, nor another structure's
    expect(
      coveredByDefault(
        whole,
        { accountId: 1, structureId: 10, serviceId: null, space: 'ACTIVITES_GESTIONNAIRE' },
        DAY,
      ),
    ).toBe(false);
    expect(
      coveredByDefault(
        whole,
        { accountId: 2, structureId: 10, serviceId: null, space: 'MON_COMPTE' },
        DAY,
      ),
    ).toBe(false);
    expect(
      coveredByDefault(
        whole,
        { accountId: 1, structureId: 11, serviceId: null, space: 'MON_COMPTE' },
        DAY,
      ),
    ).toBe(false);
    for (const space of SPACES.slice(4))
      expect(
        coveredByDefault(whole, { accountId: 1, structureId: 10, serviceId: null, space }, DAY),
      ).toBe(false);
    const onService = [att({ serviceIds: [5] })];
    expect(
      coveredByDefault(
        onService,
        { accountId: 1, structureId: 10, serviceId: 5, space: 'MON_COMPTE' },
        DAY,
      ),
    ).toBe(true);
    expect(
      coveredByDefault(
        onService,
        { accountId: 1, structureId: 10, serviceId: 6, space: 'MON_COMPTE' },
        DAY,
      ),
    ).toBe(false);
    expect(
      coveredByDefault(
        onService,
        { accountId: 1, structureId: 10, serviceId: null, space: 'MON_COMPTE' },
        DAY,
      ),
    ).toBe(false);
  });
});

describe('request life cycle', () => {
  it('only a pending request is decided; a pending or granted one is removed; the rest is history', () => {
    expect(nextStatus('EN_COURS_DE_VALIDATION', 'approve')).toEqual({
      ok: true,
      status: 'VALIDEE',
    });
    expect(nextStatus('EN_COURS_DE_VALIDATION', 'reject')).toEqual({ ok: true, status: 'REFUSEE' });
    for (const s of ['VALIDEE', 'REFUSEE', 'SUPPRIMEE'])
      for (const d of ['approve', 'reject'] as const)
        expect(nextStatus(s, d)).toEqual({ ok: false, key: 'request.alreadyDecided' });
    expect(nextStatus('VALIDEE', 'remove')).toEqual({ ok: true, status: 'SUPPRIMEE' });
    expect(nextStatus('EN_COURS_DE_VALIDATION', 'remove')).toEqual({
      ok: true,
      status: 'SUPPRIMEE',
    });
    expect(nextStatus('REFUSEE', 'remove')).toEqual({ ok: false, key: 'request.alreadyClosed' });
    expect(nextStatus('SUPPRIMEE', 'remove')).toEqual({ ok: false, key: 'request.alreadyClosed' });
  });
});

describe('rights of requests (issue 5 B additions to rights.ts)', () => {
  const S = { kind: 'structure' as const, id: 10, departement: '64', serviceId: null };
  const base = (p: Partial<Actor>): Actor => ({
    id: 1,
    login: 'a@b.fr',
    status: 'ACTIF',
    scope: null,
    attachments: [],
    habilitations: [],
    ...p,
  });
  const attached = (
    role: Role = 'UTILISATEUR',
    dates: { dateStart?: string | null; dateEnd?: string | null } = {},
  ) => ({ structureId: 10, role, dateStart: null, dateEnd: null, services: [], ...dates });

  it('a holder requests a subscription or habilitation only on a structure it is attached to', () => {
    for (const action of ['subscription.request', 'habilitation.request'] as const) {
      expect(authorize(base({ attachments: [attached()] }), action, S, DAY)).toEqual({
        allowed: true,
      });
      expect(
        authorize(
          base({ attachments: [attached('UTILISATEUR', { dateEnd: '2025-01-01' })] }),
          action,
          S,
          DAY,
        ),
      ).toEqual({ allowed: false, reason: 'rights.notAttached' });
      expect(authorize(base({ scope: ['*'] }), action, S, DAY)).toEqual({
        allowed: false,
        reason: 'rights.notAttached',
      });
      expect(
        authorize(base({ attachments: [{ ...attached(), structureId: 11 }] }), action, S, DAY),
      ).toEqual({ allowed: false, reason: 'rights.notAttached' });
    }
  });

  it('a habilitation counts only while its holder is attached to the structure', () => {
    const va = [{ structureId: 10, serviceId: null, profile: 'VALIDATION_ABONNEMENTS' as const }];
    expect(
      authorize(
        base({ attachments: [attached()], habilitations: va }),
        'subscription.decide',
        S,
        DAY,
      ),
    ).toEqual({ allowed: true });
    expect(authorize(base({ habilitations: va }), 'subscription.decide', S, DAY)).toEqual({
      allowed: false,
      reason: 'rights.notManager',
    });
    expect(
      authorize(
        base({
          attachments: [attached('UTILISATEUR', { dateStart: '2026-01-01' })],
          habilitations: va,
        }),
        'subscription.decide',
        S,
        DAY,
      ),
    ).toEqual({
      allowed: false,
      reason: 'rights.notManager',
    });
  });

  it('nobody but the GP decides its own request', () => {
    const va = base({
      id: 5,
      attachments: [attached()],
      habilitations: [{ structureId: 10, serviceId: null, profile: 'VALIDATION_ABONNEMENTS' }],
    });
    const gp = base({ id: 6, attachments: [attached('GESTIONNAIRE_PRINCIPAL')] });
    expect(authorize(va, 'subscription.decide', { ...S, requesterId: 5 }, DAY)).toEqual({
      allowed: false,
      reason: 'rights.ownRequest',
    });
    expect(authorize(va, 'subscription.decide', { ...S, requesterId: 7 }, DAY)).toEqual({
      allowed: true,
    });
    for (const action of ['subscription.decide', 'habilitation.decide'] as const)
      expect(authorize(gp, action, { ...S, requesterId: 6 }, DAY)).toEqual({ allowed: true });
    // habilitation requests: the GP's alone (SPEC 6)
    expect(authorize(va, 'habilitation.decide', { ...S, requesterId: 7 }, DAY)).toEqual({
      allowed: false,
      reason: 'rights.principalOnly',
    });
  });
});

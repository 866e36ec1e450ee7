import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { departementOf, type Scope } from '../../src/domain/departement.js';
import { HABILITATION_PROFILES, type HabilitationProfile } from '../../src/domain/enums.js';
import {
  ACTIONS,
  accountInScope,
  authorize,
  isPrincipalManager,
  withinDates,
  type Action,
  type Actor,
  type ActorAttachment,
  type ActorHabilitation,
  type Decision,
  type Target,
} from '../../src/domain/rights.js';

const DAY = '2024-06-15';

// Structures: one in Gironde (33), one in Landes (40), one in Pyrénées-Atlantiques (64),
// one whose postal code cannot be placed.
const S33 = { id: 1, postalCode: '33000' };
const S40 = { id: 2, postalCode: '40100' };
const S64 = { id: 3, postalCode: '64000' };
const SNONE = { id: 4, postalCode: null };
const SERVICE_A = 10; // a service of S33
const SERVICE_B = 11; // another service of S33

let nextId = 100;
function actor(p: {
  scope?: Scope | null;
  status?: Actor['status'];
  attachments?: Partial<ActorAttachment>[];
  habilitations?: ActorHabilitation[];
}): Actor {
  const id = nextId++;
  return {
    id,
    login: `user${id}@example.fr`,
    status: p.status ?? 'ACTIF',
    scope: p.scope ?? null,
    attachments: (p.attachments ?? []).map((a) => ({
      structureId: S33.id,
      role: 'UTILISATEUR',
      dateStart: null,
      dateEnd: null,
      services: [],
      ...a,
    })),
    habilitations: p.habilitations ?? [],
  };
}
const gpOf = (
  structureId: number,
  dates: { dateStart?: string | null; dateEnd?: string | null } = {},
) => actor({ attachments: [{ structureId, role: 'GESTIONNAIRE_PRINCIPAL', ...dates }] });
const holderOf = (
  profile: HabilitationProfile,
  structureId = S33.id,
  serviceId: number | null = null,
) =>
  actor({
    attachments: [{ structureId, role: 'UTILISATEUR' }],
    habilitations: [{ structureId, serviceId, profile }],
  });

function account(
  structures: { id: number; postalCode: string | null }[],
  p: { id?: number; scope?: Scope | null } = {},
): Extract<Target, { kind: 'account' }> {
  return {
    kind: 'account',
    id: p.id ?? nextId++,
    departements: structures.map((s) => departementOf(s.postalCode)),
    structureIds: structures.map((s) => s.id),
    scope: p.scope ?? null,
  };
}
const structure = (
  s: { id: number; postalCode: string | null },
  serviceId?: number | null,
): Extract<Target, { kind: 'structure' }> => ({
  kind: 'structure',
  id: s.id,
  departement: departementOf(s.postalCode),
  ...(serviceId === undefined ? {} : { serviceId }),
});
const NONE: Target = { kind: 'none' };
const selfOf = (a: Actor): Target => account([S33], { id: a.id });

const ALLOW: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason }) as Decision;

const CORRESPONDENT_ONLY: Action[] = [
  'account.create',
  'account.list',
  'audit.read',
  'structure.import',
  'structure.orphans',
  'sync.madrhas',
  'sync.runs',
  'notification.export',
  'notification.digest',
];
const CORRESPONDENT_ON_ACCOUNT: Action[] = [
  'account.delete',
  'account.deactivate',
  'account.reactivate',
  'account.resendCredentials',
];
const HOLDER_ONLY: Action[] = [
  'account.complete',
  'attachment.request',
  'attachment.detach',
  'subscription.request',
  'subscription.remove',
  'habilitation.request',
  'habilitation.remove',
  'file.manage',
];
const MANAGER = [
  'structure.users',
  'structure.edit',
  'attachment.decide',
  'attachment.add',
  'subscription.decide',
] as const satisfies readonly Action[];
const PROFILE_FOR: Record<(typeof MANAGER)[number], HabilitationProfile> = {
  'structure.users': 'CONSULTATION_UTILISATEURS',
  'structure.edit': 'MODIFICATION_STRUCTURE',
  'attachment.decide': 'VALIDATION_RATTACHEMENTS',
  'attachment.add': 'VALIDATION_RATTACHEMENTS',
  'subscription.decide': 'VALIDATION_ABONNEMENTS',
};

describe('the rights matrix (SPEC 6), every action for every kind of actor', () => {
  const actors = {
    corr: actor({ scope: ['33', '40'] }),
    corrAll: actor({ scope: ['*'] }),
    user: actor({ attachments: [{ structureId: S33.id, role: 'UTILISATEUR' }] }),
    gp: gpOf(S33.id),
    gs: actor({ attachments: [{ structureId: S33.id, role: 'GESTIONNAIRE_SECONDAIRE' }] }),
    VR: holderOf('VALIDATION_RATTACHEMENTS'),
    VA: holderOf('VALIDATION_ABONNEMENTS'),
    CU: holderOf('CONSULTATION_UTILISATEURS'),
    MS: holderOf('MODIFICATION_STRUCTURE'),
  };
  const columns = Object.keys(actors) as (keyof typeof actors)[];

  // the target each action is naturally asked about: another account of S33, or S33 itself
  const other = account([S33]);
  const targetOf = (action: Action): Target => {
    if (CORRESPONDENT_ONLY.includes(action)) return NONE;
    if (action === 'correspondent.create') return { kind: 'scope', scope: ['33'] };
    if (action.startsWith('account.') || action.startsWith('file.') || HOLDER_ONLY.includes(action))
      return other;
    return structure(S33, null);
  };

  const ok = 'ok';
  const CO = 'rights.correspondentOnly';
  const NY = 'rights.notYours';
  const HO = 'rights.holderOnly';
  const NM = 'rights.notManager';
  const PO = 'rights.principalOnly';
  //                          corr corrAll user gp  gs  VR  VA  CU  MS
  const MATRIX: Record<Action, string[]> = {
    'account.create': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'account.delete': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'account.deactivate': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'account.reactivate': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'account.resendCredentials': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'account.list': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'correspondent.create': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'audit.read': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'structure.import': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'structure.orphans': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'sync.madrhas': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'sync.runs': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'sync.show': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'sync.revert': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'notification.export': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'notification.digest': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'account.read': [ok, ok, NY, ok, NY, NY, NY, ok, NY],
    'account.edit': [ok, ok, NY, NY, NY, NY, NY, NY, NY],
    'account.complete': [HO, HO, HO, HO, HO, HO, HO, HO, HO],
    'attachment.request': [HO, HO, HO, HO, HO, HO, HO, HO, HO],
    'attachment.detach': [HO, HO, HO, HO, HO, HO, HO, HO, HO],
    'subscription.request': [HO, HO, HO, HO, HO, HO, HO, HO, HO],
    'subscription.remove': [HO, HO, HO, HO, HO, HO, HO, HO, HO],
    'habilitation.request': [HO, HO, HO, HO, HO, HO, HO, HO, HO],
    'habilitation.remove': [HO, HO, HO, HO, HO, HO, HO, HO, HO],
    'file.manage': [HO, HO, HO, HO, HO, HO, HO, HO, HO],
    'file.read': [ok, ok, NY, NY, NY, NY, NY, NY, NY],
    'structure.users': [ok, ok, NM, ok, NM, NM, NM, ok, NM],
    'audit.structure': [ok, ok, NM, ok, NM, NM, NM, ok, NM],
    'structure.edit': [NM, NM, NM, ok, NM, NM, NM, NM, ok],
    'attachment.decide': [NM, NM, NM, ok, NM, ok, NM, NM, NM],
    'attachment.add': [NM, NM, NM, ok, NM, ok, NM, NM, NM],
    'attachment.pending': [ok, ok, NM, ok, NM, ok, NM, NM, NM],
    'attachment.designate': [ok, ok, CO, CO, CO, CO, CO, CO, CO],
    'subscription.decide': [NM, NM, NM, ok, NM, NM, ok, NM, NM],
    'habilitation.decide': [PO, PO, PO, ok, PO, PO, PO, PO, PO],
    'habilitation.grant': [PO, PO, PO, ok, PO, PO, PO, PO, PO],
    'structure.read': [ok, ok, ok, ok, ok, ok, ok, ok, ok],
    'notification.read': [ok, ok, ok, ok, ok, ok, ok, ok, ok],
  };

  it('lists every action exactly once', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...ACTIONS].sort());
    expect(new Set(ACTIONS).size).toBe(ACTIONS.length);
  });

  const cases = ACTIONS.flatMap((action) =>
    columns.map((who, i) => ({ action, who, expected: MATRIX[action][i]! })),
  );
  it.each(cases)('$action by $who → $expected', ({ action, who, expected }) => {
    const decision = authorize(actors[who], action, targetOf(action), DAY);
    expect(decision).toEqual(expected === ok ? ALLOW : deny(expected));
  });
});

describe('an inactive actor', () => {
  const targets: Target[] = [
    NONE,
    account([S33]),
    account([]),
    structure(S33, null),
    { kind: 'scope', scope: ['33'] },
  ];

  it.each(['INACTIF', 'SUPPRIME'] as const)(
    '%s is refused every action, whatever its rights',
    (status) => {
      // a correspondent of every département and GP of the structure: the most an account can hold
      const a = actor({
        status,
        scope: ['*'],
        attachments: [{ structureId: S33.id, role: 'GESTIONNAIRE_PRINCIPAL' }],
        habilitations: HABILITATION_PROFILES.map((profile) => ({
          structureId: S33.id,
          serviceId: null,
          profile,
        })),
      });
      for (const action of ACTIONS) {
        for (const target of [...targets, selfOf(a)]) {
          expect(authorize(a, action, target, DAY), `${action} on ${target.kind}`).toEqual(
            deny('rights.inactiveActor'),
          );
        }
      }
    },
  );

  it('is refused even what every active account may do', () => {
    const a = actor({ status: 'INACTIF' });
    expect(authorize(a, 'structure.read', structure(S33), DAY)).toEqual(
      deny('rights.inactiveActor'),
    );
    expect(authorize(a, 'account.read', selfOf(a), DAY)).toEqual(deny('rights.inactiveActor'));
    expect(authorize(a, 'file.manage', NONE, DAY)).toEqual(deny('rights.inactiveActor'));
  });
});

describe('correspondent-only actions', () => {
  it.each(CORRESPONDENT_ONLY)(
    '%s: any correspondent, whatever the target; no one else',
    (action) => {
      for (const target of [NONE, account([S64]), structure(S64)]) {
        expect(authorize(actor({ scope: ['33'] }), action, target, DAY)).toEqual(ALLOW);
        expect(authorize(actor({ scope: ['*'] }), action, target, DAY)).toEqual(ALLOW);
        expect(authorize(gpOf(S64.id), action, target, DAY)).toEqual(
          deny('rights.correspondentOnly'),
        );
      }
    },
  );

  it.each(['sync.show', 'sync.revert'] as const)(
    '%s: a run of a correspondent whose scope is within the actor’s; accounts and structures in scope',
    (action) => {
      const c33 = actor({ scope: ['33'] });
      expect(authorize(c33, action, NONE, DAY)).toEqual(ALLOW);
      expect(authorize(c33, action, { kind: 'scope', scope: ['33'] }, DAY)).toEqual(ALLOW);
      expect(authorize(c33, action, { kind: 'scope', scope: ['33', '64'] }, DAY)).toEqual(
        deny('rights.outOfScope'),
      );
      expect(authorize(c33, action, account([S33]), DAY)).toEqual(ALLOW);
      expect(authorize(c33, action, account([S64]), DAY)).toEqual(deny('rights.outOfScope'));
      expect(authorize(c33, action, structure(S64), DAY)).toEqual(deny('rights.outOfScope'));
      expect(authorize(actor({ scope: ['*'] }), action, structure(S64), DAY)).toEqual(ALLOW);
      expect(authorize(gpOf(S64.id), action, NONE, DAY)).toEqual(deny('rights.correspondentOnly'));
    },
  );

  it('an empty scope is still a correspondent', () => {
    expect(authorize(actor({ scope: [] }), 'audit.read', NONE, DAY)).toEqual(ALLOW);
  });
});

describe('correspondent.create', () => {
  const corr = actor({ scope: ['33', '40'] });
  const corrAll = actor({ scope: ['*'] });
  const ask = (a: Actor, scope: Scope) =>
    authorize(a, 'correspondent.create', { kind: 'scope', scope }, DAY);

  it('allows a scope no wider than the creator’s', () => {
    expect(ask(corr, ['33'])).toEqual(ALLOW);
    expect(ask(corr, ['40'])).toEqual(ALLOW);
    expect(ask(corr, ['33', '40'])).toEqual(ALLOW);
    expect(ask(corrAll, ['*'])).toEqual(ALLOW);
    expect(ask(corrAll, ['2A', '971'])).toEqual(ALLOW);
  });

  it('refuses a wider scope with rights.scopeTooWide', () => {
    expect(ask(corr, ['64'])).toEqual(deny('rights.scopeTooWide'));
    expect(ask(corr, ['33', '64'])).toEqual(deny('rights.scopeTooWide'));
    expect(ask(corr, ['*'])).toEqual(deny('rights.scopeTooWide'));
    expect(ask(actor({ scope: ['2A'] }), ['2B'])).toEqual(deny('rights.scopeTooWide'));
  });

  it('refuses without a scope target, and to non-correspondents', () => {
    expect(authorize(corr, 'correspondent.create', NONE, DAY)).toEqual(deny('rights.scopeTooWide'));
    expect(authorize(corr, 'correspondent.create', account([]), DAY)).toEqual(
      deny('rights.scopeTooWide'),
    );
    expect(ask(gpOf(S33.id), ['33'])).toEqual(deny('rights.correspondentOnly'));
  });
});

describe('a correspondent acting on an account', () => {
  const corr = actor({ scope: ['33', '40'] });
  const corrAll = actor({ scope: ['*'] });
  const ON_ACCOUNT: Action[] = [
    ...CORRESPONDENT_ON_ACCOUNT,
    'account.read',
    'account.edit',
    'file.read',
  ];

  const inScope: [string, Extract<Target, { kind: 'account' }>][] = [
    ['attached to a structure in scope', account([S33])],
    ['attached to another département of the scope', account([S40])],
    ['attached in and out of scope', account([S64, S33])],
    ['with no attachment at all', account([])],
    ['a correspondent with a narrower scope', account([], { scope: ['40'] })],
    ['a correspondent with the same scope', account([], { scope: ['33', '40'] })],
  ];
  const outOfScope: [string, Extract<Target, { kind: 'account' }>][] = [
    ['attached only out of scope', account([S64])],
    ['attached only to a structure that cannot be placed', account([SNONE])],
    ['a correspondent with a wider scope', account([], { scope: ['33', '64'] })],
    ['a correspondent of every département', account([], { scope: ['*'] })],
    ['a correspondent in scope by attachment, wider by scope', account([S33], { scope: ['64'] })],
  ];

  it.each(inScope)('may act on an account %s', (_, target) => {
    for (const action of ON_ACCOUNT)
      expect(authorize(corr, action, target, DAY), action).toEqual(ALLOW);
  });

  it.each(outOfScope)('may not act on an account %s (rights.outOfScope)', (_, target) => {
    for (const action of ON_ACCOUNT)
      expect(authorize(corr, action, target, DAY), action).toEqual(deny('rights.outOfScope'));
  });

  it.each([...inScope, ...outOfScope])(
    'a correspondent of `*` may act on an account %s',
    (_, target) => {
      for (const action of ON_ACCOUNT)
        expect(authorize(corrAll, action, target, DAY), action).toEqual(ALLOW);
    },
  );

  it.each(CORRESPONDENT_ON_ACCOUNT)('%s needs an account target', (action) => {
    expect(authorize(corr, action, NONE, DAY)).toEqual(deny('rights.outOfScope'));
    expect(authorize(corr, action, structure(S33), DAY)).toEqual(deny('rights.outOfScope'));
  });

  it.each(CORRESPONDENT_ON_ACCOUNT)(
    '%s is refused to the GP of the account’s structure',
    (action) => {
      expect(authorize(gpOf(S33.id), action, account([S33]), DAY)).toEqual(
        deny('rights.correspondentOnly'),
      );
    },
  );

  it('accountInScope: one structure in scope is enough, no attachment means in scope', () => {
    expect(accountInScope(['33'], account([S64, S33]))).toBe(true);
    expect(accountInScope(['33'], account([S64, S40]))).toBe(false);
    expect(accountInScope(['33'], account([]))).toBe(true);
    expect(accountInScope(['2A'], account([{ id: 9, postalCode: '20000' }]))).toBe(true);
    expect(accountInScope(['2A'], account([{ id: 9, postalCode: '20200' }]))).toBe(false);
    expect(accountInScope(['971'], account([{ id: 9, postalCode: '97100' }]))).toBe(true);
    expect(accountInScope(['97'], account([{ id: 9, postalCode: '97100' }]))).toBe(false);
    expect(accountInScope(['*'], account([SNONE]))).toBe(true);
  });

  it('property: an account attached to one structure is in scope exactly when its département is', () => {
    const dep = fc.constantFrom('33', '40', '64', '75', '2A', '2B', '971', '974');
    const postal: Record<string, string> = {
      '2A': '20000',
      '2B': '20200',
      '971': '97100',
      '974': '97400',
    };
    fc.assert(
      fc.property(fc.uniqueArray(dep, { minLength: 1, maxLength: 4 }), dep, (scope, d) => {
        const target = account([{ id: 50, postalCode: postal[d] ?? `${d}000` }]);
        const decision = authorize(actor({ scope }), 'account.deactivate', target, DAY);
        expect(decision).toEqual(scope.includes(d) ? ALLOW : deny('rights.outOfScope'));
      }),
    );
  });
});

describe('designating the GP of a structure that has none (issue 17)', () => {
  it('is for the correspondents whose scope covers the structure', () => {
    const corr = actor({ scope: ['33', '40'] });
    expect(authorize(corr, 'attachment.designate', structure(S40), DAY)).toEqual(ALLOW);
    expect(authorize(corr, 'attachment.designate', structure(S64), DAY)).toEqual(
      deny('rights.outOfScope'),
    );
    expect(authorize(corr, 'attachment.designate', structure(SNONE), DAY)).toEqual(
      deny('rights.outOfScope'),
    );
    expect(
      authorize(actor({ scope: ['*'] }), 'attachment.designate', structure(SNONE), DAY),
    ).toEqual(ALLOW);
  });

  it('is never a manager’s, not even the GP’s', () => {
    expect(authorize(gpOf(S33.id), 'attachment.designate', structure(S33), DAY)).toEqual(
      deny('rights.correspondentOnly'),
    );
  });
});

describe('actions of the holder only', () => {
  const someone = actor({ attachments: [{ structureId: S33.id }] });
  const corrAll = actor({ scope: ['*'] });
  const gp = gpOf(S33.id);

  it.each(HOLDER_ONLY)('%s: on one’s own account or with no target', (action) => {
    for (const a of [someone, corrAll, gp]) {
      expect(authorize(a, action, selfOf(a), DAY)).toEqual(ALLOW);
      expect(authorize(a, action, NONE, DAY)).toEqual(ALLOW);
    }
  });

  it.each(HOLDER_ONLY)(
    '%s: never on another account, not even for a correspondent or its GP',
    (action) => {
      const target = account([S33]);
      for (const a of [someone, corrAll, gp])
        expect(authorize(a, action, target, DAY)).toEqual(deny('rights.holderOnly'));
      // a subscription or habilitation request is about a structure: the holder's own, when attached to it
      const aboutStructure = action === 'subscription.request' || action === 'habilitation.request';
      expect(authorize(someone, action, structure(S33), DAY)).toEqual(
        aboutStructure ? ALLOW : deny('rights.holderOnly'),
      );
    },
  );
});

describe('file.read and file.manage (SPEC 6, 9)', () => {
  it('the holder reads and manages its own files; nobody else manages them', () => {
    const a = actor({ attachments: [{ structureId: S33.id }] });
    expect(authorize(a, 'file.read', selfOf(a), DAY)).toEqual(ALLOW);
    expect(authorize(a, 'file.manage', selfOf(a), DAY)).toEqual(ALLOW);
    expect(authorize(a, 'file.read', account([S33]), DAY)).toEqual(deny('rights.notYours'));
    expect(authorize(actor({ scope: ['*'] }), 'file.manage', account([S33]), DAY)).toEqual(
      deny('rights.holderOnly'),
    );
  });

  it('the structure’s managers do not read the files of its users, even those who may list them', () => {
    const target = account([S33]);
    expect(authorize(gpOf(S33.id), 'account.read', target, DAY)).toEqual(ALLOW);
    expect(authorize(gpOf(S33.id), 'file.read', target, DAY)).toEqual(deny('rights.notYours'));
    expect(authorize(holderOf('CONSULTATION_UTILISATEURS'), 'file.read', target, DAY)).toEqual(
      deny('rights.notYours'),
    );
  });

  it('a correspondent reads the file metadata of accounts in scope only', () => {
    const corr = actor({ scope: ['33'] });
    expect(authorize(corr, 'file.read', account([S33]), DAY)).toEqual(ALLOW);
    expect(authorize(corr, 'file.read', account([S64]), DAY)).toEqual(deny('rights.outOfScope'));
    expect(authorize(corr, 'file.read', NONE, DAY)).toEqual(deny('rights.notYours'));
  });
});

describe('account.read and account.edit', () => {
  it('every account reads and edits its own data', () => {
    const a = actor({});
    expect(authorize(a, 'account.read', selfOf(a), DAY)).toEqual(ALLOW);
    expect(authorize(a, 'account.edit', selfOf(a), DAY)).toEqual(ALLOW);
    expect(authorize(a, 'account.read', account([]), DAY)).toEqual(deny('rights.notYours'));
    expect(authorize(a, 'account.edit', NONE, DAY)).toEqual(deny('rights.notYours'));
  });

  it('the GP of a structure the target is attached to may read it, not edit it', () => {
    const gp = gpOf(S40.id);
    const target = account([S33, S40]);
    expect(authorize(gp, 'account.read', target, DAY)).toEqual(ALLOW);
    expect(authorize(gp, 'account.edit', target, DAY)).toEqual(deny('rights.notYours'));
    expect(authorize(gp, 'account.read', account([S33]), DAY)).toEqual(deny('rights.notYours'));
  });

  it('a holder of CONSULTATION_UTILISATEURS on the whole structure may read, not edit', () => {
    const cu = holderOf('CONSULTATION_UTILISATEURS', S40.id);
    expect(authorize(cu, 'account.read', account([S40]), DAY)).toEqual(ALLOW);
    expect(authorize(cu, 'account.edit', account([S40]), DAY)).toEqual(deny('rights.notYours'));
    expect(authorize(cu, 'account.read', account([S64]), DAY)).toEqual(deny('rights.notYours'));
  });

  it('CONSULTATION_UTILISATEURS on one service only does not reach the structure’s accounts', () => {
    const cu = holderOf('CONSULTATION_UTILISATEURS', S33.id, SERVICE_A);
    expect(authorize(cu, 'account.read', account([S33]), DAY)).toEqual(deny('rights.notYours'));
  });

  it.each([
    'VALIDATION_RATTACHEMENTS',
    'VALIDATION_ABONNEMENTS',
    'MODIFICATION_STRUCTURE',
  ] as const)('the other habilitations (%s) give no read right', (profile) => {
    expect(authorize(holderOf(profile), 'account.read', account([S33]), DAY)).toEqual(
      deny('rights.notYours'),
    );
  });

  it('a GP whose attachment is outside its dates may not read', () => {
    const target = account([S33]);
    expect(authorize(gpOf(S33.id, { dateEnd: '2024-06-14' }), 'account.read', target, DAY)).toEqual(
      deny('rights.notYours'),
    );
    expect(
      authorize(gpOf(S33.id, { dateStart: '2024-06-16' }), 'account.read', target, DAY),
    ).toEqual(deny('rights.notYours'));
    expect(
      authorize(
        gpOf(S33.id, { dateStart: '2024-06-15', dateEnd: '2024-06-15' }),
        'account.read',
        target,
        DAY,
      ),
    ).toEqual(ALLOW);
  });
});

describe('actions of a structure’s managers', () => {
  it.each(MANAGER)(
    '%s: the GP of the structure, on the structure and on any of its services',
    (action) => {
      const gp = gpOf(S33.id);
      expect(authorize(gp, action, structure(S33), DAY)).toEqual(ALLOW);
      expect(authorize(gp, action, structure(S33, null), DAY)).toEqual(ALLOW);
      expect(authorize(gp, action, structure(S33, SERVICE_A), DAY)).toEqual(ALLOW);
      expect(authorize(gp, action, structure(S64), DAY)).toEqual(deny('rights.notManager'));
    },
  );

  it.each(MANAGER)('%s: refused without a structure target', (action) => {
    const gp = gpOf(S33.id);
    expect(authorize(gp, action, NONE, DAY)).toEqual(deny('rights.notManager'));
    expect(authorize(gp, action, account([S33]), DAY)).toEqual(deny('rights.notManager'));
  });

  it.each(MANAGER)('%s: only its own habilitation gives the right', (action) => {
    for (const profile of HABILITATION_PROFILES) {
      const expected = profile === PROFILE_FOR[action] ? ALLOW : deny('rights.notManager');
      expect(authorize(holderOf(profile), action, structure(S33, null), DAY), profile).toEqual(
        expected,
      );
      // ... and only on the structure it is held on
      expect(authorize(holderOf(profile), action, structure(S64, null), DAY), profile).toEqual(
        deny('rights.notManager'),
      );
    }
  });

  it.each(MANAGER)('%s: a habilitation on the whole structure covers its services', (action) => {
    const h = holderOf(PROFILE_FOR[action]);
    expect(authorize(h, action, structure(S33, SERVICE_A), DAY)).toEqual(ALLOW);
    expect(authorize(h, action, structure(S33, SERVICE_B), DAY)).toEqual(ALLOW);
  });

  it.each(MANAGER.filter((a) => a !== 'structure.users'))(
    '%s: a habilitation on a service covers that service only',
    (action) => {
      const h = holderOf(PROFILE_FOR[action], S33.id, SERVICE_A);
      expect(authorize(h, action, structure(S33, SERVICE_A), DAY)).toEqual(ALLOW);
      expect(authorize(h, action, structure(S33, SERVICE_B), DAY)).toEqual(
        deny('rights.notManager'),
      );
      expect(authorize(h, action, structure(S33, null), DAY)).toEqual(deny('rights.notManager'));
      expect(authorize(h, action, structure(S33), DAY)).toEqual(deny('rights.notManager'));
      // the same service id under another structure is another service
      expect(authorize(h, action, structure(S40, SERVICE_A), DAY)).toEqual(
        deny('rights.notManager'),
      );
    },
  );

  it('structure.users: a habilitation on a service covers that service only', () => {
    const h = holderOf('CONSULTATION_UTILISATEURS', S33.id, SERVICE_A);
    expect(authorize(h, 'structure.users', structure(S33, SERVICE_A), DAY)).toEqual(ALLOW);
    expect(authorize(h, 'structure.users', structure(S33, SERVICE_B), DAY)).toEqual(
      deny('rights.notManager'),
    );
    expect(authorize(h, 'structure.users', structure(S33), DAY)).toEqual(deny('rights.notManager'));
  });

  it.each(MANAGER)('%s: a secondary manager or a plain user holds nothing implicitly', (action) => {
    for (const role of ['GESTIONNAIRE_SECONDAIRE', 'UTILISATEUR'] as const) {
      const a = actor({ attachments: [{ structureId: S33.id, role }] });
      expect(authorize(a, action, structure(S33), DAY), role).toEqual(deny('rights.notManager'));
    }
  });

  it('structure.users: a correspondent lists the users of structures in scope', () => {
    const corr = actor({ scope: ['33', '40'] });
    expect(authorize(corr, 'structure.users', structure(S40), DAY)).toEqual(ALLOW);
    expect(authorize(corr, 'structure.users', structure(S64), DAY)).toEqual(
      deny('rights.outOfScope'),
    );
    expect(authorize(corr, 'structure.users', structure(SNONE), DAY)).toEqual(
      deny('rights.outOfScope'),
    );
    expect(authorize(actor({ scope: ['*'] }), 'structure.users', structure(SNONE), DAY)).toEqual(
      ALLOW,
    );
  });

  it.each(MANAGER.filter((a) => a !== 'structure.users'))(
    '%s: a correspondent is no manager',
    (action) => {
      expect(authorize(actor({ scope: ['*'] }), action, structure(S33), DAY)).toEqual(
        deny('rights.notManager'),
      );
    },
  );
});

describe('habilitation.grant', () => {
  it('only the GP of the structure grants habilitations', () => {
    expect(authorize(gpOf(S33.id), 'habilitation.grant', structure(S33), DAY)).toEqual(ALLOW);
    expect(authorize(gpOf(S33.id), 'habilitation.grant', structure(S33, SERVICE_A), DAY)).toEqual(
      ALLOW,
    );
    expect(authorize(gpOf(S40.id), 'habilitation.grant', structure(S33), DAY)).toEqual(
      deny('rights.principalOnly'),
    );
  });

  it('no habilitation, secondary manager or correspondent scope gives it', () => {
    const all = actor({
      scope: ['*'],
      attachments: [{ structureId: S33.id, role: 'GESTIONNAIRE_SECONDAIRE' }],
      habilitations: HABILITATION_PROFILES.map((profile) => ({
        structureId: S33.id,
        serviceId: null,
        profile,
      })),
    });
    expect(authorize(all, 'habilitation.grant', structure(S33), DAY)).toEqual(
      deny('rights.principalOnly'),
    );
  });

  it('needs a structure target', () => {
    expect(authorize(gpOf(S33.id), 'habilitation.grant', NONE, DAY)).toEqual(
      deny('rights.notManager'),
    );
  });

  it('a GP outside its dates does not grant', () => {
    expect(
      authorize(gpOf(S33.id, { dateEnd: '2024-01-01' }), 'habilitation.grant', structure(S33), DAY),
    ).toEqual(deny('rights.principalOnly'));
  });
});

describe('habilitations need an attachment in effect (issue 5)', () => {
  const holder = (attachment: Partial<ActorAttachment>) =>
    actor({
      attachments: [{ structureId: S33.id, role: 'UTILISATEUR', ...attachment }],
      habilitations: [
        { structureId: S33.id, serviceId: null, profile: 'VALIDATION_RATTACHEMENTS' },
      ],
    });

  it('a holder of VALIDATION_RATTACHEMENTS decides while attached within its dates', () => {
    expect(
      authorize(
        holder({ dateStart: '2024-06-15', dateEnd: '2024-06-15' }),
        'attachment.decide',
        structure(S33),
        DAY,
      ),
    ).toEqual(ALLOW);
  });

  it.each([
    ['ended', { dateEnd: '2024-06-14' }],
    ['not yet started', { dateStart: '2024-06-16' }],
  ])('an attachment %s takes the habilitation with it', (_label, dates) => {
    expect(authorize(holder(dates), 'attachment.decide', structure(S33), DAY)).toEqual(
      deny('rights.notManager'),
    );
    expect(authorize(holder(dates), 'attachment.pending', structure(S33), DAY)).toEqual(
      deny('rights.notManager'),
    );
  });

  it('a habilitation without any attachment to the structure gives nothing', () => {
    const a = actor({
      habilitations: [
        { structureId: S33.id, serviceId: null, profile: 'VALIDATION_RATTACHEMENTS' },
      ],
    });
    expect(authorize(a, 'attachment.add', structure(S33), DAY)).toEqual(deny('rights.notManager'));
  });
});

describe('GP validity dates', () => {
  it('withinDates is inclusive at both ends and open when a date is null', () => {
    expect(withinDates({ dateStart: null, dateEnd: null }, DAY)).toBe(true);
    expect(withinDates({ dateStart: '2024-06-15', dateEnd: null }, DAY)).toBe(true);
    expect(withinDates({ dateStart: '2024-06-16', dateEnd: null }, DAY)).toBe(false);
    expect(withinDates({ dateStart: null, dateEnd: '2024-06-15' }, DAY)).toBe(true);
    expect(withinDates({ dateStart: null, dateEnd: '2024-06-14' }, DAY)).toBe(false);
    expect(withinDates({ dateStart: '2024-01-01', dateEnd: '2024-12-31' }, DAY)).toBe(true);
    expect(withinDates({ dateStart: '2023-01-01', dateEnd: '2023-12-31' }, DAY)).toBe(false);
  });

  it('property: withinDates agrees with the dates’ order', () => {
    const day = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.option(day), fc.option(day), day, (dateStart, dateEnd, d) => {
        const t = (s: string) => Date.parse(s);
        const expected =
          (dateStart === null || t(dateStart) <= t(d)) && (dateEnd === null || t(d) <= t(dateEnd));
        expect(withinDates({ dateStart, dateEnd }, d)).toBe(expected);
      }),
    );
  });

  it.each<[string, { dateStart?: string; dateEnd?: string }, boolean]>([
    ['not yet started', { dateStart: '2024-07-01' }, false],
    ['ended the day before', { dateEnd: '2024-06-14' }, false],
    ['starting that day', { dateStart: '2024-06-15' }, true],
    ['ending that day', { dateEnd: '2024-06-15' }, true],
    ['running', { dateStart: '2024-01-01', dateEnd: '2024-12-31' }, true],
  ])('a GP attachment %s (%j) gives the GP rights: %s', (_, dates, expected) => {
    const gp = gpOf(S33.id, dates);
    expect(isPrincipalManager(gp, S33.id, DAY)).toBe(expected);
    for (const action of [
      ...MANAGER,
      'habilitation.grant' as const,
      'habilitation.decide' as const,
    ]) {
      const decision = authorize(gp, action, structure(S33), DAY);
      expect(decision.allowed, action).toBe(expected);
    }
  });

  it('an expired GP attachment does not hide a live one on the same structure', () => {
    const a = actor({
      attachments: [
        { structureId: S33.id, role: 'GESTIONNAIRE_PRINCIPAL', dateEnd: '2020-12-31' },
        { structureId: S33.id, role: 'GESTIONNAIRE_PRINCIPAL', dateStart: '2021-01-01' },
      ],
    });
    expect(authorize(a, 'habilitation.grant', structure(S33), DAY)).toEqual(ALLOW);
  });
});

describe('habilitation requests: only the GP decides them (SPEC 6, issue 14 point 11)', () => {
  it.each(HABILITATION_PROFILES)('a holder of %s decides no habilitation request', (profile) => {
    const holder = holderOf(profile);
    for (const target of [structure(S33), structure(S33, SERVICE_A)])
      expect(authorize(holder, 'habilitation.decide', { ...target, requesterId: 1 }, DAY)).toEqual(
        deny('rights.principalOnly'),
      );
  });

  it('two holders of VALIDATION_ABONNEMENTS cannot approve each other, yet decide subscriptions', () => {
    const a = holderOf('VALIDATION_ABONNEMENTS');
    const b = holderOf('VALIDATION_ABONNEMENTS');
    const request = (by: Actor): Target => ({ ...structure(S33), requesterId: by.id });
    expect(authorize(a, 'habilitation.decide', request(b), DAY)).toEqual(
      deny('rights.principalOnly'),
    );
    expect(authorize(b, 'habilitation.decide', request(a), DAY)).toEqual(
      deny('rights.principalOnly'),
    );
    expect(authorize(a, 'subscription.decide', request(b), DAY)).toEqual(ALLOW);
  });

  it('the GP decides them, on the structure and its services, its own included', () => {
    const gp = gpOf(S33.id);
    expect(authorize(gp, 'habilitation.decide', structure(S33, SERVICE_A), DAY)).toEqual(ALLOW);
    expect(
      authorize(gp, 'habilitation.decide', { ...structure(S33), requesterId: gp.id }, DAY),
    ).toEqual(ALLOW);
    expect(authorize(gp, 'habilitation.decide', structure(S64), DAY)).toEqual(
      deny('rights.principalOnly'),
    );
    expect(authorize(actor({ scope: ['*'] }), 'habilitation.decide', structure(S33), DAY)).toEqual(
      deny('rights.principalOnly'),
    );
  });
});

describe('structure.read and notification.read', () => {
  it.each(['structure.read', 'notification.read'] as const)(
    '%s is allowed to any active account, whatever the target',
    (action) => {
      const a = actor({});
      for (const target of [NONE, structure(S64), account([S64]), selfOf(a)])
        expect(authorize(a, action, target, DAY)).toEqual(ALLOW);
    },
  );
});

describe('subscriptions only where the holder is attached (issue 17, point 5)', () => {
  const SERVICE_C = 12; // a third service of S33
  const onServices = (services: number[], dates: Partial<ActorAttachment> = {}) =>
    actor({ attachments: [{ structureId: S33.id, role: 'UTILISATEUR', services, ...dates }] });
  const ask = (a: Actor, serviceId: number | null, s = S33) =>
    authorize(a, 'subscription.request', structure(s, serviceId), DAY);

  it('an attachment limited to services covers those services only', () => {
    const a = onServices([SERVICE_A, SERVICE_B]);
    expect(ask(a, SERVICE_A)).toEqual(ALLOW);
    expect(ask(a, SERVICE_B)).toEqual(ALLOW);
    expect(ask(a, SERVICE_C)).toEqual(deny('rights.notAttached'));
  });

  it('an attachment limited to services does not cover the whole structure', () => {
    expect(ask(onServices([SERVICE_A]), null)).toEqual(deny('rights.notAttached'));
  });

  it('an attachment to the whole structure covers it and every service', () => {
    const a = onServices([]);
    expect(ask(a, null)).toEqual(ALLOW);
    expect(ask(a, SERVICE_C)).toEqual(ALLOW);
  });

  it('two attachments to the structure: the wider one counts', () => {
    const a = actor({
      attachments: [
        { structureId: S33.id, services: [SERVICE_A] },
        { structureId: S33.id, services: [] },
      ],
    });
    expect(ask(a, SERVICE_B)).toEqual(ALLOW);
  });

  it('an attachment to another structure, or outside its dates, covers nothing', () => {
    expect(ask(onServices([]), null, S40)).toEqual(deny('rights.notAttached'));
    expect(ask(onServices([SERVICE_A], { dateEnd: '2024-06-14' }), SERVICE_A)).toEqual(
      deny('rights.notAttached'),
    );
  });

  it('a habilitation request still needs only an attachment to the structure', () => {
    expect(
      authorize(onServices([SERVICE_A]), 'habilitation.request', structure(S33, SERVICE_C), DAY),
    ).toEqual(ALLOW);
  });
});

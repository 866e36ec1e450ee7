import { scopeCovers, scopeWithin, type Scope } from './departement.js';
import type { AccountStatus, AttachmentStatus, HabilitationProfile, Role } from './enums.js';

/**
 * Who may do what (SPEC 6): the one place where a right is granted or refused.
 * Pure: the application loads the facts (actor, target) and asks `authorize`.
 */

export const ACTIONS = [
  // correspondents
  'account.create',
  'account.delete',
  'account.deactivate',
  'account.reactivate',
  'account.resendCredentials',
  'account.list',
  'correspondent.create',
  'notification.export',
  'notification.digest',
  'audit.read',
  'structure.import',
  'structure.orphans',
  'sync.madrhas',
  'sync.runs',
  // correspondents: a run whose actor's scope theirs covers (SPEC 8.1 "Runs"); a revert, each
  // account and structure the run changed in their scope too
  'sync.show',
  'sync.revert',
  // the holder, or a correspondent in scope, or a manager who may see the structure's users
  'account.read',
  'account.edit',
  // the holder, or a correspondent in scope: a file's metadata, never its bytes
  'file.read',
  // the holder only
  'account.complete',
  'attachment.request',
  'attachment.detach',
  'subscription.request',
  'subscription.remove',
  'habilitation.request',
  'habilitation.remove',
  'file.manage',
  // the managers of a structure
  'structure.users',
  'structure.edit',
  'attachment.decide',
  'attachment.add',
  'subscription.decide',
  'habilitation.decide',
  'habilitation.grant',
  // the history of a structure (`audit list --structure`): its managers who see its users, and
  // correspondents in scope
  'audit.structure',
  // the deciders of a structure's attachment requests, and correspondents in scope (read only)
  'attachment.pending',
  // correspondents whose scope covers the structure: the GP of a structure that has none (SPEC 6)
  'attachment.designate',
  // anyone with an active account
  'structure.read',
  'notification.read',
] as const;
export type Action = (typeof ACTIONS)[number];

/** A live attachment of the actor: validated, inside its dates. */
export interface ActorAttachment {
  structureId: number;
  role: Role;
  dateStart: string | null;
  dateEnd: string | null;
  /** The services it is limited to (validated links); empty: the whole structure. */
  services: number[];
}

export interface ActorHabilitation {
  structureId: number;
  serviceId: number | null;
  profile: HabilitationProfile;
}

export interface Actor {
  id: number;
  login: string;
  status: AccountStatus;
  /** The correspondent's départements, or null for an ordinary account. */
  scope: Scope | null;
  attachments: ActorAttachment[];
  habilitations: ActorHabilitation[];
}

/**
 * The attachments that count for scope (SPEC 6): a refused request or a deleted account's ended
 * attachment places an account nowhere. The SQL filters (db/account.repository.ts) and the
 * loaders of targets use this list, so that every command and query counts the same ones.
 */
export const SCOPE_STATUSES = [
  'VALIDEE',
  'EN_COURS_DE_VALIDATION',
  'DESACTIVEE',
] as const satisfies readonly AttachmentStatus[];

export type Target =
  | { kind: 'none' }
  | {
      kind: 'account';
      id: number;
      /**
       * The stored département (null: outside France or no postal code) of each structure it
       * has an attachment to that counts for scope (SCOPE_STATUSES); empty: none.
       */
      departements: (string | null)[];
      /** The structures it is attached to (a refused request does not count), for their managers. */
      structureIds: number[];
      /** The target's own scope when it is a correspondent. */
      scope: Scope | null;
    }
  | {
      kind: 'structure';
      id: number;
      /** Its stored département (domain/structure.ts computes it at import); null: scope `*` only. */
      departement: string | null;
      serviceId?: number | null;
      /** For a decision on a request: who asked (a non-GP decider may not decide its own). */
      requesterId?: number;
    }
  | { kind: 'scope'; scope: Scope };

/** Why a right is refused: catalogue keys (src/i18n checks that each has its text). */
export type RefusalKey =
  | 'rights.correspondentOnly'
  | 'rights.holderOnly'
  | 'rights.inactiveActor'
  | 'rights.notAttached'
  | 'rights.notManager'
  | 'rights.notYours'
  | 'rights.outOfScope'
  | 'rights.ownRequest'
  | 'rights.principalOnly'
  | 'rights.scopeTooWide'
  | 'rights.notPlanner'
  | 'rights.ownPlan'
  | 'rights.planScope'
  | 'rights.planOutsideScope';

export type Decision = { allowed: true } | { allowed: false; reason: RefusalKey };

const ALLOW: Decision = { allowed: true };
const deny = (reason: RefusalKey): Decision => ({ allowed: false, reason });

/** Habilitation each manager action needs; the GP holds them all. */
const PROFILE_FOR: Partial<Record<Action, HabilitationProfile>> = {
  'structure.users': 'CONSULTATION_UTILISATEURS',
  'audit.structure': 'CONSULTATION_UTILISATEURS',
  'structure.edit': 'MODIFICATION_STRUCTURE',
  'attachment.decide': 'VALIDATION_RATTACHEMENTS',
  'attachment.add': 'VALIDATION_RATTACHEMENTS',
  'attachment.pending': 'VALIDATION_RATTACHEMENTS',
  'subscription.decide': 'VALIDATION_ABONNEMENTS',
};

const CORRESPONDENT_ONLY = new Set<Action>([
  'account.create',
  'account.list',
  'audit.read',
  'structure.import',
  'structure.orphans',
  'sync.madrhas',
  'sync.runs',
  'notification.export',
  'notification.digest',
]);
const CORRESPONDENT_ON_ACCOUNT = new Set<Action>([
  'account.delete',
  'account.deactivate',
  'account.reactivate',
  'account.resendCredentials',
]);
const HOLDER_ONLY = new Set<Action>([
  'account.complete',
  'attachment.request',
  'attachment.detach',
  'subscription.request',
  'subscription.remove',
  'habilitation.request',
  'habilitation.remove',
  'file.manage',
]);

/** Requests a holder makes about a structure it must be attached to (validated, inside its dates). */
const ATTACHED_REQUESTS = new Set<Action>(['subscription.request', 'habilitation.request']);
/** Decisions on a request: nobody but the GP decides its own. */
const DECISIONS = new Set<Action>(['subscription.decide', 'habilitation.decide']);

/** True when `day` (AAAA-MM-JJ) lies within an attachment's dates. */
export function withinDates(
  a: { dateStart: string | null; dateEnd: string | null },
  day: string,
): boolean {
  return (a.dateStart === null || a.dateStart <= day) && (a.dateEnd === null || day <= a.dateEnd);
}

export function isPrincipalManager(actor: Actor, structureId: number, day: string): boolean {
  return actor.attachments.some(
    (a) =>
      a.structureId === structureId && a.role === 'GESTIONNAIRE_PRINCIPAL' && withinDates(a, day),
  );
}

/**
 * A structure is in scope when its stored département is (SPEC 6); one outside France or
 * without a postal code (département null) is in the scope `*` only.
 */
export function structureInScope(scope: Scope, departement: string | null): boolean {
  return scopeCovers(scope, departement);
}

/**
 * The scope rule of SPEC 6, the one every command and query follows (the SQL filters of
 * db/account.repository.ts say the same, and a property-based test holds them together):
 * a correspondent account is in the scope of the correspondents whose scope covers its own;
 * any other account is in scope when one of the attachments that count (SCOPE_STATUSES) is to
 * a structure in scope, or when it has none.
 */
export function accountInScope(
  scope: Scope,
  target: Pick<Extract<Target, { kind: 'account' }>, 'departements' | 'scope'>,
): boolean {
  if (target.scope !== null) return scopeWithin(target.scope, scope);
  if (target.departements.length === 0) return true;
  return target.departements.some((d) => structureInScope(scope, d));
}

/**
 * SPEC 8.2: a correspondent changes a structure only when it is in its scope, and moves it from
 * one département to another (a new postal code or country) only when its scope covers both.
 * `before` is the stored département, `after` the one the change would give it.
 */
export function mayChangeStructure(
  scope: Scope,
  before: string | null,
  after: string | null,
): boolean {
  return structureInScope(scope, before) && structureInScope(scope, after);
}

/**
 * Whether a valid attachment covers the structure, or one of its services: an attachment to the
 * whole structure covers every service; one limited to services covers only those, and not the
 * whole structure (SPEC 6: subscriptions on the structure or the services one is attached to).
 */
export function isAttachedTo(
  actor: Actor,
  structureId: number,
  serviceId: number | null,
  day: string,
): boolean {
  return actor.attachments.some(
    (a) =>
      a.structureId === structureId &&
      withinDates(a, day) &&
      (a.services.length === 0 || (serviceId !== null && a.services.includes(serviceId))),
  );
}

/** A validated attachment to the structure (any role) whose dates include `day`. */
export function isAttached(actor: Actor, structureId: number, day: string): boolean {
  return actor.attachments.some((a) => a.structureId === structureId && withinDates(a, day));
}

function holdsProfile(
  actor: Actor,
  profile: HabilitationProfile,
  structureId: number,
  serviceId: number | null | undefined,
  day: string,
): boolean {
  // a habilitation counts only while its holder is attached to the structure
  if (!isAttached(actor, structureId, day)) return false;
  return actor.habilitations.some(
    (h) =>
      h.structureId === structureId &&
      h.profile === profile &&
      // a habilitation on the whole structure covers its services; one on a service covers only it
      (h.serviceId === null ||
        (serviceId !== undefined && serviceId !== null && h.serviceId === serviceId)),
  );
}

/**
 * Decides whether `actor` may perform `action` on `target` on `day` (AAAA-MM-JJ).
 * An inactive or deleted actor may do nothing.
 */
export function authorize(actor: Actor, action: Action, target: Target, day: string): Decision {
  if (actor.status !== 'ACTIF') return deny('rights.inactiveActor');
  const scope = actor.scope;
  const self = target.kind === 'account' && target.id === actor.id;

  if (CORRESPONDENT_ONLY.has(action)) return scope ? ALLOW : deny('rights.correspondentOnly');

  if (action === 'correspondent.create') {
    if (!scope) return deny('rights.correspondentOnly');
    return target.kind === 'scope' && scopeWithin(target.scope, scope)
      ? ALLOW
      : deny('rights.scopeTooWide');
  }

  if (action === 'sync.show' || action === 'sync.revert') {
    if (!scope) return deny('rights.correspondentOnly');
    let inScope: boolean;
    if (target.kind === 'none') inScope = true;
    // a run: its actor's scope; an account or structure a revert would change: as everywhere
    else if (target.kind === 'scope') inScope = scopeWithin(target.scope, scope);
    else if (target.kind === 'account') inScope = accountInScope(scope, target);
    else inScope = structureInScope(scope, target.departement);
    return inScope ? ALLOW : deny('rights.outOfScope');
  }

  if (CORRESPONDENT_ON_ACCOUNT.has(action)) {
    if (!scope) return deny('rights.correspondentOnly');
    if (target.kind !== 'account') return deny('rights.outOfScope');
    return accountInScope(scope, target) ? ALLOW : deny('rights.outOfScope');
  }

  if (action === 'subscription.request' && target.kind === 'structure')
    return isAttachedTo(actor, target.id, target.serviceId ?? null, day)
      ? ALLOW
      : deny('rights.notAttached');
  if (ATTACHED_REQUESTS.has(action) && target.kind === 'structure')
    return isAttached(actor, target.id, day) ? ALLOW : deny('rights.notAttached');
  if (HOLDER_ONLY.has(action))
    return self || target.kind === 'none' ? ALLOW : deny('rights.holderOnly');

  if (action === 'account.read' || action === 'account.edit' || action === 'file.read') {
    if (self) return ALLOW;
    if (target.kind !== 'account') return deny('rights.notYours');
    if (scope) return accountInScope(scope, target) ? ALLOW : deny('rights.outOfScope');
    // the managers of its structures may read (not edit) an account, as they list their users
    if (
      action === 'account.read' &&
      target.structureIds.some((s) => managerMay(actor, 'structure.users', s, undefined, day))
    )
      return ALLOW;
    return deny('rights.notYours');
  }

  if (action === 'structure.read' || action === 'notification.read') return ALLOW;

  if (target.kind !== 'structure') return deny('rights.notManager');

  // only the GP grants habilitations, and so only the GP decides habilitation requests (SPEC 6)
  if (action === 'habilitation.grant' || action === 'habilitation.decide')
    return isPrincipalManager(actor, target.id, day) ? ALLOW : deny('rights.principalOnly');

  if (action === 'attachment.designate') {
    if (!scope) return deny('rights.correspondentOnly');
    return structureInScope(scope, target.departement) ? ALLOW : deny('rights.outOfScope');
  }

  if (
    (action === 'structure.users' ||
      action === 'attachment.pending' ||
      action === 'audit.structure') &&
    scope
  )
    return structureInScope(scope, target.departement) ? ALLOW : deny('rights.outOfScope');

  if (!managerMay(actor, action, target.id, target.serviceId, day))
    return deny('rights.notManager');
  if (
    DECISIONS.has(action) &&
    target.requesterId === actor.id &&
    !isPrincipalManager(actor, target.id, day)
  )
    return deny('rights.ownRequest');
  return ALLOW;
}

function managerMay(
  actor: Actor,
  action: Action,
  structureId: number,
  serviceId: number | null | undefined,
  day: string,
): boolean {
  if (isPrincipalManager(actor, structureId, day)) return true;
  const profile = PROFILE_FOR[action];
  return profile !== undefined && holdsProfile(actor, profile, structureId, serviceId, day);
}

/**
 * Who may apply a saved sync plan (`sync apply`, SPEC 8.1): the correspondent who made it; a plan
 * over --max-deactivations (a truncated export?) only another correspondent whose scope covers
 * the planner's (four eyes; the command asks for their --reason).
 */
export function mayApplyPlan(
  actor: Actor,
  planner: { login: string; scope: Scope },
  overLimit: boolean,
): Decision {
  if (actor.status !== 'ACTIF') return deny('rights.inactiveActor');
  if (!actor.scope) return deny('rights.correspondentOnly');
  // the run takes the plan's scope: the actor's own must cover it, whoever the actor is (a
  // correspondent whose scope shrank since, or a plan's scope written over by hand)
  const covers = scopeWithin(planner.scope, actor.scope);
  if (!overLimit) {
    if (actor.login !== planner.login) return deny('rights.notPlanner');
    return covers ? ALLOW : deny('rights.planOutsideScope');
  }
  if (actor.login === planner.login) return deny('rights.ownPlan');
  return covers ? ALLOW : deny('rights.planScope');
}

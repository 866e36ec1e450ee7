import type { AttachmentStatus, Role } from '../domain/enums.js';
import { structureInScope } from '../domain/rights.js';
import { formatStructureRef } from '../domain/structure-ref.js';
import * as accounts from '../db/account.repository.js';
import * as attachments from '../db/attachment.repository.js';
import * as orphans from '../db/orphan.repository.js';
import type { AccountRow } from '../db/schema.js';
import type { Store } from '../db/store.js';
import { runUseCase, type UseCase } from './use-case.js';

/**
 * Structures nobody manages (issue 17, SPEC 7): those with no GP in effect, with their attached
 * accounts and the requests waiting there, and the requests that no active account can decide.
 */

/** Why a row is listed: its structure has no GP in effect, or its request has no active decider. */
export type OrphanReason = 'NO_PRINCIPAL' | 'NO_DECIDER';

export interface OrphanRow {
  /** The attachment (a waiting request, or an account attached there). */
  id: number;
  structure: string;
  companyName: string;
  reason: OrphanReason;
  account: string;
  name: string;
  role: Role;
  status: AttachmentStatus;
  services: string[];
  requestedAt: string | null;
  /** For a waiting request: whether an active account can decide it; null for an attached account. */
  decidable: boolean | null;
}

const WAITING: AttachmentStatus = 'EN_COURS_DE_VALIDATION';

/** The structures in the correspondent's scope that nobody manages, oldest waiting request first. */
export async function listOrphans(store: Store, actor: string): Promise<OrphanRow[]> {
  return runUseCase(store, { actor, action: 'structure.orphans', readOnly: true }, async (uc) => {
    uc.authorize('structure.orphans', { kind: 'none' }, 'structures');
    const scope = uc.actor.scope!;
    const inScope = (d: string | null) => structureInScope(scope, d);

    const bare = (await orphans.attachmentsWithoutPrincipal(uc.trx, uc.today)).filter((r) =>
      inScope(r.departement),
    );
    const bareStructures = new Set(bare.map((r) => r.structureId));
    // the requests of structures that have a GP in effect, but no active account to decide them
    const waiting = (await attachments.listAttachmentRows(uc.trx, { status: WAITING })).filter(
      (r) => inScope(r.departement) && !bareStructures.has(r.structureId),
    );
    const services = await attachments.servicesByAttachment(uc.trx, [
      ...bare.map((r) => r.id),
      ...waiting.map((r) => r.id),
    ]);
    const codesOf = (id: number, status: AttachmentStatus) =>
      (services.get(id) ?? []).filter((l) => l.status === status).map((l) => l.code);
    const decidable = async (structureId: number, id: number) =>
      (
        await attachments.decidersOf(
          uc.trx,
          structureId,
          (services.get(id) ?? []).map((l) => l.serviceId),
          uc.today,
        )
      ).length > 0;

    const rows: (OrphanRow & { structureId: number })[] = [];
    for (const r of bare)
      rows.push({
        id: r.id,
        structureId: r.structureId,
        structure: formatStructureRef(r),
        companyName: r.companyName,
        reason: 'NO_PRINCIPAL',
        account: r.login,
        name: `${r.firstName} ${r.lastName}`,
        role: r.role,
        status: r.status,
        services: codesOf(r.id, r.status),
        requestedAt: r.status === WAITING ? r.requestedAt : null,
        decidable: r.status === WAITING ? await decidable(r.structureId, r.id) : null,
      });
    for (const r of waiting)
      if (!(await decidable(r.structureId, r.id)))
        rows.push({
          id: r.id,
          structureId: r.structureId,
          structure: formatStructureRef(r),
          companyName: r.companyName,
          reason: 'NO_DECIDER',
          account: r.login,
          name: `${r.firstName} ${r.lastName}`,
          role: r.role,
          status: r.status,
          services: codesOf(r.id, r.status),
          requestedAt: r.requestedAt,
          decidable: false,
        });

    // structures by their oldest waiting request (those with none last); in each, the requests
    // oldest first, then the attached accounts
    const oldest = new Map<number, string>();
    for (const r of rows)
      if (r.requestedAt !== null && r.status === WAITING) {
        const o = oldest.get(r.structureId);
        if (o === undefined || r.requestedAt < o) oldest.set(r.structureId, r.requestedAt);
      }
    const key = (r: OrphanRow & { structureId: number }) => [
      oldest.get(r.structureId) ?? '\uffff',
      r.structure,
      r.status === WAITING ? '0' : '1',
      r.requestedAt ?? '',
      r.account,
    ];
    rows.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
      return a.id - b.id;
    });
    return rows.map(({ structureId: _, ...row }) => row);
  });
}

/**
 * The correspondents a structure's requests turn to when nobody there can decide: the active
 * correspondents whose scope covers it.
 */
export async function correspondentsFor(
  uc: UseCase,
  departement: string | null,
): Promise<AccountRow[]> {
  const scopes = await accounts.allScopes(uc.trx);
  return (await orphans.activeCorrespondents(uc.trx)).filter((c) => {
    const scope = scopes.get(c.id);
    return scope !== undefined && structureInScope(scope, departement);
  });
}

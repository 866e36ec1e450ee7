import { withinDates } from '../domain/rights.js';
import { formatStructureRef, parseStructureRef } from '../domain/structure-ref.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import * as accounts from '../db/account.repository.js';
import * as attachments from '../db/attachment.repository.js';
import type { Store } from '../db/store.js';
import * as structures from '../db/structure.repository.js';
import { attachmentLabel, GP, makeGp, viewOf, type AttachmentView } from './attachments.js';
import { runUseCase } from './use-case.js';

/**
 * `attachment detach` (SPEC 7): a holder leaves a structure or some of its services, and a GP
 * hands the role over to a successor who takes the whole structure. Apart from the requests and
 * decisions of app/attachments.ts, whose views and labels it shares.
 */

export interface DetachInput {
  structure: string;
  services: string[];
  newManager: string | null;
}

export interface DetachResult {
  attachment: AttachmentView;
  /** The services left, when only some were detached. */
  detachedServices: string[];
  /** The successor, when the acting GP handed the role over. */
  newManager: string | null;
  /** The acting account's title (M., Mme or none), for messages that agree with it. */
  title: string | null;
}

/**
 * The acting account leaves a structure (its attachment becomes SUPPRIMEE), or some of its
 * services. A GP cannot leave without a successor: `newManager` takes the role (demoted before
 * promoted, in one transaction, so the one-GP index holds) and the former GP stays a plain user.
 */
export async function detach(
  store: Store,
  actor: string,
  input: DetachInput,
): Promise<DetachResult> {
  // the body runs again when it loses a race (PostgreSQL): a GP that no longer is one lost it
  let wasGp = false;
  return runUseCase(store, { actor, action: 'attachment.detach' }, async (uc) => {
    const s = await structures.getStructure(uc.trx, parseStructureRef(input.structure));
    const ref = formatStructureRef(s);
    uc.authorize('attachment.detach', { kind: 'none' }, `structure:${ref}`);
    const a = await attachments.liveAttachment(uc.trx, uc.actor.id, s.id);
    if (!a)
      throw new NotFoundError('attachment.notAttached', { login: uc.actor.login, structure: ref });
    const label = attachmentLabel(a.id);
    const linked = (
      (await attachments.servicesByAttachment(uc.trx, [a.id])).get(a.id) ?? []
    ).filter((l) => l.status === a.status);
    const isGp = a.role === GP && a.status === 'VALIDEE';
    if (input.newManager !== null && !isGp && wasGp)
      throw new ConflictError('attachment.gpChanged', { structure: ref });
    wasGp ||= isGp;
    if (input.newManager !== null && !isGp)
      throw new InvalidInputError([
        { field: '--new-manager', message: 'attachment.newManagerNotGp' },
      ]);

    if (input.services.length > 0 && input.newManager === null) {
      if (linked.length === 0)
        throw new ConflictError('attachment.wholeStructure', { structure: ref });
      const codes = [...new Set(input.services.map((c) => c.trim().toUpperCase()))];
      const named = codes.map((code) => {
        const l = linked.find((x) => x.code.toUpperCase() === code);
        if (!l) throw new NotFoundError('attachment.serviceNotAttached', { code, structure: ref });
        return l;
      });
      if (named.length < linked.length) {
        await attachments.endServices(
          uc.trx,
          a.id,
          named.map((l) => l.serviceId),
          uc.now,
        );
        uc.audit('attachment.detach', label, {
          structure: ref,
          account: uc.actor.login,
          services: {
            before: linked.map((l) => l.code),
            after: linked.filter((l) => !named.includes(l)).map((l) => l.code),
          },
        });
        return {
          attachment: await viewOf(uc, a.id),
          detachedServices: named.map((l) => l.code),
          newManager: null,
          title: uc.actorAccount.title,
        };
      }
      // every service named: the whole attachment goes, by the rules below
    }

    if (!isGp) {
      if (
        !(await attachments.setAttachmentStatus(uc.trx, a.id, 'SUPPRIMEE', {
          at: uc.now,
          from: a.status,
        }))
      )
        throw new ConflictError('store.concurrentChange');
      uc.audit('attachment.detach', label, {
        structure: ref,
        account: uc.actor.login,
        services: linked.map((l) => l.code),
        status: { before: a.status, after: 'SUPPRIMEE' },
      });
      return {
        attachment: await viewOf(uc, a.id),
        detachedServices: [],
        newManager: null,
        title: uc.actorAccount.title,
      };
    }

    if (input.newManager === null)
      throw new ConflictError('attachment.gpNeedsSuccessor', { structure: ref });
    const successor = await accounts.getAccount(uc.trx, input.newManager);
    if (successor.id === uc.actor.id)
      throw new InvalidInputError([
        { field: '--new-manager', message: 'attachment.newManagerSelf' },
      ]);
    if (successor.status !== 'ACTIF')
      throw new ConflictError('attachment.accountInactive', {
        login: successor.login,
        status: successor.status,
      });
    const former = uc.actorAccount;
    if (!(await attachments.setRole(uc.trx, a.id, 'UTILISATEUR', uc.now, GP)))
      throw new ConflictError('attachment.gpChanged', { structure: ref });
    // the successor takes the whole structure; a pending request is validated by the handover
    const made = await makeGp(uc, successor.id, s.id, former.login, {
      dateStart: uc.today,
      dateEnd: null,
    });
    const { id: successorAttachment, before: theirs, servicesEnded: successorServices } = made;
    // expired dates would leave the structure without a GP in effect
    if (theirs && !withinDates(theirs, uc.today))
      await attachments.updateAttachment(uc.trx, theirs.id, {
        dateStart: theirs.dateStart && theirs.dateStart > uc.today ? uc.today : theirs.dateStart,
        dateEnd: null,
      });
    uc.audit('attachment.transfer', `structure:${ref}`, {
      structure: ref,
      account: successor.login,
      principalManager: { before: former.login, after: successor.login },
      attachments: [a.id, successorAttachment],
      ...(successorServices.length > 0
        ? { successorServices: { before: successorServices, after: [] } }
        : {}),
    });
    const params = {
      structure: ref,
      companyName: s.companyName,
      former: former.login,
      successor: successor.login,
    };
    uc.notify(successor, 'GP_TRANSFERRED', params, s.id);
    uc.notify(former, 'GP_TRANSFERRED', params, s.id);
    return {
      attachment: await viewOf(uc, a.id),
      detachedServices: [],
      newManager: successor.login,
      title: uc.actorAccount.title,
    };
  });
}

// ---- reading ----------------------------------------------------------------------------

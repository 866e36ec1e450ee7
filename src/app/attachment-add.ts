import type { Role } from '../domain/enums.js';
import { withinDates } from '../domain/rights.js';
import { formatStructureRef, parseStructureRef } from '../domain/structure-ref.js';
import { ConflictError, InvalidInputError } from '../errors.js';
import * as accounts from '../db/account.repository.js';
import * as attachments from '../db/attachment.repository.js';
import type { AccountRow, StructureRow } from '../db/schema.js';
import type { Store } from '../db/store.js';
import * as structures from '../db/structure.repository.js';
import {
  attachmentLabel,
  authorizeOn,
  checkDates,
  GP,
  makeGp,
  servicesNamed,
  structureTarget,
  viewOf,
  type AttachmentView,
} from './attachments.js';
import { runUseCase, type UseCase } from './use-case.js';

/**
 * `attachment add` (SPEC 7): a manager attaches an account to the structure, or to some of its
 * services; a correspondent designates a structure's principal manager (GP).
 */

export interface AddInput {
  login: string;
  structure: string;
  services: string[];
  role: Role;
  from: string | null;
  until: string | null;
}

/** The account `input` names, active, and the structure active, for dates in order. */
async function attachable(
  uc: UseCase,
  input: AddInput,
  s: StructureRow,
  ref: string,
): Promise<AccountRow> {
  const account = await accounts.getAccount(uc.trx, input.login);
  if (account.status !== 'ACTIF')
    throw new ConflictError('attachment.accountInactive', {
      login: account.login,
      status: account.status,
    });
  if (s.active !== 1) throw new ConflictError('attachment.structureInactive', { structure: ref });
  checkDates(input.from, input.until);
  return account;
}

export async function addAttachment(
  store: Store,
  actor: string,
  input: AddInput,
): Promise<AttachmentView> {
  return runUseCase(store, { actor, action: 'attachment.add' }, async (uc) => {
    const s = await structures.getStructure(uc.trx, parseStructureRef(input.structure));
    const ref = formatStructureRef(s);
    // a GP is never limited to some services (SPEC 7): refused rather than silently widened
    if (input.role === GP && input.services.length > 0)
      throw new InvalidInputError([{ field: '--service', message: 'attachment.gpWholeStructure' }]);
    if (input.role === GP) return designate(uc, s, input);
    const services = await servicesNamed(uc, s, input.services);
    authorizeOn(
      uc,
      'attachment.add',
      s,
      services.map((sv) => sv.id),
      `structure:${ref}`,
    );
    const account = await attachable(uc, input, s, ref);
    if (await attachments.liveAttachment(uc.trx, account.id, s.id))
      throw new ConflictError('attachment.exists', { login: account.login, structure: ref });
    const id = await attachments.insertAttachment(
      uc.trx,
      {
        accountId: account.id,
        structureId: s.id,
        role: input.role,
        status: 'VALIDEE',
        comment: null,
        dateStart: input.from,
        dateEnd: input.until,
        decidedBy: uc.actor.login,
        at: uc.now,
      },
      services.map((sv) => sv.id),
    );
    const codes = services.map((sv) => sv.code);
    uc.audit('attachment.add', attachmentLabel(id), {
      structure: ref,
      account: account.login,
      services: codes,
      role: input.role,
      dateStart: input.from,
      dateEnd: input.until,
    });
    uc.notify(
      account,
      'ATTACHMENT_ADDED',
      {
        id,
        structure: ref,
        companyName: s.companyName,
        role: input.role,
        services: codes.join(', ') || '-',
        decidedBy: uc.actor.login,
      },
      s.id,
    );
    return viewOf(uc, id);
  });
}

/**
 * A correspondent in scope designates the GP of a structure that has none in effect (SPEC 6,
 * what Chorus Pro support does when a GP left without a successor). The account's live
 * attachment, if any, is promoted and covers the whole structure; a GP whose dates have run out
 * becomes a plain user, so that the one-GP index holds. The new GP and the structure's other
 * managers in effect are told.
 */
async function designate(uc: UseCase, s: StructureRow, input: AddInput): Promise<AttachmentView> {
  const ref = formatStructureRef(s);
  const stale = await attachments.principalAttachment(uc.trx, s.id);
  const inEffect = stale !== undefined && withinDates(stale, uc.today);
  // a manager who asks for a second GP hears that the role is handed over, not that it is forbidden
  if (inEffect && uc.actor.scope === null && uc.allows('attachment.add', structureTarget(s)))
    throw new ConflictError('attachment.gpExists', { structure: ref });
  uc.authorize('attachment.designate', structureTarget(s), `structure:${ref}`);
  const account = await attachable(uc, input, s, ref);
  if (input.until !== null && input.until < uc.today)
    throw new InvalidInputError([
      { field: '--until', message: 'attachment.gpEnded', params: { until: input.until } },
    ]);
  if (inEffect) throw new ConflictError('attachment.gpExists', { structure: ref });
  let former: string | null = null;
  if (stale) {
    former = (await accounts.accountById(uc.trx, stale.accountId)).login;
    if (!(await attachments.setRole(uc.trx, stale.id, 'UTILISATEUR', uc.now, GP)))
      throw new ConflictError('attachment.gpChanged', { structure: ref });
  }
  const made = await makeGp(uc, account.id, s.id, uc.actor.login, {
    dateStart: input.from,
    dateEnd: input.until,
  });
  const { id, before: theirs, servicesEnded } = made;
  if (theirs) {
    const dateStart = input.from ?? theirs.dateStart;
    await attachments.updateAttachment(uc.trx, id, {
      dateStart:
        dateStart !== null && dateStart > uc.today && input.from === null ? uc.today : dateStart,
      dateEnd: input.until,
    });
  }
  uc.audit('attachment.designate', attachmentLabel(id), {
    structure: ref,
    account: account.login,
    role: theirs ? { before: theirs.role, after: GP } : GP,
    principalManager: { before: former, after: account.login },
    ...(servicesEnded.length > 0 ? { services: { before: servicesEnded, after: [] } } : {}),
    dateStart: input.from,
    dateEnd: input.until,
  });
  const params = {
    structure: ref,
    companyName: s.companyName,
    designee: account.login,
    designeeName: `${account.firstName} ${account.lastName}`,
    decidedBy: uc.actor.login,
  };
  uc.notify(account, 'GP_DESIGNATED', params, s.id);
  for (const m of await attachments.managersOf(uc.trx, s.id, uc.today))
    if (m.id !== account.id) uc.notify(m, 'GP_DESIGNATED', params, s.id);
  return viewOf(uc, id);
}

import { composeMail, NOREPLY } from '../mail.js';
import type { Scope } from '../../domain/departement.js';
import { planAbsent } from '../../domain/account-plan.js';
import * as accounts from '../../db/account.repository.js';
import * as notifications from '../../db/notification.repository.js';
import * as sync from '../../db/sync.repository.js';
import type { UseCase } from '../use-case.js';
import { NO_JOURNAL, type SyncJournal } from './journal.js';
import type { SyncSummary } from './summary.js';
import { breathe } from './writer.js';

/**
 * Full mode's absent accounts (SPEC 8.1): the active MADRHAS accounts in the actor's scope that
 * the file no longer lists. Which of them the run ends or deactivates (domain/account-plan.ts
 * planAbsent), then those writes, a chunk at a time, audited, told and journaled.
 */

const CHUNK = 1000;

/** An active MADRHAS account the file does not list, and what full mode does to it (domain/account-plan.ts planAbsent). */
export interface AbsentAccount {
  id: number;
  login: string;
  /** Deactivated, or kept active (it holds an attachment in effect outside the scope). */
  deactivate: boolean;
  /** Its validated MADRHAS attachments in scope, which end. */
  end: { id: number; structureRef: string }[];
}

/**
 * Step 5: full mode's absent accounts: their MADRHAS attachments in scope end (DESACTIVEE), and
 * those with nothing in effect elsewhere are deactivated and told; each audited.
 */
export async function deactivateAbsent(
  uc: UseCase,
  absent: readonly AbsentAccount[],
  runId: number,
  summary: SyncSummary,
  journal: SyncJournal = NO_JOURNAL,
): Promise<void> {
  for (let i = 0; i < absent.length; i += CHUNK) {
    await breathe();
    const chunk = absent.slice(i, i + CHUNK);
    const ended = chunk.flatMap((a) => a.end.map((e) => e.id));
    for (let j = 0; j < ended.length; j += CHUNK)
      await sync.deactivateAttachments(uc.trx, ended.slice(j, j + CHUNK), uc.now);
    summary.attachmentsEnded += ended.length;
    // the run changed them without syncing them from rows: planned again next time, and the file
    // imposes when it lists them again (their base goes; deactivateAccounts clears the others')
    const kept = chunk.filter((a) => !a.deactivate).map((a) => a.id);
    // their bases as they were, for the run's before-images (sync revert puts them back)
    const bases = await sync.basesOf(
      uc.trx,
      chunk.map((a) => a.id),
    );
    await sync.clearDigests(uc.trx, kept);
    await sync.clearBases(uc.trx, kept);
    const ids = chunk.filter((a) => a.deactivate).map((a) => a.id);
    summary.deactivated += ids.length;
    summary.updated += chunk.length - ids.length;
    if (ids.length > 0) await sync.deactivateAccounts(uc.trx, ids, uc.now);
    const deactivated = ids.length > 0 ? await accounts.accountsById(uc.trx, ids) : [];
    const mails = deactivated.map((a) => {
      const m = composeMail('ACCOUNT_DEACTIVATED', a.language, {
        login: a.login,
        firstName: a.firstName,
        lastName: a.lastName,
      });
      return {
        accountId: a.id,
        structureId: null,
        event: 'ACCOUNT_DEACTIVATED',
        language: a.language,
        fromAddress: NOREPLY,
        toAddress: a.email,
        subject: m.subject,
        body: m.body,
        createdAt: uc.now,
      };
    });
    await notifications.insertNotifications(uc.trx, mails);
    // audited through the run's rows (the journal's), as the writer's accounts are
    for (const a of chunk)
      journal.account({
        login: a.login,
        accountId: a.id,
        kind: a.deactivate ? 'deactivated' : 'updated',
        absent: true,
        fields: a.deactivate ? { status: { before: 'ACTIF', after: 'INACTIF' } } : {},
        kept: [],
        keptLocal: [],
        overridden: [],
        attachments: {
          added: [],
          changed: [],
          ended: a.end.map((e) => ({ ...e, status: 'VALIDEE' })),
        },
        gpKept: [],
        ...(bases.has(a.id) ? { base: { before: bases.get(a.id)!, after: null } } : {}),
      });
    await journal.flush();
  }
}

/**
 * Full mode's absent accounts (the active MADRHAS accounts the file does not list, by id): what
 * becomes of each (domain/account-plan.ts planAbsent), in login order, those it leaves alone left out.
 * An absent GP of a structure in scope stays as it is (counted gpKept): the structure would lose its GP.
 */
export async function absentAccounts(
  uc: UseCase,
  scope: Scope,
  scopes: ReadonlyMap<number, Scope>,
  ids: readonly number[],
  summary: SyncSummary,
): Promise<AbsentAccount[]> {
  const out: Omit<AbsentAccount, 'login'>[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const held = await sync.scopedAttachmentsOf(uc.trx, chunk);
    for (const id of chunk) {
      const plan = planAbsent(scope, held.get(id) ?? [], scopes.get(id) ?? null, uc.today);
      if (plan.kind === 'gpKept') summary.gpKept += plan.structures;
      else if (plan.kind !== 'none')
        out.push({ id, deactivate: plan.kind === 'deactivate', end: plan.end });
    }
  }
  const logins = new Map(
    (
      await sync.loginsOf(
        uc.trx,
        out.map((a) => a.id),
      )
    ).map((a) => [a.id, a.login]),
  );
  return out
    .map((a) => ({ ...a, login: logins.get(a.id)! }))
    .sort((x, y) => (x.login < y.login ? -1 : x.login > y.login ? 1 : 0));
}

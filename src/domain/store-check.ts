import type { AttachmentStatus, RequestStatus } from './enums.js';

/**
 * What `db check` holds the store to, beyond its own integrity (SPEC 7, 9, issue 14): the
 * statuses the invariants are written in, and the findings it reports, each named by a
 * catalogue key (`check.<kind>`) and the facts that locate it.
 */

/** An attachment that is over: nothing is left of it but its trace. */
export const ENDED_ATTACHMENT_STATUSES = [
  'SUPPRIMEE',
  'DESACTIVEE',
  'REFUSEE',
] as const satisfies readonly AttachmentStatus[];

/** Statuses a decision (validation or refusal) gives: a decider and a decision date go with them. */
export const DECIDED_STATUSES = ['VALIDEE', 'REFUSEE'] as const satisfies readonly RequestStatus[];

/** A request waiting for its decision: neither decider nor decision date yet. */
export const PENDING_STATUS = 'EN_COURS_DE_VALIDATION' satisfies RequestStatus;

export type RequestTable = 'attachment' | 'habilitation' | 'subscription';

export type Finding =
  | { kind: 'integrity'; detail: string }
  | { kind: 'pendingMigrations'; pending: string }
  | { kind: 'fileSize'; fileId: number; name: string; expected: number; actual: number }
  | { kind: 'fileHash'; fileId: number; name: string }
  | { kind: 'auditChain'; break: string; seq: number }
  | { kind: 'severalGps'; structure: string; count: number }
  | { kind: 'gpOnUnusableAccount'; structure: string; login: string; status: string }
  | { kind: 'deletedAccountAttached'; login: string; attachmentId: number; status: string }
  | {
      kind: 'decisionMismatch';
      table: RequestTable;
      id: number;
      status: string;
      decided: boolean;
    };

/** The catalogue key of a finding's sentence. */
export type FindingKey = `check.${Finding['kind']}`;

export const findingKey = (f: Finding): FindingKey => `check.${f.kind}`;

/** A stored file read back: its size and SHA-256 must be those recorded when it was added. */
export function fileFindings(
  file: { id: number; name: string; size: number; sha256: string },
  read: { size: number; sha256: string },
): Finding[] {
  if (read.size !== file.size)
    return [
      {
        kind: 'fileSize',
        fileId: file.id,
        name: file.name,
        expected: file.size,
        actual: read.size,
      },
    ];
  if (read.sha256 !== file.sha256) return [{ kind: 'fileHash', fileId: file.id, name: file.name }];
  return [];
}

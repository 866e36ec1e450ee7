import { createHash } from 'node:crypto';
import path from 'node:path';
import {
  checkContent,
  checkFileName,
  checkSize,
  designation as designationSchema,
  FORMATS,
  fileType as fileTypeSchema,
  MAX_FILE_BYTES,
  TextScan,
  type Verdict,
} from '../domain/file.js';
import type { FileType } from '../domain/enums.js';
import type { Target } from '../domain/rights.js';
import { fold } from '../domain/text.js';
import {
  InvalidInputError,
  NotFoundError,
  StoreUnavailableError,
  type FieldIssue,
} from '../errors.js';
import * as accounts from '../db/account.repository.js';
import * as files from '../db/file.repository.js';
import type { Store } from '../db/store.js';
import { openLocalFile, sniff } from '../io/file-source.js';
import { Outputs, type OutputTarget } from '../io/file-output.js';
import { reachAccount } from './reach-account.js';
import { runUseCase, type UseCase } from './use-case.js';

/**
 * Files (pièces jointes, SPEC 9): added from disk as a stream of chunks in one transaction,
 * listed, shown, downloaded back byte for byte (checked against their SHA-256), removed.
 * The holder manages its own files; correspondents read the metadata of accounts in scope.
 * Anyone else's file answers as if it did not exist.
 */

/** Bytes per stored chunk: what add and download hold in memory at once. */
export const CHUNK_BYTES = 1024 * 1024;

/** A file as commands show it: stable English keys (SPEC 4); never its bytes. */
export interface FileView {
  id: number;
  account: string;
  designation: string;
  type: FileType;
  name: string;
  size: number;
  mediaType: string;
  sha256: string;
  createdAt: string;
}

const toView = (f: files.FileRecord): FileView => ({
  id: f.id,
  account: f.login,
  designation: f.designation,
  type: f.type,
  name: f.name,
  size: f.size,
  mediaType: f.mediaType,
  sha256: f.sha256,
  createdAt: f.createdAt,
});

const fileLabel = (id: number) => `file:${id}`;

export interface AddFileInput {
  /** The file on disk; its last part is the stored name. */
  path: string;
  designation: string;
  type: string;
}

/**
 * Stores a file of the acting account: every rule of SPEC 9 checked (name, extension, size,
 * content against extension, designation, type), the bytes streamed into chunk rows while
 * they are hashed, and one audit entry with the metadata. Refused: exit 5, nothing written.
 */
export async function addFile(store: Store, actor: string, input: AddFileInput): Promise<FileView> {
  const name = path.basename(input.path);
  const issues: FieldIssue[] = [];
  const designation = designationSchema.safeParse(input.designation);
  if (!designation.success)
    issues.push(
      ...designation.error.issues.map((i) => ({ field: '--designation', message: i.message })),
    );
  const type = fileTypeSchema.safeParse(input.type);
  if (!type.success) issues.push({ field: '--type', message: 'file.typeUnknown' });
  const named = checkFileName(name);
  if (!named.ok) issues.push({ field: 'PATH', message: named.key, params: named.params });
  if (issues.length > 0 || !designation.success || !type.success || !named.ok)
    throw new InvalidInputError(issues, 'file.refused', { file: name });
  const ext = named.extension;
  const refuse = (v: Verdict) => {
    if (!v.ok)
      throw new InvalidInputError(
        [{ field: 'PATH', message: v.key, params: v.params }],
        'file.refused',
        { file: name },
      );
  };

  const local = await openLocalFile(input.path);
  try {
    refuse(checkSize(local.size));
    return await runUseCase(store, { actor, action: 'file.manage' }, async (uc) => {
      uc.authorize('file.manage', { kind: 'none' }, `account:${uc.actor.login}`);
      const mediaType = FORMATS[ext].media;
      const id = await files.insertFile(uc.trx, {
        accountId: uc.actor.id,
        designation: designation.data,
        type: type.data,
        name,
        size: local.size,
        mediaType,
        sha256: '',
        createdAt: uc.now,
      });
      const hash = createHash('sha256');
      const text = new TextScan();
      let detected: string | undefined;
      let size = 0;
      let seq = 0;
      for await (const chunk of local.chunks(CHUNK_BYTES)) {
        if (seq === 0) {
          // what the first bytes say is known before anything else is stored
          detected = await sniff(chunk);
          refuse(checkContent(ext, detected, true));
        }
        size += chunk.length;
        // the file grew since it was measured: stop reading at the limit
        if (size >= MAX_FILE_BYTES) refuse(checkSize(size));
        hash.update(chunk);
        text.push(chunk);
        await files.insertChunk(uc.trx, id, seq++, chunk);
      }
      refuse(checkSize(size));
      if (size !== local.size) refuse({ ok: false, key: 'file.changed' });
      refuse(checkContent(ext, detected, text.isText));
      const sha256 = hash.digest('hex');
      await files.completeFile(uc.trx, id, { size, sha256 });
      const view: FileView = {
        id,
        account: uc.actor.login,
        designation: designation.data,
        type: type.data,
        name,
        size,
        mediaType,
        sha256,
        createdAt: uc.now,
      };
      const { id: _, createdAt: __, ...metadata } = view;
      uc.audit('file.add', fileLabel(id), metadata);
      return view;
    });
  } finally {
    await local.close();
  }
}

/**
 * The file if the actor may do `action` on it. Anyone else's file is not found (exit 3), as
 * an id that does not exist, except that a correspondent who may read it but not manage it is
 * refused (exit 4, audited): it can see the file in its lists.
 */
async function reach(
  uc: UseCase,
  id: number,
  action: 'file.read' | 'file.manage',
): Promise<files.FileRecord> {
  const file = await files.findFile(uc.trx, id);
  if (!file) throw new NotFoundError('file.notFound', { id });
  const owner: Target = await accounts.accountTarget(uc.trx, { id: file.accountId });
  if (uc.allows(action, owner)) return file;
  if (action === 'file.manage' && uc.allows('file.read', owner))
    uc.authorize(action, owner, fileLabel(id));
  throw new NotFoundError('file.notFound', { id });
}

export interface ListFilesInput {
  /** Another account's files (correspondents in scope); the actor's own when omitted. */
  account?: string | undefined;
  type?: FileType | undefined;
  /** Words that must all start a word of the designation (accents and case ignored). */
  designation?: string | undefined;
}

export async function listFiles(
  store: Store,
  actor: string,
  input: ListFilesInput,
): Promise<FileView[]> {
  return runUseCase(store, { actor, action: 'file.read', readOnly: true }, async (uc) => {
    const owner =
      input.account === undefined
        ? uc.actorAccount
        : (await reachAccount(uc, input.account, 'file.read')).account;
    const rows = await files.filesOf(uc.trx, owner.id, input.type);
    const words = fold(input.designation)
      .split(' ')
      .filter((w) => w !== '');
    // an account holds a handful of files: the designation is matched here, the same on both dialects
    const matches = (f: files.FileRecord) => {
      const own = fold(f.designation).split(' ');
      return words.every((w) => own.some((o) => o.startsWith(w)));
    };
    return rows.filter(matches).map(toView);
  });
}

/** Metadata of files the actor may read (show), or manage (before a removal is confirmed). */
export async function showFiles(
  store: Store,
  actor: string,
  ids: readonly number[],
  action: 'file.read' | 'file.manage' = 'file.read',
): Promise<FileView[]> {
  return runUseCase(store, { actor, action, readOnly: true }, async (uc) => {
    const views: FileView[] = [];
    for (const id of new Set(ids)) views.push(toView(await reach(uc, id, action)));
    return views;
  });
}

export interface Downloaded extends FileView {
  /** Where it was written; null on standard output. */
  path: string | null;
}

/**
 * Writes the holder's files to `target`, each exactly as stored: the chunks go out in order
 * while they are hashed, and a hash or size that differs from the stored one means a damaged
 * store (exit 7); the files this call created are then removed. On a stream, which cannot be
 * taken back, the bytes are checked once before any is written.
 */
export async function downloadFiles(
  store: Store,
  actor: string,
  ids: readonly number[],
  target: OutputTarget,
): Promise<Downloaded[]> {
  return runUseCase(store, { actor, action: 'file.manage', readOnly: true }, async (uc) => {
    const chosen: files.FileRecord[] = [];
    for (const id of new Set(ids)) chosen.push(await reach(uc, id, 'file.manage'));
    const outputs = new Outputs(target);
    await outputs.prepare();
    const written: Downloaded[] = [];
    try {
      for (const file of chosen) {
        if (target.to === 'stream') await copyChunks(uc, file, null);
        const sink = await outputs.open(file.name);
        try {
          await copyChunks(uc, file, (chunk) => sink.write(chunk));
        } finally {
          await sink.end();
        }
        written.push({ ...toView(file), path: sink.path });
      }
    } catch (err) {
      await outputs.discard();
      throw err;
    }
    return written;
  });
}

/** Reads a file's chunks in order into `write` (or nowhere), and checks them against the stored size and hash. */
async function copyChunks(
  uc: UseCase,
  file: files.FileRecord,
  write: ((chunk: Buffer) => Promise<void>) | null,
): Promise<void> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of files.fileChunks(uc.trx, file.id)) {
    hash.update(chunk);
    size += chunk.length;
    if (write) await write(chunk);
  }
  if (size !== file.size || hash.digest('hex') !== file.sha256)
    throw new StoreUnavailableError('file.corrupt', { id: file.id });
}

/** Removes files of the holder, all or none; one audit entry each, with what was removed. */
export async function removeFiles(
  store: Store,
  actor: string,
  ids: readonly number[],
): Promise<FileView[]> {
  return runUseCase(store, { actor, action: 'file.manage' }, async (uc) => {
    const removed: FileView[] = [];
    for (const id of new Set(ids)) {
      const file = toView(await reach(uc, id, 'file.manage'));
      await files.deleteFile(uc.trx, id);
      const { id: _, createdAt: __, ...metadata } = file;
      uc.audit('file.remove', fileLabel(id), metadata);
      removed.push(file);
    }
    return removed;
  });
}

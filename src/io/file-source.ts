import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError, systemReason } from '../errors.js';

/**
 * A file on disk to be added (SPEC 9): opened once, its size known before any byte is read,
 * then read as a stream of chunks. Failing to open it is invalid input (exit 5), not a bug.
 */

export interface LocalFile {
  /** The original name: the path's last part. */
  name: string;
  /** The size the file system gives before reading; the bytes read are counted again. */
  size: number;
  /** The bytes, in chunks of `chunkBytes` (the last one shorter), each a buffer of its own. */
  chunks(chunkBytes: number): AsyncIterable<Buffer>;
  close(): Promise<void>;
}

const refused = (file: string, message: string, params: Record<string, string> = {}) =>
  new InvalidInputError([{ field: 'PATH', message, params }], 'file.refused', {
    file: path.basename(file),
  });

export async function openLocalFile(file: string): Promise<LocalFile> {
  let handle: FileHandle;
  try {
    // a FIFO or a device would block or never end: only regular files are opened
    if (!(await fs.stat(file)).isFile()) throw refused(file, 'file.notRegular');
    handle = await fs.open(file, 'r');
  } catch (err) {
    if (err instanceof InvalidInputError) throw err;
    throw refused(file, 'file.unreadable', {
      detail: systemReason(err),
    });
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw refused(file, 'file.notRegular');
  }
  return {
    name: path.basename(file),
    size: stat.size,
    chunks: (chunkBytes) =>
      handle.createReadStream({ highWaterMark: chunkBytes, autoClose: false, start: 0 }),
    close: () => handle.close(),
  };
}

/** What file-type recognises in the first bytes of a file (its own extension names), or undefined. */
export async function sniff(head: Uint8Array): Promise<string | undefined> {
  // loaded here: help and the other commands do not pay for it
  const { fileTypeFromBuffer } = await import('file-type');
  return (await fileTypeFromBuffer(head))?.ext;
}

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify, TomlError, type TomlTable } from 'smol-toml';
import { InvalidInputError } from '../errors.js';

/**
 * The configuration file (SPEC 4) as a TOML document: read with smol-toml, written whole with it,
 * beside the file first and then moved onto it, readable by its owner alone (it may hold a
 * PostgreSQL URL with its password).
 */

/** The document in `file`, empty when there is no file yet; a malformed one is exit 5, with its line. */
export function readConfigFile(file: string): TomlTable {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return {};
    throw new InvalidInputError([], 'config.unreadable', { file, code: code ?? String(err) });
  }
  try {
    return parse(text);
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    throw new InvalidInputError(
      [{ field: 'TOML', line: err.line, message: 'config.syntax', params: { column: err.column } }],
      'config.invalidFile',
      { file },
    );
  }
}

/**
 * Writes `doc` as the whole of `file`: to a new file beside it (mode 0600), synced, then renamed
 * onto it, so that a reader sees the old document or the new one, never half of one. When
 * `file` is a link, the file it points to is the one replaced.
 */
export function writeConfigFile(file: string, doc: TomlTable): void {
  let target = file;
  try {
    target = fs.realpathSync(file);
  } catch {
    // no file yet: it is created where it was named
  }
  const dir = path.dirname(target);
  const text = stringify(doc).trimEnd() + '\n';
  const aside = path.join(
    dir,
    `.${path.basename(target)}.${crypto.randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fd = fs.openSync(aside, 'wx', 0o600);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(aside, target);
  } catch (err) {
    fs.rmSync(aside, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new InvalidInputError([], 'config.unwritable', { file, code: code ?? String(err) });
  }
}

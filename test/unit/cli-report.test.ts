import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { report } from '../../src/cli.js';
import { Output } from '../../src/ui/output.js';
import { testIo } from '../helpers/cli.js';

/** SPEC 5: a file-system error gets a code only on a path the user typed; elsewhere it is a bug. */

function reported(err: unknown, typed: string[]) {
  const { io, result } = testIo();
  const out = new Output({ lang: 'fr', format: 'table', quiet: false, verbose: false, io });
  const code = report(err, out, typed);
  return { code, stderr: result(code).stderr };
}

const fsError = (code: string, at: string, extra: Record<string, string> = {}) =>
  Object.assign(new Error(`${code}: something, open '${at}'`), { code, path: at, ...extra });

describe('report: file-system errors', () => {
  const typed = ['/srv/backups/chorus.sqlite', '/srv/outbox'];

  it.each([
    ['ENOENT', 5, 'il n’existe pas'],
    ['ENOTDIR', 5, 'pas un dossier'],
    ['EISDIR', 5, 'c’est un dossier'],
    ['ENAMETOOLONG', 5, 'nom trop long'],
    ['EACCES', 5, 'accès refusé'],
    ['EEXIST', 6, 'existe déjà'],
  ])('%s on the path the user typed: exit %i, said in French', (code, exit, reason) => {
    const r = reported(fsError(code, '/srv/backups/chorus.sqlite'), typed);
    expect(r.code).toBe(exit);
    expect(r.stderr).toContain('Chemin /srv/backups/chorus.sqlite inutilisable');
    expect(r.stderr).toContain(reason);
    expect(r.stderr).not.toContain('interne');
  });

  it('a file right in a folder the user typed is theirs too (--to DIR)', () => {
    expect(reported(fsError('EACCES', path.join('/srv/outbox', '1.eml')), typed).code).toBe(5);
    // a link's destination, as rename and symlink name it
    expect(
      reported(fsError('EEXIST', '/srv/aside/x', { dest: '/srv/backups/chorus.sqlite' }), typed)
        .code,
    ).toBe(6);
  });

  it('so is a folder on the way to a path the user typed (a file where a folder should be)', () => {
    const r = reported(fsError('EEXIST', '/srv/backups'), typed);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('Chemin /srv/backups inutilisable');
  });

  it('any other path is the program’s own: an internal error (70), never hidden', () => {
    for (const at of ['/usr/lib/chorus/migrations/0001.sql', '/srv/outbox/deeper/1.eml', '/sr'])
      expect(reported(fsError('ENOENT', at), typed).code).toBe(70);
    // an error code not caused by a path (a full disk) is not the user's either
    expect(reported(fsError('ENOSPC', '/srv/backups/chorus.sqlite'), typed).code).toBe(70);
    // nor an error with no path at all
    expect(reported(Object.assign(new Error('x'), { code: 'ENOENT' }), typed).code).toBe(70);
  });
});

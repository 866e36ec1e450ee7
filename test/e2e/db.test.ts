import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import {
  CORR,
  PAULINE,
  HEAVY,
  addUnknownMigration,
  clis,
  count,
  createAccount,
  initStore,
  json,
  withDb,
} from './fixtures.js';

/** `db migrate | status | check | backup` end to end, and a store newer than the program. */

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe.each(DIALECTS)('db (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    fresh = await freshLocation(dialect);
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('migrate creates and migrates a new store, then finds it up to date; status and check are 0', async () => {
    const { cli } = clis(fresh.location);
    const first = await cli('db', 'migrate', '--json');
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(
      '✔ Migrations appliquées : 0001-initial, 0002-structure-search, 0003-sync-digest, 0004-directory-revision, 0005-sync-own-digests, 0006-structure-departement, 0007-audit-reason, 0008-sync-merge-runs, 0009-sync-digest-snapshot, 0010-run-change-no-target-index, 0011-snapshot-entries-uncompressed.\n',
    );
    expect(json(first)).toMatchObject({
      dialect,
      applied: [
        '0001-initial',
        '0002-structure-search',
        '0003-sync-digest',
        '0004-directory-revision',
        '0005-sync-own-digests',
        '0006-structure-departement',
        '0007-audit-reason',
        '0008-sync-merge-runs',
        '0009-sync-digest-snapshot',
        '0010-run-change-no-target-index',
        '0011-snapshot-entries-uncompressed',
      ],
      current: '0011-snapshot-entries-uncompressed',
    });
    if (dialect === 'sqlite') {
      expect(fs.existsSync(fresh.location)).toBe(true);
      expect(fs.statSync(fresh.location).mode & 0o777).toBe(0o600);
    }

    const second = await cli('db', 'migrate', '--json');
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('Schéma à jour (0011-snapshot-entries-uncompressed).\n');
    expect(json(second)).toMatchObject({
      applied: [],
      current: '0011-snapshot-entries-uncompressed',
    });

    const status = await cli('db', 'status', '--json');
    expect(status.code).toBe(0);
    expect(status.stderr).toBe('');
    const s = json(status);
    // the migration itself is audited, by the system user when no --as is given
    expect(s).toMatchObject({
      dialect,
      schema: '0011-snapshot-entries-uncompressed',
      pending: [],
      accounts: 0,
      structures: 0,
      attachments: 0,
      files: 0,
      notifications: 0,
      auditEntries: 1,
    });
    if (dialect === 'sqlite') expect(s.sizeBytes).toBeGreaterThan(0);
    else expect(s.sizeBytes).toBeNull();

    const check = await cli('db', 'check', '--json');
    expect(check.code).toBe(0);
    expect(check.stderr).toBe('✔ Base intègre.\n');
    expect(json(check)).toMatchObject({ dialect, ok: true, findings: [] });

    // a migrated, empty store can still be initialised
    await initStore(fresh.location);
    const table = await cli('db', 'status');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Comptes +1$/m);
    expect(table.stdout).toContain('0011-snapshot-entries-uncompressed');
  });

  it('status counts what the store holds', async () => {
    await initStore(fresh.location);
    await createAccount(fresh.location, PAULINE);
    const r = await clis(fresh.location).cli('db', 'status', '--json');
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({
      schema: '0011-snapshot-entries-uncompressed',
      pending: [],
      accounts: 2,
      notifications: 1,
      auditEntries: 2,
    });
  });

  it('commands other than db refuse a store that was never migrated, with 7', async () => {
    if (dialect === 'sqlite') fs.writeFileSync(fresh.location, '');
    const r = await clis(fresh.location).corr('account', 'list');
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('n’est pas initialisée');
  });

  it('backup writes a new SQLite file that opens as a store; onto an existing file it is 6', async () => {
    await initStore(fresh.location);
    await createAccount(fresh.location, PAULINE);
    const file = path.join(fresh.dir, 'sauvegardes', 'chorus.sqlite');
    fs.mkdirSync(path.dirname(file));

    const r = await clis(fresh.location).cli('db', 'backup', file, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`✔ Sauvegarde écrite : ${file}.\n`);
    expect(json(r)).toMatchObject({ dialect, backup: file });
    expect(fs.statSync(file).size).toBeGreaterThan(0);

    const copy = clis(file);
    const list = await copy.corr('account', 'list', '--json');
    expect(list.code).toBe(0);
    expect(json(list).map((a: { login: string }) => a.login)).toEqual([CORR, PAULINE]);
    // the audit chain and its head came along
    const verify = await copy.corr('audit', 'verify');
    expect(verify.code).toBe(0);
    expect(verify.stderr).toContain('Journal intègre : 2 entrées');
    const status = await copy.cli('db', 'status', '--json');
    expect(json(status)).toMatchObject({
      dialect: 'sqlite',
      schema: '0011-snapshot-entries-uncompressed',
      accounts: 2,
      notifications: 1,
    });

    const bytes = sha256(file);
    const again = await clis(fresh.location).cli('db', 'backup', file);
    expect(again.code).toBe(6);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain(`Le fichier ${file} existe déjà`);
    expect(sha256(file)).toBe(bytes);
  });

  it('check re-reads the files and the log: a damaged chunk and an altered entry are 1, one line each', async () => {
    await initStore(fresh.location);
    await createAccount(fresh.location, PAULINE);
    const { cli } = clis(fresh.location);
    const file = path.join(fresh.dir, 'rib.pdf');
    fs.writeFileSync(file, '%PDF-1.4\n' + 'x'.repeat(2000) + '\n%%EOF\n');
    const added = await clis(fresh.location).as(PAULINE)(
      'file',
      'add',
      file,
      '--designation',
      'RIB',
      '--type',
      'RIB',
    );
    expect(added.code).toBe(0);
    expect((await cli('db', 'check')).code).toBe(0);

    await withDb(fresh.location, async (db) => {
      await db
        .updateTable('fileChunk')
        .set({ data: Buffer.from('%PDF-1.4 damaged') })
        .execute();
      await db.updateTable('auditLog').set({ target: 'account:x' }).where('seq', '=', 2).execute();
    });
    const r = await cli('db', 'check');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Pièce jointe n° 1 (rib.pdf) : 16 octets relus au lieu de 2016, son contenu est endommagé.',
    );
    expect(r.stderr).toContain('Journal rompu : l’entrée n° 2 a été modifiée.');
    expect(r.stderr).toContain('2 problèmes trouvés dans la base.');
    expect(r.stdout).toMatch(/^Problèmes +2$/m);
    const j = await cli('db', 'check', '--json');
    expect(j.code).toBe(1);
    expect(json(j)).toMatchObject({
      ok: false,
      findings: [
        { kind: 'fileSize', fileId: 1, name: 'rib.pdf', expected: 2016, actual: 16 },
        { kind: 'auditChain', break: 'altered', seq: 2 },
      ],
    });
  });

  it('backup onto a symbolic link, dangling or not, is 6 (the target exists), nothing written through it', async () => {
    await initStore(fresh.location);
    const nowhere = path.join(fresh.dir, 'nowhere', 'chorus.sqlite');
    const dangling = path.join(fresh.dir, 'dangling.sqlite');
    fs.symlinkSync(nowhere, dangling);
    const r = await clis(fresh.location).cli('db', 'backup', dangling);
    expect(r.stderr).toContain(`Le fichier ${dangling} existe déjà`);
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('');
    expect(fs.lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(dangling)).toBe(nowhere);
    expect(fs.existsSync(path.dirname(nowhere))).toBe(false);

    // a link to a file the user owns: the file is left as it was
    const precious = path.join(fresh.dir, 'precious.txt');
    fs.writeFileSync(precious, 'do not overwrite');
    const link = path.join(fresh.dir, 'link.sqlite');
    fs.symlinkSync(precious, link);
    const onLink = await clis(fresh.location).cli('db', 'backup', link);
    expect(onLink.code).toBe(6);
    expect(fs.readFileSync(precious, 'utf8')).toBe('do not overwrite');
    const onDir = await clis(fresh.location).cli('db', 'backup', fresh.dir);
    expect(onDir.code).toBe(6);

    // and a backup that can be written is its owner's alone
    const ok = path.join(fresh.dir, 'ok.sqlite');
    expect((await clis(fresh.location).cli('db', 'backup', ok)).code).toBe(0);
    expect(fs.statSync(ok).mode & 0o777).toBe(0o600);
  });

  it('backup to a name ending in a space writes that name, never the file without the space', async () => {
    await initStore(fresh.location);
    const first = path.join(fresh.dir, 'x.sqlite');
    expect((await clis(fresh.location).cli('db', 'backup', first)).code).toBe(0);
    const before = sha256(first);
    // better-sqlite3 trims a name: this once overwrote x.sqlite and left an empty `x.sqlite `
    const spaced = `${first} `;
    const r = await clis(fresh.location).cli('db', 'backup', spaced);
    expect(r.code, r.stderr).toBe(0);
    expect(sha256(first)).toBe(before);
    expect(fs.statSync(spaced).size).toBeGreaterThan(0);
    expect(fs.statSync(spaced).mode & 0o777).toBe(0o600);
    expect((await clis(spaced).cli('db', 'status')).code).toBe(0);
    expect(fs.readdirSync(fresh.dir).filter((f) => f.startsWith('.chorus-admin-backup'))).toEqual(
      [],
    );
  });

  it('a store migrated by a newer program is refused by every command with 7, and left untouched', async () => {
    await initStore(fresh.location);
    await createAccount(fresh.location, PAULINE);
    await addUnknownMigration(fresh.location);
    const bytes = dialect === 'sqlite' ? sha256(fresh.location) : null;
    const auditEntries = await count(fresh.location, 'auditLog');
    const backup = path.join(fresh.dir, 'backup.sqlite');

    const commands = [
      ['db', 'migrate'],
      ['db', 'status'],
      ['db', 'check'],
      ['db', 'backup', backup],
      [
        'init',
        '--correspondent',
        'autre@dgfip.fr',
        '--email',
        'autre@dgfip.fr',
        '--nom',
        'AUTRE',
        '--prenom',
        'Anne',
        '--scope',
        '33',
      ],
      ['--as', CORR, 'account', 'list'],
      ['--as', CORR, 'account', 'show', PAULINE],
      [
        '--as',
        CORR,
        'account',
        'create',
        'helene.lefevre@mairie-pau.fr',
        '--email',
        'helene.lefevre@mairie-pau.fr',
        '--nom',
        'LEFÈVRE',
        '--prenom',
        'Hélène',
      ],
      ['--as', CORR, 'account', 'deactivate', PAULINE],
      ['--as', CORR, '--yes', 'account', 'delete', PAULINE],
      ['--as', PAULINE, 'account', 'edit', '--ville', 'Pau'],
      ['--as', CORR, 'account', 'resend-credentials', PAULINE],
      ['--as', CORR, 'audit', 'list'],
      ['--as', CORR, 'audit', 'verify'],
      ['--as', CORR, 'audit', 'export'],
      // even an unknown actor: the refusal is not written either
      ['--as', 'ghost@nowhere.fr', 'account', 'list'],
    ];
    for (const args of commands) {
      const r = await run(['--db', fresh.location, ...args]);
      const name = args.join(' ');
      expect(r.code, name).toBe(7);
      expect(r.stdout, name).toBe('');
      expect(r.stderr, name).toContain(
        'La base a un schéma plus récent que ce programme (9999-from-the-future) : mettez chorus-admin à jour. Rien n’a été modifié.',
      );
    }

    if (bytes !== null) expect(sha256(fresh.location)).toBe(bytes);
    expect(fs.existsSync(backup)).toBe(false);
    expect(await count(fresh.location, 'auditLog')).toBe(auditEntries);
    const names = await withDb(fresh.location, async (db) =>
      (
        await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)
      ).rows.map((r) => r.name),
    );
    expect(names).toEqual([
      '0001-initial',
      '0002-structure-search',
      '0003-sync-digest',
      '0004-directory-revision',
      '0005-sync-own-digests',
      '0006-structure-departement',
      '0007-audit-reason',
      '0008-sync-merge-runs',
      '0009-sync-digest-snapshot',
      '0010-run-change-no-target-index',
      '0011-snapshot-entries-uncompressed',
      '9999-from-the-future',
    ]);
  });
});

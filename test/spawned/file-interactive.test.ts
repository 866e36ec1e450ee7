import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOCUMENTS, writeDocument } from '../helpers/documents.js';
import { KEY, runPty } from '../helpers/pty.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { HEAVY, PAULINE, clis, createAccount, initStore, json } from '../e2e/fixtures.js';

/** `file …` at a terminal: what is missing is asked, removals are confirmed, files are ticked from a list. */

const DOWN = '\x1b[B';
const SPACE = ' ';
type FileJson = { id: number; designation: string; type: string; name: string };

describe.each(DIALECTS)('file at a terminal (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let docs: string;
  const pauline = (...args: string[]) => clis(fresh.location).as(PAULINE)(...args);
  const onTerminal = (args: string[], steps: Parameters<typeof runPty>[1]) =>
    runPty(['--db', fresh.location, '--as', PAULINE, ...args], steps);
  const files = async () => json<FileJson[]>(await pauline('file', 'list', '--json'));
  const add = async (name: string, designation: string) =>
    json<FileJson>(
      await pauline(
        'file',
        'add',
        writeDocument(docs, name, DOCUMENTS.pdf()),
        '--designation',
        designation,
        '--type',
        'AUTRE',
        '--json',
      ),
    );

  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location);
    await createAccount(fresh.location, PAULINE);
    docs = path.join(fresh.dir, 'documents');
    fs.mkdirSync(docs);
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('add asks the designation (again when too long) and the type from the list', async () => {
    const file = writeDocument(docs, 'carte-grise.pdf', DOCUMENTS.pdf());
    const r = await onTerminal(
      ['file', 'add', file],
      [
        { waitFor: 'Désignation de la pièce jointe', send: 'x'.repeat(101) + KEY.enter },
        { waitFor: '100 caractères au plus', send: KEY.ctrlU + 'Carte grise Clio' + KEY.enter },
        { waitFor: 'Type de pièce jointe', send: DOWN + KEY.enter },
      ],
    );
    expect(r.output).toContain('ajoutée : carte-grise.pdf');
    expect(r.code).toBe(0);
    expect(await files()).toMatchObject([
      { designation: 'Carte grise Clio', type: 'CARTE_GRISE', name: 'carte-grise.pdf' },
    ]);
  });

  it('remove asks for a confirmation: no keeps the file, yes removes it', async () => {
    const { id } = await add('rib.pdf', 'RIB');
    const question = `Supprimer définitivement 1 pièce jointe : rib.pdf (${id}) ?`;
    const no = await onTerminal(
      ['file', 'remove', String(id)],
      [{ waitFor: question, send: 'n' + KEY.enter }],
    );
    expect(no.output).toContain('Abandon : rien n’a été modifié.');
    expect(no.code).toBe(0);
    expect((await files()).map((f) => f.id)).toEqual([id]);
    const yes = await onTerminal(
      ['file', 'remove', String(id)],
      [{ waitFor: question, send: 'y' + KEY.enter }],
    );
    expect(yes.code).toBe(0);
    expect(await files()).toEqual([]);
  });

  it('download without ids offers the holder’s files to tick, and writes the ticked ones into the folder', async () => {
    await add('a.pdf', 'Premier');
    await add('b.pdf', 'Deuxième');
    await add('c.pdf', 'Troisième');
    const out = path.join(fresh.dir, 'out');
    const r = await onTerminal(
      ['file', 'download', '-o', out],
      [
        {
          waitFor: 'Pièces jointes (espace pour cocher',
          send: SPACE + DOWN + DOWN + SPACE + KEY.enter,
        },
      ],
    );
    expect(r.output).toContain('2 pièces jointes écrites');
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['a.pdf', 'c.pdf']);
    expect(fs.readFileSync(path.join(out, 'c.pdf')).equals(DOCUMENTS.pdf())).toBe(true);
  });
});

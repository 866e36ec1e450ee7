import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOCUMENTS, writeDocument } from '../helpers/documents.js';
import { KEY, runPty } from '../helpers/pty.js';
import { freshLocation, type FreshLocation } from '../helpers/stores.js';
import { HEAVY, PAULINE, clis, createAccount, initStore, json } from '../e2e/fixtures.js';

/**
 * The questions speak the user's language (SPEC 4): a confirmation shows `(o/N)` in French and
 * takes `o`, `oui`, `y`, `yes` (any case) for yes and `n`, `non`, `no` for no; `(y/N)` in English,
 * which takes the French answers too. The list prompts' key hints are translated. The binary runs
 * in a real pseudo-terminal; the outcome is read back from the store.
 */

const SPACE = ' ';
type FileJson = { id: number; name: string };

describe('questions in the user’s language', HEAVY, () => {
  let fresh: FreshLocation;
  let docs: string;
  const pauline = (...args: string[]) => clis(fresh.location).as(PAULINE)(...args);
  const files = async () =>
    json<FileJson[]>(await pauline('file', 'list', '--json'))
      .map((f) => f.name)
      .sort();
  const add = async (name: string) =>
    String(
      json<FileJson>(
        await pauline(
          'file',
          'add',
          writeDocument(docs, name, DOCUMENTS.pdf()),
          '--designation',
          name,
          '--type',
          'AUTRE',
          '--json',
        ),
      ).id,
    );

  beforeEach(async () => {
    fresh = await freshLocation('sqlite');
    await initStore(fresh.location);
    await createAccount(fresh.location, PAULINE);
    docs = path.join(fresh.dir, 'documents');
    fs.mkdirSync(docs);
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  describe.each([
    { lang: 'fr', env: {}, hint: '(o/N)', yes: ['o', 'OUI', 'y', 'Yes'], no: ['non', 'N', 'no'] },
    {
      lang: 'en',
      env: { CHORUS_ADMIN_LANG: 'en' },
      hint: '(y/N)',
      yes: ['yes', 'Y', 'oui', 'o'],
      no: ['no', 'n', 'NON'],
    },
  ])('$lang', ({ env, hint, yes, no }) => {
    const onTerminal = (args: string[], steps: Parameters<typeof runPty>[1]) =>
      runPty(['--db', fresh.location, '--as', PAULINE, ...args], steps, { env });

    it(`a confirmation shows ${hint} and takes each yes and no answer`, async () => {
      for (const [i, answer] of yes.entries()) {
        const id = await add(`oui-${i}.pdf`);
        const r = await onTerminal(
          ['file', 'remove', id],
          [{ waitFor: hint, send: answer + KEY.enter }],
        );
        expect(r.code, `${answer}\n${r.output}`).toBe(0);
        expect(await files(), answer).toEqual([]);
      }
      const id = await add('garde.pdf');
      for (const answer of [...no, '']) {
        const r = await onTerminal(
          ['file', 'remove', id],
          [{ waitFor: hint, send: answer + KEY.enter }],
        );
        expect(r.code, `${answer}\n${r.output}`).toBe(0);
        expect(await files(), answer).toEqual(['garde.pdf']);
      }
    });
  });

  it('fr: an answer that is neither is asked again; the answer reads « non »', async () => {
    const id = await add('rib.pdf');
    const r = await runPty(
      ['--db', fresh.location, '--as', PAULINE, 'file', 'remove', id],
      [
        { waitFor: '(o/N)', send: 'peut-être' + KEY.enter },
        { waitFor: 'Répondez o (oui) ou n (non).', send: KEY.ctrlU + 'non' + KEY.enter },
      ],
    );
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/\(o\/N\) non\n/);
    expect(r.output).toContain('Abandon : rien n’a été modifié.');
    expect(await files()).toEqual(['rib.pdf']);
  });

  it.each([
    {
      lang: 'fr',
      env: {},
      select: '↑↓ naviguer • ⏎ choisir',
      box: '↑↓ naviguer • espace cocher • a tout • i inverser • ⏎ valider',
    },
    {
      lang: 'en',
      env: { CHORUS_ADMIN_LANG: 'en' },
      select: '↑↓ navigate • ⏎ select',
      box: '↑↓ navigate • space select • a all • i invert • ⏎ submit',
    },
  ])(
    '$lang: the list prompts hint their keys in the user’s language',
    async ({ env, select, box }) => {
      const file = writeDocument(docs, 'carte.pdf', DOCUMENTS.pdf());
      const added = await runPty(
        ['--db', fresh.location, '--as', PAULINE, 'file', 'add', file, '--designation', 'Carte'],
        [{ waitFor: select, send: KEY.enter }],
        { env },
      );
      expect(added.code, added.output).toBe(0);
      const out = path.join(fresh.dir, 'out');
      const got = await runPty(
        ['--db', fresh.location, '--as', PAULINE, 'file', 'download', '-o', out + path.sep],
        [{ waitFor: box, send: SPACE + KEY.enter }],
        { env },
      );
      expect(got.code, got.output).toBe(0);
      expect(fs.readdirSync(out)).toEqual(['carte.pdf']);
    },
  );
});

import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import type { Io, Prompter } from '../../src/ui/io.js';
import { freshLocation, type FreshLocation } from '../helpers/stores.js';
import { CORR, initStore } from './fixtures.js';

/**
 * Colour (SPEC 4): on a terminal unless `NO_COLOR` is present, with any value, even empty; off when the stream is not a terminal, unless `FORCE_COLOR`
 * (`0`/`false`: off). Each stream is judged on its own: stdout (a table's headings) and stderr
 * (the `Erreur :` label). Run in-process with streams that say whether they are terminals.
 */

const ESC = '\x1b[';

function terminalIo(tty: { stdout: boolean; stderr: boolean }, env: Record<string, string>) {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (chunks: Buffer[], isTTY: boolean) => {
    const s = Object.assign(new PassThrough(), { isTTY, columns: 120 });
    s.on('data', (d: Buffer) => chunks.push(d));
    return s;
  };
  const never = () => Promise.reject(new Error('asked a question'));
  const io: Io = {
    stdin: Readable.from(['']),
    stdout: sink(out, tty.stdout),
    stderr: sink(err, tty.stderr),
    env: { LANG: 'C.UTF-8', ...env },
    cwd: process.cwd(),
    clock: { now: () => new Date('2026-12-01T10:00:00Z') },
    prompter: { confirm: never, input: never, select: never, checkbox: never } as Prompter,
  };
  return {
    io,
    stdout: () => Buffer.concat(out).toString('utf8'),
    stderr: () => Buffer.concat(err).toString('utf8'),
  };
}

let fresh: FreshLocation;
beforeAll(async () => {
  fresh = await freshLocation('sqlite');
  await initStore(fresh.location);
});
afterAll(async () => {
  await fresh.cleanup();
});

/** A table on stdout (`account list`) and an error on stderr (`account show` of nobody). */
async function colours(tty: { stdout: boolean; stderr: boolean }, env: Record<string, string>) {
  const list = terminalIo(tty, env);
  expect(await run(['--db', fresh.location, '--as', CORR, 'account', 'list'], list.io)).toBe(0);
  const error = terminalIo(tty, env);
  const missing = ['--db', fresh.location, '--as', CORR, 'account', 'show', 'nobody@example.fr'];
  expect(await run(missing, error.io)).toBe(3);
  expect(error.stderr()).toContain('Erreur');
  return { stdout: list.stdout().includes(ESC), stderr: error.stderr().includes(ESC) };
}

describe('colour', () => {
  const both = { stdout: true, stderr: true };
  const none = { stdout: false, stderr: false };

  it.each([
    ['terminals, no variable', both, {}, { stdout: true, stderr: true }],
    ['terminals, NO_COLOR=1', both, { NO_COLOR: '1' }, { stdout: false, stderr: false }],
    [
      'terminals, NO_COLOR=0 (any value)',
      both,
      { NO_COLOR: '0' },
      { stdout: false, stderr: false },
    ],
    [
      'terminals, NO_COLOR empty (any value, SPEC 4)',
      both,
      { NO_COLOR: '' },
      { stdout: false, stderr: false },
    ],
    [
      'terminals, NO_COLOR beats FORCE_COLOR',
      both,
      { NO_COLOR: '1', FORCE_COLOR: '1' },
      { stdout: false, stderr: false },
    ],
    ['terminals, FORCE_COLOR=0', both, { FORCE_COLOR: '0' }, { stdout: false, stderr: false }],
    ['pipes, no variable', none, {}, { stdout: false, stderr: false }],
    ['pipes, FORCE_COLOR=1', none, { FORCE_COLOR: '1' }, { stdout: true, stderr: true }],
    ['pipes, FORCE_COLOR empty', none, { FORCE_COLOR: '' }, { stdout: true, stderr: true }],
    [
      'stdout piped, stderr a terminal',
      { stdout: false, stderr: true },
      {},
      { stdout: false, stderr: true },
    ],
    [
      'stdout a terminal, stderr piped',
      { stdout: true, stderr: false },
      {},
      { stdout: true, stderr: false },
    ],
  ])('%s', async (_name, tty, env, expected) => {
    expect(await colours(tty, env)).toEqual(expected);
  });
});

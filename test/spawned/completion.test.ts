import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli.js';
import { spawnRun, testIo } from '../helpers/cli.js';

/**
 * SPEC 4: `completion bash|zsh|fish` prints a script that completes the commands, their options
 * and the choices of enumerated options. The bash script is loaded in a real bash and asked as
 * bash asks it (COMP_WORDS, COMP_CWORD); zsh and fish, when the machine has them, check its syntax.
 */

const has = (shell: string) => spawnSync(shell, ['--version'], { stdio: 'ignore' }).status === 0;

let dir: string;
const scripts: Record<string, string> = {};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-completion-'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await spawnRun(['completion', shell]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    scripts[shell] = path.join(dir, `completion.${shell}`);
    fs.writeFileSync(scripts[shell], r.stdout);
  }
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What bash offers for the command line `words`, the last being the word under the cursor. */
function bashOffers(...words: string[]): string[] {
  const line = ['chorus-admin', ...words].map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const out = execFileSync(
    'bash',
    [
      '--norc',
      '--noprofile',
      '-c',
      `source "$1"; COMP_WORDS=(${line}); COMP_CWORD=${words.length}; _chorus_admin; printf '%s\\n' "\${COMPREPLY[@]}"`,
      'bash',
      scripts.bash!,
    ],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter((w) => w !== '');
}

describe('completion bash', () => {
  it('completes commands and subcommands', () => {
    expect(bashOffers('acc')).toEqual(['account']);
    expect(bashOffers('account', 'l')).toEqual(['list']);
    expect(bashOffers('--as', 'x@y.fr', 'db', '')).toEqual([
      'migrate',
      'status',
      'check',
      'backup',
    ]);
    expect(bashOffers('co')).toEqual(['config', 'completion']);
    expect(bashOffers('config', 'un')).toEqual(['unset']);
    // help COMMAND… completes the commands too
    expect(bashOffers('help', 'account', 'l')).toEqual(['list']);
  });

  it('completes options, the global ones included, and the choices of enumerated options', () => {
    expect(bashOffers('account', 'list', '--st')).toEqual(['--status', '--structure']);
    expect(bashOffers('account', 'list', '--pro')).toEqual(['--profile']);
    expect(bashOffers('account', 'list', '--status', '')).toEqual(['ACTIF', 'INACTIF', 'SUPPRIME']);
    expect(bashOffers('--lang', '')).toEqual(['fr', 'en']);
    // bash splits --format=j at the =
    expect(bashOffers('account', 'list', '--format', '=', 'j')).toEqual(['json']);
    expect(bashOffers('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    // an option's value is not taken for a command
    expect(bashOffers('--as', 'account', 'acc')).toEqual(['account']);
  });

  it('knows every command of the program, as built (the walk of the help test)', async () => {
    const program = await buildProgram('fr', testIo().io);
    const walk = (cmd: Command, at: string[]): string[][] =>
      cmd.commands.flatMap((sub) => [[...at, sub.name()], ...walk(sub, [...at, sub.name()])]);
    const paths = walk(program, []);
    expect(paths.length).toBeGreaterThan(60);
    for (const p of paths) expect(bashOffers(...p.slice(0, -1), p.at(-1)!)).toContain(p.at(-1));
  });
});

describe.each(['zsh', 'fish'])('completion %s', (shell) => {
  it.runIf(has(shell))('is a script the shell reads', () => {
    const r = spawnSync(shell, ['-n', scripts[shell]!], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('completion fish', () => {
  it.runIf(has('fish'))('completes commands, options and choices in a real fish', () => {
    const offers = (line: string) =>
      execFileSync(
        'fish',
        ['--no-config', '-c', `source "$argv[1]"; complete -C '${line}'`, scripts.fish!],
        { encoding: 'utf8' },
      )
        .split('\n')
        .filter((w) => w !== '')
        .map((w) => w.split('\t')[0]);
    expect(offers('chorus-admin acc')).toEqual(['account']);
    expect(offers('chorus-admin account l')).toEqual(['list']);
    expect(offers('chorus-admin account list --status ')).toEqual(['ACTIF', 'INACTIF', 'SUPPRIME']);
  });
});

describe('completion zsh', () => {
  it.runIf(has('zsh'))('offers commands, options and choices to compadd in a real zsh', () => {
    // zsh's own compadd filters by what is typed: a stand-in prints what the script offers
    const offers = (...words: string[]) =>
      execFileSync(
        'zsh',
        [
          '-f',
          '-c',
          'compdef() { :; }; compadd() { [[ $1 == -a ]] && print -l -- ${(P)2}; }; ' +
            '_files() { print FILES; }; compset() { :; }; source "$1"; shift; ' +
            'words=(chorus-admin "$@"); CURRENT=${#words}; _chorus_admin',
          'zsh',
          scripts.zsh!,
          ...words,
        ],
        { encoding: 'utf8' },
      )
        .split('\n')
        .filter((w) => w !== '');
    expect(offers('acc')).toContain('account');
    expect(offers('account', 'l')).toContain('list');
    expect(offers('account', 'list', '--status', '')).toEqual(['ACTIF', 'INACTIF', 'SUPPRIME']);
    expect(offers('--format=j')).toContain('json');
    expect(offers('completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });
});

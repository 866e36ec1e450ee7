import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run as runProgram } from '../../src/cli.js';
import type { Clock } from '../../src/domain/clock.js';
import type { Io, Prompter } from '../../src/ui/io.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/chorus-admin.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  /** stdout as the bytes it was, for binary output (`file download -o -`). */
  stdoutBytes: Buffer;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
  /** The program's clock stands at this instant (ISO 8601); the real time otherwise. */
  now?: string;
}

/**
 * A configuration file no test writes unless it says so (SPEC 4's profiles): never the user's,
 * whose profile would change what the tests see.
 */
const NO_CONFIG = path.join(os.tmpdir(), `chorus-admin-test-${process.pid}`, 'config.toml');

/**
 * What a person's process has and a test must not inherit: no CHORUS_ADMIN_*, no colour, not the
 * user's configuration file.
 */
function environment(extra: RunOptions['env'] = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('CHORUS_ADMIN_')) env[k] = v;
  Object.assign(env, {
    FORCE_COLOR: '0',
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
    CHORUS_ADMIN_CONFIG: NO_CONFIG,
  });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

const fixedClock = (instant: string): Clock => ({ now: () => new Date(instant) });
const realClock: Clock = { now: () => new Date() };

/** A prompter for a session with no terminal: the program must never ask. */
const noPrompts: Prompter = {
  confirm: () => Promise.reject(new Error('no terminal: the program asked a question')),
  input: () => Promise.reject(new Error('no terminal: the program asked a question')),
  select: () => Promise.reject(new Error('no terminal: the program asked a question')),
  checkbox: () => Promise.reject(new Error('no terminal: the program asked a question')),
};

/** An in-memory io: stdin from `input`, stdout and stderr kept, no TTY. */
export function testIo(options: RunOptions & { prompter?: Prompter } = {}) {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const sink = (chunks: Buffer[]) => {
    const s = new PassThrough();
    s.on('data', (d: Buffer) => chunks.push(d));
    return s;
  };
  const io: Io = {
    stdin: Readable.from([options.input ?? '']),
    stdout: sink(stdout),
    stderr: sink(stderr),
    env: environment(options.env),
    cwd: options.cwd ?? process.cwd(),
    clock: options.now ? fixedClock(options.now) : realClock,
    prompter: options.prompter ?? noPrompts,
  };
  const result = (code: number): RunResult => {
    const bytes = Buffer.concat(stdout);
    return {
      code,
      stdout: bytes.toString('utf8'),
      stdoutBytes: bytes,
      stderr: Buffer.concat(stderr).toString('utf8'),
    };
  };
  return { io, result };
}

/**
 * Runs the program in this process, as a user would from a script: no TTY, no colour, French
 * unless told otherwise, none of the caller's CHORUS_ADMIN_* variables.
 */
export async function run(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const { io, result } = testIo(options);
  const code = await runProgram(args, io);
  // let the streams deliver what was written before reading them
  await new Promise((resolve) => setImmediate(resolve));
  return result(code);
}

/** Runs the built binary in a process of its own: for what needs one (launcher, signals, exit). */
export function spawnRun(args: string[], options: RunOptions = {}): Promise<RunResult> {
  if (options.now) throw new Error('a spawned program runs on the real clock');
  const env = environment(options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const bytes = Buffer.concat(stdout);
      resolve({ code, stdout: bytes.toString('utf8'), stdoutBytes: bytes, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A CLI bound to one store: `cli('--as', 'x', 'account', 'list')`. */
export function cliFor(location: string, defaults: RunOptions = {}) {
  return (...args: string[]) => run(['--db', location, ...args], defaults);
}

/** The same, spawning the built binary for each command. */
export function spawnedCliFor(location: string, defaults: RunOptions = {}) {
  return (...args: string[]) => spawnRun(['--db', location, ...args], defaults);
}

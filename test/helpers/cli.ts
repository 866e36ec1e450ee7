import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
}

/**
 * Runs the built binary as a user would: no TTY, no colour, French unless told otherwise,
 * and none of the caller's CHORUS_ADMIN_* variables leaking in.
 */
export function run(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('CHORUS_ADMIN_')) env[k] = v;
  Object.assign(env, { FORCE_COLOR: '0', NO_COLOR: '1', LANG: 'C.UTF-8' });
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
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

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(HERE, '../../bin/chorus-admin.js');
const DRIVER = path.join(HERE, 'pty-run.py');

/** Keys as a terminal sends them. */
export const KEY = {
  enter: '\r',
  ctrlC: '\x03',
  /** readline: erase from the cursor back to the start of the line */
  ctrlU: '\x15',
} as const;

export interface PtyStep {
  /** Text (or pattern) to wait for on the terminal, searched after the previous step's match. */
  waitFor: string | RegExp;
  /** Keys typed once it has appeared. */
  send: string;
}

export interface PtyOptions {
  env?: Record<string, string | undefined>;
  /** How long each step may wait for its text, and the command for its end after the last step. */
  timeoutMs?: number;
  cols?: number;
  rows?: number;
}

export interface PtyResult {
  code: number | null;
  /** What the terminal showed, escape sequences removed and line ends normalised. */
  output: string;
  /** The bytes as they came, escape sequences included. */
  raw: string;
}

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), and two-byte escapes (ESC 7, ESC =, …)
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_7-9=>]/g;

export function plainText(raw: string): string {
  return raw.replace(ANSI, '').replace(/\r+\n/g, '\n').replace(/\r/g, '\n');
}

function quoted(pattern: string | RegExp): string {
  return typeof pattern === 'string' ? JSON.stringify(pattern) : String(pattern);
}

function find(text: string, pattern: string | RegExp, from: number): number {
  if (typeof pattern === 'string') {
    const i = text.indexOf(pattern, from);
    return i < 0 ? -1 : i + pattern.length;
  }
  const re = new RegExp(pattern.source, pattern.flags.replace('g', '') + 'g');
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index + m[0].length : -1;
}

/**
 * Runs the built binary inside a pseudo-terminal (stdin, stdout and stderr all TTYs, as for a
 * person at a terminal), types the scripted keys, each once its text has shown, and waits
 * for the end. Same environment rules as `run` in cli.ts: no colour, French unless told,
 * none of the caller's CHORUS_ADMIN_* variables.
 *
 * Rejects, with the terminal's content so far, when a text does not show within the timeout,
 * when the command ends before it shows, or when it does not end after the last step.
 */
export function runPty(
  args: string[],
  steps: PtyStep[],
  options: PtyOptions = {},
): Promise<PtyResult> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('CHORUS_ADMIN_')) env[k] = v;
  Object.assign(env, { FORCE_COLOR: '0', NO_COLOR: '1', LANG: 'C.UTF-8', TERM: 'xterm' });
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child = spawn(
    'python3',
    [
      DRIVER,
      String(options.cols ?? 200),
      String(options.rows ?? 50),
      process.execPath,
      BIN,
      ...args,
    ],
    {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );

  return new Promise<PtyResult>((resolve, reject) => {
    let raw = '';
    let driverErrors = '';
    let exitCode: number | null | undefined;
    let stepIndex = 0;
    let searchFrom = 0;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;

    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (exitCode === undefined) child.kill('SIGTERM');
      const stderr = driverErrors ? `\n--- driver stderr ---\n${driverErrors}` : '';
      reject(new Error(`${why}\n--- terminal (${args.join(' ')}) ---\n${plainText(raw)}${stderr}`));
    };

    const armTimer = (what: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms ${what}`), timeoutMs);
    };

    /** Moves through the steps whose text has shown; once all are done, waits for the end. */
    const advance = () => {
      if (settled) return;
      const text = plainText(raw);
      while (stepIndex < steps.length) {
        const step = steps[stepIndex]!;
        const end = find(text, step.waitFor, searchFrom);
        if (end < 0) return;
        searchFrom = end;
        stepIndex += 1;
        child.stdin.write(step.send);
        if (stepIndex < steps.length)
          armTimer(`waiting for ${quoted(steps[stepIndex]!.waitFor)} (step ${stepIndex + 1})`);
        else armTimer('waiting for the command to end after the last step');
      }
    };

    if (steps.length > 0) armTimer(`waiting for ${quoted(steps[0]!.waitFor)} (step 1)`);
    else armTimer('waiting for the command to end');

    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      raw += d;
      advance();
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (driverErrors += d));
    child.on('error', (err) => fail(`cannot start python3: ${err.message}`));
    child.on('close', (code, signal) => {
      exitCode = code;
      if (settled) return;
      advance();
      if (stepIndex < steps.length) {
        fail(
          `the command ended (exit ${code ?? signal}) before showing ${quoted(steps[stepIndex]!.waitFor)} (step ${stepIndex + 1})`,
        );
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (driverErrors) {
        reject(new Error(`pty driver failed:\n${driverErrors}`));
        return;
      }
      resolve({ code, output: plainText(raw), raw });
    });
  });
}

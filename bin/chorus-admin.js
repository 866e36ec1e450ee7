#!/usr/bin/env node
// Runs the built program. The batch commands (MADRHAS sync, directory imports) run in a child
// Node whose old space is capped, so that V8 collects garbage instead of growing the heap: a
// million-row export stays far below 300 MB. The child dies with its parent (a pipe on fd 3).
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const HEAP_MB = 192;
const args = process.argv.slice(2);
const at = (word, next) => args.some((a, i) => a === word && next.includes(args[i + 1]));
const batch = at('sync', ['madrhas']) || at('structure', ['import', 'import-services']);
const child = process.env.CHORUS_ADMIN_CHILD === '1';

if (child) {
  // the parent's end of fd 3 closes when it exits or is killed: stop at once, the transaction uncommitted
  try {
    const lifeline = new net.Socket({ fd: 3, readable: true, writable: false });
    lifeline
      .on('end', () => process.exit(137))
      .on('error', () => process.exit(137))
      .resume();
    lifeline.unref();
  } catch {
    // not started by a parent chorus-admin (no pipe on fd 3): nothing to watch
  }
}
const capped = process.execArgv.some((a) => a.startsWith('--max-old-space-size'));
if (batch && !child && !capped) {
  const c = spawn(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, fileURLToPath(import.meta.url), ...args],
    {
      stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
      env: { ...process.env, CHORUS_ADMIN_CHILD: '1' },
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => c.kill(signal));
  c.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
} else {
  const { main } = await import('../dist/cli.js');
  await main(process.argv);
}

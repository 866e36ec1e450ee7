#!/usr/bin/env node
// Runs the built program on this process. The batch commands (MADRHAS sync, directory imports)
// still run in a child Node whose old space is capped, so that V8 collects garbage instead of
// growing the heap; the child stops when its parent dies (a pipe on fd 3), and since that pipe is
// heard only when the event loop runs, it also checks right before its COMMIT that its parent is
// still the launcher (CHORUS_ADMIN_PARENT_PID, read in src/cli.ts). Issue 16 removes it.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const at = (word, next) => args.some((a, i) => a === word && next.includes(args[i + 1]));
const batch = at('sync', ['madrhas']) || at('structure', ['import', 'import-services']);

if (process.env.CHORUS_ADMIN_CHILD === '1') {
  // the parent's end of fd 3 closes when it exits or is killed: stop at once, uncommitted
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
if (batch && process.env.CHORUS_ADMIN_CHILD !== '1' && !capped) {
  const child = spawn(
    process.execPath,
    ['--max-old-space-size=192', fileURLToPath(import.meta.url), ...args],
    {
      stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
      // the child commits only while its parent is this process (realIo's parentAlive, src/cli.ts)
      env: {
        ...process.env,
        CHORUS_ADMIN_CHILD: '1',
        CHORUS_ADMIN_PARENT_PID: String(process.pid),
      },
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
} else {
  const { run, realIo } = await import('../dist/cli.js');
  process.exitCode = await run(args, realIo());
}

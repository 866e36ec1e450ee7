import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');
const WORKER = path.join(HERE, 'append-worker.ts');

/**
 * The child's program: load the TypeScript worker through vite (vitest's own transformer),
 * say it is ready, wait for the parent's go, append, exit. better-sqlite3 is synchronous, so
 * two connections in one process cannot wait for each other's lock: real writers are processes.
 * The module runner stays open until the child exits: the store imports its PostgreSQL driver
 * lazily (`await import('pg')`), and vite's one-shot runnerImport closes its runner on return.
 */
const CHILD = `
const { createRunnableDevEnvironment, resolveConfig } = await import('vite');
// what vite's runnerImport sets up, without closing it after the first import
const config = await resolveConfig({
  configFile: false,
  envDir: false,
  root: process.env.ROOT,
  logLevel: 'silent',
  environments: { inline: { consumer: 'server', dev: { moduleRunnerTransform: true }, resolve: { external: true, mainFields: [], conditions: ['node'] } } },
}, 'serve');
const environment = createRunnableDevEnvironment('inline', config, { runnerOptions: { hmr: { logger: false } }, hot: false });
await environment.init();
const module = await environment.runner.import(process.env.WORKER);
process.stdout.write('ready\\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
try {
  await module.appendMany(process.env.LOCATION, process.env.TAG, Number(process.env.TRANSACTIONS), Number(process.env.PER), Number(process.env.WRITERS));
  process.exit(0);
} catch (err) {
  process.stderr.write(String(err && err.stack || err) + '\\n');
  process.exit(1);
}
`;

interface Child {
  process: ChildProcess;
  ready: Promise<void>;
  done: Promise<{ code: number | null; stderr: string }>;
}

function start(
  location: string,
  tag: string,
  transactions: number,
  perTransaction: number,
  writers: number,
): Child {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    cwd: ROOT,
    env: {
      ...process.env,
      WORKER,
      ROOT,
      LOCATION: location,
      TAG: tag,
      TRANSACTIONS: String(transactions),
      PER: String(perTransaction),
      WRITERS: String(writers),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('ready')) resolve();
    });
    void done.then(({ code, stderr }) =>
      reject(new Error(`worker ${tag} exited ${code} before it was ready: ${stderr}`)),
    );
  });
  return { process: child, ready, done };
}

/** Starts one process per tag, lets them all append at once, and waits for every one. */
export async function appendFromProcesses(
  location: string,
  tags: string[],
  transactions: number,
  perTransaction: number,
) {
  const children = tags.map((tag) =>
    start(location, tag, transactions, perTransaction, tags.length),
  );
  try {
    await Promise.all(children.map((c) => c.ready));
  } catch (err) {
    for (const c of children) c.process.kill();
    throw err;
  }
  for (const c of children) c.process.stdin!.end('go\n');
  return Promise.all(children.map((c) => c.done));
}

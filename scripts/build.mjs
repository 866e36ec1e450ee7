#!/usr/bin/env node
// Builds dist/ from src/: one ES module bundle per entry, split where the program imports
// lazily (each command group, the drivers, inquirer). A start that reads one file per chunk
// instead of hundreds of node_modules files is what keeps `--version` and `--help` near a
// bare `node` (issue 13: measured in `npm run bench startup`). Types are checked by `npm run lint`.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // native or optional: loaded from node_modules as they are
  external: ['better-sqlite3', 'pg', 'pg-native'],
  // the CommonJS packages inside the bundle call require() for Node's own modules
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});

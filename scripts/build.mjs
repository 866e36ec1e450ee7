#!/usr/bin/env node
// Builds dist/ from src/: one ES module bundle per entry, split where the program imports
// lazily (each command group, the drivers, inquirer). A start that reads one file per chunk
// instead of hundreds of node_modules files is what keeps `--version` and `--help` near a
// bare `node` (issue 13: measured in `npm run bench startup`). Types are checked by `npm run lint`.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

/**
 * zod's namespace re-exports its forty-odd locales (350 kB, a fifth of what `account show`
 * compiles at start-up); the program speaks French and English only, so its bundle gets those two.
 */
const zodTwoLocales = {
  name: 'zod-two-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core|mini)$/.test(args.resolveDir)
        ? { path: 'zod-two-locales', namespace: 'zod-two-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-two-locales' }, () => ({
      contents:
        "export { default as fr } from 'zod/v4/locales/fr.js';\n" +
        "export { default as en } from 'zod/v4/locales/en.js';\n",
      resolveDir: process.cwd(),
    }));
  },
};

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
  plugins: [zodTwoLocales],
  logLevel: 'warning',
});

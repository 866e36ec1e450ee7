// Each lint package that loads `typescript` must find TypeScript 6.0 (tools/lint/node_modules),
// not the project's TypeScript 7, which has no compiler API: a plugin hoisted next to TS 7 fails
// with an obscure TypeError at load. Imported first by index.js, so it speaks before they load.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

for (const pkg of [
  'typescript-eslint',
  '@typescript-eslint/typescript-estree',
  '@typescript-eslint/type-utils',
  'ts-api-utils',
]) {
  const manifest = createRequire(require.resolve(pkg)).resolve('typescript/package.json');
  const { version } = require(manifest);
  if (!version.startsWith('6.0.')) {
    throw new Error(
      `${pkg} loads typescript ${version} (${dirname(manifest)}); the lint needs TypeScript 6.0: ` +
        'run `npm ci` (see "overrides" in package.json).',
    );
  }
}

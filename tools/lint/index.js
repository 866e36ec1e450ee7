// The lint plugins that load the TypeScript compiler API, re-exported for /eslint.config.js.
//
// Why a package of its own: typescript-eslint needs the classic compiler API (typescript
// >=4.8.4 <6.1.0); the project's compiler is TypeScript 7, whose `typescript` package has no
// such API (it exports its version and nothing else). These plugins live in
// tools/lint/node_modules next to TypeScript 6.0 (the last classic release, the one TS 7 was
// ported from), and the root package.json's `overrides` pins every `typescript` they ask for
// to 6.0, so none of them is hoisted next to TypeScript 7.
// first: it stops with a clear message before a plugin loads TypeScript 7 and fails obscurely
import './typescript-6-guard.js';

import { createRequire } from 'node:module';

import vitest from '@vitest/eslint-plugin';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const require = createRequire(import.meta.url);
const { typeImportAsValue } = require('./type-imports-as-values-parser.cjs');

// import-x/no-cycle, counting type imports too: the rule skips `import type` in the linted file
// and in the modules it walks through; here it sees every import as a value import (the walked
// modules are parsed by type-imports-as-values-parser.cjs, see `importXTypeAwareSettings`).
const noCycle = importX.rules['no-cycle'];
const TYPE_AWARE_VISITORS = [
  'ImportDeclaration',
  'ExportNamedDeclaration',
  'ExportAllDeclaration',
  'TSImportEqualsDeclaration',
];
const noCycleWithTypes = {
  ...noCycle,
  meta: {
    ...noCycle.meta,
    docs: {
      ...noCycle.meta.docs,
      description: `${noCycle.meta.docs.description} Type imports count.`,
    },
  },
  create(context) {
    const visitors = noCycle.create(context);
    for (const key of TYPE_AWARE_VISITORS) {
      const visit = visitors[key];
      if (visit) visitors[key] = (node) => visit(typeImportAsValue(node));
    }
    return visitors;
  },
};

/** eslint-plugin-import-x with its `no-cycle` counting type imports (same rule id). */
export const importXWithTypeCycles = {
  ...importX,
  rules: { ...importX.rules, 'no-cycle': noCycleWithTypes },
};

/** Settings for the files linted with import-x/no-cycle. */
export function importXTypeAwareSettings(tsconfig) {
  return {
    'import-x/resolver-next': [createTypeScriptImportResolver({ project: tsconfig })],
    'import-x/parsers': {
      [require.resolve('./type-imports-as-values-parser.cjs')]: ['.ts', '.mts', '.cts', '.tsx'],
    },
    'import-x/extensions': ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs'],
  };
}

export { tseslint, vitest };

// ESLint: the plan of the house (ARCHITECTURE.md, "Who may call whom") checked by a machine,
// typed rules, no import cycle (type imports included), and tests that assert.
// Formatting is Prettier's alone (eslint-config-prettier, last).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';

// typescript-eslint and the plugins built on it need TypeScript 6.0's compiler API: they come
// from tools/lint (see tools/lint/index.js for why).
import {
  importXTypeAwareSettings,
  importXWithTypeCycles,
  tseslint,
  vitest,
} from 'chorus-admin-lint';

const root = import.meta.dirname;
const TS = ['**/*.ts', '**/*.mts', '**/*.cts'];
const JS = ['**/*.js', '**/*.mjs', '**/*.cjs'];

// ---- the layers ------------------------------------------------------------------------------
const layers = (what) => `ARCHITECTURE.md, "Who may call whom": ${what}.`;

/** Who may not import whom, by resolved path (type imports and import() included). */
const LAYER_ZONES = [
  {
    target: 'src/commands',
    from: 'src/db',
    message: layers(
      'commands → app, ui; a command reaches the store through a use case in src/app',
    ),
  },
  {
    target: 'src/domain',
    from: ['src/db', 'src/io', 'src/i18n', 'src/app'],
    message: layers('domain is pure rules: it imports nothing of db, io, i18n or app'),
  },
  {
    target: 'src/db',
    from: 'src/app',
    message: layers('db → kysely and the drivers; never db → app'),
  },
];

const THE_PROCESS = layers(
  'nothing under src/ but src/cli.ts touches `process` ' +
    '(env, stdin/stdout/stderr, exit, cwd, argv…): it comes through `io`',
);
const THE_CLOCK = layers(
  'nothing under src/ but src/cli.ts reads the system clock: take `io.clock`',
);
const NOT_IN_APP = layers(
  'a use case never prints, prompts or parses options: that is commands/ and ui/',
);

/** no-restricted-imports for src/ (a later block replaces the rule: so each block lists all). */
const restrictedImports = (...more) => [
  'error',
  {
    paths: [
      { name: 'node:process', message: THE_PROCESS },
      { name: 'process', message: THE_PROCESS },
      ...more.flatMap((m) => m.paths ?? []),
    ],
    patterns: more.flatMap((m) => m.patterns ?? []),
  },
];

const APP_IMPORTS = {
  paths: [
    { name: 'commander', message: NOT_IN_APP },
    { name: 'chalk', message: NOT_IN_APP },
  ],
  patterns: [{ group: ['@inquirer/*'], message: NOT_IN_APP }],
};

export default defineConfig([
  globalIgnores([
    'dist/',
    'dist-check/',
    'coverage/',
    '**/node_modules/',
    // local data, ignored by git too
    'bench/data/',
    'scratch/',
    'tmp/',
  ]),

  // ---- every file ----------------------------------------------------------------------------
  {
    files: [...TS, ...JS],
    extends: [js.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: globals.node,
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  // ---- TypeScript: typed rules, no cycle -----------------------------------------------------
  {
    files: TS,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    plugins: { 'import-x': importXWithTypeCycles },
    settings: importXTypeAwareSettings(`${root}/tsconfig.json`),
    rules: {
      // type imports count (see tools/lint/index.js); a cycle of any depth
      // (external modules cannot lead back here: not walked)
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // Off: it flags every `async` function without an `await`, which is how this code
      // implements Promise-returning interfaces (kysely's MigrationProvider, an async iterator's
      // `return`, runUseCase callbacks). The promise mistakes that are bugs stay caught by
      // no-floating-promises, no-misused-promises and await-thenable.
      '@typescript-eslint/require-await': 'off',
      // Off: it fires on `String(value)` of an `unknown` already narrowed to a primitive by the
      // lines above (table cells, message parameters), where TypeScript cannot follow.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // Kysely's own advice: a migration is frozen in time, so it takes `Kysely<any>`, not the
    // current schema's type.
    files: ['src/db/migrations/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  // ---- src/: the layers, the process, the clock ----------------------------------------------
  {
    files: ['src/**'],
    plugins: { 'import-x': importXWithTypeCycles },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: LAYER_ZONES }],
      'no-restricted-imports': restrictedImports(),
      'no-restricted-globals': ['error', { name: 'process', message: THE_PROCESS }],
      'no-restricted-properties': [
        'error',
        { object: 'globalThis', property: 'process', message: THE_PROCESS },
        { object: 'Date', property: 'now', message: THE_CLOCK },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: THE_CLOCK },
        { selector: "CallExpression[callee.name='Date']", message: THE_CLOCK },
      ],
    },
  },
  {
    files: ['src/app/**'],
    rules: {
      'no-restricted-imports': restrictedImports(APP_IMPORTS),
      'no-console': ['error'],
    },
  },
  {
    // the one door to the process and the clock
    files: ['src/cli.ts'],
    rules: {
      'no-restricted-imports': 'off',
      'no-restricted-globals': 'off',
      'no-restricted-properties': 'off',
      'no-restricted-syntax': 'off',
    },
  },

  // ---- tests ---------------------------------------------------------------------------------
  {
    files: ['test/**/*.test.ts'],
    extends: [vitest.configs.recommended],
    rules: {
      // a test that asserts nothing fails the lint; helpers that assert are named expect…
      'vitest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'refused'] }],
      // Vitest's expect takes a message as its second argument: expect(value, 'why')
      'vitest/valid-expect': ['error', { maxArgs: 2 }],
      // Off: the suites run once per dialect (`if (dialect === 'sqlite') expect(…)`) and the
      // fast-check properties assert under a condition by design.
      'vitest/no-conditional-expect': 'off',
      // Off: an expect in beforeEach checks the set-up (Vitest supports it), so that a broken
      // set-up fails there rather than in every test.
      'vitest/no-standalone-expect': 'off',
    },
  },
  {
    // Tests read the program's JSON output (JSON.parse: `any`) and assert on it: the assertion is
    // the check, so the no-unsafe-* family (which tracks `any` flowing on) only adds noise here.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // the same JSON, typed `any` where a test reads it (fixtures' json()), and Kysely<any> stores
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },

  prettier,
]);

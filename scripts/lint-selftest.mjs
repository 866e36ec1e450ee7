// Proves that the lint still catches what it is there for: it writes a few files that break the
// plan of the house into a temporary folder under src/, lints them with the project's
// eslint.config.js (ESLint's Node API), checks each expected error, and removes the folder.
// A resolver that stops resolving would make import-x's rules pass in silence: this catches it.
//   npm run lint:selftest
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '..');
const folder = `lint-selftest-${process.pid}`;
const dirs = ['domain', 'app'].map((layer) => path.join(root, 'src', layer, folder));
const rel = (f) => path.relative(root, f);

/** path under src/ → [its text, rule id → the lines where it must fire; nothing else may]. */
const files = {
  // domain ↛ db
  [`domain/${folder}/forbidden-import.ts`]: [
    "import '../../db/store.js';\n",
    { 'import-x/no-restricted-paths': [1] },
  ],
  // a cycle of type imports only
  [`domain/${folder}/cycle-a.ts`]: [
    "import type { B } from './cycle-b.js';\nexport interface A {\n  b?: B;\n}\n",
    { 'import-x/no-cycle': [1] },
  ],
  [`domain/${folder}/cycle-b.ts`]: [
    "import type { A } from './cycle-a.js';\nexport interface B {\n  a?: A;\n}\n",
    { 'import-x/no-cycle': [1] },
  ],
  // the process and the clock, outside src/cli.ts
  [`domain/${folder}/process-and-clock.ts`]: [
    'export const home = process.env.HOME;\n' +
      'export const now = Date.now();\n' +
      'export const today = new Date();\n' +
      "export const fixed = new Date('2026-01-01');\n",
    {
      'no-restricted-globals': [1],
      'no-restricted-properties': [2],
      'no-restricted-syntax': [3],
    },
  ],
  // app ↛ the terminal
  [`app/${folder}/terminal.ts`]: [
    "import chalk from 'chalk';\nexport const say = (s: string) => console.log(chalk.bold(s));\n",
    { 'no-restricted-imports': [1], 'no-console': [2] },
  ],
};

try {
  for (const [file, [text]] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, 'src', file)), { recursive: true });
    fs.writeFileSync(path.join(root, 'src', file), text);
  }
  const eslint = new ESLint({ cwd: root });
  const results = await eslint.lintFiles(dirs);
  assert.equal(results.length, Object.keys(files).length, 'every self-test file is linted');
  for (const result of results) {
    const name = path.relative(path.join(root, 'src'), result.filePath);
    const got = {};
    for (const m of result.messages) {
      assert.ok(m.ruleId, `${rel(result.filePath)}: ${m.message}`);
      (got[m.ruleId] ??= []).push(m.line);
    }
    assert.deepEqual(got, files[name]?.[1], `${rel(result.filePath)}: the errors found`);
    for (const m of result.messages)
      console.log(`ok  src/${name}:${m.line}  ${m.ruleId}  ${m.message}`);
  }
  console.log('lint self-test: every planted violation was caught');
} finally {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
}

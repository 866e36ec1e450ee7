// @typescript-eslint/parser, with every `import type` / `export type … from` read as a value
// import. Only import-x uses it, to parse the modules that `import-x/no-cycle` walks through
// (settings 'import-x/parsers'), so that a cycle made of type imports is a cycle too: the rule
// skips type-only imports and has no option to count them. No type information is needed here.
'use strict';
const base = require('@typescript-eslint/parser');

function asValue(node) {
  if ('importKind' in node) node.importKind = 'value';
  if ('exportKind' in node) node.exportKind = 'value';
  for (const s of node.specifiers ?? []) {
    if ('importKind' in s) s.importKind = 'value';
    if ('exportKind' in s) s.exportKind = 'value';
  }
}

const MODULE_STATEMENTS = new Set([
  'ImportDeclaration',
  'ExportNamedDeclaration',
  'ExportAllDeclaration',
  'TSImportEqualsDeclaration',
]);

/** The same node, read as a value import (a shallow copy: the linted file's AST is not touched). */
function typeImportAsValue(node) {
  if (!MODULE_STATEMENTS.has(node.type)) return node;
  const copy = { ...node };
  if (Array.isArray(node.specifiers)) copy.specifiers = node.specifiers.map((s) => ({ ...s }));
  asValue(copy);
  return copy;
}

function parseForESLint(code, options) {
  const result = base.parseForESLint(code, options);
  for (const statement of result.ast.body) {
    if (MODULE_STATEMENTS.has(statement.type)) asValue(statement);
  }
  return result;
}

module.exports = {
  meta: { name: 'chorus-admin/type-imports-as-values-parser' },
  parseForESLint,
  typeImportAsValue,
};

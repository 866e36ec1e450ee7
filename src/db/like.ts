import { sql, type Expression, type RawBuilder } from 'kysely';

/** Escapes LIKE's wildcards so that user text matches as itself (with `escape '\'`, both dialects). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** `column LIKE pattern` where `pattern` is built from escaped user text and our own wildcards. */
export function like(
  column: Expression<unknown> | RawBuilder<unknown>,
  before: '' | '%',
  text: string,
  after: '' | '%',
): RawBuilder<boolean> {
  return sql<boolean>`${column} like ${before + escapeLike(text) + after} escape '\\'`;
}

/**
 * A SQLite first load's foreign keys, checked by ranges of rowids as the load goes (first-load.ts):
 * each key's anti-join over the rows its table holds past the table's mark, the mark then moved to
 * the table's last row. Run after each chunk of accounts in the worker thread's spare time, while
 * the program plans the next chunk, so that the load's end checks no more than its last chunk.
 *
 * A row checked stays good until the commit: no row it references goes (the load deletes none that
 * another table references: first-load.ts), its key columns do not change (a temporary trigger
 * of the load's connection refuses it: `rangeGuards`), and a row written after a check lies past
 * the mark — rowids grow, and a deletion, after which SQLite may give a rowid again, brings the
 * mark down to the table's last row (another trigger). The marks are a temporary table of the
 * connection: the thread's checks and the program's last one share them, and they go with it.
 *
 * `checkRanges` is self-contained (its text is the thread's code too, sqlite-thread.ts).
 */

/** One foreign key's check over a range of its table's rowids. */
export interface RangeCheck {
  table: string;
  /** Rows after this rowid are checked: 0 (the whole table), or an append-only table's start. */
  from: number;
  /** `select exists (…)`: 1 when a row whose rowid is in (?, ?] references nothing. */
  text: string;
  /** The error such a row fails the load with, as the row-by-row check would (the key named). */
  message: string;
  /** The key's columns (which the load may not change: `rangeGuards`). */
  columns: readonly string[];
}

/** What `checkRanges` prepares: better-sqlite3's statements, or the thread's. */
interface Statement {
  pluck(on?: boolean): { get(...params: unknown[]): unknown };
  run(...params: unknown[]): unknown;
}

/**
 * The statements that set the checks up on the load's connection, before its first write: the
 * marks, at each table's `from`, and each table's guards.
 */
export function rangeGuards(checks: readonly RangeCheck[]): string[] {
  const tables = new Map<string, { from: number; columns: Set<string> }>();
  for (const c of checks) {
    const t = tables.get(c.table) ?? { from: c.from, columns: new Set<string>() };
    for (const column of c.columns) t.columns.add(column);
    tables.set(c.table, t);
  }
  return [
    'create temp table first_load_mark (name text primary key, mark integer not null)',
    ...[...tables].flatMap(([table, { from, columns }]) => [
      `insert into temp.first_load_mark values ('${table}', ${from})`,
      `create temp trigger first_load_${table}_keys before update of ${[...columns].join(', ')}
         on main.${table} begin select raise(abort, 'a first load changes no key of ${table}'); end`,
      `create temp trigger first_load_${table}_gone after delete on main.${table} begin
         update first_load_mark set mark = min(mark, (select coalesce(max(rowid), 0) from main.${table}))
         where name = '${table}'; end`,
    ]),
  ];
}

/**
 * Runs `checks` (a table's next to each other) over the rows past each table's mark, then moves
 * the marks to the tables' last rows. Throws the first broken key's error
 * (SQLITE_CONSTRAINT_FOREIGNKEY). `statement` prepares a text, or gives it prepared again.
 */
export function checkRanges(
  checks: readonly RangeCheck[],
  statement: (text: string) => Statement,
): void {
  let i = 0;
  while (i < checks.length) {
    const { table } = checks[i]!;
    const last = Number(
      statement(`select coalesce(max(rowid), 0) from main.${table}`).pluck().get(),
    );
    const mark = Number(
      statement('select mark from temp.first_load_mark where name = ?').pluck().get(table),
    );
    for (; i < checks.length && checks[i]!.table === table; i++) {
      const check = checks[i]!;
      if (last > mark && statement(check.text).pluck().get(mark, last))
        throw Object.assign(new Error(check.message), { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    }
    if (last > mark)
      statement('update temp.first_load_mark set mark = ? where name = ?').run(last, table);
  }
}

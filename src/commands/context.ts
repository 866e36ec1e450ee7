import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { InvalidInputError, UsageError } from '../errors.js';
import { resolveLang, type Lang } from '../i18n/index.js';
import { Output, type Format } from '../ui/output.js';
import type { Io } from '../ui/io.js';
import { ioOf } from './program-io.js';
import { lockTimeout, storeLocation } from '../app/location.js';
import type { StoreAccess } from '../app/session.js';
import { count, login as loginSchema } from '../domain/fields.js';

/** What every command knows once the global options (SPEC 4) are read. */
export interface Globals {
  /** The store's location (file path or URL), and how commands open it. */
  db: string;
  store: StoreAccess;
  io: Io;
  as: string | undefined;
  format: Format;
  lang: Lang;
  yes: boolean;
  quiet: boolean;
  verbose: boolean;
  out: Output;
}

const globalsSchema = z.object({
  db: z.string().min(1, { error: 'validation.required' }).optional(),
  as: z.string().optional(),
  format: z.enum(['table', 'json', 'csv', 'xlsx']).optional(),
  json: z.boolean().optional(),
  wide: z.boolean().optional(),
  output: z.string().min(1).optional(),
  lang: z.string().optional(),
  yes: z.boolean().optional(),
  quiet: z.boolean().optional(),
  verbose: z.boolean().optional(),
});

export function globalsOf(cmd: Command): Globals {
  const io = ioOf(cmd);
  const o = parse(globalsSchema, pick(cmd.optsWithGlobals(), Object.keys(globalsSchema.shape)));
  const lang = resolveLang(o.lang, io.env);
  const format: Format = o.json ? 'json' : (o.format ?? 'table');
  const quiet = o.quiet ?? false;
  const verbose = o.verbose ?? false;
  const db = storeLocation(o.db, io.env, io.cwd);
  if (!readableUrl(db))
    throw new InvalidInputError([{ field: '--db', message: 'validation.storeUrl' }]);
  return {
    db,
    store: {
      location: db,
      clock: io.clock,
      lockTimeoutMs: lockTimeout(io.env),
      alive: io.parentAlive,
    },
    io,
    as: o.as ?? (io.env.CHORUS_ADMIN_AS || undefined),
    format,
    lang,
    yes: o.yes ?? false,
    quiet,
    verbose,
    out: new Output({
      lang,
      format,
      quiet,
      verbose,
      io,
      wide: o.wide ?? false,
      // `-o -`: standard output
      output:
        o.output === undefined || o.output === '-' ? undefined : path.resolve(io.cwd, o.output),
    }),
  };
}

/**
 * False for a location written as a URL (`postgres://…`) that no URL parser reads, as the
 * PostgreSQL driver would find on its first query (`postgresql://[::1`); a file path is
 * absolute once located, never a URL. The driver's own leniencies are kept: spaces, and no host.
 */
function readableUrl(location: string): boolean {
  if (!/^[a-z][a-z\d+.-]*:\/\//i.test(location)) return true;
  return [location, encodeURI(location), location.replace('@/', '@localhost/')].some((u) =>
    URL.canParse(u),
  );
}

/** A path the user typed, from the folder the program runs in. */
export function userPath(g: Globals, p: string): string {
  return path.resolve(g.io.cwd, p);
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

/** The acting account (`--as` / CHORUS_ADMIN_AS); every command but init, db and help needs one. */
export function actorOf(g: Globals): string {
  if (!g.as) throw new UsageError('usage.actorRequired');
  const r = loginSchema.safeParse(g.as);
  if (!r.success) throw new InvalidInputError([{ field: '--as', message: 'validation.email' }]);
  return r.data;
}

/** `--code-postal` for the option commander calls `codePostal`; positional names stay as they are. */
export function optionName(key: PropertyKey): string {
  const s = String(key);
  return /^[A-Z_]+$/.test(s) ? s : '--' + s.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** Validates a command's options and arguments; every failing field is named (exit 5). */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new InvalidInputError(
    r.error.issues.map((i) => ({
      field: i.path.length > 0 ? optionName(i.path[0]!) : '-',
      message: i.message,
    })),
  );
}

export { examples } from './help-text.js';

/** `--limit`, `--page`: whole numbers small enough for the stores (and their product too). */
export const positiveInt = count;

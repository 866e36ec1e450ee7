import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { InvalidInputError, UsageError, type FieldIssue } from '../errors.js';
import { isMessageKey, resolveLang, type Lang } from '../i18n/index.js';
import { Output, type Format } from '../ui/output.js';
import type { Io } from '../ui/io.js';
import { askOptionalText } from '../ui/prompts.js';
import { ioOf } from './program-io.js';
import { activeProfile, profileIfReadable, type Profile } from '../app/config.js';
import { lockTimeout, storeLocation } from '../app/location.js';
import type { StoreAccess } from '../app/session.js';
import { count, login as loginSchema } from '../domain/fields.js';
import { hasControlOrBidi } from '../domain/text.js';

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
  /** Why the command makes its changes (`--reason`, a command's own included); kept in the audit log. */
  reason: string | undefined;
  quiet: boolean;
  verbose: boolean;
  out: Output;
}

/** `--reason` (SPEC 11): 1 to 500 characters once trimmed, no control character. */
const reasonSchema = z
  .string()
  .trim()
  .min(1, { error: 'validation.reason' })
  .max(500, { error: 'validation.reason' })
  .refine((v) => !hasControlOrBidi(v), { error: 'validation.reason' });

const globalsSchema = z.object({
  db: z.string().min(1, { error: 'validation.required' }).optional(),
  as: z.string().optional(),
  format: z.enum(['table', 'json', 'csv', 'xlsx']).optional(),
  json: z.boolean().optional(),
  wide: z.boolean().optional(),
  output: z.string().min(1).optional(),
  lang: z.string().optional(),
  yes: z.boolean().optional(),
  reason: reasonSchema.optional(),
  quiet: z.boolean().optional(),
  verbose: z.boolean().optional(),
});

export function globalsOf(cmd: Command): Globals {
  const io = ioOf(cmd);
  const given = pick(cmd.optsWithGlobals(), Object.keys(globalsSchema.shape));
  const profile = activeProfile(profileOption(cmd), io.env);
  const { o, lang, format, quiet, verbose } = settle(given, profile, io);
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
      reason: o.reason,
    },
    io,
    as: o.as,
    format,
    lang,
    yes: o.yes ?? false,
    reason: o.reason,
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
 * What a command that needs neither the store nor an acting account knows (config, completion,
 * help): the language and format, from a profile only if the file can be read, and the profile
 * named by `--profile` (undefined when the option is not given).
 */
export function outputOf(cmd: Command): {
  io: Io;
  lang: Lang;
  format: Format;
  out: Output;
  profile: string | undefined;
} {
  const io = ioOf(cmd);
  const given = pick(cmd.optsWithGlobals(), Object.keys(globalsSchema.shape));
  const profile = profileOption(cmd);
  const { lang, format, quiet, verbose } = settle(given, profileIfReadable(profile, io.env), io);
  return { io, lang, format, profile, out: new Output({ lang, format, quiet, verbose, io }) };
}

/** The global `--profile` (a command's own `--profile`, habilitation's, is another option). */
function profileOption(cmd: Command): string | undefined {
  let root = cmd;
  while (root.parent) root = root.parent;
  return root.opts<{ profile?: string }>().profile;
}

/**
 * SPEC 4's precedence for `--db`, `--as`, `--lang` and `--format`: the option, else its
 * environment variable, else the profile; the built-in default last (for the store, in
 * `storeLocation`; French unless `LANG` says English; a table).
 */
function settle(given: Record<string, unknown>, profile: Profile, io: Io) {
  const env = io.env;
  const o = parse(globalsSchema, {
    ...given,
    db: given.db ?? (env.CHORUS_ADMIN_DB || undefined) ?? profile.db,
    as: given.as ?? (env.CHORUS_ADMIN_AS || undefined) ?? profile.as,
    format: given.format ?? profile.format,
  });
  const lang = resolveLang(
    o.lang,
    env.CHORUS_ADMIN_LANG ? env : { ...env, CHORUS_ADMIN_LANG: profile.lang },
  );
  const format: Format = o.json ? 'json' : (o.format ?? 'table');
  return { o, lang, format, quiet: o.quiet ?? false, verbose: o.verbose ?? false };
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

/**
 * A destructive command (delete, deactivate, a GP leaving or designated) asks for its reason on
 * a terminal when `--reason` is missing; an empty answer gives none, and a script goes on without
 * one. The answer becomes the command's `--reason`: every audit entry it writes keeps it.
 */
export async function askReasonIfMissing(g: Globals): Promise<void> {
  if (g.reason !== undefined) return;
  const answer = await askOptionalText(g.out, g.out.t('prompt.reason'), (v) =>
    reasonSchema.safeParse(v).success ? null : 'validation.reason',
  );
  if (answer === undefined) return;
  g.reason = answer;
  g.store.reason = answer;
}

/** A path the user typed, from the folder the program runs in. */
export function userPath(g: Globals, p: string): string {
  return path.resolve(g.io.cwd, p);
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

/** The acting account (`--as` / CHORUS_ADMIN_AS / the profile); every command but init, db, config, completion and help needs one. */
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
  throw new InvalidInputError(fieldIssues(r.error, input));
}

/**
 * Each of zod's issues as the user typed the field: the option (`--code-postal`) or the argument
 * (`LOGIN`), with its message (a catalogue key, or zod's own sentence in the user's language);
 * an option the schema does not know is named too.
 */
export function fieldIssues(error: z.ZodError, input?: unknown): FieldIssue[] {
  return error.issues.flatMap((i): FieldIssue[] => {
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => ({ field: optionName(k), message: 'validation.unknownField' }));
    const field = i.path.length > 0 ? optionName(i.path[0]!) : '-';
    // zod's own sentences where ours say it better: an empty text, a value outside a list
    if (i.code === 'too_small' && i.origin === 'string' && i.minimum === 1)
      return [{ field, message: 'validation.required' }];
    if (i.code === 'invalid_value' && !isMessageKey(i.message))
      return [
        {
          field,
          message: 'validation.choice',
          params: { value: String(valueAt(input, i.path)), choices: i.values.join(', ') },
        },
      ];
    return [{ field, message: i.message }];
  });
}

function valueAt(input: unknown, at: readonly PropertyKey[]): unknown {
  return at.reduce<unknown>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : v),
    input,
  );
}

export { examples } from './help-text.js';

/** `--limit`, `--page`: whole numbers small enough for the stores (and their product too). */
export const positiveInt = count;

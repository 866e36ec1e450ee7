/** Store locations as the user gives them: a SQLite file path or a postgres:// URL. */

export const isPostgresUrl = (location: string) => /^postgres(ql)?:\/\//i.test(location);

/** `scheme://user:password@` anywhere in a text, and a `password=` query parameter (libpq accepts both). */
const URL_PASSWORD = /\b(postgres(?:ql)?:\/\/[^\s:/?#@]*):[^\s@]*@/gi;
const QUERY_PASSWORD = /([?&]password=)[^&#\s]*/gi;

/** A text with every postgres URL's credentials shown as `***` (SPEC 4), whatever URL it quotes. */
export function redactUrls(text: string): string {
  return text.replace(URL_PASSWORD, '$1:***@').replace(QUERY_PASSWORD, '$1***');
}

/** The URL as it can be shown: never its password (in its user part or in a `password=` parameter). */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return redactUrls(u.toString());
  } catch {
    // not a URL the WHATWG parser reads (the driver may still try): the credentials go all the same
    return redactUrls(url);
  }
}

/** The passwords `url` carries, as written and decoded: what must never appear in a message. */
function secretsOf(url: string): string[] {
  const found: string[] = [];
  try {
    const u = new URL(url);
    found.push(u.password, u.searchParams.get('password') ?? '');
  } catch {
    for (const m of url.matchAll(/^postgres(?:ql)?:\/\/[^\s:/?#@]*:([^\s@]*)@/gi))
      found.push(m[1]!);
    for (const m of url.matchAll(/[?&]password=([^&#\s]*)/gi)) found.push(m[1]!);
  }
  const all = found.flatMap((s) => {
    try {
      return [s, decodeURIComponent(s)];
    } catch {
      return [s];
    }
  });
  // longest first, so that a password containing another is replaced whole
  return [...new Set(all.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
}

/**
 * `text` without `url`'s password anywhere: the URL itself redacted, and the bare password too
 * (but for one of fewer than 4 characters, which would blot out the words around it: those are
 * still redacted wherever a URL quotes them).
 */
export function scrub(text: string, url: string): string {
  let out = text.split(url).join(redact(url));
  for (const secret of secretsOf(url)) if (secret.length >= 4) out = out.split(secret).join('***');
  return redactUrls(out);
}

/** Applies `clean` to an error's message, stack and string parameters, in place. */
function cleanError<E>(err: E, clean: (text: string) => string): E {
  if (typeof err !== 'object' || err === null) return err;
  const e = err as { message?: unknown; stack?: unknown; params?: unknown };
  try {
    if (typeof e.message === 'string') e.message = clean(e.message);
    if (typeof e.stack === 'string') e.stack = clean(e.stack);
  } catch {
    // a frozen error: its parameters below are what is printed
  }
  if (typeof e.params === 'object' && e.params !== null) {
    const params = e.params as Record<string, unknown>;
    for (const [k, v] of Object.entries(params)) if (typeof v === 'string') params[k] = clean(v);
  }
  return err;
}

/**
 * Where an error raised while opening a postgres store loses the password it may quote (the
 * driver's message can hold the URL): its message, stack and parameters (the location and
 * detail of a StoreUnavailableError) are scrubbed in place. Other locations pass as they are.
 */
export function redactError<E>(err: E, url: string): E {
  return isPostgresUrl(url) ? cleanError(err, (text) => scrub(text, url)) : err;
}

/** The top-level catch's last guard: any postgres URL an error quotes loses its credentials. */
export function redactErrorUrls<E>(err: E): E {
  return cleanError(err, redactUrls);
}

/**
 * The time every use case stamps its writes with. CHORUS_ADMIN_NOW (an ISO 8601 instant) fixes
 * it, so that tests of validity dates and weekly digests do not depend on the day they run.
 */
export function now(): string {
  const fixed = process.env.CHORUS_ADMIN_NOW;
  return (fixed ? new Date(fixed) : new Date()).toISOString();
}

export const dayOf = (instant: string) => instant.slice(0, 10);

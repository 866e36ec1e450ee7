/**
 * Where the program's time comes from. The real clock is built once, in `src/cli.ts`; tests
 * inject their own. No option or environment variable moves it (SPEC 4).
 */
export interface Clock {
  now(): Date;
}

/** The day (AAAA-MM-JJ) of an ISO 8601 instant, for validity dates. */
export const dayOf = (instant: string) => instant.slice(0, 10);

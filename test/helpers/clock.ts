import type { Clock } from '../../src/domain/clock.js';

/**
 * The clock of the stores the tests open: the real time, unless a test sets an instant (then
 * every use case stamps its writes with it). Back to the real time before each test
 * (test/helpers/setup.ts).
 */
let instant: string | undefined;

export const testClock: Clock & { set(at: string): void; reset(): void } = {
  now: () => (instant === undefined ? new Date() : new Date(instant)),
  set(at: string) {
    instant = at;
  },
  reset() {
    instant = undefined;
  },
};

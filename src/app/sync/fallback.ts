/**
 * The streamed path gives up (app/sync/stream.ts): a login met again after other logins
 * ('order'), or a GP claim it cannot decide as the rows go ('principal'). The caller rolls the
 * transaction back and runs the staged path, which handles every file.
 */
export class StreamFallback extends Error {
  constructor(readonly why: 'order' | 'principal') {
    super(`streamed sync gave up: ${why}`);
  }
}

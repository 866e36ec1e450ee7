import cliProgress from 'cli-progress';
import type { Output } from './output.js';

/**
 * A progress bar on stderr, only when stderr is a terminal and not --quiet: scripts and logs
 * never receive its control sequences. Returns the update function and a `stop`.
 */
export function progressBar(
  out: Output,
  label: string,
): { update(done: number, total: number): void; stop(): void } {
  if (!out.io.stderr.isTTY || out.quiet) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: out.io.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total} Mo`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const mb = (n: number) => Math.round(n / 1e5) / 10;
  return {
    update(done, total) {
      if (!started) {
        bar.start(mb(total), 0);
        started = true;
      }
      bar.update(mb(done));
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

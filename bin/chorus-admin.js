#!/usr/bin/env node
// Runs the built program in this one process, batch commands included (issue 16): no child, so a
// killed program is the whole program, and nothing it started can commit after it.
//
// Memory: a batch run keeps some 45 MB alive at any time (the directory's maps, the digests, one
// chunk of accounts), but V8, sized for this machine's memory, lets the heap grow to several times
// that in garbage before it collects (340 MB of RSS on a million rows). Growing the heap by at
// most HEAP_GROWING_PERCENT over what a full collection leaves keeps it near what the run holds.
// The young generation, left alone, doubles its two semi-spaces up to 16 MB each (34 MB of RSS);
// it stops doubling at YOUNG_SEMI_SPACE_MB: 8 MB keeps what a scavenge costs (a million-row cold
// sync's CPU time within noise of 16 MB; 1 MB costs it half again) for 17 MB less.
// Of V8's heap options, these are read at each collection, so they take effect when set here;
// the size limits (--max-old-space-size, --max-semi-space-size) are fixed when the process
// starts, and only a second process could set them. docs/design.md, "Memory".
import v8 from 'node:v8';
import { PerformanceObserver } from 'node:perf_hooks';

const HEAP_GROWING_PERCENT = 20;
const YOUNG_SEMI_SPACE_MB = 8;
v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
// after a collection, once the young generation (two semi-spaces) is that large, it grows no more
const young = new PerformanceObserver(() => {
  const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  if ((space?.space_size ?? 0) < 2 * YOUNG_SEMI_SPACE_MB * 2 ** 20) return;
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  young.disconnect();
});
young.observe({ entryTypes: ['gc'] });

const { run, realIo } = await import('../dist/cli.js');
process.exitCode = await run(process.argv.slice(2), realIo());

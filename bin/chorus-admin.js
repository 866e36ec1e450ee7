#!/usr/bin/env node
// Runs the built program in this one process, batch commands included (issue 16): no child, so a
// killed program is the whole program, and nothing it started can commit after it.
//
// Memory: a batch run keeps some 45 MB alive at any time (the directory's maps, the digests, one
// chunk of accounts), but V8, sized for this machine's memory, lets the heap grow to several times
// that in garbage before it collects (340 MB of RSS on a million rows). Growing the heap by at
// most HEAP_GROWING_PERCENT over what a full collection leaves keeps it near what the run holds.
// Of V8's heap options, this one is read at each collection, so it takes effect when set here;
// the size limits (--max-old-space-size) are fixed when the process starts, and only a second
// process could set them. docs/design.md, "Memory".
import v8 from 'node:v8';

const HEAP_GROWING_PERCENT = 20;
v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);

const { run, realIo } = await import('../dist/cli.js');
process.exitCode = await run(process.argv.slice(2), realIo());

import type { Command } from 'commander';
import type { Io } from '../ui/io.js';

/** The io of each program `run` builds: its commands reach their process through it alone. */
const IO = new WeakMap<Command, Io>();

export function bindIo(program: Command, io: Io): void {
  IO.set(program, io);
}

export function ioOf(cmd: Command): Io {
  let root = cmd;
  while (root.parent) root = root.parent;
  const io = IO.get(root);
  if (!io) throw new Error(`command ${cmd.name()} is not part of a running program`);
  return io;
}

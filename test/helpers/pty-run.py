#!/usr/bin/env python3
"""Runs a command inside a pseudo-terminal and relays it through plain pipes.

    python3 pty-run.py COLS ROWS COMMAND [ARG...]

Bytes read on our stdin are written to the terminal (keystrokes); everything the command
writes to the terminal (its stdout and stderr alike) is copied to our stdout. When the
command ends, we exit with its exit code (128 + N when killed by signal N). Standard
library only, so it runs wherever python3 does (Linux and macOS).
"""

import errno
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios


def main() -> int:
    if len(sys.argv) < 4:
        sys.stderr.write("usage: pty-run.py COLS ROWS COMMAND [ARG...]\n")
        return 2
    cols, rows, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]

    # pty.fork(): the child gets a new session with the terminal as its controlling
    # terminal, and the terminal as stdin, stdout and stderr.
    pid, master = pty.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        except OSError as err:
            os.write(2, f"pty-run: cannot run {argv[0]}: {err}\n".encode())
        os._exit(127)

    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    # our own death (the test's timeout) must not leave the command behind: closing the
    # master sends it SIGHUP
    signal.signal(signal.SIGTERM, lambda *_: (os.close(master), os._exit(143)))

    stdin_open = True
    while True:
        watched = [master] + ([0] if stdin_open else [])
        try:
            ready, _, _ = select.select(watched, [], [])
        except InterruptedError:
            continue
        if 0 in ready:
            data = os.read(0, 4096)
            if data:
                os.write(master, data)
            else:
                stdin_open = False
        if master in ready:
            try:
                data = os.read(master, 4096)
            except OSError as err:
                if err.errno != errno.EIO:  # EIO: the command closed the terminal (Linux)
                    raise
                data = b""
            if not data:
                break
            os.write(1, data)

    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main())

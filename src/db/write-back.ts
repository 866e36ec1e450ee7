// A first load's syncs of the store's file while its thread writes it (sqlite-thread.ts).

/** Rows the thread writes between two syncs of the store's file under way (`writeBack`). */
export const WRITE_BACK = 100_000;

/**
 * The store's file sent to the disk as the load writes it, not all at its commit. With a
 * rollback journal the load's pages go straight into the file, where they wait in the system's
 * cache; the commit's sync then wrote some 800 MB at once, 1.3 s of a million-row cold sync in
 * which nothing else could run. A `fdatasync` of the file every `every` rows written, on
 * the pool's thread (not waited for), leaves the commit a tenth of that. Safe at any time: the
 * system may write those pages whenever it likes, and SQLite's journal is made to outlast that.
 *
 * On a descriptor of its own, opened with the connection and closed only after it: closing a
 * descriptor of a file drops every POSIX lock the process holds on that file, SQLite's too.
 * When the connection has closed, the load's process holds no other (store.ts: a store has
 * one connection, moved into this thread for the load). A failure is ignored: the commit's own
 * sync is the one that counts (Windows, for one, syncs no file opened to read).
 *
 * Self-contained (its text is the thread's code too, sqlite-thread.ts): `fs` is the thread's.
 */
export function writeBack(fs: typeof import('node:fs'), every: number) {
  let fd = -1;
  let rows = 0;
  let syncing = false;
  return {
    open(file: string) {
      try {
        fd = fs.openSync(file, 'r');
      } catch {
        fd = -1; // a load without it, its commit slower
      }
    },
    wrote(n: number) {
      rows += n;
      if (fd < 0 || syncing || rows < every) return;
      rows = 0;
      syncing = true;
      fs.fdatasync(fd, () => void (syncing = false));
    },
    /**
     * After the connection's close, before the program is answered: the thread's exit would
     * close it too, but later, once the program may have opened the store again (and its locks
     * would go). A sync under way keeps its own hold of the file.
     */
    close() {
      if (fd >= 0) fs.closeSync(fd);
      fd = -1;
    },
  };
}

import { Hash64 } from '../../domain/hash64.js';
import type { Db } from '../../db/schema.js';
import * as sync from '../../db/sync.repository.js';

/**
 * The logins a first load has to look up in the store: those of the accounts the store held when
 * the run began, and those the run has met since (an account it creates is one of them). A login
 * not in the set is in no account, so its read would find nothing and is not made: a cold run of
 * 800,000 accounts makes none of its 3,200 reads of 250 logins. Each login is kept as its 64-bit
 * digest in an open-addressing table (about 11 bytes a login); two logins that share one only
 * cost the other one a read, as before. With 32 bits, a million-row load met some 80 such pairs:
 * each read waits for the load's thread to write every row posted before it (86 reads, 0.7 s).
 */
export class LoginSet {
  /** Two words a slot: the digest's halves, the first never 0 (0: an empty slot). */
  private slots: Uint32Array;
  private used = 0;
  private readonly hash = new Hash64();

  /** `expected`: about how many logins are coming (sized once, doubled only past it). */
  constructor(expected: number) {
    this.slots = new Uint32Array(2 * Math.max(1024, Math.ceil(expected / 0.7)));
  }

  has(login: string): boolean {
    const [a, b] = this.key(login);
    return this.slots[this.find(a, b)] !== 0;
  }

  /** Adds the login; whether it was in the set already (one hash for both). */
  add(login: string): boolean {
    const [a, b] = this.key(login);
    const at = this.find(a, b);
    if (this.slots[at] !== 0) return true;
    this.slots[at] = a;
    this.slots[at + 1] = b;
    if (++this.used > (this.slots.length / 2) * 0.7) this.grow();
    return false;
  }

  /** The login's digest, its first half never 0 (an empty slot). */
  private key(login: string): [number, number] {
    const [a, b] = this.hash.reset().update(login).halves();
    return [a === 0 ? 1 : a, b];
  }

  /** The slot of the key, or the empty slot where it would go (probing from its scaled position). */
  private find(a: number, b: number): number {
    const n = this.slots.length / 2;
    for (let i = Math.floor((a * n) / 0x100000000); ; i = i + 1 === n ? 0 : i + 1) {
      const x = this.slots[2 * i]!;
      if (x === 0 || (x === a && this.slots[2 * i + 1] === b)) return 2 * i;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2)
      if (old[i] !== 0) {
        const at = this.find(old[i]!, old[i + 1]!);
        this.slots[at] = old[i]!;
        this.slots[at + 1] = old[i + 1]!;
      }
  }
}

/**
 * For a first load — a file of more than twice the rows the store has accounts (`maxId`, the
 * highest account id) — the store's logins in a `LoginSet` sized for the file's `lines` too;
 * null otherwise: a store of many accounts is read a chunk at a time, as most of the file names
 * them. Read inside the run's transaction, after its locks: no other command adds an account
 * until it ends.
 */
export async function knownLogins(db: Db, maxId: number, lines: number): Promise<LoginSet | null> {
  if (2 * maxId >= lines) return null;
  const set = new LoginSet(maxId + lines);
  await sync.eachLogin(db, (login) => void set.add(login));
  return set;
}

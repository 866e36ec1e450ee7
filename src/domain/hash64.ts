/**
 * A fast 64-bit string hash (two independent 32-bit FNV-1a lanes over UTF-16 code units) and an
 * index of accounts by login hash. Not cryptographic: the MADRHAS sync uses it to tell an
 * account's rows unchanged since the last run (compared per account, so a false match has odds
 * of 2⁻⁶⁴). A million accounts cost some 20 MB of typed array instead of 100 MB of objects.
 */

/** 16 hexadecimal digits. */
export function hash64(text: string): string {
  return new Hash64().update(text).hex();
}

/** hash64 of texts joined by `separator`, without building the joined text. */
export class Hash64 {
  private a = 0x811c9dc5;
  private b = 0x050c5d1f;

  update(text: string): this {
    let { a, b } = this;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
    return this;
  }

  /** The two 32-bit halves of the digest (as hash64 would give them for the same text). */
  halves(): [number, number] {
    let { a, b } = this;
    a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    a ^= a >>> 13;
    b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35);
    b ^= b >>> 16;
    return [a >>> 0, b >>> 0];
  }

  hex(): string {
    const [a, b] = this.halves();
    return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  }
}

/**
 * Login → (account id, digest) for every account that has a digest, in one typed array (20 bytes
 * a slot, 20 to 40 MB for a million accounts, none of it for the collector to walk). Keys are
 * the login's hash64; two logins of one hash make that key ambiguous (`match` then answers null
 * and the caller asks the store).
 */
export class DigestIndex {
  private static readonly STRIDE = 5; // hash a, hash b, account id, digest a, digest b
  private static readonly AMBIGUOUS = 0xffffffff;
  private slots: Uint32Array;
  private used = 0;

  /** `expected`: about how many entries are coming (sized once, not doubled on the way). */
  constructor(expected = 0) {
    let n = 1024;
    while (n * 0.8 < expected) n *= 2;
    this.slots = new Uint32Array(DigestIndex.STRIDE * n);
  }

  private get capacity(): number {
    return this.slots.length / DigestIndex.STRIDE;
  }

  set(login: string, accountId: number, digestHex: string): void {
    const [a, b] = key(login);
    const i = this.find(a, b);
    const at = DigestIndex.STRIDE * i;
    if (this.slots[at] !== 0 || this.slots[at + 1] !== 0) {
      this.slots[at + 2] = DigestIndex.AMBIGUOUS;
      return;
    }
    this.slots.set([a, b, accountId, ...fromHex(digestHex)], at);
    if (++this.used > this.capacity * 0.8) this.grow();
  }

  /** The account id when this login's recorded digest is `digest`; null otherwise (or when ambiguous). */
  match(login: string, digest: [number, number]): number | null {
    const [a, b] = key(login);
    const at = DigestIndex.STRIDE * this.find(a, b);
    const id = this.slots[at + 2]!;
    if ((this.slots[at] === 0 && this.slots[at + 1] === 0) || id === DigestIndex.AMBIGUOUS) return null;
    return this.slots[at + 3] === digest[0] && this.slots[at + 4] === digest[1] ? id : null;
  }

  private find(a: number, b: number): number {
    const n = this.capacity;
    for (let i = a & (n - 1); ; i = (i + 1) & (n - 1)) {
      const x = this.slots[DigestIndex.STRIDE * i]!;
      const y = this.slots[DigestIndex.STRIDE * i + 1]!;
      if ((x === 0 && y === 0) || (x === a && y === b)) return i;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (let at = 0; at < old.length; at += DigestIndex.STRIDE) {
      if (old[at] === 0 && old[at + 1] === 0) continue;
      this.slots.set(old.subarray(at, at + DigestIndex.STRIDE), DigestIndex.STRIDE * this.find(old[at]!, old[at + 1]!));
    }
  }
}

/** A login's hash halves, never (0, 0): that marks an empty slot. */
function key(login: string): [number, number] {
  const [a, b] = new Hash64().update(login).halves();
  return a === 0 && b === 0 ? [0, 1] : [a, b];
}

export function fromHex(hex: string): [number, number] {
  return [parseInt(hex.slice(0, 8), 16) >>> 0, parseInt(hex.slice(8, 16), 16) >>> 0];
}

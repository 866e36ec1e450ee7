/**
 * A fast 64-bit digest: two 32-bit lanes of MurmurHash3-style mixing with different constants,
 * over 32-bit words (bytes four at a time, or UTF-16 code units). Not cryptographic: the MADRHAS
 * sync uses it to tell an account's rows unchanged since the last run, and looks accounts up by
 * it: a run of 800,000 accounts against as many digests has odds of about 1 in 30 million of
 * meeting one false match (and the account it falsely names, when listed, sends the run to the
 * staged path). A million digests cost some 25 MB of typed array instead of 100 MB of objects.
 */

const A1 = 0xcc9e2d51;
const A2 = 0x1b873593;
const B1 = 0x85ebca77;
const B2 = 0xc2b2ae3d;

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

/** 16 hexadecimal digits. */
export function hash64(text: string): string {
  return new Hash64().update(text).hex();
}

export class Hash64 {
  a = 0x9747b28c;
  b = 0x3c6ef372;
  private n = 0;

  /** Back to the empty digest's state, to digest something else with the same object. */
  reset(): this {
    this.a = 0x9747b28c;
    this.b = 0x3c6ef372;
    this.n = 0;
    return this;
  }

  /** Another digest in the same state, to go on from. */
  copy(): Hash64 {
    const h = new Hash64();
    h.a = this.a;
    h.b = this.b;
    h.n = this.n;
    return h;
  }

  /** Mixes one 32-bit word into both lanes. */
  word(w: number): this {
    this.a = rotl(this.a ^ Math.imul(rotl(Math.imul(w, A1), 15), A2), 13);
    this.a = (Math.imul(this.a, 5) + 0xe6546b64) | 0;
    this.b = rotl(this.b ^ Math.imul(rotl(Math.imul(w, B1), 17), B2), 11);
    this.b = (Math.imul(this.b, 9) + 0x7f4a7c15) | 0;
    this.n++;
    return this;
  }

  /** The text's UTF-16 code units, then its length (so that pieces fed one after another stay apart). */
  update(text: string): this {
    for (let i = 0; i < text.length; i++) this.word(text.charCodeAt(i));
    return this.word(text.length | 0x80000000);
  }

  /** Bytes `start` to `end` of `buf`, four at a time, then their count. */
  bytes(buf: Uint8Array, start: number, end: number): this {
    let { a, b } = this;
    let i = start;
    for (; i + 4 <= end; i += 4) {
      const w = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
      a = rotl(a ^ Math.imul(rotl(Math.imul(w, A1), 15), A2), 13);
      a = (Math.imul(a, 5) + 0xe6546b64) | 0;
      b = rotl(b ^ Math.imul(rotl(Math.imul(w, B1), 17), B2), 11);
      b = (Math.imul(b, 9) + 0x7f4a7c15) | 0;
    }
    let w = 0;
    for (let k = 0; i < end; i++, k += 8) w |= buf[i]! << k;
    this.a = a;
    this.b = b;
    this.n += (end - start) >> 2;
    return this.word(w).word((end - start) | 0x40000000);
  }

  /** The two 32-bit halves of the digest. */
  halves(): [number, number] {
    return [fmix(this.a ^ this.n), fmix(this.b ^ Math.imul(this.n, 0x9e3779b1))];
  }

  /**
   * 16 lower-case hexadecimal digits, a digit's char code at a time: a million-row cold sync
   * writes 800,000 of them, and `toString(16)` (V8's generic radix conversion) took 0.9 µs each
   * against 0.06 µs so (a micro-benchmark of 2,000,000).
   */
  hex(): string {
    const [a, b] = this.halves();
    const d = DIGITS;
    return String.fromCharCode(
      d[a >>> 28]!,
      d[(a >>> 24) & 15]!,
      d[(a >>> 20) & 15]!,
      d[(a >>> 16) & 15]!,
      d[(a >>> 12) & 15]!,
      d[(a >>> 8) & 15]!,
      d[(a >>> 4) & 15]!,
      d[a & 15]!,
      d[b >>> 28]!,
      d[(b >>> 24) & 15]!,
      d[(b >>> 20) & 15]!,
      d[(b >>> 16) & 15]!,
      d[(b >>> 12) & 15]!,
      d[(b >>> 8) & 15]!,
      d[(b >>> 4) & 15]!,
      d[b & 15]!,
    );
  }
}

/** The char codes of the 16 hexadecimal digits, lower case. */
const DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Digest → account id, for every account that has one, in one typed array (12 bytes a slot, a
 * slot for every 0.7 entry: 14 MB for 800,000 accounts, none of it for the collector to walk; a
 * power of two would have been 25 MB there). The digest covers
 * the account's rows, login included, so it names its account; two accounts of one digest make
 * it ambiguous (`find` then answers null: the account is planned again).
 */
export class DigestIndex {
  private static readonly STRIDE = 3; // digest a, digest b, account id (bit 31: fresh)
  private static readonly FRESH = 0x80000000;
  private static readonly AMBIGUOUS = 0x7fffffff;
  private slots: Uint32Array;
  private used = 0;

  /** `expected`: about how many entries are coming (sized once, not doubled on the way). */
  constructor(expected = 0) {
    const n = Math.max(1024, Math.ceil(expected / 0.7));
    this.slots = new Uint32Array(DigestIndex.STRIDE * n);
  }

  private get capacity(): number {
    return this.slots.length / DigestIndex.STRIDE;
  }

  /**
   * `fresh`: recorded against the directory as it is now (no need to check it again). The digest's
   * 16 hexadecimal digits stand at `from` in `digestHex` (a larger text read in place).
   */
  set(digestHex: string, accountId: number, fresh = false, from = 0): void {
    this.put(hexWord(digestHex, from), hexWord(digestHex, from + 8), accountId, fresh);
  }

  /** `set`, the digest given by its two halves (`fromHex`). */
  put(digestA: number, digestB: number, accountId: number, fresh = false): void {
    const a = digestA;
    const b = keyB(a, digestB);
    const at = DigestIndex.STRIDE * this.find(a, b);
    if (this.slots[at] !== 0 || this.slots[at + 1] !== 0) {
      this.slots[at + 2] = DigestIndex.AMBIGUOUS;
      return;
    }
    this.slots[at] = a;
    this.slots[at + 1] = b;
    this.slots[at + 2] = fresh ? (accountId | DigestIndex.FRESH) >>> 0 : accountId;
    if (++this.used > this.capacity * 0.7) this.grow();
  }

  /** The account whose recorded digest is (a, b): its id, negated when fresh; 0 when none (or ambiguous). */
  get(digestA: number, digestB: number): number {
    const a = digestA;
    const b = keyB(a, digestB);
    const at = DigestIndex.STRIDE * this.find(a, b);
    const v = this.slots[at + 2]!;
    if ((this.slots[at] === 0 && this.slots[at + 1] === 0) || v === DigestIndex.AMBIGUOUS) return 0;
    return v >= DigestIndex.FRESH ? -(v - DigestIndex.FRESH) : v;
  }

  /**
   * The slot of key (a, b), or the empty slot where it would go: probing from the slot that
   * scales the key's 32 bits to the capacity (any capacity, not only a power of two).
   */
  private find(a: number, b: number): number {
    const n = this.capacity;
    for (let i = Math.floor((((a ^ b) >>> 0) * n) / 0x100000000); ; i = i + 1 === n ? 0 : i + 1) {
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
      this.slots.set(
        old.subarray(at, at + DigestIndex.STRIDE),
        DigestIndex.STRIDE * this.find(old[at]!, old[at + 1]!),
      );
    }
  }
}

/** A digest as a key, never (0, 0): that marks an empty slot (its second half, given the first). */
const keyB = (a: number, b: number): number => (a === 0 && b === 0 ? 1 : b);

/** The two halves of a digest's 16 hexadecimal digits from `at` (what follows them is ignored). */
export function fromHex(hex: string, at = 0): [number, number] {
  return [hexWord(hex, at), hexWord(hex, at + 8)];
}

/** Each hexadecimal digit's value, by character code (0 for any other character). */
const HEX = new Uint8Array(128);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/**
 * Eight hexadecimal digits from `at`, as an unsigned 32-bit number: a table and shifts, five times
 * faster than a loop that multiplies (800,000 digests a run read from the store).
 */
export function hexWord(hex: string, at: number): number {
  return (
    ((HEX[hex.charCodeAt(at)]! << 28) |
      (HEX[hex.charCodeAt(at + 1)]! << 24) |
      (HEX[hex.charCodeAt(at + 2)]! << 20) |
      (HEX[hex.charCodeAt(at + 3)]! << 16) |
      (HEX[hex.charCodeAt(at + 4)]! << 12) |
      (HEX[hex.charCodeAt(at + 5)]! << 8) |
      (HEX[hex.charCodeAt(at + 6)]! << 4) |
      HEX[hex.charCodeAt(at + 7)]!) >>>
    0
  );
}

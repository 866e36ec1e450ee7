import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChainVerifier,
  GENESIS_HASH,
  chain,
  entryHash,
  isBefore,
  notBefore,
  parseAnchors,
  RunDigest,
  type AuditFields,
  type RowEncoding,
  type Break,
  type ChainedEntry,
} from '../../src/domain/audit-chain.js';

type Fields = Omit<AuditFields, 'seq'>;
type Head = { seq: number; hash: string };

const GENESIS: Head = { seq: 0, hash: GENESIS_HASH };

const fieldsArb: fc.Arbitrary<Fields> = fc.record({
  at: fc
    .date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  actor: fc.constantFrom(
    'corr@dgfip.finances.gouv.fr',
    'jean.dupont@mairie-bordeaux.fr',
    'élodie@x.fr',
  ),
  action: fc.constantFrom(
    'account.create',
    'account.edit',
    'account.deactivate',
    'sync.madrhas',
    'audit.read',
  ),
  target: fc.string({ maxLength: 30 }),
  outcome: fc.constantFrom('OK' as const, 'REFUSED' as const),
  changes: fc.option(fc.json({ maxDepth: 2 }), { nil: null }),
  runId: fc.option(fc.nat({ max: 1000 }), { nil: null }),
});

/** A log as the appender writes it: times never go backwards (an earlier one is clamped, see notBefore). */
const byTime = (fs: Fields[]) => [...fs].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
const logArb = (minLength = 1) => fc.array(fieldsArb, { minLength, maxLength: 12 }).map(byTime);

/** A forged entry dated after any of a log's: only its place or its links can give it away. */
const laterArb: fc.Arbitrary<Fields> = fieldsArb.map((f) => ({
  ...f,
  at: f.at.replace(/^20(2|3)/, '21$1'),
}));

/** A log and the index (0-based) of one of its entries. */
const logAndIndex = (minLength = 1) =>
  logArb(minLength).chain((fs) =>
    fc.tuple(fc.constant(fs), fc.integer({ min: 0, max: fs.length - 1 })),
  );

const build = (fs: Fields[]) => chain(GENESIS, byTime(fs));
const headOf = (entries: ChainedEntry[]): Head => {
  const last = entries.at(-1);
  return last ? { seq: last.seq, hash: last.hash } : GENESIS;
};

function verify(entries: ChainedEntry[], head: Head): { broken: Break | null; count: number } {
  const v = new ChainVerifier();
  for (const e of entries) v.next(e);
  return { broken: v.end(head), count: v.count };
}

const CONTENT_FIELDS = ['at', 'actor', 'action', 'target', 'outcome', 'changes', 'runId'] as const;
type ContentField = (typeof CONTENT_FIELDS)[number];

/** A value for `field` that surely differs from the entry's. */
function altered(e: ChainedEntry, field: ContentField | 'prevHash' | 'hash'): ChainedEntry {
  const flipHex = (h: string) => (h[0] === '0' ? '1' : '0') + h.slice(1);
  switch (field) {
    case 'outcome':
      return { ...e, outcome: e.outcome === 'OK' ? 'REFUSED' : 'OK' };
    case 'changes':
      return { ...e, changes: e.changes === null ? '{}' : e.changes + ' ' };
    case 'runId':
      return { ...e, runId: e.runId === null ? 0 : e.runId + 1 };
    case 'prevHash':
    case 'hash':
      return { ...e, [field]: flipHex(e[field]) };
    default:
      return { ...e, [field]: e[field] + 'x' };
  }
}

/** The attacker rewrites an entry and recomputes its own hash. */
const rehashed = (e: ChainedEntry): ChainedEntry => ({ ...e, hash: entryHash(e, e.prevHash) });

/** The attacker rewrites every entry from `from` on so that each one links to the one before. */
function relinkFrom(entries: ChainedEntry[], from: number): ChainedEntry[] {
  const out = entries.slice(0, from);
  let prev = from === 0 ? GENESIS_HASH : out[from - 1]!.hash;
  for (const e of entries.slice(from)) {
    const r = { ...e, prevHash: prev, hash: entryHash(e, prev) };
    out.push(r);
    prev = r.hash;
  }
  return out;
}

describe('entryHash', () => {
  const fields: AuditFields = {
    seq: 1,
    at: '2024-06-15T08:00:00.000Z',
    actor: 'corr@dgfip.finances.gouv.fr',
    action: 'account.create',
    target: 'jean@x.fr',
    outcome: 'OK',
    changes: '{"email":"jean@x.fr"}',
    runId: null,
  };

  it('is a SHA-256 in lower-case hex, the same for the same input', () => {
    const h = entryHash(fields, GENESIS_HASH);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash({ ...fields }, GENESIS_HASH)).toBe(h);
  });

  it('covers every field, the previous hash, and the JSON text of changes as stored', () => {
    const h = entryHash(fields, GENESIS_HASH);
    expect(entryHash({ ...fields, seq: 2 }, GENESIS_HASH)).not.toBe(h);
    expect(entryHash({ ...fields, changes: '{"email": "jean@x.fr"}' }, GENESIS_HASH)).not.toBe(h);
    expect(entryHash({ ...fields, runId: 0 }, GENESIS_HASH)).not.toBe(h);
    expect(entryHash(fields, '1'.repeat(64))).not.toBe(h);
    fc.assert(
      fc.property(fieldsArb, fc.constantFrom(...CONTENT_FIELDS), (f, field) => {
        const e = { ...f, seq: 1, prevHash: GENESIS_HASH, hash: '' };
        expect(entryHash(altered(e, field), GENESIS_HASH)).not.toBe(entryHash(e, GENESIS_HASH));
      }),
    );
  });

  it('does not confuse values moved from one field to the next', () => {
    const a = entryHash({ ...fields, actor: 'a', action: 'b,c' }, GENESIS_HASH);
    const b = entryHash({ ...fields, actor: 'a,b', action: 'c' }, GENESIS_HASH);
    expect(a).not.toBe(b);
  });
});

describe('chain', () => {
  it('numbers entries from 1 and links each to the one before, the first to the genesis hash', () => {
    fc.assert(
      fc.property(logArb(0), (fs) => {
        const entries = build(fs);
        expect(entries.map((e) => e.seq)).toEqual(fs.map((_, i) => i + 1));
        entries.forEach((e, i) => {
          const { seq: _seq, prevHash, hash, ...rest } = e;
          // no reason is stored as a null one
          expect(rest).toEqual({ ...fs[i], reason: fs[i]!.reason ?? null });
          expect(prevHash).toBe(i === 0 ? GENESIS_HASH : entries[i - 1]!.hash);
          expect(hash).toBe(entryHash(e, prevHash));
        });
      }),
    );
  });

  it('hashes the reason only when there is one: the entries written before it keep their hash', () => {
    const fields = {
      seq: 1,
      at: '2026-03-11T10:00:00.000Z',
      actor: 'a@x.fr',
      action: 'account.edit',
      target: 'account:b@x.fr',
      outcome: 'OK' as const,
      changes: null,
      runId: null,
    };
    // the hash as issue 17 found it: the fields, then the previous hash
    const before = crypto
      .createHash('sha256')
      .update(
        JSON.stringify([
          1,
          fields.at,
          fields.actor,
          fields.action,
          fields.target,
          'OK',
          null,
          null,
          GENESIS_HASH,
        ]),
      )
      .digest('hex');
    expect(entryHash(fields, GENESIS_HASH)).toBe(before);
    expect(entryHash({ ...fields, reason: null }, GENESIS_HASH)).toBe(before);
    const given = entryHash({ ...fields, reason: 'Ticket 12' }, GENESIS_HASH);
    expect(given).not.toBe(before);
    expect(entryHash({ ...fields, reason: 'Ticket 13' }, GENESIS_HASH)).not.toBe(given);
  });

  it('continues from a head exactly as if the whole log had been chained at once', () => {
    fc.assert(
      fc.property(logArb(0), logArb(0), (a, b) => {
        // b's times may be earlier than a's: continuing from the head's time clamps them as one run would
        const first = chain(GENESIS, a);
        const head = { ...headOf(first), at: first.at(-1)?.at ?? null };
        expect([...first, ...chain(head, b)]).toEqual(chain(GENESIS, [...a, ...b]));
      }),
    );
  });

  it('returns nothing for no fields', () => {
    expect(chain({ seq: 7, hash: 'f'.repeat(64) }, [])).toEqual([]);
  });
});

describe('ChainVerifier', () => {
  it('finds a chain built by chain() intact, and counts its entries', () => {
    fc.assert(
      fc.property(logArb(0), (fs) => {
        const entries = build(fs);
        expect(verify(entries, headOf(entries))).toEqual({ broken: null, count: fs.length });
      }),
    );
  });

  it('finds an empty log with the genesis head intact', () => {
    expect(verify([], GENESIS)).toEqual({ broken: null, count: 0 });
  });

  describe('an altered entry', () => {
    it('is named, whatever field was changed, when its hash was left as it was', () => {
      fc.assert(
        fc.property(
          logAndIndex(),
          fc.constantFrom(...CONTENT_FIELDS, 'prevHash' as const, 'hash' as const),
          ([fs, i], field) => {
            const entries = build(fs);
            const head = headOf(entries);
            entries[i] = altered(entries[i]!, field);
            expect(verify(entries, head).broken).toEqual({ kind: 'altered', seq: i + 1 });
          },
        ),
      );
    });

    it('is named when the attacker re-hashed it (the next link, or the head, gives it away)', () => {
      fc.assert(
        fc.property(logAndIndex(), fc.constantFrom(...CONTENT_FIELDS), ([fs, i], field) => {
          const entries = build(fs);
          const head = headOf(entries);
          entries[i] = rehashed(altered(entries[i]!, field));
          expect(verify(entries, head).broken).toEqual({ kind: 'altered', seq: i + 1 });
        }),
      );
    });

    it('in the middle of a log, is found at the next link when re-hashed', () => {
      const entries = build(fc.sample(fieldsArb, { numRuns: 5, seed: 42 }));
      const head = headOf(entries);
      entries[2] = rehashed({ ...entries[2]!, target: 'someone-else@x.fr' });
      expect(verify(entries, head).broken).toEqual({ kind: 'altered', seq: 3 });
    });

    it('with a re-written prevHash and a re-computed hash looks like the entry before it re-written', () => {
      // both tamperings leave the same trace: a consistent entry that does not link to the one before
      fc.assert(
        fc.property(logAndIndex(), ([fs, i]) => {
          const entries = build(fs);
          const head = headOf(entries);
          entries[i] = rehashed(altered(entries[i]!, 'prevHash'));
          expect(verify(entries, head).broken).toEqual({ kind: 'altered', seq: Math.max(i, 1) });
        }),
      );
    });

    it('keeps the first break found and still counts every entry', () => {
      const entries = build(fc.sample(fieldsArb, { numRuns: 8, seed: 7 }));
      const head = headOf(entries);
      entries[1] = altered(entries[1]!, 'actor');
      const tampered = entries.filter((e) => e.seq !== 5);
      expect(verify(tampered, head)).toEqual({ broken: { kind: 'altered', seq: 2 }, count: 7 });
    });
  });

  describe('a removed entry', () => {
    it('in the middle (or the first) is named by its seq', () => {
      fc.assert(
        fc.property(logAndIndex(2), ([fs, i]) => {
          fc.pre(i < fs.length - 1);
          const entries = build(fs);
          const head = headOf(entries);
          const removed = entries.filter((_, j) => j !== i);
          expect(verify(removed, head).broken).toEqual({ kind: 'removed', seq: i + 1 });
        }),
      );
    });

    it('of a run of entries in the middle, the first of the run is named', () => {
      fc.assert(
        fc.property(
          logArb(3).chain((fs) =>
            fc
              .tuple(fc.constant(fs), fc.integer({ min: 0, max: fs.length - 2 }))
              .chain(([fs2, from]) =>
                fc.tuple(
                  fc.constant(fs2),
                  fc.constant(from),
                  fc.integer({ min: from + 1, max: fs2.length - 1 }),
                ),
              ),
          ),
          ([fs, from, to]) => {
            const entries = build(fs);
            const head = headOf(entries);
            const removed = [...entries.slice(0, from), ...entries.slice(to)];
            expect(verify(removed, head).broken).toEqual({ kind: 'removed', seq: from + 1 });
          },
        ),
      );
    });

    it('among the newest is caught against the head, naming the first one missing', () => {
      fc.assert(
        fc.property(logAndIndex(), ([fs, keep]) => {
          const entries = build(fs);
          const head = headOf(entries);
          expect(verify(entries.slice(0, keep), head).broken).toEqual({
            kind: 'removed',
            seq: keep + 1,
          });
        }),
      );
    });

    it('all entries removed is caught against the head', () => {
      const entries = build(fc.sample(fieldsArb, { numRuns: 3, seed: 1 }));
      expect(verify([], headOf(entries)).broken).toEqual({ kind: 'removed', seq: 1 });
    });

    it('with the later entries re-numbered is caught as altered at the first re-numbered one', () => {
      fc.assert(
        fc.property(logAndIndex(2), ([fs, i]) => {
          fc.pre(i < fs.length - 1);
          const entries = build(fs);
          const head = headOf(entries);
          const renumbered = entries
            .filter((_, j) => j !== i)
            .map((e, j) => ({ ...e, seq: j + 1 }));
          expect(verify(renumbered, head).broken).toEqual({ kind: 'altered', seq: i + 1 });
        }),
      );
    });

    it('an entry whose seq was pushed past the end, read in seq order, leaves a gap at its old seq', () => {
      const entries = build(fc.sample(fieldsArb, { numRuns: 5, seed: 3 }));
      const head = headOf(entries);
      const moved = [...entries.filter((e) => e.seq !== 2), { ...entries[1]!, seq: 9 }];
      expect(verify(moved, head).broken).toEqual({ kind: 'removed', seq: 2 });
    });
  });

  describe('an inserted entry', () => {
    it('appended past the head, even correctly chained, is named', () => {
      fc.assert(
        fc.property(logArb(0), laterArb, (fs, extra) => {
          const entries = build(fs);
          const head = headOf(entries);
          const forged = [...entries, ...chain(head, [extra])];
          expect(verify(forged, head).broken).toEqual({ kind: 'inserted', seq: fs.length + 1 });
        }),
      );
    });

    it('sharing the seq of an existing entry is named by that seq, before or after it', () => {
      fc.assert(
        fc.property(logAndIndex(), laterArb, fc.boolean(), ([fs, i], extra, before) => {
          const entries = build(fs);
          const head = headOf(entries);
          // a forged entry that links correctly to the entry before position i
          const [forged] = chain({ seq: i, hash: i === 0 ? GENESIS_HASH : entries[i - 1]!.hash }, [
            extra,
          ]);
          const at = before ? i : i + 1;
          const tampered = [...entries.slice(0, at), forged!, ...entries.slice(at)];
          expect(verify(tampered, head).broken).toEqual({ kind: 'inserted', seq: i + 1 });
        }),
      );
    });

    it('with the later entries re-numbered is caught at the first one re-numbered', () => {
      fc.assert(
        fc.property(logAndIndex(), laterArb, ([fs, i], extra) => {
          const entries = build(fs);
          const head = headOf(entries);
          const [forged] = chain({ seq: i, hash: i === 0 ? GENESIS_HASH : entries[i - 1]!.hash }, [
            extra,
          ]);
          const shifted = entries.slice(i).map((e) => ({ ...e, seq: e.seq + 1 }));
          const tampered = [...entries.slice(0, i), forged!, ...shifted];
          expect(verify(tampered, head).broken).toEqual({ kind: 'altered', seq: i + 2 });
        }),
      );
    });

    it('with every later entry re-numbered and re-hashed is caught against the head', () => {
      fc.assert(
        fc.property(logAndIndex(), laterArb, ([fs, i], extra) => {
          const entries = build(fs);
          const head = headOf(entries);
          const forged = build([...fs.slice(0, i), extra, ...fs.slice(i)]);
          expect(verify(forged, head).broken).toEqual({ kind: 'inserted', seq: fs.length + 1 });
        }),
      );
    });
  });

  describe('the head', () => {
    it('a head hash that does not match the last entry is named at the last seq', () => {
      fc.assert(
        fc.property(
          logArb(),
          fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
          (fs, hash) => {
            const entries = build(fs);
            fc.pre(hash !== headOf(entries).hash);
            expect(verify(entries, { seq: fs.length, hash }).broken).toEqual({
              kind: 'altered',
              seq: fs.length,
            });
          },
        ),
      );
    });

    it('a log re-written from one entry on, every link re-computed, is caught by the head alone', () => {
      fc.assert(
        fc.property(logAndIndex(), fc.constantFrom(...CONTENT_FIELDS), ([fs, i], field) => {
          const entries = build(fs);
          const head = headOf(entries);
          const tampered = [...entries];
          tampered[i] = altered(tampered[i]!, field);
          const rewritten = relinkFrom(tampered, i);
          // a rewritten time that lands before its predecessor's is seen for that alone
          const back = rewritten.findIndex((e, k) => k > 0 && isBefore(e.at, rewritten[k - 1]!.at));
          const expected =
            back < 0 ? { kind: 'altered', seq: fs.length } : { kind: 'backwards', seq: back + 1 };
          expect(verify(rewritten, headOf(rewritten)).broken).toEqual(
            back < 0 ? null : { kind: 'backwards', seq: back + 1 },
          );
          expect(verify(rewritten, head).broken).toEqual(expected);
        }),
      );
    });

    it('a head behind the log names the first entry past it', () => {
      const entries = build(fc.sample(fieldsArb, { numRuns: 4, seed: 9 }));
      expect(verify(entries, { seq: 2, hash: entries[1]!.hash }).broken).toEqual({
        kind: 'inserted',
        seq: 3,
      });
      expect(verify(entries, GENESIS).broken).toEqual({ kind: 'inserted', seq: 1 });
    });
  });
});

describe('times never go backwards (notBefore)', () => {
  it('stamps an entry earlier than the previous one with the previous time, and keeps later ones', () => {
    expect(notBefore('2025-06-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    expect(notBefore('2026-02-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')).toBe(
      '2026-02-01T00:00:00.000Z',
    );
    expect(notBefore('2025-06-01T00:00:00.000Z', null)).toBe('2025-06-01T00:00:00.000Z');
  });

  it('chain() never lets a time go backwards, from the head on, whatever the times given', () => {
    fc.assert(
      fc.property(
        fc.array(fieldsArb, { maxLength: 12 }),
        fc.option(
          fieldsArb.map((f) => f.at),
          { nil: null },
        ),
        (fs, headAt) => {
          const entries = chain({ seq: 3, hash: GENESIS_HASH, at: headAt }, fs);
          let previous = headAt;
          entries.forEach((e, k) => {
            // each keeps its own time unless that would go back; then it takes the one before
            const own = fs[k]!.at;
            expect(e.at).toBe(previous !== null && isBefore(own, previous) ? previous : own);
            previous = e.at;
          });
          // and the verifier finds such a chain intact
          const v = new ChainVerifier();
          const fromGenesis = chain(GENESIS, fs);
          for (const e of fromGenesis) v.next(e);
          expect(v.end(headOf(fromGenesis))).toBeNull();
        },
      ),
    );
  });
});

describe('ChainVerifier: a time that goes backwards', () => {
  it('is named, even with every hash re-computed and the head moved', () => {
    fc.assert(
      fc.property(logAndIndex(2), ([fs, i]) => {
        fc.pre(i > 0);
        const entries = build(fs);
        const tampered = [...entries];
        // dated a day before its predecessor, then the chain rehashed from there
        const before = new Date(Date.parse(entries[i - 1]!.at) - 86_400_000).toISOString();
        tampered[i] = { ...tampered[i]!, at: before };
        const rewritten = relinkFrom(tampered, i);
        expect(verify(rewritten, headOf(rewritten)).broken).toEqual({
          kind: 'backwards',
          seq: i + 1,
        });
      }),
    );
  });

  it('compares instants, not their text', () => {
    const [a] = chain(GENESIS, [
      { ...fc.sample(fieldsArb, { numRuns: 1, seed: 5 })[0]!, at: '2026-01-01T10:00:00.000Z' },
    ]);
    // linked without the head's time: as a forger would, and as chain() itself never does
    const [b] = chain({ seq: 1, hash: a!.hash }, [
      { ...fc.sample(fieldsArb, { numRuns: 1, seed: 6 })[0]!, at: '2026-01-01T11:00:00+02:00' },
    ]);
    // 11:00+02:00 is 09:00Z: before 10:00Z though its text sorts after
    expect(verify([a!, b!], headOf([a!, b!])).broken).toEqual({ kind: 'backwards', seq: 2 });
  });
});

describe('ChainVerifier: the head and the empty log', () => {
  const entries = build(fc.sample(fieldsArb, { numRuns: 3, seed: 11 }));

  it('a missing head is a break, an empty log is one only in a store holding accounts', () => {
    const v = new ChainVerifier();
    for (const e of entries) v.next(e);
    expect(v.end(null)).toEqual({ kind: 'noHead', seq: 3 });
    expect(new ChainVerifier().end(GENESIS, false)).toBeNull();
    expect(new ChainVerifier().end(GENESIS, true)).toEqual({ kind: 'empty', seq: 1 });
    // the head still says 3 entries: removed, whatever the accounts
    expect(new ChainVerifier().end(headOf(entries), true)).toEqual({ kind: 'removed', seq: 1 });
  });
});

describe('anchors', () => {
  const entries = build(fc.sample(fieldsArb, { numRuns: 5, seed: 21 }));
  const anchor = (line: number, seq: number, hash = entries[seq - 1]!.hash) => ({
    line,
    seq,
    hash,
  });
  const walk = (log: ChainedEntry[], anchors: ReturnType<typeof anchor>[]) => {
    const v = new ChainVerifier(anchors);
    for (const e of log) v.next(e);
    return { broken: v.end(headOf(log)), misses: v.misses };
  };

  it('each recorded head still in the chain, unchanged: nothing missed', () => {
    expect(
      walk(entries, [anchor(1, 2), anchor(2, 5), { line: 3, seq: 0, hash: GENESIS_HASH }]),
    ).toEqual({ broken: null, misses: [] });
  });

  it('a log truncated and its head moved back is caught by an anchor past its end', () => {
    const truncated = entries.slice(0, 3);
    expect(walk(truncated, [anchor(1, 2), anchor(4, 5)])).toEqual({
      broken: null,
      misses: [{ line: 4, seq: 5, kind: 'missing' }],
    });
    // every entry deleted, the head back at the genesis
    expect(walk([], [anchor(7, 1)]).misses).toEqual([{ line: 7, seq: 1, kind: 'missing' }]);
  });

  it('a log rewritten with every later hash re-computed is caught by the anchor of a later entry', () => {
    const tampered = [...entries];
    tampered[1] = altered(tampered[1]!, 'actor');
    const rewritten = relinkFrom(tampered, 1);
    expect(walk(rewritten, [anchor(1, 1), anchor(2, 4)])).toEqual({
      broken: null,
      misses: [{ line: 2, seq: 4, kind: 'changed' }],
    });
    // a genesis anchor whose hash is not the genesis hash is not in any chain
    expect(walk(entries, [{ line: 9, seq: 0, hash: 'a'.repeat(64) }]).misses).toEqual([
      { line: 9, seq: 0, kind: 'changed' },
    ]);
  });

  it('parses one head per line, skips blank lines, and names each malformed line', () => {
    const h = 'ab'.repeat(32);
    const text = [
      JSON.stringify({ seq: 4, hash: h, at: '2026-01-01T00:00:00.000Z' }),
      '',
      '   ',
      JSON.stringify({ seq: 0, hash: GENESIS_HASH, at: null }),
      '{"seq": 4, "hash": "abc"}',
      'not json',
      JSON.stringify({ seq: -1, hash: h }),
      JSON.stringify({ seq: 1.5, hash: h }),
      JSON.stringify([4, h]),
      '',
    ].join('\r\n');
    expect(parseAnchors(text)).toEqual({
      anchors: [
        { line: 1, seq: 4, hash: h },
        { line: 4, seq: 0, hash: GENESIS_HASH },
      ],
      issues: [
        { line: 5, message: 'audit.anchor.notHead' },
        { line: 6, message: 'audit.anchor.notJson' },
        { line: 7, message: 'audit.anchor.notHead' },
        { line: 8, message: 'audit.anchor.notHead' },
        { line: 9, message: 'audit.anchor.notHead' },
      ],
    });
    expect(parseAnchors('')).toEqual({ anchors: [], issues: [] });
  });
});

describe('RunDigest (a run entry’s digest of its before-images)', () => {
  const rows: [string, string, string | null, string][] = [
    ['account:jean.martin@mairie-pau.fr', 'created', null, '["M.","MARTIN","Jean"]'],
    [
      'account:pauline.dufour@mairie-pau.fr',
      'updated',
      '{"fields":{"phone":"05"}}',
      '{"fields":{"phone":"06"}}',
    ],
  ];
  const digestOf = (encoding: RowEncoding | undefined, of = rows) => {
    const d = new RunDigest(encoding);
    for (const r of of) d.add(...r);
    return d.result();
  };

  it('reads the runs written before the lengths encoding as it wrote them: JSON lines', () => {
    // pinned: the digest those runs' entries carry, which `audit verify` must find again
    expect(digestOf('json')).toEqual({
      count: 2,
      sha256: '7be8b90887ee0c8a991281efa3ea15cb64351e15217a721f4c3dda8ce4d803e4',
    });
  });

  it('encodes a new run’s rows by lengths, and says so in the entry', () => {
    const d = digestOf(undefined);
    expect(d).toEqual({
      count: 2,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      encoding: 'lengths',
    });
    expect(d.sha256).not.toBe(digestOf('json').sha256);
  });

  it('tells apart rows whose texts differ only where one ends and the next begins', () => {
    const one = (r: [string, string, string | null, string]) => digestOf('lengths', [r]).sha256;
    const seen = new Set([
      one(['ab', 'c', null, 'x']),
      one(['a', 'bc', null, 'x']),
      one(['a', 'b', 'c', 'x']),
      one(['a', 'b', null, 'cx']),
      one(['a', 'b', '-', 'x']),
      one(['a', 'b', '', 'x']),
      one(['a', 'b', '1:x', '']),
      // a lone surrogate would be hashed as U+FFFD: it is escaped instead
      one(['a', 'b', null, '\ud800']),
      one(['a', 'b', null, '\ufffd']),
    ]);
    expect(seen.size).toBe(9);
  });

  it('property: two different lists of rows never give one digest', () => {
    const row = fc.tuple(fc.string(), fc.string(), fc.option(fc.string()), fc.string());
    fc.assert(
      fc.property(fc.array(row, { maxLength: 4 }), fc.array(row, { maxLength: 4 }), (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(digestOf('lengths', a)).not.toEqual(digestOf('lengths', b));
      }),
    );
  });
});

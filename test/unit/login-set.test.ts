import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoginSet } from '../../src/app/sync/login-set.js';

describe('LoginSet (a first load skips the reads of logins no account has)', () => {
  it('holds every login added, through its growth past the size it was given', () => {
    const set = new LoginSet(10);
    const logins = Array.from({ length: 5000 }, (_, i) => `agent.${i}@mairie-pau.fr`);
    for (const l of logins) expect(set.add(l)).toBe(false);
    for (const l of logins) expect(set.has(l)).toBe(true);
  });

  it('answers no for a login never added (but for a 64-bit collision)', () => {
    const set = new LoginSet(1000);
    for (let i = 0; i < 200_000; i++) set.add(`agent.${i}@mairie-pau.fr`);
    // 200,000 logins against 200,000 others: some 9 false answers with 32-bit keys, none with 64
    let found = 0;
    for (let i = 200_000; i < 400_000; i++) if (set.has(`agent.${i}@mairie-pau.fr`)) found++;
    expect(found).toBe(0);
    expect(set.has('')).toBe(false);
  });

  it('never forgets a login, whatever else is added (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { maxLength: 300 }), fc.nat(50), (logins, size) => {
        const set = new LoginSet(size);
        for (const l of logins) set.add(l);
        // added again: it was there already, and takes no second slot
        for (const l of logins) expect(set.add(l)).toBe(true);
        for (const l of logins) expect(set.has(l)).toBe(true);
      }),
    );
  });
});

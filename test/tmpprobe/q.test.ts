import {it} from 'vitest';
import fc from 'fast-check';
import { fold } from '../../src/domain/text.js';
it('p', () => {
  let bad: string[] = [];
  for (let cp = 0; cp < 0x110000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    for (const s of [c, 'a' + c + 'b', c + c, 'İ'+c, c+'\u0301']) {
      const f = fold(s);
      if (fold(f) !== f || !/^[\p{L}\p{N} ]*$/u.test(f)) { bad.push(cp.toString(16) + ' ' + JSON.stringify(s) + '→' + JSON.stringify(f) + '→' + JSON.stringify(fold(f))); break; }
    }
  }
  console.log(bad.length, bad.slice(0, 40).join('\n'));
  for (const unit of ['grapheme', 'binary', 'grapheme-composite'] as const)
    fc.assert(fc.property(fc.string({ unit, maxLength: 30 }), (x) => { const f = fold(x); return fold(f) === f && /^[\p{L}\p{N} ]*$/u.test(f); }), { numRuns: 200000 });
});

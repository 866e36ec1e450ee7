/**
 * The nearest words to a mistyped one (`acount` → `account`, `--adress` → `--adresse`), as
 * commander's `suggestSimilar` finds them, but returning the words so that the message around
 * them is the user's language.
 */

const MAX_DISTANCE = 3;
const MIN_SIMILARITY = 0.4;

/**
 * Optimal string alignment distance (Damerau–Levenshtein where no substring is edited twice):
 * insertions, deletions, substitutions and transpositions of two neighbours each cost 1.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  return d[a.length]![b.length]!;
}

/**
 * The candidates closest to `word` (all those at the smallest distance, sorted), if they are
 * close enough: at most 3 edits and more than 40 % alike. Options are compared without their
 * `--`, and a word of one letter is never offered. Comparison ignores case.
 */
export function suggest(word: string, candidates: readonly string[]): string[] {
  const option = word.startsWith('--');
  const bare = (s: string) => (option ? s.replace(/^--/, '') : s).toLowerCase();
  const typed = bare(word);
  let best = MAX_DISTANCE;
  let found: string[] = [];
  for (const candidate of new Set(candidates)) {
    if (option !== candidate.startsWith('--')) continue;
    const name = bare(candidate);
    if (name.length <= 1) continue;
    const distance = editDistance(typed, name);
    const length = Math.max(typed.length, name.length);
    if ((length - distance) / length <= MIN_SIMILARITY) continue;
    if (distance < best) {
      best = distance;
      found = [candidate];
    } else if (distance === best) found.push(candidate);
  }
  return found.sort((a, b) => a.localeCompare(b));
}

import type { Kysely } from 'kysely';

/**
 * Issue 14 point 10: the département a structure is in is computed once, at import, and every
 * scope check reads it. Imports before this one could store a département for a structure
 * outside France (its country given in a later import without a postal code, or its postal code
 * in a later import without a country): this recomputes every structure's from its stored postal
 * code and country. Frozen: the rule is copied here as it stood (domain/structure.ts,
 * domain/departement.ts), so that this migration does the same thing forever.
 */

const DEPARTEMENT = /^(0[1-9]|1\d|2[1-9]|2A|2B|[3-8]\d|9[0-5]|97[1-8]|98[4-9])$/;
const FRENCH_POSTAL = new Set([
  'FR',
  'GP',
  'MQ',
  'GF',
  'RE',
  'YT',
  'PM',
  'BL',
  'MF',
  'WF',
  'PF',
  'NC',
  'TF',
  'MC',
]);

function departementOf(postalCode: string | null, countryCode: string | null): string | null {
  if (countryCode && !FRENCH_POSTAL.has(countryCode.toUpperCase())) return null;
  if (!postalCode || !/^\d{5}$/.test(postalCode)) return null;
  if (postalCode.startsWith('20')) {
    const three = Number(postalCode.slice(0, 3));
    if (three <= 201) return '2A';
    if (three <= 206) return '2B';
    return null;
  }
  const code = postalCode.slice(
    0,
    postalCode.startsWith('97') || postalCode.startsWith('98') ? 3 : 2,
  );
  return DEPARTEMENT.test(code) ? code : null;
}

const PAGE = 5000;

export async function up(db: Kysely<any>): Promise<void> {
  for (let after = 0; ;) {
    // short aliases: the store's case plugin, if any, leaves them as they are
    const rows: { id: number; pc: string | null; cc: string | null; dep: string | null }[] =
      await db
        .selectFrom('structure')
        .select(['id', 'postal_code as pc', 'country_code as cc', 'departement as dep'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(PAGE)
        .execute();
    if (rows.length === 0) return;
    for (const r of rows) {
      const departement = departementOf(r.pc, r.cc);
      if (departement !== r.dep)
        await db.updateTable('structure').set({ departement }).where('id', '=', r.id).execute();
    }
    after = Number(rows.at(-1)!.id);
  }
}

/** The recomputed départements are the right ones: nothing to undo. */
export async function down(): Promise<void> {}

import type { StructureRef } from '../domain/structure-ref.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import type { Db } from './account.repository.js';
import type { StructureRow } from './schema.js';

/** The structure a reference names; a bare identifier must match exactly one type. */
export async function getStructure(db: Db, ref: StructureRef): Promise<StructureRow> {
  const rows = await db
    .selectFrom('structure')
    .selectAll()
    .where('identifier', '=', ref.identifier)
    .$if(ref.type !== null, (q) => q.where('idType', '=', ref.type!))
    .limit(2)
    .execute();
  const label = ref.type ? `${ref.type}:${ref.identifier}` : ref.identifier;
  if (rows.length === 0) throw new NotFoundError('structure.notFound', { ref: label });
  if (rows.length > 1) throw new InvalidInputError([{ field: 'STRUCTURE', message: 'structure.ambiguous' }], 'structure.ambiguous', { ref: label });
  return rows[0]!;
}

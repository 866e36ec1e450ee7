import { IDENTIFIER_TYPES, type IdentifierType } from './enums.js';

/** How a structure is named on the command line: `TYPE:identifiant`, or the identifier alone. */
export interface StructureRef {
  type: IdentifierType | null;
  identifier: string;
}

export function parseStructureRef(text: string): StructureRef {
  const s = text.trim();
  const colon = s.indexOf(':');
  if (colon > 0) {
    const type = s.slice(0, colon).toUpperCase();
    if ((IDENTIFIER_TYPES as readonly string[]).includes(type))
      return { type: type as IdentifierType, identifier: s.slice(colon + 1).trim() };
  }
  return { type: null, identifier: s };
}

export function formatStructureRef(s: { idType: string; identifier: string }): string {
  return `${s.idType}:${s.identifier}`;
}

import { describe, expect, it } from 'vitest';
import { MAIL_EVENTS } from '../../src/app/mail.js';
import { CHANGE_KINDS } from '../../src/app/sync/journal.js';
import { ACTIONS } from '../../src/domain/rights.js';
import {
  ACCOUNT_STATUSES,
  ATTACHMENT_STATUSES,
  FILE_TYPES,
  HABILITATION_PROFILES,
  IDENTIFIER_TYPES,
  LANGUAGES,
  REQUEST_STATUSES,
  ROLES,
  SOURCES,
  SPACES,
  SUBSCRIPTION_MODES,
} from '../../src/domain/enums.js';
import { label, labelledCodes, RECORDED_ACTIONS, type LabelKind } from '../../src/i18n/labels.js';

/**
 * SPEC 4: people read words, not codes. Every value of every enumeration has a label in French
 * and in English (the compile-time `satisfies` checks the same; this says it at run time, and
 * that the labels are words, not the code again).
 */

const ENUMERATIONS: [LabelKind, readonly string[]][] = [
  ['space', SPACES],
  ['status', ATTACHMENT_STATUSES],
  ['status', REQUEST_STATUSES],
  ['role', ROLES],
  ['accountStatus', ACCOUNT_STATUSES],
  ['accountKind', ['correspondent', 'user']],
  ['fileType', FILE_TYPES],
  ['profile', HABILITATION_PROFILES],
  ['mode', SUBSCRIPTION_MODES],
  ['idType', IDENTIFIER_TYPES],
  ['source', SOURCES],
  ['language', LANGUAGES],
  ['outcome', ['OK', 'REFUSED']],
  ['auditAction', [...ACTIONS, ...RECORDED_ACTIONS]],
  ['event', MAIL_EVENTS],
  ['change', CHANGE_KINDS],
];

// codes that are also the word people use (acronyms, proper names)
const SAME_WORD = new Set(['SIRET', 'RIDET', 'TAHITI', 'MADRHAS', 'RIB', 'BROCHURE']);

describe('labels', () => {
  it.each(ENUMERATIONS)('every %s has a label in French and in English', (kind, codes) => {
    for (const code of codes) {
      expect(labelledCodes(kind), `${kind} ${code}`).toContain(code);
      for (const lang of ['fr', 'en'] as const) {
        const text = label(kind, code, lang);
        expect(text.trim(), `${kind} ${code} ${lang}`).not.toBe('');
        if (!SAME_WORD.has(code)) expect(text, `${kind} ${code} ${lang}`).not.toBe(code);
      }
    }
  });

  it('reads as SPEC 4 says: Mon compte, Validé, Gestionnaire principal', () => {
    expect(label('space', 'MON_COMPTE', 'fr')).toBe('Mon compte');
    expect(label('status', 'VALIDEE', 'fr')).toBe('Validé');
    expect(label('role', 'GESTIONNAIRE_PRINCIPAL', 'fr')).toBe('Gestionnaire principal');
    expect(label('role', 'GESTIONNAIRE_PRINCIPAL', 'en')).toBe('Principal manager');
    expect(label('outcome', 'REFUSED', 'fr')).toBe('Refusé');
    expect(label('auditField', 'lastName', 'fr')).toBe('Nom');
  });

  it('a code with no label (a newer store’s) is shown as it is', () => {
    expect(label('status', 'QUELQUE_CHOSE', 'fr')).toBe('QUELQUE_CHOSE');
  });
});

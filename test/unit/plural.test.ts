import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { fr } from '../../src/i18n/fr.js';
import { format, plural, t, type MessageKey } from '../../src/i18n/index.js';

describe('plural forms', () => {
  it('picks the form Intl.PluralRules gives: 0 and 1 are singular in French, only 1 in English', () => {
    const forms = { one: 'ligne', other: 'lignes' };
    expect([0, 1, 2, 10].map((n) => plural('fr', n, forms))).toEqual([
      'ligne',
      'ligne',
      'lignes',
      'lignes',
    ]);
    expect([0, 1, 2].map((n) => plural('en', n, { one: 'row', other: 'rows' }))).toEqual([
      'rows',
      'row',
      'rows',
    ]);
    expect(plural('en', 0, { zero: 'none', one: 'row', other: 'rows' })).toBe('none');
  });

  it('fills {n, plural, …} with # as the number, =N branches first, placeholders inside', () => {
    const text = '{n, plural, =0 {rien} one {# ligne de {file}} other {# lignes de {file}}}';
    expect(format('fr', text, { n: 0, file: 'a.csv' })).toBe('rien');
    expect(format('fr', text, { n: 1, file: 'a.csv' })).toBe('1 ligne de a.csv');
    expect(format('fr', text, { n: 3, file: 'a.csv' })).toBe('3 lignes de a.csv');
    // a parameter's value is never read as a form: `#` and braces in it stay as they are
    expect(format('fr', text, { n: 2, file: '{n} #' })).toBe('2 lignes de {n} #');
  });

  it('fills {x, select, …} by value, else other; a missing parameter leaves the text whole', () => {
    const text = 'Vous êtes {title, select, Mme {détachée} M. {détaché} other {détaché·e}}.';
    expect(format('fr', text, { title: 'Mme' })).toBe('Vous êtes détachée.');
    expect(format('fr', text, { title: 'M.' })).toBe('Vous êtes détaché.');
    expect(format('fr', text, { title: null })).toBe('Vous êtes détaché·e.');
    expect(format('fr', '{n, plural, one {#} other {#}} {x}', {})).toBe(
      '{n, plural, one {#} other {#}} {x}',
    );
  });

  it('leaves literal braces that are not a form alone', () => {
    expect(t('fr', 'audit.anchor.notHead')).toContain('{"seq": N, "hash": "…", "at": "…"}');
  });

  it('agrees in the messages the issue quoted', () => {
    const tooMany = { count: 1, total: 4, limit: 1, max: '10%' };
    expect(t('fr', 'sync.tooManyDeactivations', tooMany)).toContain('désactiverait 1 compte sur 4');
    expect(t('en', 'sync.tooManyDeactivations', tooMany)).toContain('deactivate 1 of 4 accounts');
    const partial = { rejected: 1, rows: 5, dryRun: 'yes' };
    expect(t('fr', 'import.partial', partial)).toBe(
      '1 ligne sur 5 rejetée ; les autres seraient importées. Détail avec --rejects FICHIER.csv.',
    );
    expect(t('fr', 'import.partial', { ...partial, rejected: 2, dryRun: 'no' })).toBe(
      '2 lignes sur 5 rejetées ; les autres sont importées. Détail avec --rejects FICHIER.csv.',
    );
    expect(t('en', 'import.partial', partial)).toBe(
      '1 row of 5 rejected; the others would be imported. Details with --rejects FILE.csv.',
    );
    expect(
      t('fr', 'attachment.detachedServices', {
        title: 'Mme',
        count: 1,
        services: 'PHARMA',
        structure: 'SIRET:26640023500018',
      }),
    ).toBe('Vous êtes détachée du service PHARMA de SIRET:26640023500018.');
    expect(t('fr', 'attachment.detached', { title: null, structure: 'S' })).toBe(
      'Vous êtes détaché·e de S.',
    );
    expect(t('fr', 'file.removed', { count: 1, names: 'a.pdf' })).toBe(
      '1 pièce jointe supprimée : a.pdf.',
    );
    expect(t('en', 'audit.exported', { count: 1 })).toBe('1 entry exported.');
  });
});

describe('the catalogues', () => {
  const keys = Object.keys(fr) as MessageKey[];

  it('have no « (s) »-style agreement left in French: counted messages use plural forms', () => {
    const left = keys.filter((k) => /\((?:s|e|es|x|aux|le|la)\)/.test(fr[k]));
    expect(left).toEqual([]);
  });

  it('have no « (s) » left in English either', () => {
    const left = keys.filter((k) => /\w\(s\)/.test(en[k]));
    expect(left).toEqual([]);
  });

  it('resolve every plural and select form, for one and for several, in both languages', () => {
    for (const lang of ['fr', 'en'] as const) {
      for (const k of keys) {
        const cat = lang === 'fr' ? fr : en;
        const names = [...cat[k].matchAll(/\{\s*(\w+)\s*,\s*(?:plural|select)\s*,/g)].map(
          (m) => m[1]!,
        );
        if (names.length === 0) continue;
        for (const n of [1, 2]) {
          const params = Object.fromEntries(names.map((x) => [x, n]));
          const text = t(lang, k, params);
          expect(text, `${lang} ${k}`).not.toMatch(/,\s*(?:plural|select)\s*,/);
          expect(text, `${lang} ${k}`).not.toMatch(/(^|\s)#(\s|$)/);
        }
      }
    }
  });
});

describe('a quoted status', () => {
  it('reads as a word in the sentence, in its language (SPEC 4), not as its code', () => {
    const login = 'paul@mairie.fr';
    expect(t('fr', 'account.cannot.deactivate', { login, status: 'INACTIF' })).toBe(
      'Le compte paul@mairie.fr ne peut pas être désactivé : il est inactif.',
    );
    expect(t('fr', 'attachment.alreadyDecided', { id: 3, status: 'VALIDEE' })).toBe(
      'La demande n° 3 est déjà traitée (statut validé).',
    );
    expect(t('fr', 'request.alreadyClosed', { id: 3, status: 'EN_COURS_DE_VALIDATION' })).toBe(
      'N° 3 : déjà en attente, rien à supprimer ou modifier.',
    );
    expect(t('en', 'request.alreadyDecided', { id: 1, status: 'REFUSEE' })).toBe(
      'Request 1 is already decided (refused).',
    );
  });

  it('leaves a value that is no status as it is, and a select form on the code', () => {
    expect(format('fr', 'il est {status}.', { status: 'INCONNU' })).toBe('il est INCONNU.');
    expect(
      format('fr', '{status, select, ACTIF {ouvert} other {fermé}}', { status: 'ACTIF' }),
    ).toBe('ouvert');
  });
});

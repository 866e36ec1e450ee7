import { describe, expect, it } from 'vitest';
import type { AccountChange } from '../../src/app/sync/journal.js';
import type { StagedRow } from '../../src/db/sync-stage.repository.js';
import { createdChange } from '../../src/app/sync/records.js';
import { accountImages, createdImage, readImages, storedAfter } from '../../src/app/sync/runs.js';

// A created account's after-image is stored positionally (app/sync/runs.ts `createdImage`): read
// back, it is the object `accountImages` makes of the same entry, to the byte.

const row: StagedRow = {
  line: 2,
  login: 'pauline.dufour@mairie-pau.fr',
  title: 'Mme',
  lastName: 'DUFOUR',
  firstName: 'Pauline',
  email: 'pauline.dufour@mairie-pau.fr',
  phone: null,
  structureId: 1,
  serviceId: null,
  role: 'GESTIONNAIRE_PRINCIPAL',
  dateStart: '2025-01-06',
  dateEnd: null,
  accountStatus: 'ACTIF',
};

/** Pauline created with two attachments: the whole of Pau (no end), a service of Lons (an end). */
function created(): AccountChange {
  const change = createdChange(row, 41);
  change.attachments.added.push(
    {
      id: 7,
      structureId: 1,
      structureRef: 'SIRET:21640445900010',
      role: 'GESTIONNAIRE_PRINCIPAL',
      dateStart: '2025-01-06',
      dateEnd: null,
      services: [],
    },
    {
      id: 8,
      structureId: 2,
      structureRef: 'SIRET:21640347700013',
      role: 'UTILISATEUR',
      dateStart: '2025-02-01',
      dateEnd: '2025-12-31',
      services: [12, 13],
    },
  );
  return change;
}

describe('a created account’s image', () => {
  it('is stored without field names and read back as accountImages makes it', () => {
    const change = created();
    const stored = JSON.stringify(createdImage(change));
    expect(stored.startsWith('["Mme","DUFOUR","Pauline",')).toBe(true);
    expect(stored).not.toContain('lastName');
    const object = JSON.stringify(accountImages(change).after);
    expect(stored.length).toBeLessThan(object.length * 0.75);
    expect(JSON.stringify(storedAfter(stored))).toBe(object);
    expect(readImages(null, stored)).toEqual(readImages(null, object));
  });

  it('with no attachment added, and a field left empty', () => {
    const change = createdChange({ ...row, title: null }, 41);
    const stored = JSON.stringify(createdImage(change));
    expect(JSON.stringify(storedAfter(stored))).toBe(JSON.stringify(accountImages(change).after));
  });

  it('an entry that is no creation, or that carries a base, keeps the object form', () => {
    expect(createdImage({ ...created(), kind: 'updated' })).toBeNull();
    expect(createdImage({ ...created(), base: { before: null, after: '[]' } })).toBeNull();
    const object = JSON.stringify(accountImages({ ...created(), kind: 'updated' }).after);
    expect(storedAfter(object)).toEqual(JSON.parse(object));
  });
});

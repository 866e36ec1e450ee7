#!/usr/bin/env node
// Deterministic synthetic data for benchmarks and tests, in the formats the program reads: the
// directory export, its services and the MADRHAS export. The project's own copy of the shared
// generator (same arguments, same bytes), so that the suite and `npm run bench` need nothing beside
// the clone.
//   node bench/gen.mjs annuaire  N            > annuaire.csv   N structures (directory export, 21 columns)
//   node bench/gen.mjs services  N            > services.csv   services of those N structures (2 per structure)
//   node bench/gen.mjs madrhas   ROWS N       > madrhas.csv    ROWS account x structure rows over N structures
// Options (after the numbers): --seed S (default 1), --cp1252 (encode as Windows-1252), --bom, --crlf
// No dependencies. Same arguments, same bytes.
import { Buffer } from 'node:buffer';

const [kind, ...rest] = process.argv.slice(2);
const nums = rest.filter((a) => /^\d+$/.test(a)).map(Number);
const flag = (f) => rest.includes(f);
const seedArg = rest.indexOf('--seed');
let seed = seedArg >= 0 ? Number(rest[seedArg + 1]) : 1;
const rnd = () =>
  (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296;
const pick = (a) => a[Math.floor(rnd() * a.length)];
const eol = flag('--crlf') ? '\r\n' : '\n';

const NOMS = [
  'DUFOUR',
  'MARTIN',
  'BERNARD',
  'THOMAS',
  'PETIT',
  'ROBERT',
  'RICHARD',
  'DURAND',
  'LEFÈVRE',
  'MOREAU',
  'GARÇON',
  "N'DIAYE",
  'LE GALL',
  'CHÂTEAU',
  'MÜLLER',
];
const PRENOMS = [
  'Pauline',
  'Jean',
  'Marie',
  'Éloïse',
  'François',
  'Zoé',
  'Hélène',
  'Jérôme',
  'Anaïs',
  'Noël',
  'Loïc',
  'Cécile',
];
const VILLES = [
  ['33000', 'Bordeaux'],
  ['64000', 'Pau'],
  ['40000', 'Mont-de-Marsan'],
  ['75001', 'Paris'],
  ['13001', 'Marseille'],
  ['20000', 'Ajaccio'],
  ['97100', 'Basse-Terre'],
  ['69001', 'Lyon'],
  ['59000', 'Lille'],
  ['29200', 'Brest'],
];
const KINDS = [
  'Commune de',
  'Communauté de communes de',
  'Syndicat intercommunal de',
  "Centre communal d'action sociale de",
  'Collège',
  'Centre hospitalier de',
];

function luhnComplete(body) {
  // append the digit that makes body+digit pass Luhn
  for (let d = 0; d < 10; d++) {
    const s = body + d;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let x = +s[s.length - 1 - i];
      if (i % 2) {
        x *= 2;
        if (x > 9) x -= 9;
      }
      sum += x;
    }
    if (sum % 10 === 0) return s;
  }
}
// Public bodies' SIREN start with 1 or 2; SIREN and SIRET both pass Luhn.
function siret(i) {
  const siren = luhnComplete(String(20000000 + i));
  return luhnComplete(siren + '0001');
}
const csvField = (v) => (/[;"\r\n]/.test(v) ? '"' + v.replaceAll('"', '""') + '"' : v);
const line = (cells) => cells.map(csvField).join(';') + eol;

let out = '';
const chunks = [];
const emit = (s) => {
  out += s;
  if (out.length > 1 << 20) {
    chunks.push(out);
    out = '';
  }
};

if (kind === 'annuaire') {
  const [n] = nums;
  emit(
    line([
      'TypeIdentifiant',
      'Identifiant',
      'RaisonSociale',
      'EmetteurEdi',
      'RecepteurEdi',
      'GestionStatutMiseEnPaiement',
      'GestionEngagement',
      'GestionService',
      'GestionServiceEngagement',
      'EstMOA',
      'EstMOAUniquement',
      'StructureActive',
      'Adresse',
      'ComplementAdresse1',
      'ComplementAdresse2',
      'CodePostal',
      'Ville',
      'NumTelephone',
      'Courriel',
      'CodePays',
      'LibellePays',
    ]),
  );
  for (let i = 0; i < n; i++) {
    const [cp, ville] = VILLES[i % VILLES.length];
    const b = () => (rnd() < 0.3 ? 'true' : 'false');
    emit(
      line([
        'SIRET',
        siret(i),
        `${KINDS[i % KINDS.length]} ${ville} ${i}`,
        b(),
        b(),
        b(),
        b(),
        i % 2 ? 'true' : 'false',
        b(),
        'false',
        'false',
        'true',
        `${1 + (i % 200)} rue de la Mairie`,
        i % 7 ? '' : 'Bâtiment B; 2e étage',
        '',
        cp,
        ville,
        '05' + String(56000000 + i).slice(0, 8),
        `contact@structure-${i}.fr`,
        'FR',
        'France',
      ]),
    );
  }
} else if (kind === 'services') {
  const [n] = nums;
  emit(
    line([
      'TypeIdentifiant',
      'Identifiant',
      'CodeService',
      'LibelleService',
      'Actif',
      'DateDebut',
      'DateFin',
    ]),
  );
  for (let i = 0; i < n; i++) {
    emit(line(['SIRET', siret(i), 'SERV-FIN', 'Service financier', 'true', '01/01/2020', '']));
    emit(line(['SIRET', siret(i), 'SERV-TECH', 'Services techniques', 'true', '01/01/2020', '']));
  }
} else if (kind === 'madrhas') {
  const [rows, n] = nums;
  emit(
    line([
      'IDENTIFIANT_CONNEXION',
      'CIVILITE',
      'NOM',
      'PRENOM',
      'COURRIEL_CONTACT',
      'TELEPHONE',
      'TYPE_IDENTIFIANT_STRUCTURE',
      'IDENTIFIANT_STRUCTURE',
      'CODE_SERVICE',
      'ROLE',
      'DATE_DEBUT',
      'DATE_FIN',
      'STATUT_COMPTE',
    ]),
  );
  // About 1.25 rows per account: every 4th account also has a second structure.
  let r = 0;
  for (let a = 0; r < rows; a++) {
    const nom = pick(NOMS),
      prenom = pick(PRENOMS);
    const login = `${prenom}.${nom}.${a}@mairie.example`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^\x00-\x7f]/g, '') // eslint-disable-line no-control-regex -- ASCII only
      .replace(/[^a-z0-9.@-]/g, '');
    const links = a % 4 === 0 ? 2 : 1;
    for (let k = 0; k < links && r < rows; k++, r++) {
      // Account a < N is the gestionnaire principal of structure a: one per structure.
      const s = k === 0 && a < n ? a : (a * 3 + k * 7919) % n;
      const role =
        k === 0 && a < n
          ? 'GESTIONNAIRE_PRINCIPAL'
          : a % 11 === 0
            ? 'GESTIONNAIRE_SECONDAIRE'
            : 'UTILISATEUR';
      const service = a % 3 === 0 ? '' : a % 3 === 1 ? 'SERV-FIN' : 'SERV-TECH';
      emit(
        line([
          login,
          a % 2 ? 'Mme' : 'M.',
          nom,
          prenom,
          login,
          '05' + String(50000000 + a).slice(0, 8),
          'SIRET',
          siret(s),
          service,
          role,
          `${String(1 + (a % 28)).padStart(2, '0')}/0${1 + (a % 9)}/2024`,
          a % 13 === 0 ? '31/12/2027' : '',
          a % 97 === 0 ? 'INACTIF' : 'ACTIF',
        ]),
      );
    }
  }
} else {
  process.stderr.write(
    'usage: gen.mjs annuaire N | services N | madrhas ROWS N  [--seed S] [--cp1252] [--bom] [--crlf]\n',
  );
  process.exit(2);
}
chunks.push(out);
const text = chunks.join('');
let bytes;
if (flag('--cp1252')) {
  // Every character the generator uses is in Latin-1, where cp1252 agrees.
  bytes = Buffer.from(text, 'latin1');
} else {
  bytes = Buffer.from((flag('--bom') ? '\ufeff' : '') + text, 'utf8');
}
process.stdout.write(bytes);

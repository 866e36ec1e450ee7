/** The program's languages (SPEC 4): French by default, English. */
export type Lang = 'fr' | 'en';

/** ISO 8601 weeks (`2025-W11`): Monday to Sunday, week 1 holds the year's first Thursday. */

export interface IsoWeek {
  /** `AAAA-Www`. */
  label: string;
  /** The Monday, `AAAA-MM-JJ`. */
  start: string;
  /** The next Monday, `AAAA-MM-JJ` (exclusive end). */
  end: string;
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The ISO week holding `day` (`AAAA-MM-JJ`). */
export function isoWeekOf(day: string): IsoWeek {
  const ms = Date.parse(`${day.slice(0, 10)}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = ms - weekday * DAY;
  const thursday = monday + 3 * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return {
    label: `${year}-W${String(week).padStart(2, '0')}`,
    start: iso(monday),
    end: iso(monday + 7 * DAY),
  };
}

/** The week a label names, or null when it is malformed or does not exist (W53 of a 52-week year). */
export function parseIsoWeek(label: string): IsoWeek | null {
  const m = /^(\d{4})-?W(\d{2})$/i.exec(label.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > 53) return null;
  // 4 January is always in week 1
  const firstMonday = Date.parse(isoWeekOf(`${year}-01-04`).start + 'T00:00:00Z');
  const found = isoWeekOf(iso(firstMonday + (week - 1) * 7 * DAY));
  return found.label === `${year}-W${m[2]}` ? found : null;
}

/** The last complete week before `day`: what a digest covers by default. */
export function previousIsoWeek(day: string): IsoWeek {
  const monday = Date.parse(isoWeekOf(day).start + 'T00:00:00Z');
  return isoWeekOf(iso(monday - 7 * DAY));
}

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

/**
 * `AAAA-MM-JJ` of an instant, or null outside the years 0001–9999: a date the program writes
 * has four digits of year, and `Date` alone would write `-000001-12-27` or `+010000-01-03`.
 */
function iso(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (year < 1 || year > 9999) return null;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
}

/** Midnight UTC of a day given by numbers (`Date.UTC` would read years 0–99 as 1900–1999). */
function utcDay(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

/** The week holding the instant `ms`, or null when it reaches outside the years 0001–9999. */
function weekAt(ms: number): IsoWeek | null {
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = ms - weekday * DAY;
  const thursday = monday + 3 * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - utcDay(year, 1, 1)) / (7 * DAY)) + 1;
  const start = iso(monday);
  const end = iso(monday + 7 * DAY);
  if (start === null || end === null) return null;
  return {
    label: `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`,
    start,
    end,
  };
}

/** The ISO week holding `day` (`AAAA-MM-JJ`, a day of the years 0001–9999 but its last days). */
export function isoWeekOf(day: string): IsoWeek {
  const week = weekAt(Date.parse(`${day.slice(0, 10)}T00:00:00Z`));
  if (!week) throw new RangeError(`no ISO week for the day ${JSON.stringify(day)}`);
  return week;
}

/**
 * The week a label names, or null when it is malformed, does not exist (W53 of a 52-week year)
 * or does not lie whole in the years 0001–9999 (`0000-W01`, `9999-W52`).
 */
export function parseIsoWeek(label: string): IsoWeek | null {
  const m = /^(\d{4})-?W(\d{2})$/i.exec(label.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1 || week < 1 || week > 53) return null;
  // 4 January is always in week 1
  const first = weekAt(utcDay(year, 1, 4));
  if (!first) return null;
  const found = weekAt(Date.parse(first.start + 'T00:00:00Z') + (week - 1) * 7 * DAY);
  return found?.label === `${m[1]}-W${m[2]}` ? found : null;
}

/** The last complete week before `day`: what a digest covers by default. */
export function previousIsoWeek(day: string): IsoWeek {
  const monday = Date.parse(isoWeekOf(day).start + 'T00:00:00Z');
  const week = weekAt(monday - 7 * DAY);
  if (!week) throw new RangeError(`no ISO week before the day ${JSON.stringify(day)}`);
  return week;
}

/** A day of the calendar as messages name it: year, month (1–12), day, weekday (1 Monday … 7 Sunday). */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
  weekday: number;
}

/** The parts of a day `AAAA-MM-JJ` (or of an ISO instant: its UTC day). */
export function calendarDay(day: string): CalendarDay {
  const ms = Date.parse(`${day.slice(0, 10)}T00:00:00Z`);
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: ((d.getUTCDay() + 6) % 7) + 1,
  };
}

/** The Monday and the Sunday of a week: what a digest names it by (`du lundi 1er au dimanche 7 décembre 2025`). */
export function weekBounds(week: IsoWeek): { monday: CalendarDay; sunday: CalendarDay } {
  const sunday = iso(Date.parse(`${week.end}T00:00:00Z`) - DAY) ?? week.start;
  return { monday: calendarDay(week.start), sunday: calendarDay(sunday) };
}

/** Whether `week` is over on `today` (its Sunday is past), has begun, or is still to come. */
export function weekState(week: IsoWeek, today: string): 'over' | 'current' | 'future' {
  if (today.slice(0, 10) >= week.end) return 'over';
  return today.slice(0, 10) >= week.start ? 'current' : 'future';
}

// The practical conditions in plain words: what a session costs, when the next opening is,
// how soon "within n days" is. Shared by the cards, the chips and the filter panel.

const DAY_MS = 24 * 60 * 60 * 1000;

/** "2026-12-09" as a local calendar day (not UTC midnight, which is the day before in America). */
export function calendarDay(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso ?? ""));
  if (!match) return null;
  const day = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(day.getTime()) || day.getDate() !== Number(match[3]) ? null : day;
}

function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** Whole days from `today` to the ISO day (negative when it has passed). */
export function daysUntil(iso, today = new Date()) {
  const day = calendarDay(iso);
  return day ? Math.round((day - startOfDay(today)) / DAY_MS) : null;
}

/** "today", "tomorrow", "Thursday, December 10" (with the year when it is not this one); null when past. */
export function dayInWords(iso, today = new Date()) {
  const day = calendarDay(iso);
  const days = daysUntil(iso, today);
  if (!day || days === null || days < 0) return null;
  if (days === 0) return "today";
  if (days === 1) return "tomorrow";
  const options = { weekday: "long", month: "long", day: "numeric" };
  if (day.getFullYear() !== today.getFullYear()) options.year = "numeric";
  return new Intl.DateTimeFormat("en-US", options).format(day);
}

const dollars = (n) => `$${Number(n).toLocaleString("en-US")}`;

/** "$90–$140 a session", "$150 a session", or null when no fee is listed. */
export function feeInWords(min, max) {
  const low = Number.isInteger(min) ? min : Number.isInteger(max) ? max : null;
  const high = Number.isInteger(max) ? max : low;
  if (low === null) return null;
  return low === high ? `${dollars(low)} a session` : `${dollars(low)}–${dollars(high)} a session`;
}

/** The chip and filter wording of max_fee. */
export function maxFeeInWords(maxFee) {
  return maxFee === 0 ? "Free or low cost" : `Up to ${dollars(maxFee)} a session`;
}

/** The chip and filter wording of available_within_days. */
export function withinDaysInWords(days) {
  if (days <= 0) return "An opening today";
  if (days === 7) return "An opening this week";
  if (days === 14) return "An opening within 2 weeks";
  if (days === 31) return "An opening within a month";
  return days === 1 ? "An opening by tomorrow" : `An opening within ${days} days`;
}

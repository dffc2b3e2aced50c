// ISO 8601 UTC timestamps for `$now()` and `$fromMillis()` without a picture: the library's default picture
// `[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]`, computed directly (civil-from-days arithmetic).

/** The first and last instants whose four-digit-year form this module prints. */
export const ISO_FIRST = Date.UTC(1000, 0, 1);
export const ISO_LAST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const DAY = 86_400_000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`;
}

/** `2026-11-26T10:15:19.123Z` for an integer number of milliseconds between ISO_FIRST and ISO_LAST. */
export function isoTimestamp(ms: number): string {
  const days = Math.floor(ms / DAY);
  let rest = ms - days * DAY;
  // Days since 0000-03-01 split into 400-year eras, years of era, and day of a March-based year.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(millis)}Z`;
}

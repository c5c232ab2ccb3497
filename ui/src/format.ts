// Dates and numbers as a clerk in Kazakhstan reads them: 31.08.2026 14:05.

/**
 * RFC 3339 timestamp → "dd.mm.yyyy HH:MM" (or just the date) in the office's time.
 * `desk` sends every time already in the office's offset (UTC+5, ARCHITECTURE.md
 * "Time zone"), so the wall-clock digits are read from the text as they are and the
 * PC's own time zone never shifts them (issue 17: one rule for office time).
 */
export function dateTime(iso: string | null | undefined, withTime = true): string {
  if (!iso) return "—";
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(iso);
  if (!m) return iso;
  const date = `${m[3]}.${m[2]}.${m[1]}`;
  return withTime ? `${date} ${m[4]}:${m[5]}` : date;
}

/** "2019-05-03" → "03.05.2019". */
export function isoDate(s: string | null | undefined): string {
  if (!s) return "—";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : s;
}

export function count(n: number | bigint): string {
  return Number(n).toLocaleString("ru-RU").replace(/\u00a0/g, " ");
}

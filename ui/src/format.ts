// Dates and numbers as a clerk in Kazakhstan reads them: 31.08.2026 14:05.
const pad = (n: number) => String(n).padStart(2, "0");

/** RFC 3339 timestamp → local "dd.mm.yyyy HH:MM" (or just the date). */
export function dateTime(iso: string | null | undefined, withTime = true): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const date = `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()}`;
  return withTime ? `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}` : date;
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

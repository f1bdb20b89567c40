// The one way Cellmate writes a moment for people: "2026-12-03 07:04 UTC".
// The same text on the server and in every browser (no locale, no time zone of
// the reader, so a page rendered on the server is not re-rendered differently),
// sortable, and unambiguous between collaborators in different countries.
// Pure: imported by server code and by client components alike.

/** "2026-12-03 07:04 UTC" for a Date or an ISO string; "" for an unreadable one. */
export function formatTimestamp(moment: Date | string): string {
  const date = typeof moment === 'string' ? new Date(moment) : moment;
  if (Number.isNaN(date.getTime())) return '';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The time of day alone, same style, for moments of the last few minutes: "07:04:09 UTC". */
export function formatClockTime(moment: Date | string | number): string {
  const date = new Date(moment);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.toISOString().slice(11, 19)} UTC`;
}

// CSV (RFC 4180): comma-separated, CRLF line ends, fields quoted when they hold a comma, quote or
// line break. A leading =, +, - or @ is prefixed with a quote mark so a spreadsheet does not run
// a certificate subject or a reason as a formula.
export type CsvValue = string | number | boolean | null | undefined;

function field(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

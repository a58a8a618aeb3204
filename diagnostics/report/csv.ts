// CSV (RFC 4180): fields quoted when they hold a comma, quote or line break; CRLF line ends. A field
// a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with a quote mark (OWASP CSV
// injection): user data from CUCM and LDAP ends up here.
export function csvField(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: readonly unknown[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

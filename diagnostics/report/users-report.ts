// The user validation report in `utils users validate all`'s layout (reference/userid-uri-
// troubleshooter.md §2.8, wire-formats §4.9): its four section titles and row labels verbatim, rules of
// 45 and 53 dashes (the last with its trailing space), duplicate user IDs grouped by user ID with the
// nodes the users are homed on, missing and invalid URIs grouped by node, duplicate URIs grouped by
// URI. Across the whole fleet rather than one cluster and its peers. Plus CSV and JSON.
import { csvLine } from './csv';
import { field, type ReportCheck, type ReportItem } from './items';

const RULE_45 = '-'.repeat(45);
const RULE_53 = '-'.repeat(53);

function grouped<T>(items: readonly ReportItem[], key: (i: ReportItem) => string, map: (i: ReportItem) => T): Array<[string, T[]]> {
  const out = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = out.get(k);
    if (list) list.push(map(i));
    else out.set(k, [map(i)]);
  }
  return [...out];
}

const byCheck = (checks: readonly ReportCheck[], id: string) => checks.find((c) => c.checkId === id)?.items.filter((i) => i.status !== 'error') ?? [];

/** The text report: "Users with Duplicate User IDs" (U1), then the three directory URI sections (U2, U4, U3). */
export function usersValidateText(checks: readonly ReportCheck[]): string {
  const lines: string[] = ['Users with Duplicate User IDs', RULE_45];
  for (const [userId, nodes] of grouped(byCheck(checks, 'U1'), (i) => (i.group ?? i.label).toLowerCase(), (i) => ({ node: i.node ?? '', id: i.group ?? i.label }))) {
    lines.push(` User ID: ${nodes[0]?.id ?? userId}`, '  Node Name', ...nodes.map((n) => `  ${n.node}`));
  }
  lines.push('');
  lines.push('Users with No Directory URI Configured', RULE_53);
  for (const [node, users] of grouped(byCheck(checks, 'U2'), (i) => i.node ?? '', (i) => i.label)) {
    lines.push(` Node Name: ${node}`, ' User ID', ...users.map((u) => ` ${u}`));
  }
  lines.push('Users with Invalid Directory URI Configured', RULE_53);
  for (const [node, rows] of grouped(byCheck(checks, 'U4'), (i) => i.node ?? '', (i) => ({ id: i.label, uri: field(i, 'directoryUri') }))) {
    const w = Math.max(10, ...rows.map((r) => r.id.length + 2));
    lines.push(` Node Name: ${node}`, ` ${'User ID'.padEnd(w)}Directory URI`, ...rows.map((r) => ` ${r.id.padEnd(w)}${r.uri}`));
  }
  lines.push('Users with Duplicate Directory URIs', `${RULE_53} `);
  for (const [, rows] of grouped(byCheck(checks, 'U3'), (i) => (i.group ?? '').toLowerCase(), (i) => ({ uri: i.group ?? '', node: i.node ?? '', id: i.label }))) {
    const w = Math.max(12, ...rows.map((r) => r.node.length + 2));
    lines.push(`Directory URI: ${rows[0].uri}`, ` ${'Node Name'.padEnd(w)}User ID`, ...rows.map((r) => ` ${r.node.padEnd(w)}${r.id}`));
  }
  return lines.join('\n') + '\n';
}

export const USERS_CSV_HEADER = ['check', 'test', 'cluster', 'node', 'user_id', 'directory_uri', 'mail_id', 'im_address', 'shared_value', 'detail', 'ldap_directory', 'ldap_dn', 'fix'];

export function usersCsvRow(c: Pick<ReportCheck, 'checkId' | 'title'>, i: ReportItem): string {
  return csvLine([c.checkId, c.title, i.cluster, i.node, field(i, 'userId') || i.label, field(i, 'directoryUri'), field(i, 'mail'), field(i, 'imAddress'), i.group, i.detail, field(i, 'ldapDirectory'), field(i, 'ldapDn'), i.fix]);
}

/** Every flagged user of the user checks, one row each (a user flagged by two checks has two rows). */
export function usersCsv(checks: readonly ReportCheck[]): string {
  let out = csvLine(USERS_CSV_HEADER);
  for (const c of checks) for (const i of c.items) if (i.status !== 'error') out += usersCsvRow(c, i);
  return out;
}

export function usersJson(checks: readonly ReportCheck[], meta: Record<string, unknown>): string {
  return (
    JSON.stringify(
      {
        ...meta,
        checks: checks.map((c) => ({
          id: c.checkId,
          title: c.title,
          status: c.status,
          summary: c.summary,
          problem: c.problem ?? undefined,
          solution: c.solution ?? undefined,
          users: c.items.map((i) => ({ status: i.status, cluster: i.cluster, node: i.node, userId: field(i, 'userId') || i.label, directoryUri: field(i, 'directoryUri') || undefined, mail: field(i, 'mail') || undefined, sharedValue: i.group, detail: i.detail, ldapDn: field(i, 'ldapDn') || undefined, fix: i.fix })),
        })),
      },
      null,
      2,
    ) + '\n'
  );
}

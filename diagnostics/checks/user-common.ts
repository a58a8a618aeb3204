// What the User Troubleshooter checks (U1–U5, IM address collisions) share: the findings computed
// once per run, an affected item per user (cluster, home node, fields, End User Configuration link,
// the LDAP entry when the value comes from LDAP), clusters whose users could not be read, and
// Cisco's remediation wording (reference/userid-uri-troubleshooter.md §2.9).
import { endUserFindLink, endUserLink } from '../fix-links';
import { rowUsesDirectoryUri, type LdapEntry, type UsersDataset } from '../users/dataset';
import { findUserProblems, type UserFindings } from '../users/findings';
import type { AffectedItem, CheckContext, FixLink } from '../types';
import { distinct, errorItem, isImp } from './helpers';

export function usersOf(ctx: CheckContext): UsersDataset | undefined {
  return ctx.data.users;
}

export function findingsOf(ds: UsersDataset): UserFindings {
  ds.findings ??= findUserProblems(ds.table, rowUsesDirectoryUri(ds));
  return ds.findings;
}

/** Error items for the IM&P clusters in scope whose users could not be read. */
export function clusterErrors(ctx: CheckContext, checkId: string): AffectedItem[] {
  const ds = ctx.data.users;
  const out: AffectedItem[] = [];
  for (const c of ctx.clusters.filter(isImp)) {
    const r = ds?.clusters.get(c.name);
    if (!r) out.push(errorItem(checkId, c.name, c.publisher, 'end users not read'));
    else if (!r.ok) out.push(errorItem(checkId, c.name, c.publisher, `end users (AXL): ${r.error?.kind}: ${r.error?.message}`));
  }
  return out;
}

/** Whether a row's cluster is in the run's scope (every cluster's users are read; only those in scope are reported). */
export function inScope(ctx: CheckContext, ds: UsersDataset): (row: number) => boolean {
  const names = new Set(ctx.clusters.map((c) => c.name));
  const byIndex = ds.table.clusters.map((c) => names.has(c));
  return (row) => byIndex[ds.table.cluster[row]];
}

export type LdapField = 'userid' | 'uri' | 'mail';

/** The LDAP entry of a row's user when the offending field's value comes from it. */
export function ldapSource(ds: UsersDataset, row: number, field: LdapField): LdapEntry | undefined {
  const e = ds.ldap?.byUserId.get(ds.table.userid[row].toLowerCase());
  if (!e) return undefined;
  const t = ds.table;
  const eq = (a: string | undefined, b: string) => (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();
  if (field === 'userid') return eq(e.userId, t.userid[row]) ? e : undefined;
  // A directory URI mapped from LDAP is the entry's mail attribute (Directory URI → mail, EN s4495);
  // an empty URI comes from LDAP when the entry has no mail.
  if (field === 'uri') return eq(e.mail, t.uri[row]) ? e : undefined;
  return eq(e.mail, t.mail[row]) ? e : undefined;
}

/** Per dataset and cluster index: the End User Configuration link of a pkid (thousands of items share a few clusters). */
const linkMakers = new WeakMap<UsersDataset, Map<number, ((pkid: string) => string | undefined) | undefined>>();

function linkMaker(ctx: CheckContext, ds: UsersDataset, ci: number): ((pkid: string) => string | undefined) | undefined {
  let m = linkMakers.get(ds);
  if (!m) linkMakers.set(ds, (m = new Map()));
  if (!m.has(ci)) {
    const cluster = ctx.inventory.clusters.find((c) => c.name === ds.table.clusters[ci]);
    const base = cluster && endUserLink(ctx.inventory, cluster, 'KEY');
    m.set(ci, base ? (pkid: string) => (pkid ? base.replace('KEY', encodeURIComponent(pkid)) : undefined) : undefined);
  }
  return m.get(ci);
}

export function userItem(
  ctx: CheckContext,
  ds: UsersDataset,
  row: number,
  o: { checkId: string; group?: string; detail?: string; ldapField?: LdapField; field?: string },
): AffectedItem {
  const t = ds.table;
  const clusterName = t.clusterName(row);
  const ldap = o.ldapField && ds.ldap ? ldapSource(ds, row, o.ldapField) : undefined;
  const userid = t.userid[row];
  return {
    kind: 'user',
    key: `${(o.group ?? '').toLowerCase()}|${clusterName}|${userid.toLowerCase()}|${t.pkid[row]}`,
    status: 'failed',
    cluster: clusterName,
    node: t.nodeName(row),
    label: userid,
    group: o.group,
    detail: o.detail,
    fix: linkMaker(ctx, ds, t.cluster[row])?.(t.pkid[row]),
    data: {
      userId: userid,
      directoryUri: t.uri[row],
      mail: t.mail[row],
      imAddress: t.imAddress(row),
      pkid: t.pkid[row],
      ...(o.field ? { field: o.field } : {}),
      ...(ldap ? { ldapDirectory: ldap.directory, ldapDn: ldap.dn } : {}),
    },
  };
}

/** The clusters' End User Configuration `fix` links for the affected items. */
export function endUserFixes(ctx: CheckContext, items: readonly AffectedItem[]): FixLink[] {
  const out: FixLink[] = [];
  for (const name of distinct(items.filter((i) => i.kind === 'user').map((i) => i.cluster!))) {
    const c = ctx.inventory.clusters.find((x) => x.name === name);
    const link = c && endUserFindLink(ctx.inventory, c);
    if (link && !out.some((l) => l.url === link.url)) out.push(link);
  }
  return out;
}

/** Cisco's LDAP note, with the entries when IMPulse found the values in a directory. */
export function ldapSolution(items: readonly AffectedItem[]): string {
  const fromLdap = items.filter((i) => i.data?.ldapDn);
  const base = 'The user ID and directory URI fields in the user profile may be mapped to the LDAP Directory. In that case, apply the fix in the LDAP Directory server.';
  if (!fromLdap.length) return base;
  const n = fromLdap.length;
  const dns = [...new Set(fromLdap.map((i) => String(i.data!.ldapDn)))];
  return `${base} ${n === 1 ? 'This value comes' : `${n} of these values come`} from LDAP: apply the fix in the LDAP Directory server (${dns.length === 1 ? 'entry' : 'entries'} ${dns.slice(0, 3).join('; ')}${dns.length > 3 ? '; …' : ''}).`;
}

/** "Directory URI" alarms by scheme (EN s11561–11584): alert under Directory URI, warning under UserID@Default_Domain. */
export function uriAlarmNote(ctx: CheckContext, items: readonly AffectedItem[], alert: string, warning: string): string {
  const ds = ctx.data.users;
  const schemes = distinct(items.map((i) => ds?.clusters.get(i.cluster ?? '')?.addressing?.scheme).filter(Boolean));
  if (schemes.includes('Directory URI')) return `${alert}: take immediate action to correct the issue (Directory URI IM address scheme).`;
  return `${warning}: with the UserID@[Default_Domain] IM address scheme no immediate action is required; however, Cisco recommends that you resolve the issue.`;
}

export const RERUN = 'Then run the troubleshooter (or impulse validate-users) again to ensure that there are no more errors.';

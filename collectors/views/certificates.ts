// The certificates page (/certificates): every certificate seen, from the TLS ports and the CLI
// inventory, one row per certificate (the same certificate served on a port and listed by the CLI
// is one row that says both); expired and expiring first; sortable, filterable, CSV.
import { toCsv } from './csv';
import { daysUntil, FleetIndex, natural, nodeHref, sourceState, type FleetInput } from './readings';
import { one, oneOf, positiveInt, type RawQuery, type SortDir } from './query';

export type CertStatus = 'expired' | 'critical' | 'warning' | 'ok';

export interface CertificateRow {
  /** Anchor id: cluster/node/serial. */
  id: string;
  cluster: string;
  node: string;
  nodeHref: string;
  unit: string;
  store: 'own' | 'trust';
  subject: string;
  issuer: string;
  sans: string[];
  serial: string;
  notBefore: number;
  notAfter: number;
  daysLeft: number;
  selfSigned: boolean;
  /** Where it was seen: a TLS port, a CLI file. */
  seen: { source: 'tls' | 'cli'; port?: string; file?: string }[];
  /** TLS verification against the cluster's trust settings; "not served" when only the CLI lists it. */
  verification: 'verified' | 'not verified' | 'not served';
  status: CertStatus;
  /** Epoch ms of the poll that read it. */
  at?: number;
}

export const CERT_SORTS = ['status', 'cluster', 'node', 'unit', 'subject', 'issuer', 'notAfter', 'daysLeft', 'signed', 'verification'] as const;
export type CertSort = (typeof CERT_SORTS)[number];
export const CERT_STATUS_FILTERS = ['all', 'expired', 'expiring', 'ok'] as const;

export interface CertificateFilter {
  cluster?: string;
  node?: string;
  unit?: string;
  status: (typeof CERT_STATUS_FILTERS)[number];
  /** Free text over subject, issuer, SANs, unit, node, serial. */
  q?: string;
  sort: CertSort;
  dir: SortDir;
  limit: number;
}

export const CERT_PAGE = 200;

export function parseCertificateFilter(q: RawQuery): CertificateFilter {
  return {
    cluster: one(q, 'cluster'),
    node: one(q, 'node'),
    unit: one(q, 'unit'),
    status: oneOf(q, 'status', CERT_STATUS_FILTERS, 'all'),
    q: one(q, 'q'),
    sort: oneOf(q, 'sort', CERT_SORTS, 'status'),
    dir: oneOf(q, 'dir', ['asc', 'desc'] as const, 'asc'),
    limit: positiveInt(q, 'limit', CERT_PAGE, 100_000),
  };
}

const STATUS_RANK: Record<CertStatus, number> = { expired: 0, critical: 1, warning: 2, ok: 3 };

/** Rows of every node with a fresh certificates observation (optionally one cluster or node). */
export function certificateRows(idx: FleetIndex, scope: { cluster?: string; node?: string } = {}): CertificateRow[] {
  const t = idx.thresholds;
  const rows: CertificateRow[] = [];
  for (const c of idx.input.inventory.clusters) {
    if (scope.cluster && c.name !== scope.cluster) continue;
    for (const n of c.nodes) {
      if (scope.node && n.name !== scope.node) continue;
      const r = idx.certificates(c.name, n.name);
      const byId = new Map<string, CertificateRow>();
      for (const cert of r.value?.certificates ?? []) {
        const key = cert.serial || `${cert.unit}/${cert.file ?? cert.port}`;
        const seen = { source: cert.source, port: cert.port || undefined, file: cert.file };
        const existing = byId.get(key);
        if (existing) {
          existing.seen.push(seen);
          if (cert.source === 'tls') existing.verification = cert.trusted ? 'verified' : 'not verified';
          // The CLI names the unit the certificate belongs to (tomcat-ECDSA, ipsec…); keep the more specific name.
          if (cert.source === 'cli') existing.unit = cert.unit;
          continue;
        }
        const daysLeft = daysUntil(cert.notAfter, idx.now);
        const status: CertStatus = cert.notAfter <= idx.now ? 'expired' : daysLeft <= t.certificateCriticalDays ? 'critical' : daysLeft <= t.certificateWarningDays ? 'warning' : 'ok';
        byId.set(key, {
          id: `${c.name}/${n.name}/${key}`,
          cluster: c.name,
          node: n.name,
          nodeHref: nodeHref(c.name, n.name),
          unit: cert.unit,
          store: cert.store,
          subject: cert.subject,
          issuer: cert.issuer,
          sans: cert.sans,
          serial: cert.serial,
          notBefore: cert.notBefore,
          notAfter: cert.notAfter,
          daysLeft,
          selfSigned: cert.selfSigned,
          seen: [seen],
          verification: cert.source === 'tls' ? (cert.trusted ? 'verified' : 'not verified') : 'not served',
          status,
          at: r.at,
        });
      }
      rows.push(...byId.values());
    }
  }
  return rows;
}

function compare(a: CertificateRow, b: CertificateRow, sort: CertSort): number {
  switch (sort) {
    case 'status':
      return STATUS_RANK[a.status] - STATUS_RANK[b.status] || a.notAfter - b.notAfter;
    case 'cluster':
      return natural(a.cluster, b.cluster);
    case 'node':
      return natural(a.node, b.node);
    case 'unit':
      return natural(a.unit, b.unit);
    case 'subject':
      return natural(a.subject, b.subject);
    case 'issuer':
      return natural(a.issuer, b.issuer);
    case 'notAfter':
    case 'daysLeft':
      return a.notAfter - b.notAfter;
    case 'signed':
      return Number(a.selfSigned) - Number(b.selfSigned);
    case 'verification':
      return natural(a.verification, b.verification);
  }
}

export function filterCertificates(rows: CertificateRow[], f: CertificateFilter): CertificateRow[] {
  const q = f.q?.toLowerCase();
  const out = rows.filter(
    (r) =>
      (!f.cluster || r.cluster === f.cluster) &&
      (!f.node || r.node === f.node) &&
      (!f.unit || r.unit.toLowerCase() === f.unit.toLowerCase()) &&
      (f.status === 'all' || (f.status === 'expired' ? r.status === 'expired' : f.status === 'expiring' ? r.status === 'critical' || r.status === 'warning' : r.status === 'ok')) &&
      (!q || [r.subject, r.issuer, r.unit, r.node, r.cluster, r.serial, ...r.sans].some((s) => s.toLowerCase().includes(q))),
  );
  const sign = f.dir === 'desc' ? -1 : 1;
  // Ties fall back to the default order: worst first, then cluster, node, unit.
  return out.sort((a, b) => sign * compare(a, b, f.sort) || compare(a, b, 'status') || natural(a.cluster, b.cluster) || natural(a.node, b.node) || natural(a.unit, b.unit));
}

export interface CertificatesModel {
  filter: CertificateFilter;
  rows: CertificateRow[];
  /** Matching rows before the page limit. */
  total: number;
  counts: Record<CertStatus, number>;
  /** Choices for the filter controls. */
  clusters: string[];
  nodes: string[];
  units: string[];
  /** Nodes whose certificates are not current (stale, failing), said plainly instead of listing old rows. */
  unreadable: { cluster: string; node: string; state: string; error?: string; at?: number }[];
  pending: number;
}

export function certificatesModel(input: FleetInput, q: RawQuery): CertificatesModel {
  const idx = new FleetIndex(input);
  const filter = parseCertificateFilter(q);
  const all = certificateRows(idx);
  const matching = filterCertificates(all, filter);
  const counts: Record<CertStatus, number> = { expired: 0, critical: 0, warning: 0, ok: 0 };
  for (const r of matching) counts[r.status]++;
  const unreadable: CertificatesModel['unreadable'] = [];
  let pending = 0;
  for (const o of input.observations) {
    if (o.source !== 'certificates') continue;
    if (filter.cluster && o.cluster !== filter.cluster) continue;
    if (filter.node && o.node !== filter.node) continue;
    const st = sourceState(o);
    if (st === 'pending') pending++;
    else if (st !== 'fresh') unreadable.push({ cluster: o.cluster, node: o.node, state: st, error: o.error && `${o.error.kind}: ${o.error.message}`, at: o.at });
  }
  return {
    filter,
    rows: matching.slice(0, filter.limit),
    total: matching.length,
    counts,
    clusters: input.inventory.clusters.map((c) => c.name),
    nodes: input.inventory.nodes.filter((n) => !filter.cluster || n.cluster === filter.cluster).map((n) => n.name),
    units: [...new Set(all.map((r) => r.unit))].sort(natural),
    unreadable,
    pending,
  };
}

export function certificatesCsv(input: FleetInput, q: RawQuery): string {
  const idx = new FleetIndex(input);
  const rows = filterCertificates(certificateRows(idx), parseCertificateFilter(q));
  return toCsv(
    ['cluster', 'node', 'unit', 'store', 'subject', 'issuer', 'sans', 'serial', 'not_before', 'not_after', 'days_left', 'signed', 'verification', 'seen', 'status'],
    rows.map((r) => [
      r.cluster,
      r.node,
      r.unit,
      r.store,
      r.subject.replace(/\n/g, ', '),
      r.issuer.replace(/\n/g, ', '),
      r.sans.join(' '),
      r.serial,
      new Date(r.notBefore).toISOString(),
      new Date(r.notAfter).toISOString(),
      r.daysLeft,
      r.selfSigned ? 'self-signed' : 'CA-signed',
      r.verification,
      r.seen.map((s) => (s.source === 'tls' ? `tls:${s.port}` : `cli:${s.file ?? ''}`)).join(' '),
      r.status,
    ]),
  );
}

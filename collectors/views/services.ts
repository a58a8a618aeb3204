// The services page (/services): per cluster a matrix of services × nodes with status and reason
// verbatim (Control Center, or `utils service list` when SOAP is down), filters for services not
// started and for the HA critical services (ha.md §3.1), and a CSV of the same rows.
import { HA_CRITICAL_SERVICES } from '../ha-pairs';
import { toCsv } from './csv';
import { clusterHref, FleetIndex, natural, nodeHref, type FleetInput, type SourceState } from './readings';
import { flag, one, type RawQuery } from './query';
import { notActivated, shouldRun } from './service-rules';

export interface ServicesFilter {
  cluster?: string;
  node?: string;
  /** Only services that are activated and not Started on some node. */
  notStarted: boolean;
  /** Only the HA critical services. */
  critical: boolean;
  /** Service name contains. */
  q?: string;
}

export interface ServiceCell {
  status: string;
  reason: string | null;
  reasonCode: number | null;
  notActivated: boolean;
  /** Not Started although it should run. */
  problem: boolean;
  uptimeSeconds: number | null;
}

export interface MatrixNode {
  name: string;
  href: string;
  state: SourceState;
  at?: number;
  error?: string;
  via?: 'controlcenter' | 'cli';
}

export interface MatrixRow {
  service: string;
  critical: boolean;
  /** One per node of the matrix; null: the node does not list this service (or could not be read). */
  cells: (ServiceCell | null)[];
}

export interface ClusterMatrix {
  cluster: string;
  href: string;
  product: 'cucm' | 'imp';
  nodes: MatrixNode[];
  rows: MatrixRow[];
  /** Services (rows before filtering) and cells not started although they should run. */
  serviceCount: number;
  problems: number;
  /** Rows left out to keep a large fleet readable (all fine): the page links to the cluster's matrix. */
  collapsed: boolean;
}

export interface ServicesModel {
  filter: ServicesFilter;
  matrices: ClusterMatrix[];
  clusters: string[];
  nodes: string[];
  /** Whether clusters without problems are collapsed (many clusters, no narrowing filter). */
  collapsing: boolean;
}

/** Clusters shown in full without a filter; beyond this, clusters where everything runs are collapsed. */
export const EXPANDED_CLUSTERS = 4;

export function parseServicesFilter(q: RawQuery): ServicesFilter {
  return { cluster: one(q, 'cluster'), node: one(q, 'node'), notStarted: flag(q, 'notStarted'), critical: flag(q, 'critical'), q: one(q, 'q') };
}

const notStartedCell = (c: ServiceCell | null) => c !== null && c.status !== 'Started' && !c.notActivated;

function matrices(input: FleetInput, f: ServicesFilter): ClusterMatrix[] {
  const idx = new FleetIndex(input);
  const now = input.now;
  const out: ClusterMatrix[] = [];
  for (const c of input.inventory.clusters) {
    if (f.cluster && c.name !== f.cluster) continue;
    const nodes = c.nodes.filter((n) => !f.node || n.name === f.node);
    if (!nodes.length) continue;
    const perNode = nodes.map((n) => idx.services(c.name, n.name));
    const names = new Set<string>();
    for (const r of perNode) for (const s of r.value?.services ?? []) names.add(s.name);
    let problems = 0;
    const rows: MatrixRow[] = [...names].sort(natural).map((service) => {
      const critical = c.product === 'imp' && (HA_CRITICAL_SERVICES as readonly string[]).includes(service);
      const cells = nodes.map((n, i): ServiceCell | null => {
        const s = perNode[i].value?.services.find((x) => x.name === service);
        if (!s) return null;
        const problem = s.status !== 'Started' && shouldRun(s, n.product);
        if (problem) problems++;
        return {
          status: s.status,
          reason: s.reason,
          reasonCode: s.reasonCode,
          notActivated: notActivated(s),
          problem,
          uptimeSeconds: s.startTime !== null ? Math.max(0, now / 1000 - s.startTime) : null,
        };
      });
      return { service, critical, cells };
    });
    const q = f.q?.toLowerCase();
    const kept = rows
      .filter((r) => !f.critical || r.critical)
      .filter((r) => !f.notStarted || r.cells.some(notStartedCell))
      .filter((r) => !q || r.service.toLowerCase().includes(q))
      // HA critical services first on IM&P: the ones an operator checks first.
      .sort((a, b) => Number(b.critical) - Number(a.critical) || natural(a.service, b.service));
    out.push({
      cluster: c.name,
      href: clusterHref(c.name),
      product: c.product,
      nodes: nodes.map((n, i) => ({
        name: n.name,
        href: `${nodeHref(c.name, n.name)}#services`,
        state: perNode[i].state,
        at: perNode[i].at,
        error: perNode[i].state === 'failing' && perNode[i].error ? `${perNode[i].error!.kind}: ${perNode[i].error!.message}` : undefined,
        via: perNode[i].value?.via,
      })),
      rows: kept,
      serviceCount: rows.length,
      problems,
      collapsed: false,
    });
  }
  return out;
}

export function servicesModel(input: FleetInput, q: RawQuery): ServicesModel {
  const filter = parseServicesFilter(q);
  const list = matrices(input, filter);
  const collapsing = !filter.cluster && !filter.node && !filter.notStarted && !filter.critical && !filter.q && list.length > EXPANDED_CLUSTERS;
  if (collapsing) {
    for (const m of list) {
      if (m.problems === 0 && m.nodes.every((n) => n.state === 'fresh')) {
        m.collapsed = true;
        m.rows = [];
      }
    }
  }
  return {
    filter,
    matrices: list,
    clusters: input.inventory.clusters.map((c) => c.name),
    nodes: input.inventory.nodes.filter((n) => !filter.cluster || n.cluster === filter.cluster).map((n) => n.name),
    collapsing,
  };
}

export function servicesCsv(input: FleetInput, q: RawQuery): string {
  const filter = parseServicesFilter(q);
  const rows: (string | number | null)[][] = [];
  for (const m of matrices(input, filter)) {
    for (const r of m.rows) {
      r.cells.forEach((cell, i) => {
        if (!cell) return;
        if (filter.notStarted && !notStartedCell(cell)) return;
        rows.push([m.cluster, m.nodes[i].name, r.service, cell.status, cell.reason, cell.reasonCode, r.critical ? 'yes' : 'no', cell.uptimeSeconds === null ? null : Math.round(cell.uptimeSeconds)]);
      });
    }
  }
  return toCsv(['cluster', 'node', 'service', 'status', 'reason', 'reason_code', 'ha_critical', 'uptime_seconds'], rows);
}

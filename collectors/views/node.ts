// The node page (/clusters/[cluster]/nodes/[node]): the node's figures, its services with status,
// reason and uptime, its certificates, the last error of every source (with the rows a parser
// could not read), its presence redundancy group and its events. Charts: views/charts.ts.
import type { SourceName } from '../../config/schema';
import type { EventRecord } from '../history/types';
import { freshness, type Freshness } from './freshness';
import { certificateRows, type CertificateRow } from './certificates';
import { haGroups, type HaGroup } from './ha-groups';
import { nodeSummary, type NodeSummary } from './node-summary';
import { fleetProblems, nodeKey, type ProblemOptions } from './problems';
import { clusterHref, eventLog, FleetIndex, natural, parseProblems, sourceState, type FleetInput, type ParseProblem, type SourceState } from './readings';
import { isHaCritical, notActivated, shouldRun } from './service-rules';

export interface ServiceRow {
  name: string;
  status: string;
  reason: string | null;
  reasonCode: number | null;
  /** Seconds since the service started (Control Center only). */
  uptimeSeconds: number | null;
  critical: boolean;
  /** Not activated on this node: not meant to run. */
  notActivated: boolean;
  /** Not started although it should run. */
  problem: boolean;
}

export interface SourceDetail {
  source: SourceName;
  state: SourceState;
  intervalMs: number;
  at?: number;
  lastAttemptAt?: number;
  durationMs?: number;
  failures: number;
  error?: { kind: string; message: string; at: number };
  /** Rows a CLI parser could not read in the latest output. */
  parseProblems: ParseProblem[];
  /** Parts of the poll that failed while the rest was read (e.g. one certificate port). */
  partialErrors: { what: string; kind: string; message: string }[];
}

export interface NodeModel {
  summary: NodeSummary;
  cluster: { name: string; href: string; product: 'cucm' | 'imp' };
  services: { state: SourceState; at?: number; via?: 'controlcenter' | 'cli'; fallbackReason?: string; rows: ServiceRow[] };
  certificates: { state: SourceState; at?: number; rows: CertificateRow[] };
  sources: SourceDetail[];
  group?: HaGroup;
  events: { available: boolean; reason?: string; rows: EventRecord[]; total: number };
  sinceBasis: 'events' | 'observations';
  freshness: Freshness;
}

const SOURCE_ORDER: SourceName[] = ['perfmon', 'services', 'ha', 'replication', 'certificates', 'peers', 'users', 'inventory'];

export function nodeModel(input: FleetInput, clusterName: string, nodeName: string, opts: ProblemOptions = {}): NodeModel | undefined {
  const idx = new FleetIndex(input);
  const cluster = idx.cluster(clusterName);
  const node = idx.node(clusterName, nodeName);
  if (!cluster || !node) return undefined;
  const { problems, sinceBasis, health } = fleetProblems(idx, { ...opts, cluster: cluster.name });
  const mine = problems.filter((p) => p.cluster === cluster.name && p.nodes.includes(node.name));
  const summary = nodeSummary(idx, node, health.get(nodeKey(cluster.name, node.name)) ?? 'unknown', mine);

  const svc = idx.services(cluster.name, node.name);
  const now = input.now;
  const rows: ServiceRow[] = (svc.value?.services ?? [])
    .map((s) => ({
      name: s.name,
      status: s.status,
      reason: s.reason,
      reasonCode: s.reasonCode,
      uptimeSeconds: s.startTime !== null ? Math.max(0, now / 1000 - s.startTime) : null,
      critical: isHaCritical(s.name, node.product),
      notActivated: notActivated(s),
      problem: s.status !== 'Started' && shouldRun(s, node.product),
    }))
    // Problems first, then HA critical services, then by name.
    .sort((a, b) => Number(b.problem) - Number(a.problem) || Number(b.critical) - Number(a.critical) || natural(a.name, b.name));

  const certs = idx.certificates(cluster.name, node.name);
  const sources = idx
    .observations(cluster.name, node.name)
    .sort((a, b) => SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source))
    .map((o): SourceDetail => ({
      source: o.source,
      state: sourceState(o),
      intervalMs: o.intervalMs,
      at: o.at,
      lastAttemptAt: o.lastAttemptAt,
      durationMs: o.durationMs,
      failures: o.failures,
      error: o.error && { ...o.error },
      parseProblems: parseProblems(o),
      partialErrors: o.source === 'certificates' && o.ok ? ((o.value as { errors?: SourceDetail['partialErrors'] } | undefined)?.errors ?? []) : [],
    }));

  const log = eventLog(input);
  let events: NodeModel['events'] = { available: false, reason: input.events ? `The event log is unavailable: ${input.events.status().reason ?? 'no reason given'}.` : 'The event log is not available (no database).', rows: [], total: 0 };
  if (log) {
    try {
      events = { available: true, rows: log.list({ cluster: cluster.name, node: node.name, limit: 50 }), total: log.count({ cluster: cluster.name, node: node.name }) };
    } catch (err) {
      events = { available: false, reason: `The event log could not be read: ${(err as Error).message}`, rows: [], total: 0 };
    }
  }

  return {
    summary,
    cluster: { name: cluster.name, href: clusterHref(cluster.name), product: cluster.product },
    services: { state: svc.state, at: svc.at, via: svc.value?.via, fallbackReason: svc.value?.fallbackReason, rows },
    certificates: { state: certs.state, at: certs.at, rows: certificateRows(idx, { cluster: cluster.name, node: node.name }) },
    sources,
    group: node.group || node.product === 'imp' ? haGroups(idx, cluster.name).find((g) => g.nodes.some((n) => n.node === node.name)) : undefined,
    events,
    sinceBasis,
    freshness: freshness(input.observations, input.now, (o) => o.cluster === cluster.name && o.node === node.name),
  };
}

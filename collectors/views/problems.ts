// "What is wrong now" across the fleet: every problem the latest fresh observations show, each
// naming its cluster, node, what is wrong in Cisco's words and since when, ordered worst first.
// Node health is the worst of the problems that touch the node.
import type { ObservationView } from '../engine/store';
import { REPLICATION_SETUP_SUBJECT, REPLICATION_STATUS_SUBJECT } from '../history/events';
import type { EventKind, EventLog, StateSince } from '../history/types';
import { JSM_CAPACITY_COUNTERS, JSM_SESSION_CAPACITY } from '../sources/perfmon-counters';
import { haGroups, nodesNotNormal } from './ha-groups';
import { worst, severityRank, type Health, type Severity } from './health';
import { DAY_MS, daysUntil, eventLog, natural, nodeHref, sample, samples, sourceState, type FleetIndex } from './readings';
import { UNREACHABLE_KINDS } from './unreachable';
import { isHaCritical, shouldRun } from './service-rules';
import { replicationMeaning } from './vocabulary';
import { commonName } from './format';

export type ProblemKind = 'unreachable' | 'ha' | 'service' | 'replication' | 'certificate' | 'capacity' | 'peer' | 'collection';

/**
 * How "since" was found: event = the event log's record of the change; first-seen = the event log
 * first saw it already in this state (so: at least since then); observed = only the
 * latest observation's time is known (no event log, or the change predates it); last-success =
 * no poll has succeeded since then; never = none ever did; expiry = a certificate's date.
 */
export type SinceBasis = 'event' | 'first-seen' | 'observed' | 'last-success' | 'never' | 'expiry';

export interface Problem {
  /** Stable key (kind, cluster, node, subject): rows keep their identity across live refreshes. */
  id: string;
  kind: ProblemKind;
  severity: Severity;
  cluster: string;
  /** The node to open. */
  node: string;
  /** Every node whose health this problem sets. */
  nodes: string[];
  /** What it concerns: a service, a group, a certificate unit, a replication server, a source. */
  subject: string;
  /** One line, Cisco's words where they exist. */
  what: string;
  /** Reason, Cisco's cause, error message. */
  detail: string;
  /** The state as the event log would record it (matches EventRecord.to). */
  state: string;
  since?: number;
  sinceBasis: SinceBasis;
  href: string;
  /** The node name the event log records this under, when it differs (a replication server as the publisher prints it). */
  eventNode?: string;
}

export interface QueueTrend {
  first: number;
  last: number;
  /** Span of the points, ms. */
  spanMs: number;
  growing: boolean;
}

export interface ProblemOptions {
  /** Replication queue trends by `${cluster}\0${server}` (from history, when available). */
  queueTrends?: ReadonlyMap<string, QueueTrend>;
  /** Only this cluster (the cluster and node pages). */
  cluster?: string;
}

const KIND_ORDER: readonly ProblemKind[] = ['unreachable', 'ha', 'service', 'replication', 'certificate', 'capacity', 'peer', 'collection'];

const pct = (v: number) => `${Math.round(v)} %`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function collectProblems(idx: FleetIndex, opts: ProblemOptions = {}): Problem[] {
  const out: Problem[] = [];
  const t = idx.thresholds;
  const add = (p: Omit<Problem, 'id' | 'href' | 'nodes'> & { nodes?: string[]; href?: string }) =>
    out.push({ ...p, id: `${p.kind}\u0000${p.cluster}\u0000${p.node}\u0000${p.subject}`, nodes: p.nodes ?? [p.node], href: p.href ?? nodeHref(p.cluster, p.node) });
  const unreachable = new Set<string>();

  for (const cluster of idx.input.inventory.clusters) {
    if (opts.cluster !== undefined && cluster.name !== opts.cluster) continue;
    // ---- collection: a node that answers nothing, or sources that fail or fall behind
    for (const n of cluster.nodes) {
      const obs = idx.observations(cluster.name, n.name);
      const attempted = obs.filter((o) => sourceState(o) !== 'pending');
      if (unreachableNow(attempted)) {
        const failing = attempted.filter((o) => sourceState(o) === 'failing');
        unreachable.add(n.name);
        const kinds = [...new Set(failing.map((o) => o.error!.kind))].join(', ');
        const lastSuccess = Math.max(0, ...attempted.map((o) => o.at ?? 0));
        add({
          kind: 'unreachable', severity: 'critical', cluster: cluster.name, node: n.name, subject: 'node',
          what: `Node unreachable (${kinds})`, detail: `${failing.map((o) => o.source).join(', ')} failing: ${failing[0].error!.message}`, state: 'unreachable',
          since: lastSuccess || undefined, sinceBasis: lastSuccess ? 'last-success' : 'never',
        });
        continue;
      }
      for (const o of attempted) {
        const st = sourceState(o);
        if (st === 'failing') {
          add({
            kind: 'collection', severity: 'warning', cluster: cluster.name, node: n.name, subject: o.source,
            what: `${o.source} collection failing (${o.error?.kind ?? 'error'})`, detail: o.error?.message ?? '', state: o.error?.kind ?? 'failing',
            since: o.at, sinceBasis: o.at ? 'last-success' : 'never',
          });
        } else if (st === 'stale') {
          add({
            kind: 'collection', severity: 'warning', cluster: cluster.name, node: n.name, subject: o.source,
            what: `${o.source} data is stale (polls are late)`, detail: `no successful poll for ${Math.round((idx.now - (o.at ?? idx.now)) / 1000)} s; interval ${Math.round(o.intervalMs / 1000)} s`,
            state: 'stale', since: o.at, sinceBasis: 'last-success',
          });
        }
      }
    }

    // ---- HA: each presence redundancy group as a pair (Cisco's table)
    for (const g of haGroups(idx, cluster.name)) {
      const v = g.verdict;
      if (!v || v.severity === 'ok') continue;
      const affected = nodesNotNormal(g);
      const primary = g.nodes.find((n) => n.node === v.node1) ?? g.nodes.find((n) => affected.includes(n.node)) ?? g.nodes[0];
      const other = g.nodes.find((n) => n !== primary);
      const describe = (n: typeof primary) => (n.unreachable ? `${n.node} not answering` : `${n.node} ${n.state ?? 'state unknown'}${n.reason ? ` (${n.reason})` : ''}`);
      add({
        kind: 'ha', severity: v.severity, cluster: cluster.name, node: primary.node, subject: g.name,
        nodes: affected.length ? affected : [primary.node],
        what: `HA ${g.name}: ${describe(primary)}`,
        detail: `${other ? `Peer ${describe(other)}. ` : ''}${v.row ? `Cisco ${v.row}: ` : ''}${v.cause}`,
        state: primary.state ?? 'unknown', since: primary.at, sinceBasis: 'observed',
        href: `/ha?cluster=${encodeURIComponent(cluster.name)}#${encodeURIComponent(`${cluster.name}/${g.name}`)}`,
      });
    }

    for (const n of cluster.nodes) {
      if (unreachable.has(n.name)) continue;
      // ---- services that should run and do not
      const svc = idx.services(cluster.name, n.name);
      for (const s of svc.value?.services ?? []) {
        if (s.status === 'Started') continue;
        if (!shouldRun(s, n.product)) continue;
        const critical = isHaCritical(s.name, n.product);
        const severity: Severity = s.status === 'Starting' || s.status === 'Stopping' ? 'info' : critical ? 'critical' : 'warning';
        add({
          kind: 'service', severity, cluster: cluster.name, node: n.name, subject: s.name,
          what: `${s.name} ${s.status}${critical ? ' (HA critical service)' : ''}`, detail: s.reason ?? '', state: s.status,
          since: svc.at, sinceBasis: 'observed', href: `${nodeHref(cluster.name, n.name)}#services`,
        });
      }
      // ---- certificates expiring or expired (one problem per certificate, seen by TLS or CLI)
      const certs = idx.certificates(cluster.name, n.name);
      const seen = new Set<string>();
      for (const c of certs.value?.certificates ?? []) {
        const id = c.serial || `${c.unit}/${c.file ?? c.port}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const days = daysUntil(c.notAfter, idx.now);
        if (days > t.certificateWarningDays) continue;
        const expired = c.notAfter <= idx.now;
        add({
          kind: 'certificate', severity: expired || days <= t.certificateCriticalDays ? 'critical' : 'warning', cluster: cluster.name, node: n.name, subject: c.unit,
          what: expired ? `Certificate ${c.unit} expired ${plural(Math.floor((idx.now - c.notAfter) / DAY_MS), 'day')} ago` : `Certificate ${c.unit} expires in ${plural(days, 'day')}`,
          detail: `${commonName(c.subject)}; not after ${new Date(c.notAfter).toISOString().slice(0, 10)}`,
          state: expired ? 'expired' : 'expiring', since: c.notAfter, sinceBasis: 'expiry',
          href: `/certificates?cluster=${encodeURIComponent(cluster.name)}&node=${encodeURIComponent(n.name)}&q=${encodeURIComponent(c.unit)}`,
        });
      }
      // ---- capacity over the configured thresholds
      const perf = idx.perfmon(cluster.name, n.name);
      const p = perf.value;
      if (p) {
        const cpu = sample(p, 'Processor', '% CPU Time', '_Total');
        if (cpu !== undefined && cpu > t.cpuWarningPercent) {
          add({ kind: 'capacity', severity: 'warning', cluster: cluster.name, node: n.name, subject: 'cpu', what: `CPU ${pct(cpu)} (threshold ${pct(t.cpuWarningPercent)})`, detail: 'Processor(_Total)\\% CPU Time', state: 'over', since: perf.at, sinceBasis: 'observed' });
        }
        for (const s of samples(p, 'Partition', '% Used')) {
          if (s.value > t.partitionUsedWarningPercent) {
            add({ kind: 'capacity', severity: 'warning', cluster: cluster.name, node: n.name, subject: `partition ${s.instance ?? ''}`, what: `Partition ${s.instance ?? ''} ${pct(s.value)} used (threshold ${pct(t.partitionUsedWarningPercent)})`, detail: `Partition(${s.instance ?? ''})\\% Used`, state: 'over', since: perf.at, sinceBasis: 'observed' });
          }
        }
        if (n.product === 'imp') {
          const jsm = JSM_CAPACITY_COUNTERS.map((c) => sample(p, 'Cisco XCP JSM', c)).filter((v): v is number => v !== undefined);
          const exceeds = sample(p, 'Cisco XCP JSM', 'JSMSessionsExceedsThreshold');
          const ratio = jsm.length ? jsm.reduce((a, b) => a + b, 0) / JSM_SESSION_CAPACITY : undefined;
          if ((ratio !== undefined && ratio > t.jsmSessionsWarningRatio) || (exceeds ?? 0) > 0) {
            add({
              kind: 'capacity', severity: 'warning', cluster: cluster.name, node: n.name, subject: 'jsm',
              what: ratio !== undefined ? `JSM sessions at ${pct(ratio * 100)} of capacity (threshold ${pct(t.jsmSessionsWarningRatio * 100)})` : 'JSMSessionsExceedsThreshold raised',
              detail: `${(exceeds ?? 0) > 0 ? 'Cisco XCP JSM\\JSMSessionsExceedsThreshold is set. ' : ''}Capacity ${JSM_SESSION_CAPACITY.toLocaleString('en')} sessions (1.5 × a 25K OVA).`,
              state: 'over', since: perf.at, sinceBasis: 'observed',
            });
          }
        }
      }
    }

    // ---- replication, as the publisher sees it
    const rep = idx.replication(cluster.name);
    if (rep.value && !unreachable.has(cluster.publisher)) {
      const r = rep.value;
      if (r.status !== 'ok') {
        add({
          kind: 'replication', severity: r.status === 'db-not-running' ? 'critical' : 'warning', cluster: cluster.name, node: cluster.publisher, subject: REPLICATION_STATUS_SUBJECT,
          what: r.status === 'db-not-running' ? 'Replication state cannot be read: Cisco DB is not running' : 'Replication state cannot be read: single active node',
          detail: r.message ?? '', state: r.status, since: rep.at, sinceBasis: 'observed', href: `/replication#${encodeURIComponent(cluster.name)}`,
        });
      }
      for (const s of r.servers) {
        const node = idx.resolveNode(cluster.name, s.name)?.name ?? s.name;
        if (unreachable.has(node)) continue;
        const trend = opts.queueTrends?.get(`${cluster.name}\u0000${s.name}`);
        const queueHigh = s.queue !== null && s.queue > t.replicationQueueWarning;
        const bad = s.setupState !== null && s.setupState !== 2;
        if (!bad && !queueHigh && !trend?.growing) continue;
        const parts: string[] = [];
        if (bad) parts.push(`setup state (${s.setupState}) ${replicationMeaning(s.setupState)}`);
        if (queueHigh) parts.push(`queue ${s.queue} (threshold ${t.replicationQueueWarning})`);
        if (trend?.growing) parts.push(`queue growing ${trend.first} → ${trend.last} in ${Math.max(1, Math.round(trend.spanMs / 60_000))} min`);
        add({
          kind: 'replication', severity: bad && (s.setupState ?? 0) >= 3 ? 'critical' : 'warning', cluster: cluster.name, node, subject: s.name,
          what: `Replication ${parts.join('; ')}`, detail: s.details, state: bad ? String(s.setupState) : 'queue', since: rep.at, sinceBasis: 'observed', eventNode: s.name,
          href: `/replication#${encodeURIComponent(cluster.name)}`,
        });
      }
    }
    // ---- intercluster peers
    const peers = idx.peers(cluster.name);
    for (const p of peers.value?.peers ?? []) {
      if (p.up) continue;
      add({
        kind: 'peer', severity: 'warning', cluster: cluster.name, node: cluster.publisher, subject: p.peer,
        what: `Intercluster peer ${p.peer} not reachable${p.kind ? ` (${p.kind})` : ''}`, detail: p.error ?? '', state: 'down', since: peers.at, sinceBasis: 'observed',
        href: `/clusters/${encodeURIComponent(cluster.name)}#peers`,
      });
    }
  }
  return out;
}

/**
 * A node is unreachable when its failing sources all fail the way a silent node does (connection,
 * timeout), at least two of them do (or every source it has), and nothing succeeded since the first
 * of those failures — sources polled hourly or daily still look fresh for a while after a node dies.
 */
export function unreachableNow(attempted: readonly ObservationView[]): boolean {
  const failing = attempted.filter((o) => sourceState(o) === 'failing');
  if (failing.length === 0 || !failing.every((o) => o.error && UNREACHABLE_KINDS.has(o.error.kind))) return false;
  if (failing.length < 2 && failing.length < attempted.length) return false;
  // When the failures began: the first failed attempt of the earliest-failing source (attempts come once per interval).
  const firstFailure = Math.min(...failing.map((o) => o.error!.at - Math.max(0, o.failures - 1) * o.intervalMs));
  return attempted.every((o) => sourceState(o) === 'failing' || (o.at ?? 0) < firstFailure);
}

const EVENT_KIND: Partial<Record<ProblemKind, EventKind>> = {
  ha: 'ha',
  service: 'service',
  replication: 'replication',
  unreachable: 'reachability',
  collection: 'reachability',
};

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether a watched thing's state is this problem's subject (the detector's subjects and words: collectors/history/events.ts). */
function concerns(p: Problem, st: StateSince): boolean {
  if (p.kind === 'replication') return p.subject === REPLICATION_STATUS_SUBJECT ? same(st.subject, REPLICATION_STATUS_SUBJECT) : same(st.subject, REPLICATION_SETUP_SUBJECT);
  return same(st.subject, p.subject);
}

/** Whether that state is the problem's current one ("3 (bad in the cluster)" is state 3). */
function holds(p: Problem, st: StateSince): boolean {
  if (p.kind === 'replication' && p.subject !== REPLICATION_STATUS_SUBJECT) return st.state.split(' ')[0] === p.state;
  return same(st.state, p.state);
}

/**
 * Replaces observation times with the event log's: since when the thing has been in its current
 * state (EventLog.states) — the recorded change, or, when IMPulse first saw it already so, "at
 * least since" then. A log that fails to answer leaves the observation times (said in the UI).
 */
export function attachSince(problems: Problem[], events: EventLog | undefined): { problems: Problem[]; basis: 'events' | 'observations'; error?: string } {
  if (!events) return { problems, basis: 'observations' };
  const cache = new Map<string, StateSince[]>();
  const statesOf = (cluster: string, node: string, kind: EventKind) => {
    const k = `${cluster}\u0000${node}\u0000${kind}`;
    let list = cache.get(k);
    if (!list) cache.set(k, (list = events.states({ cluster, node, kinds: [kind] })));
    return list;
  };
  const set = (p: Problem, st: StateSince) => {
    p.since = st.since;
    p.sinceBasis = st.observedChange ? 'event' : 'first-seen';
  };
  try {
    for (const p of problems) {
      const kind = EVENT_KIND[p.kind];
      if (!kind) continue;
      const states = statesOf(p.cluster, p.eventNode ?? p.node, kind);
      if (p.kind === 'unreachable') {
        // Since the first of its sources stopped answering.
        const down = states.filter((st) => st.state !== 'ok').sort((a, b) => a.since - b.since)[0];
        if (down) set(p, down);
        continue;
      }
      const st = states.find((x) => concerns(p, x));
      if (st && holds(p, st)) set(p, st);
    }
  } catch (err) {
    return { problems, basis: 'observations', error: (err as Error).message };
  }
  return { problems, basis: 'events' };
}

const sinceKey = (p: Problem) => (p.sinceBasis === 'observed' || p.since === undefined ? Infinity : p.since);

export function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      // A real change time orders oldest first; a poll time is not one (and moves every poll: rows would jump).
      sinceKey(a) - sinceKey(b) ||
      natural(a.cluster, b.cluster) ||
      natural(a.node, b.node) ||
      natural(a.subject, b.subject),
  );
}

export const nodeKey = (cluster: string, node: string) => `${cluster}\u0000${node}`;

/** Each inventory node's health: the worst problem touching it; unknown when nothing was collected yet. */
export function nodeHealth(idx: FleetIndex, problems: readonly Problem[], only?: string): Map<string, Health> {
  const touched = new Map<string, Health[]>();
  for (const p of problems) for (const n of p.nodes) touched.set(nodeKey(p.cluster, n), [...(touched.get(nodeKey(p.cluster, n)) ?? []), p.severity]);
  const out = new Map<string, Health>();
  for (const c of idx.input.inventory.clusters) {
    if (only !== undefined && c.name !== only) continue;
    for (const n of c.nodes) {
      const k = nodeKey(c.name, n.name);
      const hs = touched.get(k);
      if (hs) out.set(k, worst(hs));
      else out.set(k, idx.observations(c.name, n.name).some((o) => o.at !== undefined) ? 'ok' : 'unknown');
    }
  }
  return out;
}

/** Problems, since times and node health in one call (what most pages need). */
export function fleetProblems(idx: FleetIndex, opts: ProblemOptions = {}) {
  const { problems, basis, error } = attachSince(collectProblems(idx, opts), eventLog(idx.input));
  sortProblems(problems);
  return { problems, sinceBasis: basis, eventsError: error, health: nodeHealth(idx, problems, opts.cluster) };
}

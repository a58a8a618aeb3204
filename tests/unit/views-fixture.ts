// A small fleet for the page-model tests: one CUCM cluster, one IM&P cluster of four nodes in two
// presence redundancy groups, and a second IM&P peer; observations built the way the engine
// stores them (ObservationView), healthy unless a test changes them.
import type { ObservationView } from '../../collectors/engine/store';
import type { EventFilter, EventKind, EventLog, EventRecord, StateSince } from '../../collectors/history/types';
import type { CertificatesObservation } from '../../collectors/sources/certificates';
import type { HaObservation } from '../../collectors/sources/ha';
import type { PerfmonObservation } from '../../collectors/sources/perfmon';
import type { ReplicationObservation } from '../../collectors/sources/replication';
import type { ServicesObservation } from '../../collectors/sources/services';
import type { FleetInput } from '../../collectors/views/readings';
import { resolveInventory, type Inventory } from '../../config/resolve';
import type { ImpulseConfig, SourceName } from '../../config/schema';

export const NOW = Date.parse('2026-05-04T12:00:00Z');
const DAY = 86_400_000;

export function inventory(extra: Partial<ImpulseConfig> = {}, clusters = 1): Inventory {
  const imp = Array.from({ length: clusters }, (_, i) => {
    const c = `imp0${i + 1}`;
    return {
      name: c,
      product: 'imp' as const,
      publisher: `${c}-pub`,
      nodes: [{ name: `${c}-pub` }, { name: `${c}-sub1` }, { name: `${c}-sub2` }, { name: `${c}-sub3` }],
      presenceRedundancyGroups: [
        { name: `${c}-prg1`, nodes: [`${c}-pub`, `${c}-sub1`], haEnabled: true },
        { name: `${c}-prg2`, nodes: [`${c}-sub2`, `${c}-sub3`], haEnabled: true },
      ],
      peers: clusters > 1 ? [`imp0${i === 0 ? 2 : 1}`] : [],
    };
  });
  return resolveInventory({ clusters: [{ name: 'cucm01', product: 'cucm', publisher: 'cucm01-pub', nodes: [{ name: 'cucm01-pub' }] }, ...imp], ...extra } as ImpulseConfig, { dir: '/tmp' });
}

const INTERVAL: Record<SourceName, number> = { perfmon: 30_000, ha: 30_000, services: 60_000, replication: 60_000, certificates: 3_600_000, peers: 300_000, users: 86_400_000, inventory: 86_400_000 };

export function obs<T>(cluster: string, node: string, source: SourceName, value: T, o: Partial<ObservationView> = {}): ObservationView {
  const at = o.at ?? NOW - 5_000;
  const intervalMs = o.intervalMs ?? INTERVAL[source];
  return {
    cluster,
    node,
    source,
    intervalMs,
    value,
    at,
    lastAttemptAt: at,
    durationMs: 20,
    ok: true,
    failures: 0,
    fresh: NOW - at <= 2 * intervalMs,
    ageSeconds: (NOW - at) / 1000,
    ...o,
  };
}

/** The latest attempt failed (value and last success kept, as the store does). */
export function failing(o: ObservationView, kind: 'connection' | 'timeout' | 'auth' | 'parse', at = NOW - 2_000, failures = 1): ObservationView {
  return { ...o, ok: false, failures, lastAttemptAt: at, error: { kind, message: `${o.node}: ${kind} error`, at } };
}

export const HA_CRITICAL = ['Cisco Client Profile Agent', 'Cisco Sync Agent', 'Cisco XCP Router', 'Cisco SIP Proxy', 'Cisco Presence Engine', 'Cisco XCP Text Conference Manager'];

export function services(product: 'cucm' | 'imp', changes: Record<string, Partial<ServicesObservation['services'][number]>> = {}): ServicesObservation {
  const names = product === 'imp' ? [...HA_CRITICAL, 'Cisco Tomcat', 'Cisco XCP Message Archiver', 'Cisco DRF Master'] : ['Cisco CallManager', 'Cisco Tomcat', 'Cisco Tftp'];
  const base = names.map((name) => ({ name, status: 'Started' as const, reasonCode: -1, reason: null, startTime: Math.round((NOW - 10 * DAY) / 1000) }));
  // Not activated on every node of the fixture.
  if (product === 'imp') base[base.findIndex((s) => s.name === 'Cisco XCP Message Archiver')] = { name: 'Cisco XCP Message Archiver', status: 'Stopped' as never, reasonCode: -1068, reason: 'Service Not Activated' as never, startTime: null as never };
  return { via: 'controlcenter', services: base.map((s) => ({ ...s, ...(changes[s.name] ?? {}) })) as ServicesObservation['services'] };
}

export function perfmon(values: { cpu?: number; mem?: number; partitions?: Record<string, number>; jsm?: number; exceeds?: number; activeJsm?: number; replicate?: number } = {}): PerfmonObservation {
  const s = (object: string, counter: string, value: number, instance?: string) => ({ object, counter, value, instance, extra: false });
  const samples = [
    s('Processor', '% CPU Time', values.cpu ?? 12, '_Total'),
    s('Memory', '% Mem Used', values.mem ?? 60),
    ...Object.entries(values.partitions ?? { Active: 50, Common: 40 }).map(([k, v]) => s('Partition', '% Used', v, k)),
    s('Number of Replicates Created and State of Replication', 'Replicate_State', values.replicate ?? 2, 'ReplicateCount'),
  ];
  if (values.jsm !== undefined) {
    samples.push(s('Cisco XCP JSM', 'JsmClientSessionsActive', values.jsm), s('Cisco XCP JSM', 'JsmPhantomSessionsActive', 0), s('Cisco XCP JSM', 'JsmHybridSessionsActive', 0));
    samples.push(s('Cisco XCP JSM', 'JSMSessionsExceedsThreshold', values.exceeds ?? 0));
    samples.push(s('Cisco Presence Engine', 'ActiveJsmSessions', values.activeJsm ?? values.jsm));
  }
  return { samples, requests: 1, sessionOpened: false, rejected: [], pending: 0 };
}

type HaLine = HaObservation['lines'][number];

export function haLines(cluster: string, states: Record<string, [string, string | null]> = {}): HaLine[] {
  const line = (group: string, index: number, node: string): HaLine => {
    const [state, reason] = states[node] ?? ['Normal', null];
    return { group, index, node, state, reason };
  };
  return [line(`${cluster}-prg1`, 1, `${cluster}-pub`), line(`${cluster}-prg1`, 2, `${cluster}-sub1`), line(`${cluster}-prg2`, 1, `${cluster}-sub2`), line(`${cluster}-prg2`, 2, `${cluster}-sub3`)];
}

export function ha(cluster: string, node: string, lines: HaLine[]): HaObservation {
  return { self: lines.find((l) => l.node === node) ?? null, lines };
}

export function replication(cluster: string, nodes: string[], changes: Record<string, Partial<ReplicationObservation['servers'][number]>> = {}): ReplicationObservation {
  return {
    status: 'ok',
    viewFrom: nodes[0],
    clusterState: 'BROADCAST SYNC ended at: 2026-05-01-10-00',
    servers: nodes.map((name, i) => ({ name, ip: `10.0.0.${i + 1}`, pingMs: 0.2, flags: 'Y/Y/Y', queue: 0, groupId: `(g_${i + 2})`, setupState: 2, details: 'Setup Completed', ...(changes[name] ?? {}) })),
  };
}

export function certificates(node: string, days: Record<string, number> = {}): CertificatesObservation {
  const cert = (source: 'tls' | 'cli', unit: string, serial: string, extra: Partial<CertificatesObservation['certificates'][number]> = {}) => {
    const notAfter = NOW + (days[unit] ?? 400) * DAY + 3_600_000;
    return { source, store: 'own' as const, unit, port: source === 'tls' ? (unit === 'tomcat' ? '8443' : '5222') : '', file: source === 'cli' ? `${unit}.pem` : undefined, subject: `CN=${node}\nO=Example`, issuer: 'CN=Example CA', serial, sans: [`DNS:${node}`], notBefore: notAfter - 730 * DAY, notAfter, daysLeft: days[unit] ?? 400, selfSigned: false, trusted: source === 'tls' ? true : undefined, ...extra };
  };
  return {
    certificates: [cert('tls', 'tomcat', `${node}-T`), cert('cli', 'tomcat', `${node}-T`), cert('tls', 'cup-xmpp', `${node}-X`), cert('cli', 'cup-xmpp', `${node}-X`), cert('cli', 'ipsec', `${node}-I`, { selfSigned: true })],
    errors: [],
  };
}

/** Every source of every node, healthy. */
export function healthy(inv: Inventory): ObservationView[] {
  const out: ObservationView[] = [];
  for (const c of inv.clusters) {
    const lines = haLines(c.name);
    for (const n of c.nodes) {
      out.push(obs(c.name, n.name, 'perfmon', perfmon(c.product === 'imp' ? { jsm: 10_000 } : {})));
      out.push(obs(c.name, n.name, 'services', services(c.product)));
      out.push(obs(c.name, n.name, 'certificates', certificates(n.name)));
      out.push(obs(c.name, n.name, 'inventory', { hostName: n.name, version: '15.0.1.12900-15', uptimeSeconds: 40 * 86400 }));
      if (c.product === 'imp') out.push(obs(c.name, n.name, 'ha', ha(c.name, n.name, lines)));
    }
    out.push(obs(c.name, c.publisher, 'replication', replication(c.name, c.nodes.map((n) => n.name))));
    if (c.peers.length) out.push(obs(c.name, c.publisher, 'peers', { peers: c.peers.map((p) => ({ peer: p, publisher: `${p}-pub`, up: true })) }));
  }
  return out;
}

/** Replaces the observation of (node, source). */
export function replace(list: ObservationView[], node: string, source: SourceName, f: (o: ObservationView) => ObservationView): ObservationView[] {
  let found = false;
  const out = list.map((o) => (o.node === node && o.source === source ? ((found = true), f(o)) : o));
  if (!found) throw new Error(`no ${source} observation of ${node}`);
  return out;
}

export function input(inv: Inventory, observations: ObservationView[], events?: EventLog): FleetInput {
  return { inventory: inv, observations, now: NOW, collecting: true, events };
}

/**
 * An in-memory event log with the contract's filtering and newest-first order. Its states are the
 * latest record of each watched thing (a recorded change), plus `baseline` states (first seen).
 */
export function memoryEvents(records: Omit<EventRecord, 'id'>[], baseline: StateSince[] = []): EventLog & { calls: number } {
  const all = records.map((r, i) => ({ ...r, id: i + 1 })).sort((a, b) => b.id - a.id);
  const match = (e: EventRecord, f: EventFilter) =>
    (!f.cluster || e.cluster === f.cluster) && (!f.node || e.node === f.node) && (!f.kinds || f.kinds.includes(e.kind)) && (f.since === undefined || e.at >= f.since) && (f.beforeId === undefined || e.id < f.beforeId);
  const states = new Map<string, StateSince>();
  for (const b of baseline) states.set(`${b.cluster}\u0000${b.node}\u0000${b.kind}\u0000${b.subject}`, b);
  for (const e of [...all].reverse()) states.set(`${e.cluster}\u0000${e.node}\u0000${e.kind}\u0000${e.subject}`, { cluster: e.cluster, node: e.node, kind: e.kind, subject: e.subject, state: e.to, detail: e.detail, since: e.at, observedChange: true });
  const log = {
    calls: 0,
    list(f: EventFilter) {
      return all.filter((e) => match(e, f)).slice(0, f.limit ?? 100);
    },
    count(f: EventFilter) {
      return all.filter((e) => match(e, f)).length;
    },
    status: () => ({ available: true }),
    states(f: { cluster?: string; node?: string; kinds?: readonly EventKind[] }) {
      log.calls++;
      return [...states.values()].filter((x) => (!f.cluster || x.cluster === f.cluster) && (!f.node || x.node === f.node) && (!f.kinds || f.kinds.includes(x.kind)));
    },
  };
  return log;
}

// State changes across the fleet, detected from successive observations: HA state and reason per
// node, service status per node and service, replication setup state per server (the
// publisher's view), node reachability per source (failing with its error kind, and back), and
// certificate thresholds crossed.
//
// No flooding: every watched thing has one known state (kept in event_state, so a restart
// neither repeats nor misses a change). The first time a thing is seen its state is recorded
// silently, as the baseline: events are changes, and what is wrong right now is the overview's
// job. A repeated identical state is not an event.
import type { Inventory } from '../../config/resolve';
import { HA_CRITICAL_SERVICES, pairVerdict } from '../ha-pairs';
import type { Observation } from '../engine/store';
import { REPLICATION_STATES } from '../metrics/series';
import type { CertificatesObservation } from '../sources/certificates';
import type { HaObservation } from '../sources/ha';
import type { ReplicationObservation } from '../sources/replication';
import type { ServicesObservation } from '../sources/services';
import type { EventKind, EventRecord, StateSince } from './types';

export type Severity = EventRecord['severity'];
export type NewEvent = Omit<EventRecord, 'id'>;

/** The last known state of one watched thing (what EventLog.states() answers). */
export type KnownState = StateSince;

export interface DetectorOptions {
  thresholds: Pick<Inventory['thresholds'], 'certificateWarningDays' | 'certificateCriticalDays'>;
  /** States from the previous run (event_state). */
  known?: Iterable<KnownState>;
}

const DAY_MS = 86_400_000;
/** Error kinds that mean the node cannot be polled at all (as opposed to a bad answer). */
const UNREACHABLE = new Set(['connection', 'timeout', 'tls', 'auth', 'ssh-host-key']);
/** Control Center ReasonCode -1068: the service is deliberately not activated on this node. */
const NOT_ACTIVATED = 'service not activated';
const CRITICAL_SERVICES: ReadonlySet<string> = new Set(HA_CRITICAL_SERVICES.map((s) => s.toLowerCase()));

/** Subject of the replication setup state of a server, and of the runtimestate command's own status. */
export const REPLICATION_SETUP_SUBJECT = 'replication setup';
export const REPLICATION_STATUS_SUBJECT = 'utils dbreplication runtimestate';

/** How a certificate's remaining validity is named in events. */
export const CERTIFICATE_BANDS = ['valid', 'expiring', 'expiring soon', 'expired'] as const;
export type CertificateBand = (typeof CERTIFICATE_BANDS)[number];

export function certificateBand(notAfter: number, at: number, t: DetectorOptions['thresholds']): CertificateBand {
  if (notAfter <= at) return 'expired';
  const days = Math.floor((notAfter - at) / DAY_MS);
  if (days <= t.certificateCriticalDays) return 'expiring soon';
  if (days <= t.certificateWarningDays) return 'expiring';
  return 'valid';
}

/** "2 (good)": the value and Cisco's meaning. */
export function replicationStateText(n: number): string {
  return `${n} (${REPLICATION_STATES[n] ?? 'unknown'})`;
}

const stateKey = (cluster: string, node: string, kind: string, subject: string) => `${cluster}\u0000${node}\u0000${kind}\u0000${subject}`;

export class EventDetector {
  private readonly states = new Map<string, KnownState>();
  private events: NewEvent[] = [];
  private changed = new Map<string, KnownState>();

  constructor(private readonly opts: DetectorOptions) {
    for (const s of opts.known ?? []) this.states.set(stateKey(s.cluster, s.node, s.kind, s.subject), s);
  }

  /** Events detected and states changed since the last call (to be stored together). */
  take(): { events: NewEvent[]; states: KnownState[] } {
    const out = { events: this.events, states: [...this.changed.values()] };
    this.events = [];
    this.changed = new Map();
    return out;
  }

  known(cluster: string, node: string, kind: EventKind, subject: string): KnownState | undefined {
    return this.states.get(stateKey(cluster, node, kind, subject));
  }

  observe(e: Observation): void {
    this.reachability(e);
    if (!e.ok || e.value === undefined || e.at === undefined) return;
    switch (e.source) {
      case 'ha':
        this.ha(e as Observation<HaObservation>);
        break;
      case 'services':
        this.services(e as Observation<ServicesObservation>);
        break;
      case 'replication':
        this.replication(e as Observation<ReplicationObservation>);
        break;
      case 'certificates':
        this.certificates(e as Observation<CertificatesObservation>);
        break;
    }
  }

  /**
   * Records the state of one thing; an event when it differs from the known one. `detailMatters`
   * decides whether the detail takes part in "the same state" (an HA reason does; a message
   * that carries a duration or a day count does not).
   */
  private see(o: Omit<KnownState, 'since' | 'observedChange'> & { at: number }, severity: Severity, detailMatters: boolean): void {
    const key = stateKey(o.cluster, o.node, o.kind, o.subject);
    const prev = this.states.get(key);
    if (prev && prev.state === o.state && (!detailMatters || prev.detail === o.detail)) return;
    const s: KnownState = { cluster: o.cluster, node: o.node, kind: o.kind, subject: o.subject, state: o.state, detail: o.detail, since: o.at, observedChange: prev !== undefined };
    this.states.set(key, s);
    this.changed.set(key, s);
    if (!prev) return; // the baseline: recorded silently
    this.events.push({ at: o.at, cluster: s.cluster, node: s.node, kind: s.kind, subject: s.subject, from: prev.state, to: s.state, detail: s.detail, severity });
  }

  private reachability(e: Observation): void {
    const at = e.ok ? e.at : (e.error?.at ?? e.lastAttemptAt);
    if (at === undefined) return;
    const kind = e.ok ? 'ok' : (e.error?.kind ?? 'internal');
    const severity: Severity = e.ok ? 'ok' : UNREACHABLE.has(kind) ? 'critical' : 'warning';
    this.see({ cluster: e.cluster, node: e.node, kind: 'reachability', subject: e.source, state: kind, detail: e.ok ? '' : (e.error?.message ?? ''), at }, severity, false);
  }

  private ha(e: Observation<HaObservation>): void {
    const self = e.value!.self;
    if (!self) return;
    const reason = self.reason ?? (self.state.toLowerCase() === 'normal' ? 'Normal' : '');
    const peer = e.value!.lines.find((l) => l.group === self.group && l.node !== self.node);
    const verdict = pairVerdict({ node: self.node, state: self.state, reason: self.reason }, peer ? { node: peer.node, state: peer.state, reason: peer.reason } : { node: '', state: 'Normal', reason: null });
    this.see({ cluster: e.cluster, node: e.node, kind: 'ha', subject: self.group, state: self.state, detail: reason, at: e.at! }, verdict.severity, true);
  }

  private services(e: Observation<ServicesObservation>): void {
    for (const s of e.value!.services) {
      const reason = s.reason ?? '';
      let severity: Severity;
      if (s.status === 'Started') severity = 'ok';
      else if (s.status === 'Starting' || s.status === 'Stopping') severity = 'warning';
      else if (reason.toLowerCase() === NOT_ACTIVATED || s.reasonCode === -1068) severity = 'info';
      else severity = CRITICAL_SERVICES.has(s.name.toLowerCase()) ? 'critical' : 'warning';
      this.see({ cluster: e.cluster, node: e.node, kind: 'service', subject: s.name, state: s.status, detail: reason, at: e.at! }, severity, true);
    }
  }

  private replication(e: Observation<ReplicationObservation>): void {
    const v = e.value!;
    const status = v.status === 'ok' ? 'ok' : v.status;
    const statusSeverity: Severity = v.status === 'ok' ? 'ok' : v.status === 'db-not-running' ? 'critical' : 'info';
    this.see({ cluster: e.cluster, node: e.node, kind: 'replication', subject: REPLICATION_STATUS_SUBJECT, state: status, detail: v.message ?? '', at: e.at! }, statusSeverity, false);
    for (const s of v.servers) {
      if (s.setupState === null) continue;
      const severity: Severity = s.setupState === 2 ? 'ok' : s.setupState >= 3 ? 'critical' : 'warning';
      // The row names the server as the publisher knows it (as the replication metrics do).
      this.see({ cluster: e.cluster, node: s.name, kind: 'replication', subject: REPLICATION_SETUP_SUBJECT, state: replicationStateText(s.setupState), detail: s.details, at: e.at! }, severity, false);
    }
  }

  private certificates(e: Observation<CertificatesObservation>): void {
    const certs = e.value!.certificates;
    // The CLI inventory names each certificate (unit/file); a TLS port serving one of them is the
    // same certificate and is not watched twice.
    const cliSerials = new Set(certs.filter((c) => c.source === 'cli').map((c) => `${c.unit}\u0000${c.serial}`));
    const t = this.opts.thresholds;
    for (const c of certs) {
      if (c.source === 'tls' && cliSerials.has(`${c.unit}\u0000${c.serial}`)) continue;
      const subject = c.source === 'cli' ? `${c.unit} ${c.store} ${c.file ?? ''}`.trim() : `${c.unit} port ${c.port}`;
      const band = certificateBand(c.notAfter, e.at!, t);
      const days = Math.floor((c.notAfter - e.at!) / DAY_MS);
      const severity: Severity = band === 'valid' ? 'ok' : band === 'expiring' ? 'warning' : 'critical';
      const left = band === 'expired' ? `expired ${-days} day${-days === 1 ? '' : 's'} ago` : `${days} day${days === 1 ? '' : 's'} left`;
      const detail = `${c.subject}; not after ${new Date(c.notAfter).toISOString()}, ${left} (warning at ${t.certificateWarningDays} days, critical at ${t.certificateCriticalDays})`;
      this.see({ cluster: e.cluster, node: e.node, kind: 'certificate', subject, state: band, detail, at: e.at! }, severity, false);
    }
  }
}

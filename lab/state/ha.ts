// Presence redundancy group state machine (reference/ha.md §1–§3). Node states and reasons are
// Cisco's strings verbatim; rows P1–P24 of the pair table are cited where they are produced.
//
// Evaluation is lazy and exact: update(now) replays every transition whose time has come, in
// order, at the simulated time it happened, so a reader that looks late sees the same history as
// one that polled every second. Whoever changes a member's condition (a fault stopping a
// service, a node going down) calls update(now) first, so conditions are constant between
// updates and every timer starts at a recorded time.
import type { LabHaView } from '../model';

/** SRM service parameters, R14 defaults (reference/ha.md §3.2), in simulated ms. */
export interface HaTimings {
  criticalServiceDownDelayMs: number;
  heartbeatTimeoutMs: number;
  initHeartbeatTimeoutMs: number;
  /** Automatic fallback after the failed node has been healthy this long (§3.3). */
  autoFallbackAfterMs: number;
  /** Duration of the transient states (Failing Over/Taking Over, Taking Back/Falling Back, Initializing). Not documented; a lab choice. */
  transitionMs: number;
  /**
   * `Client Re-Login Lower Limit` / `Upper Limit` (ha.md §3.2: 120 s and 537 s): moved clients
   * re-login at a random moment in between, so sessions arrive spread over that window (§4.4).
   */
  clientReloginLowerMs: number;
  clientReloginUpperMs: number;
}

export const DEFAULT_HA_TIMINGS: HaTimings = {
  criticalServiceDownDelayMs: 90_000,
  heartbeatTimeoutMs: 60_000,
  initHeartbeatTimeoutMs: 120_000,
  autoFallbackAfterMs: 30 * 60_000,
  transitionMs: 10_000,
  clientReloginLowerMs: 120_000,
  clientReloginUpperMs: 537_000,
};

export const S = {
  initializing: 'Initializing',
  idle: 'Idle',
  normal: 'Normal',
  backup: 'Running in Backup Mode',
  backupMode: 'Backup Mode',
  takingOver: 'Taking Over',
  failingOver: 'Failing Over',
  failedOver: 'Failed Over',
  failedOverCritical: 'Failed Over with Critical Services not Running',
  fallingBack: 'Falling Back',
  takingBack: 'Taking Back',
  failedMode: 'Running in Failed Mode',
  unknown: 'Unknown',
  backupActivated: 'Backup Activated',
  failoverAffected: 'Failover Affected Services',
} as const;

export const R = {
  normal: 'Normal',
  admin: 'On Admin Request',
  initialization: 'Initialization',
  autoFallback: 'Automatic Fallback',
  initOrCritical: 'Initialization or Critical Services Down',
  criticalDown: 'Critical Service Down',
  startFailed: 'Start of Critical Services Failed',
  peerDown: 'Peer Down',
  peerReboot: 'Peer Reboot',
  peerDownInit: 'Peer Down During Initialization',
  unknown: 'Unknown',
  autoRecoverDb: 'Auto Recover Database Failure',
  autoRecoverCritical: 'Auto Recover Critical Service Down',
  /** Shown by `utils ha status` for groups without HA (wire-formats.md §4.3). */
  haNotEnabled: 'High Availability Not Enabled',
  databaseFailure: 'Database Failure',
  takeOverUsersFailed: 'Cisco Server Recovery Manager Take Over Users Failed',
  takeBackUsersFailed: 'Cisco Server Recovery Manager Take Back Users Failed',
  /** P22, node 2, verbatim with its period (ha.md §1.1). */
  autoRecoveryDbDot: 'Auto Recovery Database Failure.',
} as const;

/** What the state machine needs to know about (and do to) a group member. */
export interface HaMember {
  readonly name: string;
  /** Earliest stop time of a stopped critical service, or undefined when all run. */
  criticalDownSince(): number | undefined;
  /** Earliest stop time of a stopped database service (A Cisco DB), or undefined when it runs. */
  databaseDownSince(): number | undefined;
  /** Latest start time of a critical service (when all run). */
  criticalUpSince(): number;
  /** Set when the peer cannot hear this node's heartbeat. */
  unreachable(): { since: number; cause: 'down' | 'partition' } | undefined;
  /** Simulated time the node last became reachable (0 if never unreachable). */
  reachableSince(): number;
  /** SRM stops the critical services (manual failover). */
  stopCritical(at: number): void;
  /** SRM starts the critical services; false when one cannot start (a fault holds it). */
  startCritical(at: number): boolean;
}

type Cause = 'admin' | 'critical' | 'database' | 'peer-down' | 'peer-reboot' | 'peer-down-init';
type Idx = 0 | 1;

type Phase =
  | { kind: 'normal'; since: number }
  | { kind: 'initializing'; since: number; until: number }
  | { kind: 'failing-over'; since: number; until: number; failed: Idx; cause: Cause }
  | { kind: 'failed-over'; since: number; failed: Idx; cause: Cause }
  | { kind: 'falling-back'; since: number; until: number; failed: Idx; auto: boolean }
  | { kind: 'backup-activated'; since: number; until: number; failed: Idx; db: boolean }
  | { kind: 'failed'; since: number; reason: string };

export type HaPhaseKind = Phase['kind'];

export class HaOperationError extends Error {
  override name = 'HaOperationError';
}

export interface HaTransition {
  at: number;
  views: LabHaView[];
}

export class PresenceGroupHa {
  private phase: Phase;
  private lastUpdate: number;
  private enabled: boolean;
  /** Recent transitions (bounded), for the control API and tests. */
  readonly history: HaTransition[] = [];
  /** Called after every transition with its simulated time (load accounting, events). */
  onTransition?: (at: number) => void;
  /**
   * The SRM's next user move fails (faults ha-take-over-users-failed / ha-take-back-users-failed):
   * the take-over (failover) or the take-back (fallback) ends in Running in Failed Mode (P19, P20).
   */
  moveFails?: 'take-over' | 'take-back';

  constructor(
    readonly groupName: string,
    private readonly members: readonly HaMember[],
    haEnabled: boolean,
    public autoFallback: boolean,
    readonly timings: HaTimings,
    now: number,
  ) {
    this.enabled = haEnabled && members.length === 2;
    this.phase = { kind: 'normal', since: now };
    this.lastUpdate = now;
  }

  get haEnabled(): boolean {
    return this.enabled;
  }
  get phaseKind(): HaPhaseKind {
    return this.phase.kind;
  }

  /** Enables/disables HA (only a pair can have HA). Re-enabling starts from Normal. */
  setEnabled(on: boolean, now: number): void {
    this.update(now);
    if (on && this.members.length !== 2) throw new HaOperationError(`presence redundancy group ${this.groupName} has one node; High Availability needs a pair`);
    if (on === this.enabled) return;
    this.enabled = on;
    this.phase = { kind: 'normal', since: now };
    this.transitioned(now);
  }

  view(index: number, now: number): LabHaView {
    this.update(now);
    return this.views()[index];
  }

  /**
   * Who carries the users homed on member i right now: its own index, its peer's, or -1 when
   * nobody serves them (services down without HA, moving between nodes, group failed).
   */
  carrierOf(i: number, now: number): number {
    this.update(now);
    return this.currentCarrier(i);
  }

  /** carrierOf without advancing (inside a transition callback). */
  currentCarrier(i: number): number {
    const ok = (k: number) => this.healthy(k);
    const p = this.phase;
    if (!this.enabled) return ok(i) ? i : -1;
    switch (p.kind) {
      case 'normal':
      case 'initializing':
        return ok(i) ? i : -1;
      case 'failing-over':
      case 'falling-back':
      case 'backup-activated':
        return i === p.failed ? -1 : ok(i) ? i : -1;
      case 'failed-over': {
        const peer = 1 - p.failed;
        return ok(peer) ? peer : -1;
      }
      case 'failed':
        return -1;
    }
  }

  /** Manual failover of `node` to its peer (P2 → P3). */
  failover(node: string, now: number): void {
    this.update(now);
    const i = this.indexOf(node);
    if (!this.enabled) throw new HaOperationError(`High Availability is not enabled on ${this.groupName}`);
    if (this.phase.kind !== 'normal') throw new HaOperationError(`${this.groupName} is not in Normal state (${this.views().map((v) => v.state).join('/')}); failover is not available`);
    this.phase = { kind: 'failing-over', since: now, until: now + this.timings.transitionMs, failed: i, cause: 'admin' };
    this.members[i].stopCritical(now);
    this.transitioned(now);
  }

  /** Manual fallback to the failed-over node (P4 → P1). */
  fallback(now: number): void {
    this.update(now);
    const p = this.phase;
    if (p.kind !== 'failed-over') throw new HaOperationError(`${this.groupName} has no failed-over node; fallback is not available`);
    const m = this.members[p.failed];
    if (m.unreachable()) throw new HaOperationError(`${m.name} is unreachable; fallback is not available`);
    if (p.cause !== 'admin' && m.criticalDownSince() !== undefined) {
      throw new HaOperationError(`${m.name} is in ${S.failedOverCritical}; start its critical services first`);
    }
    this.phase = { kind: 'falling-back', since: now, until: now + this.timings.transitionMs, failed: p.failed, auto: false };
    this.transitioned(now);
  }

  /** Recovery of a failed group: SRM restarts on both nodes (reference/ha.md §3.4). */
  recover(now: number): void {
    this.update(now);
    if (this.phase.kind !== 'failed') throw new HaOperationError(`${this.groupName} is not in ${S.failedMode}; Recovery is not available`);
    this.members.forEach((m) => m.startCritical(now));
    this.phase = { kind: 'initializing', since: now, until: now + this.timings.transitionMs };
    this.transitioned(now);
  }

  /**
   * The SRM stops in Running in Failed Mode on both nodes with `reason` (P21 Unknown: "the SRM on a
   * node restarts while the SRM on the other node is in a failed state, or an internal system
   * error occurs"). Recovery (recover()) brings the group back.
   */
  fail(reason: string, now: number): void {
    this.update(now);
    if (!this.enabled) throw new HaOperationError(`High Availability is not enabled on ${this.groupName}`);
    this.phase = { kind: 'failed', since: now, reason };
    this.transitioned(now);
  }

  /** The reason of a failed group, undefined otherwise. */
  get failedReason(): string | undefined {
    return this.phase.kind === 'failed' ? this.phase.reason : undefined;
  }

  /** Replays every transition due up to `now`. */
  update(now: number): void {
    if (now < this.lastUpdate) now = this.lastUpdate;
    for (let guard = 0; guard < 64; guard++) {
      const next = this.nextEvent();
      if (!next || next.at > now) break;
      next.apply();
      this.transitioned(next.at);
    }
    this.lastUpdate = now;
  }

  private transitioned(at: number): void {
    this.history.push({ at, views: this.views() });
    if (this.history.length > 50) this.history.shift();
    this.onTransition?.(at);
  }

  private indexOf(node: string): Idx {
    const i = this.members.findIndex((m) => m.name === node);
    if (i < 0) throw new HaOperationError(`${node} is not a member of ${this.groupName}`);
    return i as Idx;
  }

  private healthy(i: number): boolean {
    const m = this.members[i];
    return !m.unreachable() && m.criticalDownSince() === undefined && m.databaseDownSince() === undefined;
  }

  /** The next due transition from the current phase and (constant) member conditions. */
  private nextEvent(): { at: number; apply: () => void } | undefined {
    if (!this.enabled) return undefined;
    const t = this.timings;
    const p = this.phase;
    const after = (since: number, delay: number) => Math.max(since, p.since) + delay;
    const candidates: { at: number; apply: () => void }[] = [];
    switch (p.kind) {
      case 'normal':
      case 'initializing':
        this.members.forEach((m, i) => {
          const idx = i as Idx;
          const u = m.unreachable();
          if (u) {
            if (p.kind === 'initializing') {
              // P18: the peer does not see this node during startup.
              const at = after(u.since, t.initHeartbeatTimeoutMs);
              candidates.push({ at, apply: () => (this.phase = { kind: 'failed-over', since: at, failed: idx, cause: 'peer-down-init' }) });
            } else {
              const cause: Cause = u.cause === 'down' ? 'peer-reboot' : 'peer-down';
              const at = after(u.since, t.heartbeatTimeoutMs);
              candidates.push({ at, apply: () => this.startFailover(idx, cause, at) });
            }
            return;
          }
          // P13: a database service down fails the node over like a critical service, with its own reason.
          const db = m.databaseDownSince();
          const down = m.criticalDownSince();
          if (db !== undefined) {
            const at = after(db, t.criticalServiceDownDelayMs);
            candidates.push({ at, apply: () => this.startFailover(idx, 'database', at) });
          } else if (down !== undefined) {
            const at = after(down, t.criticalServiceDownDelayMs);
            candidates.push({ at, apply: () => this.startFailover(idx, 'critical', at) });
          }
        });
        if (p.kind === 'initializing') candidates.push({ at: p.until, apply: () => (this.phase = { kind: 'normal', since: p.until }) });
        break;
      case 'failing-over':
        candidates.push({
          at: p.until,
          apply: () => {
            // P19: the user move of the take-over fails.
            if (this.moveFails === 'take-over') this.phase = { kind: 'failed', since: p.until, reason: R.takeOverUsersFailed };
            else this.phase = { kind: 'failed-over', since: p.until, failed: p.failed, cause: p.cause };
          },
        });
        break;
      case 'backup-activated':
        // P22/P23 auto-recovery done: the users are on the formerly failed node; the backup with
        // the dead database or critical service is now the failed-over one.
        candidates.push({ at: p.until, apply: () => (this.phase = { kind: 'failed-over', since: p.until, failed: (1 - p.failed) as Idx, cause: p.db ? 'database' : 'critical' }) });
        break;
      case 'falling-back':
        candidates.push({
          at: p.until,
          apply: () => {
            // P20: the user move of the take-back fails.
            if (this.moveFails === 'take-back') {
              this.phase = { kind: 'failed', since: p.until, reason: R.takeBackUsersFailed };
              return;
            }
            // SRM restarts the critical services on the primary; P14 if they do not start.
            const started = this.members[p.failed].startCritical(p.until);
            this.phase = started && !this.members[p.failed].unreachable() ? { kind: 'normal', since: p.until } : { kind: 'failed', since: p.until, reason: R.startFailed };
          },
        });
        break;
      case 'failed-over': {
        const f = p.failed;
        const backup = this.members[1 - f];
        const failedOk = this.healthy(f);
        const bu = backup.unreachable();
        const bDb = backup.databaseDownSince();
        const bDown = bDb ?? backup.criticalDownSince();
        if (bu) {
          candidates.push({
            at: after(bu.since, t.heartbeatTimeoutMs),
            apply: () => {
              if (failedOk) this.phase = { kind: 'failed-over', since: after(bu.since, t.heartbeatTimeoutMs), failed: (1 - f) as Idx, cause: bu.cause === 'down' ? 'peer-reboot' : 'peer-down' };
              else this.phase = { kind: 'failed', since: after(bu.since, t.heartbeatTimeoutMs), reason: R.unknown };
            },
          });
        } else if (bDown !== undefined) {
          const at = after(bDown, t.criticalServiceDownDelayMs);
          candidates.push({
            at,
            apply: () => {
              // P22 (database) / P23 (critical service) when the failed-over node can take the users back, else P15.
              if (failedOk && p.cause !== 'admin') this.phase = { kind: 'backup-activated', since: at, until: at + t.transitionMs, failed: f, db: bDb !== undefined };
              else this.phase = { kind: 'failed', since: at, reason: R.criticalDown };
            },
          });
        }
        if (this.autoFallback && failedOk && p.cause !== 'admin' && p.cause !== 'peer-down-init' && !bu && bDown === undefined) {
          const m = this.members[f];
          const okSince = Math.max(p.since, m.criticalUpSince(), m.reachableSince());
          const at = okSince + t.autoFallbackAfterMs;
          candidates.push({ at, apply: () => (this.phase = { kind: 'falling-back', since: at, until: at + t.transitionMs, failed: f, auto: true }) });
        }
        break;
      }
      case 'failed':
        break;
    }
    if (!candidates.length) return undefined;
    return candidates.reduce((a, b) => (b.at < a.at ? b : a));
  }

  private startFailover(failed: Idx, cause: Cause, at: number): void {
    this.phase = { kind: 'failing-over', since: at, until: at + this.timings.transitionMs, failed, cause };
  }

  /** Both members' views for the current phase and conditions. */
  private views(): LabHaView[] {
    const v = (state: string, reason: string): LabHaView => ({ state, reason });
    if (!this.enabled) return this.members.map(() => v(S.unknown, R.haNotEnabled));
    const p = this.phase;
    const pair = (failed: Idx, failedView: LabHaView, backupView: LabHaView) => (failed === 0 ? [failedView, backupView] : [backupView, failedView]);
    switch (p.kind) {
      case 'normal':
        return [v(S.normal, R.normal), v(S.normal, R.normal)]; // P1
      case 'initializing':
        return [v(S.initializing, R.initialization), v(S.initializing, R.initialization)];
      case 'failing-over': {
        const reason =
          p.cause === 'admin' ? R.admin : p.cause === 'critical' ? R.criticalDown : p.cause === 'database' ? R.databaseFailure : p.cause === 'peer-reboot' ? R.peerReboot : R.peerDown;
        return pair(p.failed, v(S.failingOver, reason), v(S.takingOver, reason)); // P2 (and the automatic analogue)
      }
      case 'failed-over': {
        const m = this.members[p.failed];
        switch (p.cause) {
          case 'admin':
            return pair(p.failed, v(S.idle, R.admin), v(S.backup, R.admin)); // P3
          case 'database':
            return m.databaseDownSince() !== undefined
              ? pair(p.failed, v(S.failedOverCritical, R.databaseFailure), v(S.backup, R.databaseFailure)) // P13
              : pair(p.failed, v(S.failedOver, R.initOrCritical), v(S.backup, R.databaseFailure)); // database back: as P11
          case 'critical':
            return m.criticalDownSince() === undefined
              ? pair(p.failed, v(S.failedOver, R.initOrCritical), v(S.backup, R.criticalDown)) // P11
              : pair(p.failed, v(S.failedOverCritical, R.criticalDown), v(S.backup, R.criticalDown)); // P12
          case 'peer-down':
          case 'peer-reboot': {
            const reason = p.cause === 'peer-down' ? R.peerDown : R.peerReboot; // P16 / P17
            // P16/P17 report no state for the lost node (merged cell). Once it is back with its
            // critical services running it shows Failed Over (P11); while partitioned it still
            // answers the monitor, and shows that its users have failed over.
            const failedView = m.unreachable() ? v(S.failedOver, reason) : m.criticalDownSince() === undefined ? v(S.failedOver, R.initOrCritical) : v(S.failedOverCritical, R.criticalDown);
            return pair(p.failed, failedView, v(S.backup, reason));
          }
          case 'peer-down-init':
            return pair(p.failed, v(m.criticalDownSince() === undefined ? S.failedOver : S.failedOverCritical, R.initialization), v(S.backupMode, R.peerDownInit)); // P18
        }
        break;
      }
      case 'falling-back': {
        const reason = p.auto ? R.autoFallback : R.admin;
        return pair(p.failed, v(S.takingBack, reason), v(S.fallingBack, reason)); // P4 / P10
      }
      case 'backup-activated':
        return p.db
          ? pair(p.failed, v(S.backupActivated, R.autoRecoverDb), v(S.failoverAffected, R.autoRecoveryDbDot)) // P22
          : pair(p.failed, v(S.backupActivated, R.autoRecoverDb), v(S.failoverAffected, R.autoRecoverCritical)); // P23 (node 1's reason as printed)
      case 'failed':
        return [v(S.failedMode, p.reason), v(S.failedMode, p.reason)]; // P14 / P15 / P19 / P20 / P21
    }
    return [v(S.unknown, R.unknown), v(S.unknown, R.unknown)]; // P24
  }

  /** Current views without advancing (used after update by callers holding the time). */
  snapshot(now: number): LabHaView[] {
    this.update(now);
    return this.views();
  }
}

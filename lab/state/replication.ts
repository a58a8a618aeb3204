// IDS replication per node: the `utils dbreplication runtimestate` row and the
// `Number of Replicates Created and State of Replication` counters (reference/wire-formats.md §4.2,
// counters-certs-replication.md §4). Healthy = setup state 2 "Setup Completed", queue 0.
// A replication-broken fault makes the state 3 (or 4) with a queue that grows with time.
import type { LabClock, LabReplication } from '../model';
import { unit } from './rng';

/** Details text printed after "(N)" in the REPLICATION SETUP (RTMT) & Details column. */
export const SETUP_DETAIL: Record<LabReplication['setupState'], string> = {
  0: 'Initializing',
  1: 'Replicates Created',
  2: 'Setup Completed',
  3: 'Out Of Sync',
  4: 'Setup Failed',
};

/** Replicates a healthy node has (CUCM 15 replicates 753 tables; IM&P far fewer). */
const REPLICATES = { cucm: 753, imp: 344 } as const;

export interface ReplicationBreak {
  since: number;
  state: 3 | 4;
  /** Queue growth, changes per simulated minute. */
  perMinute: number;
}

export class NodeReplication implements LabReplication {
  private broken?: ReplicationBreak;
  readonly groupId: string;
  private readonly basePing: number;
  private readonly healthyReplicates: number;
  constructor(
    private readonly clock: LabClock,
    seed: number,
    nodeName: string,
    product: 'cucm' | 'imp',
    nodeId: number,
    isPublisher: boolean,
  ) {
    this.groupId = `(g_${nodeId})`;
    // Ping as measured from the publisher: ~0.02 ms to itself, 0.1–0.4 ms to a LAN peer.
    this.basePing = isPublisher ? 0.016 : 0.1 + 0.3 * unit(seed, 'ping', nodeName);
    this.healthyReplicates = REPLICATES[product];
  }
  get setupState(): LabReplication['setupState'] {
    return this.broken ? this.broken.state : 2;
  }
  get queue(): number {
    if (!this.broken) return 0;
    const minutes = Math.max(0, this.clock.now() - this.broken.since) / 60_000;
    return Math.floor(25 + minutes * this.broken.perMinute);
  }
  get pingMs(): number {
    return Math.round(this.basePing * 1000) / 1000;
  }
  get dbRpcDbMon(): string {
    return this.broken?.state === 4 ? 'Y/Y/N' : 'Y/Y/Y';
  }
  get detail(): string {
    return SETUP_DETAIL[this.setupState];
  }
  get replicates(): number {
    // "1 = replicates created but count incorrect": a broken setup has lost some.
    return this.broken ? Math.floor(this.healthyReplicates * 0.9) : this.healthyReplicates;
  }
  get isBroken(): boolean {
    return this.broken !== undefined;
  }
  break(b: ReplicationBreak): void {
    this.broken = b;
  }
  repair(): void {
    this.broken = undefined;
  }
  toJSON(): LabReplication {
    const { setupState, queue, pingMs, dbRpcDbMon, groupId, detail, replicates } = this;
    return { setupState, queue, pingMs, dbRpcDbMon, groupId, detail, replicates };
  }
}

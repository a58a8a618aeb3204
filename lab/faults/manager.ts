// Active faults: inject, list, clear. Every change goes through LabState.change so HA timers
// see it at its true simulated time; NodeFaults flags are recomputed from all active faults, so
// overlapping faults (two `slow` faults, a cluster-wide and a node fault) combine predictably.
import type { LabState, StateCluster, StateNode } from '../state/deployment';
import { FAULT_KINDS, KINDS, type Applied, type FaultKindName } from './kinds';

export class FaultError extends Error {
  override name = 'FaultError';
  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
  ) {
    super(message);
  }
}

export interface FaultRecord {
  id: string;
  kind: FaultKindName;
  target: string;
  params: Record<string, unknown>;
  /** Simulated time it was applied (ISO). */
  appliedAt: string;
  /** Nodes it affects. */
  nodes: string[];
  detail: string;
}

interface Active {
  record: FaultRecord;
  parts: { node?: StateNode; cluster?: StateCluster; applied: Applied }[];
}

export interface FaultRequest {
  kind: string;
  target: string;
  params?: Record<string, unknown>;
}

export class FaultManager {
  private readonly active = new Map<string, Active>();
  private seq = 0;
  constructor(private readonly lab: LabState) {}

  list(): FaultRecord[] {
    return [...this.active.values()].map((a) => a.record);
  }

  get(id: string): FaultRecord | undefined {
    return this.active.get(id)?.record;
  }

  inject(req: FaultRequest): FaultRecord {
    const kindName = req.kind as FaultKindName;
    if (!FAULT_KINDS.includes(kindName)) throw new FaultError(`unknown fault kind '${req.kind}' (kinds: ${FAULT_KINDS.join(', ')})`, 400);
    const kind = KINDS[kindName];
    const node = this.lab.node(req.target);
    const cluster = node ? undefined : this.lab.cluster(req.target);
    const target = node ?? cluster;
    if (!target) throw new FaultError(`unknown target '${req.target}': not a node or cluster of this lab`, 404);
    const parsed = kind.params.safeParse(req.params ?? {});
    if (!parsed.success) {
      const msg = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'params'}: ${i.message}`).join('; ');
      throw new FaultError(`${kindName} params: ${msg}`, 400);
    }
    const params = parsed.data as never;
    const problem = kind.check?.(target, params, this.lab);
    if (problem) throw new FaultError(problem, 400);
    const id = `f${++this.seq}`;
    const anchor = node ?? cluster!.publisher;
    const parts: Active['parts'] = [];
    const appliedAt = this.lab.change(anchor, (now) => {
      const ctx = { lab: this.lab, id, now };
      if (kind.scope === 'cluster') {
        const c = node ? node.cluster : cluster!;
        parts.push({ cluster: c, applied: kind.applyCluster!(c, params, ctx) });
      } else {
        for (const n of node ? [node] : cluster!.nodes) parts.push({ node: n, applied: kind.applyNode!(n, params, ctx) });
      }
      return now;
    });
    const affected = parts.flatMap((p) => (p.node ? [p.node] : p.cluster!.nodes));
    const details = [...new Set(parts.map((p) => p.applied.detail).filter(Boolean))];
    const record: FaultRecord = {
      id,
      kind: kindName,
      target: req.target,
      params: parsed.data as Record<string, unknown>,
      appliedAt: new Date(appliedAt).toISOString(),
      nodes: affected.map((n) => n.name),
      detail: details.join('; '),
    };
    this.active.set(id, { record, parts });
    this.refresh(affected, parts.some((p) => p.applied.certificatesChanged));
    return record;
  }

  clear(id: string): boolean {
    const a = this.active.get(id);
    if (!a) return false;
    this.active.delete(id);
    const anchor = a.parts[0].node ?? a.parts[0].cluster!.publisher;
    this.lab.change(anchor, (now) => {
      for (const p of [...a.parts].reverse()) p.applied.undo?.({ lab: this.lab, id, now });
    });
    this.refresh(
      a.parts.flatMap((p) => (p.node ? [p.node] : p.cluster!.nodes)),
      a.parts.some((p) => p.applied.certificatesChanged),
    );
    return true;
  }

  clearAll(): number {
    const ids = [...this.active.keys()].reverse();
    for (const id of ids) this.clear(id);
    return ids.length;
  }

  /** Recomputes flag faults of `nodes` from all active faults and tells the front-ends. */
  private refresh(nodes: StateNode[], certificatesChanged: boolean): void {
    for (const n of new Set(nodes)) {
      const f = n.faults;
      f.hang = false;
      f.garbage = false;
      f.authFail = false;
      f.sshDrop = false;
      f.slowMs = 0;
      f.rateLimit = undefined;
      for (const a of this.active.values()) {
        for (const p of a.parts) {
          if (p.node !== n || !p.applied.flags) continue;
          const fl = p.applied.flags;
          if (fl.hang) f.hang = true;
          if (fl.garbage) f.garbage = true;
          if (fl.authFail) f.authFail = true;
          if (fl.sshDrop) f.sshDrop = true;
          if (fl.slowMs !== undefined) f.slowMs = Math.max(f.slowMs, fl.slowMs);
          if (fl.rateLimit !== undefined) f.rateLimit = Math.min(f.rateLimit ?? Infinity, fl.rateLimit);
        }
      }
      n.events.emit('faults');
      if (certificatesChanged) n.events.emit('certificates');
    }
  }
}

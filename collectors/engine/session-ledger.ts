// The PerfMon session ledger: which sessions this collector holds open on which node. Sessions
// are a node resource (PerfmonService keeps each until it is closed or idles out), so a collector
// that dies without closing them — kill -9, an OOM kill, a power cut — leaves them open, and a
// crash loop would pile them up to the node's limit. With a persistent store (the product
// database in `impulse start`), what the last process left open is closed on the node before the
// next session opens; closes that do not get through (node unreachable) are retried the same way.
import type { NodeSessionLedger } from '../clients/perfmon';

export interface LedgerEntry {
  nodeId: string;
  host: string;
  port: number;
  handle: string;
  openedAt: number;
}

/** Where entries persist (db/perfmon-sessions.ts in the embedded product). */
export interface LedgerStore {
  load(): LedgerEntry[];
  add(e: LedgerEntry): void;
  remove(nodeId: string, handle: string): void;
}

export class SessionLedger {
  private readonly byNode = new Map<string, Map<string, LedgerEntry>>();

  constructor(private readonly store?: LedgerStore) {
    for (const e of store?.load() ?? []) this.node(e.nodeId).set(e.handle, e);
  }

  private node(id: string): Map<string, LedgerEntry> {
    let m = this.byNode.get(id);
    if (!m) this.byNode.set(id, (m = new Map()));
    return m;
  }

  /** Handles per node (open now, or left over). */
  counts(): Map<string, number> {
    return new Map([...this.byNode].map(([k, v]) => [k, v.size]));
  }

  get size(): number {
    let n = 0;
    for (const m of this.byNode.values()) n += m.size;
    return n;
  }

  /**
   * Forgets entries of nodes that are no longer polled at that address (they cannot be reached
   * through this inventory) and returns them, so the caller can say so.
   */
  forgetExcept(known: ReadonlyMap<string, { host: string; port: number }>): LedgerEntry[] {
    const gone: LedgerEntry[] = [];
    for (const [id, m] of this.byNode) {
      const k = known.get(id);
      for (const e of m.values()) {
        if (k && k.host === e.host && k.port === e.port) continue;
        gone.push(e);
        m.delete(e.handle);
        this.store?.remove(e.nodeId, e.handle);
      }
    }
    return gone;
  }

  forNode(nodeId: string, host: string, port: number): NodeSessionLedger {
    const m = this.node(nodeId);
    return {
      leftovers: () => [...m.values()].filter((e) => e.host === host && e.port === port).map((e) => e.handle),
      opened: (handle) => {
        const e = { nodeId, host, port, handle, openedAt: Date.now() };
        m.set(handle, e);
        this.store?.add(e);
      },
      closed: (handle) => {
        if (m.delete(handle)) this.store?.remove(nodeId, handle);
      },
    };
  }
}

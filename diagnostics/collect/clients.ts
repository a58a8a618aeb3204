// The clients a troubleshooter run talks to nodes through. SOAP (Control Center, AXL) and TLS
// probes go through the collector engine's own clients, so every SOAP request is gated by the
// node's RequestBudget like the collector's polls; a run also leaves a reserve of that budget to
// the collector (waiting for room rather than spending the last slots). CLI commands get a shell of
// their own per node (one at a time): a minutes-long `utils diagnose test` never holds one of the
// two shells the collector's HA and replication polls use, so the collector misses no interval.
import type { Engine } from '../../collectors/engine/collector';
import { CliPool } from '../../collectors/clients/cli';
import type { RequestEvent, RequestHooks } from '../../collectors/clients/hooks';
import { CollectError } from '../../collectors/errors';
import type { SourceClients } from '../../collectors/sources/types';
import { readSecret, type InventoryCluster, type InventoryNode } from '../../config/resolve';
import { nodeId } from './datasets';

export interface RequestTally {
  /** By protocol: perfmon, controlcenter, axl, cli, tls, ldap. */
  byProtocol: Record<string, number>;
}

export interface DiagnosticClientsOptions {
  cliTimeoutMs: number;
  /** Idle diagnostic shells close after this (ms). Default 60 s. */
  cliIdleMs?: number;
}

export class DiagnosticClients {
  private readonly shells = new Map<string, CliPool>();
  /** Requests this run sent, by node id. */
  readonly tally = new Map<string, RequestTally>();
  private closed = false;

  constructor(
    readonly engine: Engine,
    private readonly opts: DiagnosticClientsOptions,
  ) {}

  count(cluster: string, node: string, protocol: string, n = 1): void {
    const id = nodeId(cluster, node);
    let t = this.tally.get(id);
    if (!t) this.tally.set(id, (t = { byProtocol: {} }));
    t.byProtocol[protocol] = (t.byProtocol[protocol] ?? 0) + n;
  }

  /** The node's clients for on-demand collection; throws CollectError('config') when the engine does not poll the node. */
  forNode(cluster: InventoryCluster, node: InventoryNode): SourceClients {
    const base = this.engine.clientsOf(cluster.name, node.name);
    if (!base) throw new CollectError('config', `${cluster.name}/${node.name} is not polled by this collector (another shard owns it)`);
    const cli = this.shell(cluster, node);
    const count = (protocol: string) => this.count(cluster.name, node.name, protocol);
    return {
      perfmon: base.perfmon,
      perfmonSession: base.perfmonSession,
      controlCenter: base.controlCenter,
      axl: base.axl,
      cli: {
        run: (command, o) => {
          count('cli');
          return cli.run(command, { timeoutMs: o.timeoutMs });
        },
      },
      probeTls: (port, signal) => {
        count('tls');
        return base.probeTls(port, signal);
      },
    };
  }

  /**
   * Waits until the node's SOAP budget has room for one more request while leaving a reserve to the
   * collector (a fifth of the budget, at least 2 slots). Resolves at once when the node has no budget.
   */
  async awaitBudget(cluster: string, node: string, signal?: AbortSignal): Promise<void> {
    const budget = this.engine.budgetOf(cluster, node);
    if (!budget) return;
    const reserve = Math.min(Math.max(2, Math.ceil(budget.limit * 0.2)), budget.limit - 1);
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      if (budget.used() < budget.limit - reserve) return;
      await sleep(Math.max(200, Math.min(budget.waitMs() || 500, 2000)), signal);
    }
  }

  private shell(cluster: InventoryCluster, node: InventoryNode): CliPool {
    const id = nodeId(cluster.name, node.name);
    let pool = this.shells.get(id);
    if (pool) return pool;
    if (this.closed) throw new CollectError('connection', `${id}: diagnostics clients closed`);
    const metrics = this.engine.metrics;
    const hooks: RequestHooks = {
      onRequest: (ev: RequestEvent) => metrics.requests.inc({ cluster: cluster.name, node: node.name, protocol: ev.protocol, operation: ev.operation, outcome: ev.outcome }),
    };
    pool = new CliPool({
      node: node.name,
      host: node.host,
      port: node.ports.ssh,
      credentials: () => {
        const c = node.credentials.os;
        if (!c) throw new CollectError('config', `${id}: no os credentials configured`);
        try {
          return { username: c.username, password: readSecret(c.password) };
        } catch (err) {
          throw new CollectError('config', `${id}: os password: ${(err as Error).message}`);
        }
      },
      knownHostsFile: node.ssh.knownHostsFile,
      trustOnFirstUse: node.ssh.trustOnFirstUse,
      maxSessions: 1,
      connectTimeoutMs: Math.min(30_000, this.opts.cliTimeoutMs),
      commandTimeoutMs: this.opts.cliTimeoutMs,
      idleMs: this.opts.cliIdleMs ?? 60_000,
      hooks,
    });
    this.shells.set(id, pool);
    return pool;
  }

  /** Shells opened by diagnostics right now (tests, leak checks). */
  get openShells(): number {
    let n = 0;
    for (const p of this.shells.values()) n += p.size;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.shells.values()].map((p) => p.close()));
    this.shells.clear();
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// Shared by the sources and faults integration tests: a lab on its own loopback range, the config
// it writes, a collector over it (short timeouts), and the lab's control API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfigFile } from '../../config/load';
import { resolveLoaded, type Inventory } from '../../config/resolve';
import type { SourceName } from '../../config/schema';
import { createCollector, type Collector } from '../../collectors/index';
import type { PollOutcome } from '../../collectors/engine/scheduler';
import type { ObservationView } from '../../collectors/engine/store';
import { startLab, type LabHandle } from '../../lab/index';

export interface LabRig {
  lab: LabHandle;
  inventory: Inventory;
  collector: Collector;
  dir: string;
  control<T = unknown>(method: string, p: string, body?: unknown): Promise<T>;
  /** Polls the given sources (default all, inventory first) of every node once. */
  poll(sources?: SourceName[], nodes?: string[]): Promise<PollOutcome[]>;
  view(node: string, source: SourceName): ObservationView;
  stop(): Promise<void>;
}

export interface RigOptions {
  addressBase: string;
  clusters?: number;
  nodes?: number;
  timeScale?: number;
  requestTimeoutSeconds?: number;
  cliTimeoutSeconds?: number;
}

export async function startRig(o: RigOptions): Promise<LabRig> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-rig-'));
  const lab = await startLab({
    clusters: o.clusters ?? 2,
    nodes: o.nodes ?? 2,
    usersPerCluster: 300,
    addressBase: o.addressBase,
    controlPort: 0,
    timeScale: o.timeScale ?? 1,
    dir,
  });
  const file = path.join(dir, 'impulse.config.yaml');
  lab.writeConfig(file);
  const inventory = resolveLoaded(loadConfigFile(file));
  inventory.limits.requestTimeout = o.requestTimeoutSeconds ?? 3;
  inventory.limits.cliCommandTimeout = o.cliTimeoutSeconds ?? 8;
  const collector = createCollector(inventory);
  const control = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${lab.controlUrl}${p}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  let stopped = false;
  return {
    lab,
    inventory,
    collector,
    dir,
    control,
    async poll(sources, nodes) {
      const want = (t: { source: SourceName; node: string }) => (!sources || sources.includes(t.source)) && (!nodes || nodes.includes(t.node));
      const first = await collector.engine.scheduler.runOnce((t) => t.source === 'inventory' && want(t));
      const rest = await collector.engine.scheduler.runOnce((t) => t.source !== 'inventory' && want(t));
      return [...first, ...rest];
    },
    view(node, source) {
      const v = collector.store.snapshot().find((e) => e.node === node && e.source === source);
      if (!v) throw new Error(`no observation for ${node}/${source}`);
      return v;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await collector.stop();
      await lab.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Per node: open PerfMon sessions, SSH sessions and channels, as the lab counts them. */
export async function openSessions(rig: LabRig): Promise<Record<string, { perfmon: number; ssh: number; channels: number }>> {
  const stats = await rig.control<unknown>('GET', '/v1/stats');
  const out: Record<string, { perfmon: number; ssh: number; channels: number }> = {};
  const entries: Array<[string, Record<string, number>]> = Array.isArray(stats)
    ? (stats as Array<Record<string, unknown>>).map((s) => [String(s.node ?? s.name), ((s.stats as Record<string, number>) ?? s) as Record<string, number>])
    : Object.entries(((stats as { nodes?: unknown }).nodes ?? stats) as Record<string, Record<string, number>>).map(([k, v]) => [k, ((v as { stats?: Record<string, number> }).stats ?? v) as Record<string, number>]);
  for (const [node, s] of entries) out[node] = { perfmon: s.perfmonSessionsOpen, ssh: s.sshSessionsOpen, channels: s.sshChannelsOpen };
  return out;
}

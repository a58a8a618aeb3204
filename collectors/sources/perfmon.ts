// perfmon: the curated counters plus the operator's extra counters, read from each node through
// ONE long-lived PerfMon session (wire-formats §1.8; peers.md §6.1: today's exporters send one
// perfmonCollectCounterData per object per node, ~49 requests per cycle, and trip the 50/min
// rate limit). Steady state: one perfmonCollectSessionData per interval (2 requests per minute
// at 30 s). Discovery (perfmonListCounter + perfmonListInstance for the multi-instance objects)
// runs when the session is first built and then hourly.
import { z } from 'zod';
import type { InventoryNode } from '../../config/resolve';
import { counterPath } from '../clients/perfmon';
import type { Observation } from '../engine/store';
import type { MetricSink } from '../metrics/sink';
import { counterKey, CURATED_COUNTERS, JSM_CAPACITY_COUNTERS, JSM_SESSION_CAPACITY, type CuratedCounter } from './perfmon-counters';
import type { Source, SourceClients, SourceContext } from './types';

const DISCOVERY_EVERY_MS = 60 * 60_000;
/** Wait between the baseline and the first real sample after a session is (re)opened. */
const BASELINE_GAP_MS = 1000;

const sample = z.object({
  object: z.string(),
  instance: z.string().optional(),
  counter: z.string(),
  value: z.number(),
  /** Configured in clusters[].perfmon.extraCounters. */
  extra: z.boolean(),
});

export const perfmonSchema = z.object({
  samples: z.array(sample),
  /** PerfMon requests this poll sent (discovery, open, add, collect). */
  requests: z.number().int().nonnegative(),
  sessionOpened: z.boolean(),
  /** Counter paths the node rejected (e.g. Error=101: not on this node). */
  rejected: z.array(z.string()),
  /** Counters asked for but not usable yet (first sample of a rate or percentage) or with a bad CStatus. */
  pending: z.number().int().nonnegative(),
});
export type PerfmonObservation = z.infer<typeof perfmonSchema>;

interface Discovery {
  at: number;
  paths: string[];
  extra: Set<string>;
}

/** Per node: what discovery found (module state; the engine keeps one client set per node). */
const discoveries = new WeakMap<SourceClients, Discovery>();

const curatedByKey = new Map<string, CuratedCounter[]>();
for (const c of CURATED_COUNTERS) {
  const k = counterKey(c.object, c.counter);
  curatedByKey.set(k, [...(curatedByKey.get(k) ?? []), c]);
}

function wantsInstance(c: CuratedCounter, instance: string): boolean {
  return !c.instances || c.instances.some((i) => i.toLowerCase() === instance.toLowerCase());
}

/** Path of an extra counter "Object\Counter" or "Object(Instance)\Counter" on this node. */
function extraPath(node: InventoryNode, spec: string): string {
  const m = /^([^\\(]+)(?:\(([^)]*)\))?\\(.+)$/.exec(spec);
  if (!m) return `\\\\${node.name}\\${spec}`;
  return counterPath(node.name, m[1], m[3], m[2]);
}

async function discover(ctx: SourceContext): Promise<{ d: Discovery; requests: number }> {
  const { perfmon } = ctx.clients;
  const node = ctx.node;
  let requests = 1;
  const objects = await perfmon.listCounter();
  const byName = new Map(objects.map((o) => [o.name.toLowerCase(), o]));
  const paths: string[] = [];
  const instancesOf = new Map<string, string[]>();
  for (const c of CURATED_COUNTERS) {
    if (!c.products.includes(node.product)) continue;
    const obj = byName.get(c.object.toLowerCase());
    if (!obj || !obj.counters.some((n) => n.toLowerCase() === c.counter.toLowerCase())) continue;
    const counter = obj.counters.find((n) => n.toLowerCase() === c.counter.toLowerCase())!;
    if (!obj.multiInstance) {
      paths.push(counterPath(node.name, obj.name, counter));
      continue;
    }
    let instances: string[];
    if (c.instance && c.instance !== 'discover') instances = [c.instance];
    else {
      if (!instancesOf.has(obj.name)) {
        requests++;
        instancesOf.set(obj.name, await perfmon.listInstance(obj.name));
      }
      instances = instancesOf.get(obj.name)!.filter((i) => wantsInstance(c, i));
    }
    for (const i of instances) paths.push(counterPath(node.name, obj.name, counter, i));
  }
  const extra = new Set(node.perfmon.extraCounters.map((s) => extraPath(node, s)));
  for (const p of extra) if (!paths.includes(p)) paths.push(p);
  return { d: { at: Date.now(), paths, extra }, requests };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}

export const perfmonSource: Source<PerfmonObservation> = {
  name: 'perfmon',
  scope: 'node',
  products: ['cucm', 'imp'],
  lane: 'soap',
  backsOff: true,
  schema: perfmonSchema,
  timeoutMs: ({ requestTimeoutMs, intervalMs }) => Math.min(3 * requestTimeoutMs, intervalMs),
  async poll(ctx) {
    const session = ctx.clients.perfmonSession;
    let requests = 0;
    let d = discoveries.get(ctx.clients);
    if (!d || Date.now() - d.at > DISCOVERY_EVERY_MS) {
      const r = await discover(ctx);
      requests += r.requests;
      d = r.d;
      discoveries.set(ctx.clients, d);
    }
    const ens = await session.ensure(d.paths);
    requests += ens.requests;
    let res = await session.collect();
    requests += res.requests;
    const opened = ens.opened || res.opened;
    if (opened && res.samples.some((s) => s.state === 'baseline')) {
      // Rates and percentages need a second sample in the same session (§1.8).
      await sleep(BASELINE_GAP_MS, ctx.signal);
      res = await session.collect();
      requests += res.requests;
    }
    ctx.reportProblems('perfmonCollectSessionData', res.unparsed);
    const extra = d.extra;
    const samples: PerfmonObservation['samples'] = [];
    let pending = 0;
    for (const s of res.samples) {
      if (s.state !== 'value') {
        pending++;
        continue;
      }
      samples.push({ object: s.object, instance: s.instance, counter: s.counter, value: s.value, extra: extra.has(s.path) || extra.has(counterPath(ctx.node.name, s.object, s.counter, s.instance)) });
    }
    return { samples, requests, sessionOpened: opened, rejected: res.failed, pending };
  },
  emit(obs: Observation<PerfmonObservation>, out: MetricSink) {
    const base = { cluster: obs.cluster, node: obs.node };
    let jsm: number | undefined;
    for (const s of obs.value?.samples ?? []) {
      if (s.object === 'Cisco XCP JSM' && (JSM_CAPACITY_COUNTERS as readonly string[]).includes(s.counter)) jsm = (jsm ?? 0) + s.value;
      if (s.extra) out('perfmonValue', { ...base, object: s.object, instance: s.instance ?? '', counter: s.counter }, s.value);
      for (const c of curatedByKey.get(counterKey(s.object, s.counter)) ?? []) {
        if (s.instance !== undefined && c.instance === 'discover' && !wantsInstance(c, s.instance)) continue;
        const labels: Record<string, string> = { ...base };
        for (const [k, v] of Object.entries(c.labels ?? {})) labels[k] = v.replace('{instance}', s.instance ?? '');
        out(c.metric, labels, s.value * (c.scale ?? 1));
      }
    }
    if (jsm !== undefined) out('jsmSessionCapacityRatio', base, jsm / JSM_SESSION_CAPACITY);
  },
  async close(clients) {
    await clients.perfmonSession.close();
  },
};

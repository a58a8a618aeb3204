// The full mesh as the history store sees it (bench/history.bench.ts): 30 × (6 IM&P + 1 CUCM)
// nodes, every chart line each node has (the lines the lab's nodes export: 7 JSM kinds, 7
// partitions, 9 IM&P or 6 CUCM processes, one target-up and poll-duration line per source…), at
// the product's default intervals, with values shaped like PerfMon's: integer counts that wander
// and follow the day, percentages as whole numbers / 100, memory in KB × 1024, durations in ms,
// states that never change. Deterministic: a value is a function of (line, time).

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export interface SimNode {
  cluster: string;
  name: string;
  product: 'imp' | 'cucm';
  publisher: boolean;
}

export interface SimLine {
  series: string;
  line: string;
  intervalMs: number;
  /** Phase of this line's polls within its interval, ms. */
  phase: number;
  value(t: number): number;
}

export function fleet(clusters = 30, impNodes = 6): SimNode[] {
  const out: SimNode[] = [];
  for (let c = 1; c <= clusters; c++) {
    const id = String(c).padStart(2, '0');
    for (let n = 0; n < impNodes; n++) out.push({ cluster: `imp${id}`, name: n === 0 ? `imp${id}-pub` : `imp${id}-sub${n}`, product: 'imp', publisher: n === 0 });
    out.push({ cluster: `cucm${id}`, name: `cucm${id}-pub`, product: 'cucm', publisher: true });
  }
  return out;
}

/** A hash of (seed, i) in [-1, 1): deterministic noise. */
function noise(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 31 - 1;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const daily = (t: number) => Math.sin((2 * Math.PI * (t % DAY)) / DAY - Math.PI / 2); // low at night

type Gen = (seed: number, step: (t: number) => number) => (t: number) => number;
/** Integer count around `base`: the day's curve (±amp) plus a slow wander and per-sample jitter. */
const count = (base: number, amp = 0.3, jitter = 0.002): Gen => (seed, step) => (t) =>
  Math.max(0, Math.round(base * (1 + amp * daily(t) + 0.02 * noise(seed, Math.floor(t / HOUR)) + jitter * noise(seed, step(t)))));
/** Whole percent / 100. */
const pct = (mean: number, amp: number, jitter: number): Gen => (seed, step) => (t) =>
  Math.min(100, Math.max(0, Math.round(mean + amp * daily(t) + jitter * noise(seed, step(t))))) / 100;
/** A value that changes every few hours. */
const rare = (base: number, every = 6 * HOUR, scale = 100): Gen => (seed) => (t) => Math.round(base + 2 * noise(seed, Math.floor(t / every))) / scale;
const constant = (v: number): Gen => () => () => v;
const kb = (baseKb: number): Gen => (seed, step) => (t) => Math.round(baseKb * (1 + 0.03 * daily(t)) + 500 * noise(seed, step(t))) * 1024;
const ms = (mean: number, spread: number): Gen => (seed, step) => (t) => Math.max(1, Math.round(mean + spread * noise(seed, step(t)))) / 1000;

const IMP_PROCESSES = ['cmoninit', 'tomcat', 'sipd', 'jabberd', 'epe', 'cpa', 'syncagent', 'srm', 'dbmon'];
const CUCM_PROCESSES = ['cmoninit', 'tomcat', 'ccm', 'CTIManager', 'ctftp', 'dbmon'];
const PARTITIONS: Array<[string, number]> = [['Active', 68], ['Inactive', 66], ['Common', 41], ['Boot', 22], ['Swap', 3], ['SharedMemory', 9], ['Spare', 1]];
const JSM: Array<[string, number]> = [['client', 6000], ['phantom', 250], ['hybrid', 0], ['composed', 5800], ['im', 4200], ['client-active', 5400], ['client-inactive', 600]];

/** Source → interval (s) for a node (config/schema.ts defaultIntervals). */
export function sourcesOf(n: SimNode): Array<[string, number]> {
  const out: Array<[string, number]> = [['inventory', 86_400], ['perfmon', 30], ['services', 60], ['certificates', 3600]];
  if (n.product === 'imp') out.push(['ha', 30]);
  if (n.publisher) out.push(['replication', 60]);
  if (n.publisher && n.product === 'imp') out.push(['peers', 300], ['users', 86_400]);
  return out;
}

const DURATION_MS: Record<string, [number, number]> = { inventory: [900, 300], perfmon: [180, 60], services: [140, 50], certificates: [2600, 800], ha: [420, 120], replication: [650, 200], peers: [120, 40], users: [8000, 2000] };

export function linesOf(n: SimNode): SimLine[] {
  const out: SimLine[] = [];
  const node = `${n.cluster}/${n.name}`;
  const add = (series: string, line: string, intervalS: number, gen: Gen) => {
    const seed = hash(`${node}/${series}/${line}`);
    const intervalMs = intervalS * 1000;
    const phase = seed % intervalMs;
    const step = (t: number) => Math.floor((t - phase) / intervalMs);
    out.push({ series, line, intervalMs, phase, value: gen(seed, step) });
  };
  if (n.product === 'imp') {
    for (const [kind, base] of JSM) add('jsm-sessions', kind, 30, base === 0 ? constant(0) : count(base));
    const client = count(6000)(hash(`${node}/jsm-sessions/client`), (t) => Math.floor(t / 30_000));
    add('jsm-capacity', '', 30, () => (t) => (client(t) + 250) / 37_500);
    add('active-jsm-sessions', '', 30, count(6000));
    add('presence-subscriptions', 'ActiveSubscriptions', 30, count(60_000));
    add('presence-subscriptions', 'ActiveCalendarSubscriptions', 30, count(1500, 0.1));
    add('xcp-sockets', 'Cisco XCP CM', 30, count(5000));
    add('xcp-sockets', 'Cisco XCP WebCM', 30, count(300));
  }
  add('cpu', '', 30, pct(25, 12, 6));
  add('memory', '', 30, pct(62, 3, 1));
  for (const [p, used] of PARTITIONS) add('partitions', p, 30, rare(used));
  const processes = n.product === 'imp' ? IMP_PROCESSES : CUCM_PROCESSES;
  processes.forEach((p, i) => {
    add('process-cpu', p, 30, pct(2 + (i % 3), 1, 2));
    add('process-memory', p, 30, kb(200_000 + 150_000 * i));
  });
  add('replicate-state', '', 30, constant(2));
  add('er-queue', '', 30, rare(0, 12 * HOUR, 1));
  add('db-space', '', 30, rare(3));
  // The publisher's replication view has one row per server of the cluster, this node's included.
  add('replication-setup', '', 60, constant(2));
  add('replication-queue', '', 60, (seed, step) => (t) => Math.max(0, Math.round(2 * noise(seed, step(t)))));
  add('replication-ping', '', 60, (seed, step) => (t) => Math.round(163 + 40 * noise(seed, step(t))) / 1_000_000);
  for (const [source, interval] of sourcesOf(n)) {
    add('target-up', source, interval, constant(1));
    const [mean, spread] = DURATION_MS[source];
    add('poll-duration', source, interval, ms(mean, spread));
  }
  return out;
}

/**
 * The samples of a line in [from, to). Poll times carry the scheduler's jitter (±5 % of the
 * interval around a cadence anchored at the start, collectors/engine/scheduler.ts) and
 * millisecond precision, as recorded samples do.
 */
export function samplesOf(l: SimLine, from: number, to: number): Array<{ t: number; v: number }> {
  const out: Array<{ t: number; v: number }> = [];
  const jitter = 0.05 * l.intervalMs;
  for (let k = Math.floor((from - l.phase) / l.intervalMs) - 1; ; k++) {
    const slot = k * l.intervalMs + l.phase;
    if (slot - jitter >= to) break;
    const t = slot + Math.round(jitter * noise(l.phase + 1, k));
    if (t >= from && t < to) out.push({ t, v: l.value(t) });
  }
  return out;
}

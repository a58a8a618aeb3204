// PerfMon objects and counters of a simulated CUCM / IM&P node (reference/wire-formats.md §1.9,
// counters-certs-replication.md §1, ha.md §3.6). About 45 objects per node, so polling "one
// perfmonCollectCounterData per object" costs what it costs on a real node.
//
// Values are deterministic functions of (seed, node, counter, simulated time) and of the node's
// state: JSM sessions follow the users the node carries (they move to the backup on failover),
// a stopped service's objects and process instances vanish, replication-broken raises the queue.
//
// Raw values by kind (LabCounterSource.raw):
//   gauge   — the value;
//   counter — cumulative count (the value shown is the count itself);
//   rate    — cumulative count; the value is Δraw / Δseconds between two samples;
//   percent — cumulative percent·seconds; the value is Δraw / Δseconds between two samples.
// sampleValue() below turns two raws into the value a PerfMon session shows.
import type { CounterDefinition, CounterObject, LabCounterSource, LabReplication, Product } from '../model';
import { activity, wave, waveIntegral } from './waves';

export interface CounterNodeContext {
  seed: number;
  name: string;
  product: Product;
  /** Simulated epoch ms the node booted (cumulative counters count from here). */
  bootedAt: number;
  /** Users homed on this IM&P node, or end users of the CUCM cluster. */
  homedUsers: number;
  serviceRunning(name: string): boolean;
  /** Simulated now (lab clock). */
  now(): number;
  /** Brings HA state up to `at` (lazy state machine) before a read. */
  sync(at: number): void;
  /** Users this node carries at `at` (own + peer's in backup mode; 0 when it serves nobody). */
  carried(at: number): number;
  /** ∫ carried × activity dt, user·seconds since boot. */
  load(at: number): number;
  /** Active users of the peer node (Jabber dual connections: inactive sessions here). */
  peerActive(at: number): number;
  replication: LabReplication;
}

type Raw = (c: CounterNodeContext, at: number, inst: string | undefined, key: string) => number;

interface CounterSpec extends CounterDefinition {
  raw: Raw;
}

interface ObjectSpec extends CounterObject {
  readonly counters: readonly CounterSpec[];
  /** Service whose process provides the object; absent while it is stopped. */
  service?: string;
  instances?: (c: CounterNodeContext, at: number) => string[];
}

/** Value a second sample shows for two raws `dt` ms apart (rate/percent), or the raw itself. */
export function sampleValue(kind: CounterDefinition['kind'], raw1: number, t1: number, raw2: number, t2: number): number {
  if (kind === 'gauge' || kind === 'counter') return raw2;
  const dt = (t2 - t1) / 1000;
  if (dt <= 0) return 0;
  return Math.max(0, (raw2 - raw1) / dt);
}

/** Interval assumed by value() for rate/percent kinds (a previous sample 30 s earlier). */
export const VALUE_INTERVAL_MS = 30_000;

const secs = (c: CounterNodeContext, at: number) => Math.max(0, (at - c.bootedAt) / 1000);
const sessions = (c: CounterNodeContext, at: number) => Math.round(c.carried(at) * activity(at / 1000) * (1 + 0.01 * wave(c.seed, `${c.name}:jsm`, at / 1000)));

// Building blocks. `key` is "object/instance/counter", so every counter moves on its own.
const gauge = (base: number, amp = 0.05): Raw => (c, at, _i, key) => Math.round(base * (1 + amp * wave(c.seed, `${c.name}:${key}`, at / 1000)));
const gaugeF = (f: (c: CounterNodeContext, at: number) => number): Raw => (c, at) => Math.max(0, Math.round(f(c, at)));
const constant = (v: number): Raw => () => v;
/** Cumulative count at `perSec` (± amp) since boot. */
const cumulative = (perSec: number, amp = 0.3): Raw => (c, at, _i, key) => Math.floor(perSec * secs(c, at) + perSec * amp * waveIntegral(c.seed, `${c.name}:${key}`, secs(c, at)));
/** Cumulative count proportional to carried active users. */
const perUser = (perUserPerSec: number): Raw => (c, at) => Math.floor(perUserPerSec * c.load(at));
/** Percent counter: mean ± amp, plus `perUser` percent per carried active user. */
const percent = (mean: number, amp: number, perUserPct = 0): Raw => (c, at, _i, key) => {
  const t = secs(c, at);
  return mean * t + amp * waveIntegral(c.seed, `${c.name}:${key}`, t) + perUserPct * c.load(at);
};

const def = (name: string, kind: CounterDefinition['kind'], description: string, raw: Raw): CounterSpec => ({ name, kind, description, raw });

function cpus(c: CounterNodeContext) {
  return c.product === 'imp' ? 6 : 4;
}

const PROCESSES: Record<Product, [string, string | undefined, number][]> = {
  // [process, service, RSS KB]
  imp: [
    ['cmoninit', 'A Cisco DB', 1_850_000],
    ['tomcat', 'Cisco Tomcat', 1_200_000],
    ['sipd', 'Cisco SIP Proxy', 420_000],
    ['jabberd', 'Cisco XCP Router', 900_000],
    ['epe', 'Cisco Presence Engine', 1_100_000],
    ['cpa', 'Cisco Client Profile Agent', 260_000],
    ['syncagent', 'Cisco Sync Agent', 310_000],
    ['srm', 'Cisco Server Recovery Manager', 90_000],
    ['RisDC', 'Cisco RIS Data Collector', 240_000],
    ['dbmon', 'Cisco Database Layer Monitor', 60_000],
    ['sshd', 'System SSH', 8_000],
    ['servM', 'Service Manager', 40_000],
  ],
  cucm: [
    ['cmoninit', 'A Cisco DB', 2_400_000],
    ['tomcat', 'Cisco Tomcat', 1_300_000],
    ['ccm', 'Cisco CallManager', 950_000],
    ['CTIManager', 'Cisco CTIManager', 210_000],
    ['ctftp', 'Cisco Tftp', 120_000],
    ['RisDC', 'Cisco RIS Data Collector', 260_000],
    ['amc', 'Cisco AMC Service', 150_000],
    ['dbmon', 'Cisco Database Layer Monitor', 70_000],
    ['sshd', 'System SSH', 8_000],
    ['servM', 'Service Manager', 40_000],
  ],
};

const PARTITIONS: [string, number, number][] = [
  // [instance, Total Mbytes, % used]
  ['Active', 19_300, 68],
  ['Inactive', 19_300, 66],
  ['Common', 67_600, 41],
  ['Boot', 1_000, 22],
  ['Swap', 8_192, 3],
  ['SharedMemory', 7_800, 9],
  ['Spare', 2_000, 1],
];

function platformObjects(product: Product): ObjectSpec[] {
  const procs = PROCESSES[product];
  const procInfo = (inst?: string) => procs.find((p) => p[0] === inst);
  const part = (inst?: string) => PARTITIONS.find((p) => p[0] === inst) ?? PARTITIONS[0];
  // CPU follows load: ~0.0015 % per active IM&P user (25,000 users ≈ +34 %), less per CUCM user.
  const busy = percent(9, 4, product === 'imp' ? 0.0015 : 0.0002);
  return [
    {
      name: 'Processor',
      multiInstance: true,
      instances: (c) => ['_Total', ...Array.from({ length: cpus(c) }, (_, k) => String(k))],
      counters: [
        def('% CPU Time', 'percent', 'Percentage of time the processor is busy', busy),
        // Idle is the complement of the same signal (same wave key), so the two always add up to 100.
        def('Idle Percentage', 'percent', 'Percentage of time the processor is idle', (c, at, i, k) => 100 * secs(c, at) - busy(c, at, i, k.replace('Idle Percentage', '% CPU Time'))),
        def('IOwait Percentage', 'percent', 'Percentage of time waiting for I/O', percent(1.2, 0.8)),
        def('System Percentage', 'percent', 'Percentage of time in kernel mode', percent(2.5, 1)),
        def('User Percentage', 'percent', 'Percentage of time in user mode', percent(6, 2.5, 0.0012)),
        def('Nice Percentage', 'percent', 'Percentage of time in user mode at low priority', percent(0.3, 0.2)),
        def('Irq Percentage', 'percent', 'Percentage of time servicing interrupts', percent(0.2, 0.1)),
        def('Softirq Percentage', 'percent', 'Percentage of time servicing soft interrupts', percent(0.4, 0.2)),
      ],
    },
    {
      name: 'Memory',
      multiInstance: false,
      counters: [
        def('% Mem Used', 'gauge', 'Percentage of system physical memory in use', gauge(product === 'imp' ? 71 : 64, 0.04)),
        def('% Page Usage', 'gauge', 'Percentage of active pages', gauge(62, 0.04)),
        def('% VM Used', 'gauge', 'Percentage of virtual memory in use', gauge(58, 0.04)),
        def('Buffers KBytes', 'gauge', 'Capacity of buffers in the system', gauge(545_440, 0.02)),
        def('Cached KBytes', 'gauge', 'Amount of cached memory', gauge(3_232_656, 0.03)),
        def('Free KBytes', 'gauge', 'Total free physical memory', gauge(product === 'imp' ? 4_600_000 : 2_900_000, 0.08)),
        def('Free Swap KBytes', 'gauge', 'Free swap space', gauge(8_000_000, 0.01)),
        def('Total KBytes', 'gauge', 'Total physical memory', constant(product === 'imp' ? 16_266_000 : 8_010_000)),
        def('Total Swap KBytes', 'gauge', 'Total swap space', constant(8_388_604)),
        def('Total VM KBytes', 'gauge', 'Total physical memory and swap', constant(product === 'imp' ? 24_654_604 : 16_398_604)),
        def('Used KBytes', 'gauge', 'Physical memory in use', gauge(product === 'imp' ? 11_600_000 : 5_100_000, 0.03)),
        def('Used Swap KBytes', 'gauge', 'Swap space in use', gauge(180_000, 0.1)),
        def('Used VM KBytes', 'gauge', 'Physical memory and swap in use', gauge(product === 'imp' ? 11_780_000 : 5_280_000, 0.03)),
        def('Pages Input', 'counter', 'Pages read in from disk', cumulative(12)),
        def('Pages Output', 'counter', 'Pages written out to disk', cumulative(30)),
        def('Faults Per Sec', 'rate', 'Page faults per second', cumulative(850)),
      ],
    },
    {
      name: 'Partition',
      multiInstance: true,
      instances: () => PARTITIONS.map((p) => p[0]),
      counters: [
        def('% Used', 'gauge', 'Percentage of the partition in use', (c, at, i) => Math.round(part(i)[2] + (i === 'Common' ? Math.min(20, secs(c, at) / 86_400 / 10) : 0))),
        def('Total Mbytes', 'gauge', 'Size of the partition', (_c, _at, i) => part(i)[1]),
        def('Used Mbytes', 'gauge', 'Space in use on the partition', (c, at, i) => Math.round((part(i)[1] * (part(i)[2] + (i === 'Common' ? Math.min(20, secs(c, at) / 86_400 / 10) : 0))) / 100)),
        def('Queue Length', 'gauge', 'I/O requests waiting', gauge(1, 0.9)),
        def('Read Bytes Per Sec', 'rate', 'Bytes read per second', cumulative(180_000)),
        def('Write Bytes Per Sec', 'rate', 'Bytes written per second', cumulative(420_000)),
        def('Await Read Time', 'gauge', 'Average read wait, ms', gauge(2, 0.5)),
        def('Await Write Time', 'gauge', 'Average write wait, ms', gauge(4, 0.5)),
      ],
    },
    {
      name: 'Process',
      multiInstance: true,
      instances: (c) => procs.filter(([, svc]) => !svc || c.serviceRunning(svc)).map((p) => p[0]),
      counters: [
        def('% CPU Time', 'percent', 'Share of CPU time used by the process', (c, at, i, k) => percent(i === 'jabberd' || i === 'ccm' ? 3 : 0.6, 0.4, i === 'jabberd' || i === 'epe' || i === 'ccm' ? 0.0006 : 0)(c, at, i, k)),
        def('% MemoryUsage', 'gauge', 'Share of physical memory used by the process', (c, at, i, k) => Math.round((100 * (procInfo(i)?.[2] ?? 50_000)) / (product === 'imp' ? 16_266_000 : 8_010_000) * (1 + 0.03 * wave(c.seed, k, at / 1000)) * 10) / 10),
        def('VmRSS', 'gauge', 'Resident set size, KB', (c, at, i, k) => Math.round((procInfo(i)?.[2] ?? 50_000) * (1 + 0.03 * wave(c.seed, `${c.name}:${k}`, at / 1000)))),
        def('VmSize', 'gauge', 'Virtual size, KB', (c, at, i, k) => Math.round((procInfo(i)?.[2] ?? 50_000) * 2.4 * (1 + 0.01 * wave(c.seed, `${c.name}:${k}`, at / 1000)))),
        def('Thread Count', 'gauge', 'Threads of the process', (c, at, i, k) => Math.round(((procInfo(i)?.[2] ?? 50_000) / 9_000 + 4) * (1 + 0.05 * wave(c.seed, `${c.name}:${k}`, at / 1000)))),
        def('STime', 'counter', 'Jiffies scheduled in kernel mode', cumulative(9)),
        def('UTime', 'counter', 'Jiffies scheduled in user mode', cumulative(35)),
        def('PID', 'gauge', 'Process ID', (c, _at, i) => 1000 + ((procs.findIndex((p) => p[0] === i) * 7919 + c.bootedAt / 1000) % 30_000) | 0),
      ],
    },
    {
      name: 'Thread',
      multiInstance: false,
      counters: [def('% CPU Time', 'percent', 'Share of CPU time used by threads', percent(8, 3)), def('Total Threads', 'gauge', 'Threads on the system', gauge(1_450, 0.03))],
    },
    {
      name: 'IP',
      multiInstance: false,
      counters: [
        def('In Receives', 'counter', 'IP datagrams received', cumulative(2_400)),
        def('In Delivers', 'counter', 'IP datagrams delivered', cumulative(2_380)),
        def('In Discards', 'counter', 'IP datagrams discarded', cumulative(0.02)),
        def('In HdrErrors', 'counter', 'IP datagrams with header errors', cumulative(0.001)),
        def('Out Requests', 'counter', 'IP datagrams sent', cumulative(2_300)),
        def('Frag Creates', 'counter', 'IP fragments created', cumulative(0.1)),
        def('Reasm Reqds', 'counter', 'IP fragments needing reassembly', cumulative(0.1)),
      ],
    },
    {
      name: 'IP6',
      multiInstance: false,
      counters: [def('In Receives', 'counter', 'IPv6 datagrams received', cumulative(3)), def('Out Requests', 'counter', 'IPv6 datagrams sent', cumulative(3))],
    },
    {
      name: 'TCP',
      multiInstance: false,
      counters: [
        def('Active Opens', 'counter', 'Connections opened from this node', cumulative(4)),
        def('Passive Opens', 'counter', 'Connections accepted', cumulative(6)),
        def('Attempt Fails', 'counter', 'Failed connection attempts', cumulative(0.05)),
        def('Estab Resets', 'counter', 'Established connections reset', cumulative(0.2)),
        def('Curr Estab', 'gauge', 'Connections currently established', (c, at) => Math.round(180 + sessions(c, at) * 1.1)),
        def('In Segs', 'counter', 'Segments received', cumulative(2_100)),
        def('Out Segs', 'counter', 'Segments sent', cumulative(2_050)),
        def('Retrans Segs', 'counter', 'Segments retransmitted', cumulative(1.5)),
      ],
    },
    {
      name: 'UDP',
      multiInstance: false,
      counters: [def('In Datagrams', 'counter', 'UDP datagrams received', cumulative(120)), def('Out Datagrams', 'counter', 'UDP datagrams sent', cumulative(118)), def('No Ports', 'counter', 'Datagrams to closed ports', cumulative(0.3))],
    },
    {
      name: 'Network Interface',
      multiInstance: true,
      instances: () => ['eth0', 'lo'],
      counters: [
        def('Rx Bytes', 'counter', 'Bytes received', (c, at, i, k) => cumulative(i === 'lo' ? 90_000 : 650_000)(c, at, i, k)),
        def('Tx Bytes', 'counter', 'Bytes sent', (c, at, i, k) => cumulative(i === 'lo' ? 90_000 : 720_000)(c, at, i, k)),
        def('Rx Packets', 'counter', 'Packets received', (c, at, i, k) => cumulative(i === 'lo' ? 400 : 2_300)(c, at, i, k)),
        def('Tx Packets', 'counter', 'Packets sent', (c, at, i, k) => cumulative(i === 'lo' ? 400 : 2_200)(c, at, i, k)),
        def('Rx Errors', 'counter', 'Receive errors', constant(0)),
        def('Tx Errors', 'counter', 'Transmit errors', constant(0)),
        def('Rx Dropped', 'counter', 'Received packets dropped', cumulative(0.01)),
        def('Tx Dropped', 'counter', 'Sent packets dropped', constant(0)),
        def('Total Bytes', 'counter', 'Bytes received and sent', (c, at, i, k) => cumulative(i === 'lo' ? 180_000 : 1_370_000)(c, at, i, k)),
        def('Tx QueueLen', 'gauge', 'Transmit queue length', constant(1000)),
      ],
    },
    {
      name: 'System',
      multiInstance: false,
      counters: [
        def('Allocated FDs', 'gauge', 'File descriptors allocated', gauge(14_200, 0.03)),
        def('Being Used FDs', 'gauge', 'File descriptors in use', gauge(13_900, 0.03)),
        def('Freed FDs', 'gauge', 'File descriptors freed', gauge(300, 0.2)),
        def('Max FDs', 'gauge', 'File descriptor limit', constant(1_613_124)),
        def('Total CPU Time', 'counter', 'Jiffies since boot', (c, at) => Math.floor(secs(c, at) * 100 * cpus(c))),
        def('Total Processes', 'gauge', 'Processes on the system', gauge(420, 0.02)),
        def('Total Threads', 'gauge', 'Threads on the system', gauge(1_450, 0.03)),
        def('IOReadReqMergedPerSecond', 'rate', 'Merged read requests per second', cumulative(3)),
        def('IOWriteReqMergedPerSecond', 'rate', 'Merged write requests per second', cumulative(40)),
        def('IOPerSecond', 'rate', 'I/O operations per second', cumulative(95)),
      ],
    },
    {
      name: 'Ramfs',
      multiInstance: true,
      instances: () => ['ccm_calllogs', 'ccm_dbcn'],
      counters: [def('FilesTotal', 'gauge', 'Files in the ramfs', gauge(40, 0.2)), def('SpaceUsed', 'gauge', 'Bytes used', gauge(2_400_000, 0.2)), def('SpaceFree', 'gauge', 'Bytes free', gauge(60_000_000, 0.02))],
    },
    {
      name: 'DB Local_DSN',
      multiInstance: false,
      service: 'A Cisco DB',
      counters: [
        def('CcmDbSpace_Used', 'gauge', 'Percentage of the ccm dbspace in use', gauge(product === 'cucm' ? 38 : 24, 0.01)),
        def('CcmtempDbSpace_Used', 'gauge', 'Percentage of the temp dbspace in use', gauge(3, 0.3)),
        def('CNDbSpace_Used', 'gauge', 'Percentage of the change notification dbspace in use', gauge(2, 0.3)),
        def('LocalDSN', 'gauge', 'Local data source name present', constant(1)),
        def('RootDbSpace_Used', 'gauge', 'Percentage of the root dbspace in use', gauge(41, 0.01)),
        def('SharedMemory_Free', 'gauge', 'Database shared memory free, KB', gauge(180_000, 0.05)),
        def('SharedMemory_Used', 'gauge', 'Database shared memory used, KB', gauge(420_000, 0.02)),
      ],
    },
    {
      name: 'Number of Replicates Created and State of Replication',
      multiInstance: true,
      service: 'A Cisco DB Replicator',
      instances: () => ['ReplicateCount'],
      counters: [
        def('Number of Replicates Created', 'gauge', 'Replicates created by the replication setup', (c) => c.replication.replicates),
        def('Replicate_State', 'gauge', '0 not started, 1 replicates created but count incorrect, 2 good, 3 bad, 4 setup failed', (c) => c.replication.setupState),
      ],
    },
    {
      name: 'Enterprise Replication Perfmon Counters',
      multiInstance: false,
      service: 'A Cisco DB Replicator',
      counters: [
        def('ReplicationQueueDepth', 'gauge', 'Replication queue depth', (c) => c.replication.queue),
        def('ReceiveQueueDepth', 'gauge', 'Receive queue depth', (c) => Math.floor(c.replication.queue / 3)),
      ],
    },
    {
      name: 'DB Change Notification Client',
      multiInstance: false,
      service: 'Cisco Database Layer Monitor',
      counters: [def('MessagesProcessed', 'counter', 'Change notifications processed', cumulative(0.8)), def('MessagesProcessing', 'gauge', 'Change notifications being processed', constant(0)), def('QueueMax', 'gauge', 'Largest queue length', constant(1000))],
    },
    {
      name: 'DB Change Notification Server',
      multiInstance: false,
      service: 'Cisco Database Layer Monitor',
      counters: [def('CNProcessed', 'counter', 'Change notifications processed', cumulative(0.8)), def('QueueDelay', 'gauge', 'Queue delay, s', constant(0)), def('QueuedRequestsInDB', 'gauge', 'Requests queued in the database', constant(0))],
    },
    {
      name: 'DB User Host Information Counters',
      multiInstance: false,
      service: 'A Cisco DB',
      counters: [def('DB:User:Host Instances', 'gauge', 'Database connections by user and host', gauge(48, 0.1))],
    },
    {
      name: 'Cisco Tomcat JVM',
      multiInstance: false,
      service: 'Cisco Tomcat',
      counters: [
        def('KBytesMemoryFree', 'gauge', 'Free JVM heap, KB', gauge(310_000, 0.25)),
        def('KBytesMemoryMax', 'gauge', 'Maximum JVM heap, KB', constant(1_048_576)),
        def('KBytesMemoryTotal', 'gauge', 'Allocated JVM heap, KB', gauge(900_000, 0.03)),
      ],
    },
    {
      name: 'Cisco Tomcat Connector',
      multiInstance: true,
      service: 'Cisco Tomcat',
      instances: () => ['http-8080', 'https-8443'],
      counters: [
        def('Errors', 'counter', 'HTTP errors', cumulative(0.01)),
        def('MBytesReceived', 'counter', 'MB received', cumulative(0.02)),
        def('MBytesSent', 'counter', 'MB sent', cumulative(0.06)),
        def('Requests', 'counter', 'Requests served', cumulative(2.5)),
        def('ThreadsBusy', 'gauge', 'Busy request threads', gauge(3, 0.6)),
        def('ThreadsMax', 'gauge', 'Request thread limit', constant(200)),
        def('ThreadsTotal', 'gauge', 'Request threads', gauge(25, 0.1)),
      ],
    },
    {
      name: 'Cisco Tomcat Web Application',
      multiInstance: true,
      service: 'Cisco Tomcat',
      instances: () => (product === 'cucm' ? ['axl', 'ccmadmin', 'ccmservice', 'controlcenterservice2', 'perfmonservice2', 'realtimeservice2'] : ['axl', 'cupadmin', 'ccmservice', 'controlcenterservice2', 'perfmonservice2', 'realtimeservice2']),
      counters: [def('Errors', 'counter', 'Errors', cumulative(0.005)), def('Requests', 'counter', 'Requests', cumulative(0.5)), def('SessionsActive', 'gauge', 'Active sessions', gauge(4, 0.5))],
    },
    {
      name: 'Cisco AXL Web Service',
      multiInstance: false,
      service: 'Cisco AXL Web Service',
      counters: [def('ThrottleCount', 'counter', 'Requests throttled', constant(0)), def('ThrottleState', 'gauge', '1 while AXL write requests are throttled', constant(0))],
    },
    {
      name: 'SAML SSO',
      multiInstance: false,
      service: 'Cisco Tomcat',
      counters: [def('SAML_REQUESTS', 'counter', 'SAML requests', cumulative(0.02)), def('SAML_RESPONSES', 'counter', 'SAML responses', cumulative(0.02)), def('OAUTH_TOKENS_ACTIVE', 'gauge', 'Active OAuth tokens', gauge(40, 0.3))],
    },
    {
      name: 'Cisco SSOSP',
      multiInstance: false,
      service: 'Cisco Tomcat',
      counters: [def('SSOSPTotalAgentsConnected', 'gauge', 'SSO agents connected', constant(1)), def('SSOSPTotalSAMLRequests', 'counter', 'SAML requests', cumulative(0.01))],
    },
    {
      name: 'Cisco HAProxy',
      multiInstance: false,
      counters: [def('HAProxyConnections', 'gauge', 'Open proxied connections', gauge(30, 0.4)), def('HAProxyRequests', 'counter', 'Proxied requests', cumulative(1.8))],
    },
    {
      name: 'Docker Container',
      multiInstance: true,
      instances: () => ['ciscotomcat'],
      counters: [def('CPU Usage', 'gauge', 'Container CPU, %', gauge(3, 0.5)), def('Memory Usage', 'gauge', 'Container memory, KB', gauge(620_000, 0.05))],
    },
  ];
}

function impObjects(): ObjectSpec[] {
  return [
    {
      name: 'Cisco Presence Engine',
      multiInstance: false,
      service: 'Cisco Presence Engine',
      counters: [
        def('ActiveJsmSessions', 'gauge', 'Active JSM sessions: users logged in on this node (including failed-over users)', gaugeF(sessions)),
        def('ActiveCalendarSubscriptions', 'gauge', 'Active calendar (Exchange) subscriptions', gaugeF((c, at) => sessions(c, at) * 0.3)),
        def('ActiveSubscriptions', 'gauge', 'Active presence subscriptions', gaugeF((c, at) => sessions(c, at) * 11.5)),
        def('SubscriptionActiveReceivedFromForeign', 'gauge', 'Subscriptions received from intercluster and federated peers', gaugeF((c, at) => sessions(c, at) * 1.8)),
        def('SubscriptionActiveSentForeign', 'gauge', 'Subscriptions sent to intercluster and federated peers', gaugeF((c, at) => sessions(c, at) * 1.7)),
        def('PresenceUpdatesReceived', 'rate', 'Presence updates received', perUser(0.02)),
        def('PresenceUpdatesSent', 'rate', 'Presence updates sent', perUser(0.18)),
      ],
    },
    {
      name: 'Cisco XCP JSM',
      multiInstance: false,
      service: 'Cisco XCP Router',
      counters: [
        def('JsmIMSessions', 'gauge', 'Active IM sessions', gaugeF((c, at) => sessions(c, at) * 0.97)),
        def('JsmTotalMessagePackets', 'counter', 'Message packets handled', perUser(0.05)),
        def('JsmMsgsInLastSlice', 'gauge', 'Messages in the last 60 s slice', gaugeF((c, at) => sessions(c, at) * 0.05 * 60)),
        def('JsmSessionsComposed', 'gauge', 'Configured sessions enabled for JSM', gaugeF((c, at) => c.carried(at))),
        def('JsmSessionsClient', 'gauge', 'Client sessions active for JSM', gaugeF(sessions)),
        def('JsmSessionsClientInactive', 'gauge', 'Client sessions inactive for JSM (dual connections)', gaugeF((c, at) => c.peerActive(at))),
        def('JsmClientSessionsActive', 'gauge', 'Active JSM sessions from on- and off-premises logins', gaugeF((c, at) => sessions(c, at) * 1.15)),
        def('JsmPhantomSessionsActive', 'gauge', 'Phantom JSM sessions (push, HA failover)', gaugeF((c, at) => sessions(c, at) * 0.08)),
        def('JsmHybridSessionsActive', 'gauge', 'Spark Interop JSM sessions', constant(0)),
        def('JSMSessionsExceedsThreshold', 'gauge', '1 while JSM sessions exceed the threshold', gaugeF((c, at) => (sessions(c, at) * 1.15 > 0.8 * 37_500 ? 1 : 0))),
      ],
    },
    {
      name: 'Cisco XCP CM',
      multiInstance: false,
      service: 'Cisco XCP Connection Manager',
      counters: [
        def('CmConnectedSockets', 'gauge', 'Connected XMPP client sockets', gaugeF((c, at) => sessions(c, at) * 1.2)),
        def('CmFailedRequests', 'counter', 'Failed client requests', cumulative(0.01)),
        def('CmTotalRequests', 'counter', 'Client requests', perUser(0.03)),
      ],
    },
    {
      name: 'Cisco XCP WebCM',
      multiInstance: false,
      service: 'Cisco XCP Web Connection Manager',
      counters: [def('WebCMConnectedSockets', 'gauge', 'Connected web client sockets', gaugeF((c, at) => sessions(c, at) * 0.04)), def('WebCMFailedRequests', 'counter', 'Failed web client requests', cumulative(0.002))],
    },
    {
      name: 'Cisco XCP Router',
      multiInstance: false,
      service: 'Cisco XCP Router',
      counters: [def('XcpRouterConnectedComponents', 'gauge', 'XCP components connected to the router', constant(9)), def('XcpRouterTotalPackets', 'counter', 'Packets routed', perUser(0.4))],
    },
    {
      name: 'Cisco XCP Auth',
      multiInstance: false,
      service: 'Cisco XCP Authentication Service',
      counters: [def('XcpAuthSuccessfulAuthentications', 'counter', 'Successful client authentications', perUser(0.0004)), def('XcpAuthFailedAuthentications', 'counter', 'Failed client authentications', cumulative(0.001))],
    },
    {
      name: 'Cisco XCP TC',
      multiInstance: false,
      service: 'Cisco XCP Text Conference Manager',
      counters: [def('TcTotalRooms', 'gauge', 'Chat rooms', gauge(340, 0.05)), def('TcTotalMessages', 'counter', 'Chat room messages', perUser(0.004))],
    },
    {
      name: 'Cisco XCP MDM',
      multiInstance: false,
      service: 'Cisco XCP Router',
      counters: [
        def('MDMSessions', 'gauge', 'Number of currently active MDM sessions', gaugeF((c, at) => sessions(c, at) * 0.35)),
        def('MDMSilentModeSessions', 'gauge', 'Current sessions in silent mode', gaugeF((c, at) => sessions(c, at) * 0.02)),
        def('MDMQuietModeSessions', 'gauge', 'Current sessions in quiet mode', gaugeF((c, at) => sessions(c, at) * 0.05)),
        def('MDMBufferFlushes', 'counter', 'Total number of MDM buffer flushes', perUser(0.001)),
        def('MDMBufferFlushesLimitReached', 'counter', 'Total number of MDM buffer flushes that reached the full buffer size limit', constant(0)),
        def('MDMBufferFlushPacketCount', 'gauge', 'Number of packets flushed in the last time slice', gauge(40, 0.5)),
        def('MDMBufferAvgQueuedTime', 'gauge', 'Average time (seconds) before an MDM buffer is flushed', gauge(4, 0.3)),
      ],
    },
    {
      name: 'Cisco XCP MFT Counters',
      multiInstance: false,
      service: 'Cisco XCP File Transfer Manager',
      counters: [
        def('MFTBytesDownloadedLastTimeslice', 'gauge', 'Bytes downloaded during the last reporting interval', constant(0)),
        def('MFTBytesUpoadedLastTimeslice', 'gauge', 'Bytes uploaded during the last reporting interval', constant(0)),
        def('MFTFilesDownloaded', 'counter', 'Total number of files downloaded', constant(0)),
        def('MFTFilesDownloadedLastTimeslice', 'gauge', 'Files downloaded during the last reporting interval', constant(0)),
        def('MFTFilesUploaded', 'counter', 'Total number of files uploaded', constant(0)),
        def('MFTFilesUploadedLastTimeslice', 'gauge', 'Files uploaded during the last reporting interval', constant(0)),
      ],
    },
    {
      name: 'Cisco SIP Proxy',
      multiInstance: false,
      service: 'Cisco SIP Proxy',
      counters: [
        def('NumIdleSipdWorkers', 'gauge', 'Idle SIP proxy worker processes', gauge(14, 0.2)),
        def('NumSipdWorker', 'gauge', 'SIP proxy worker processes', constant(20)),
        def('CTIGWRequestRate', 'rate', 'CTI gateway requests per second', perUser(0.0005)),
        def('SIPRequestsTotal', 'counter', 'SIP requests handled', perUser(0.01)),
      ],
    },
    {
      name: 'Cisco Server Recovery Manager',
      multiInstance: false,
      service: 'Cisco Server Recovery Manager',
      counters: [def('HeartbeatsSent', 'counter', 'Heartbeats sent to the peer', cumulative(1 / 15, 0)), def('HeartbeatsMissed', 'counter', 'Peer heartbeats missed', constant(0))],
    },
    {
      name: 'Cisco Sync Agent',
      multiInstance: false,
      service: 'Cisco Sync Agent',
      counters: [def('UsersSynced', 'gauge', 'End users synchronised from Cisco Unified CM', (c) => c.homedUsers), def('SyncErrors', 'counter', 'Synchronisation errors', constant(0))],
    },
    {
      name: 'Cisco Client Profile Agent',
      multiInstance: false,
      service: 'Cisco Client Profile Agent',
      counters: [def('SoapLoginRequests', 'counter', 'Client login requests', perUser(0.0004)), def('SoapLoginFailures', 'counter', 'Client login failures', cumulative(0.0005))],
    },
    ...(['Cisco Login Datastore', 'Cisco Route Datastore', 'Cisco Presence Datastore', 'Cisco SIP Registration Datastore'] as const).map(
      (name): ObjectSpec => ({
        name,
        multiInstance: false,
        service: name,
        counters: [def('DbSize', 'gauge', 'Datastore size, KB', gauge(name === 'Cisco Presence Datastore' ? 220_000 : 60_000, 0.05)), def('Transactions', 'counter', 'Transactions committed', perUser(0.01))],
      }),
    ),
  ];
}

function cucmObjects(): ObjectSpec[] {
  const calls = (perUser: number) => (c: CounterNodeContext, at: number) => c.homedUsers * perUser * activity(at / 1000) * (1 + 0.05 * wave(c.seed, `${c.name}:calls`, at / 1000));
  const callsInt = (perUserPerSec: number): Raw => (c, at) => Math.floor(perUserPerSec * c.load(at));
  return [
    {
      name: 'Cisco CallManager',
      multiInstance: false,
      service: 'Cisco CallManager',
      counters: [
        def('CallsActive', 'gauge', 'Calls active', gaugeF(calls(0.03))),
        def('CallsAttempted', 'counter', 'Calls attempted', callsInt(0.0004)),
        def('CallsCompleted', 'counter', 'Calls completed', callsInt(0.00037)),
        def('CallsInProgress', 'gauge', 'Calls in progress', gaugeF(calls(0.034))),
        def('RegisteredHardwarePhones', 'gauge', 'Registered hardware phones', gaugeF((c) => c.homedUsers * 0.8)),
        def('RegisteredOtherStationDevices', 'gauge', 'Registered other station devices (Jabber, softphones)', gaugeF((c, at) => c.homedUsers * (0.3 + 0.5 * activity(at / 1000)))),
        def('RegisteredMGCPGateway', 'gauge', 'Registered MGCP gateways', constant(4)),
        def('SIPLineServerAuthorizationChallenges', 'counter', 'SIP line authorization challenges', callsInt(0.0001)),
      ],
    },
    {
      name: 'Cisco CTI Manager',
      multiInstance: false,
      service: 'Cisco CTIManager',
      counters: [def('CcmLinkActive', 'gauge', 'Active links to Cisco CallManager', constant(1)), def('CTIConnectionActive', 'gauge', 'Connected CTI applications', constant(6)), def('DevicesOpen', 'gauge', 'Devices open', gaugeF((c) => c.homedUsers * 0.4)), def('LinesOpen', 'gauge', 'Lines open', gaugeF((c) => c.homedUsers * 0.4))],
    },
    {
      name: 'Cisco TFTP',
      multiInstance: false,
      service: 'Cisco Tftp',
      counters: [def('Requests', 'counter', 'TFTP requests', cumulative(0.3)), def('RequestsNotFound', 'counter', 'Requests for missing files', cumulative(0.02)), def('BuildCount', 'counter', 'Configuration file builds', constant(3))],
    },
    {
      name: 'Cisco SIP Stack',
      multiInstance: false,
      service: 'Cisco CallManager',
      counters: [def('InviteIns', 'counter', 'INVITE requests received', callsInt(0.0003)), def('InviteOuts', 'counter', 'INVITE requests sent', callsInt(0.0003)), def('StatusCode4xxIns', 'counter', '4xx responses received', cumulative(0.01))],
    },
    {
      name: 'Cisco Phones',
      multiInstance: false,
      service: 'Cisco CallManager',
      counters: [def('CallsAttempted', 'counter', 'Calls attempted from phones', callsInt(0.0003))],
    },
    {
      name: 'Cisco Lines',
      multiInstance: false,
      service: 'Cisco CallManager',
      counters: [def('Active', 'gauge', 'Lines in a call', gaugeF(calls(0.03)))],
    },
    {
      name: 'Cisco Presence Feature',
      multiInstance: false,
      service: 'Cisco CallManager',
      counters: [def('ActiveCallListAndTrunkSubscriptions', 'gauge', 'Active call-list and trunk subscriptions', gaugeF((c) => c.homedUsers * 0.6)), def('ActiveSubscriptions', 'gauge', 'Active presence subscriptions', gaugeF((c) => c.homedUsers * 0.7))],
    },
    {
      name: 'Cisco Locations LBM',
      multiInstance: true,
      service: 'Cisco Location Bandwidth Manager',
      instances: () => ['Hub_None', 'Phantom', 'Shadow'],
      counters: [def('BandwidthAvailable', 'gauge', 'Audio bandwidth available, kbps', constant(-1)), def('CallsInProgress', 'gauge', 'Calls in progress', gauge(20, 0.5))],
    },
    {
      name: 'Cisco Media Streaming App',
      multiInstance: false,
      service: 'Cisco IP Voice Media Streaming App',
      counters: [def('ANNConnectionsActive', 'gauge', 'Annunciator streams', gauge(2, 0.8)), def('MOHConnectionsActive', 'gauge', 'Music on hold streams', gauge(12, 0.5))],
    },
    {
      name: 'Cisco Extension Mobility',
      multiInstance: false,
      service: 'Cisco Extension Mobility',
      counters: [def('RequestsHandled', 'counter', 'Login and logout requests', cumulative(0.01)), def('RequestsInProgress', 'gauge', 'Requests in progress', constant(0))],
    },
    {
      name: 'Cisco Mobility Manager',
      multiInstance: false,
      service: 'Cisco CallManager',
      counters: [def('MobileCallsAnchored', 'gauge', 'Mobile calls anchored', gauge(8, 0.6))],
    },
    {
      name: 'Cisco Hunt Lists',
      multiInstance: true,
      service: 'Cisco CallManager',
      instances: () => ['HL_Helpdesk', 'HL_Reception'],
      counters: [def('CallsActive', 'gauge', 'Calls active on the hunt list', gauge(2, 0.9)), def('CallsAbandoned', 'counter', 'Abandoned calls', cumulative(0.002))],
    },
    {
      name: 'Cisco Signaling',
      multiInstance: false,
      service: 'Cisco CallManager',
      counters: [def('SIPTCPConnectionsClosed', 'counter', 'SIP TCP connections closed', cumulative(0.05)), def('TCPSIPMaxIncomingMessageSizeExceeded', 'counter', 'Oversized SIP messages', constant(0))],
    },
    {
      name: 'Cisco Call Restriction',
      multiInstance: false,
      service: 'Cisco CallManager',
      counters: [def('AdHocConferenceFailures', 'counter', 'Ad hoc conference failures', constant(0)), def('BasicCallFailures', 'counter', 'Basic call failures', cumulative(0.0005))],
    },
  ];
}

const CATALOGUE: Record<Product, ObjectSpec[]> = {
  imp: [...platformObjects('imp'), ...impObjects()],
  cucm: [...platformObjects('cucm'), ...cucmObjects()],
};

export function counterCatalogue(product: Product): readonly CounterObject[] {
  return CATALOGUE[product];
}

export class NodeCounters implements LabCounterSource {
  private readonly byName: Map<string, ObjectSpec>;
  /** Values held by faults (partition-full, jsm-threshold): fault id → counter key → value; the latest fault wins. */
  private readonly overrides = new Map<string, Map<string, number>>();
  constructor(private readonly c: CounterNodeContext) {
    this.byName = new Map(CATALOGUE[c.product].map((o) => [o.name, o]));
  }
  objects(): readonly CounterObject[] {
    return CATALOGUE[this.c.product];
  }
  object(name: string): CounterObject | undefined {
    return this.byName.get(name);
  }
  private available(o: ObjectSpec): boolean {
    return !o.service || this.c.serviceRunning(o.service);
  }
  instances(object: string, at?: number): string[] {
    const o = this.byName.get(object);
    if (!o || !o.multiInstance || !this.available(o)) return [];
    const t = at ?? this.c.now();
    return o.instances ? o.instances(this.c, t) : [];
  }
  /** Holds `object(instance)\counter` at `value` while the fault `id` lasts (gauges only). */
  setOverride(id: string, values: Array<{ object: string; instance?: string; counter: string; value: number }> | undefined): void {
    if (!values) this.overrides.delete(id);
    else this.overrides.set(id, new Map(values.map((v) => [`${v.object}\u0000${v.instance ?? ''}\u0000${v.counter}`, v.value])));
  }
  private override(object: string, instance: string | undefined, counter: string): number | undefined {
    let v: number | undefined;
    for (const m of this.overrides.values()) v = m.get(`${object}\u0000${instance ?? ''}\u0000${counter}`) ?? v;
    return v;
  }
  raw(object: string, instance: string | undefined, counter: string, at: number): number | undefined {
    const o = this.byName.get(object);
    if (!o || !this.available(o)) return undefined;
    const spec = o.counters.find((k) => k.name === counter);
    if (!spec) return undefined;
    const held = this.overrides.size ? this.override(object, instance, counter) : undefined;
    if (held !== undefined && (!o.multiInstance || (instance !== undefined && this.instances(object, at).includes(instance)))) return held;
    this.c.sync(at);
    if (o.multiInstance) {
      if (instance === undefined || !this.instances(object, at).includes(instance)) return undefined;
    } else if (instance !== undefined && instance !== '') {
      return undefined;
    }
    return spec.raw(this.c, at, o.multiInstance ? instance : undefined, `${object}/${instance ?? ''}/${counter}`);
  }
  value(object: string, instance: string | undefined, counter: string, at: number): number | undefined {
    const o = this.byName.get(object);
    const spec = o?.counters.find((k) => k.name === counter);
    const now = this.raw(object, instance, counter, at);
    if (!spec || now === undefined) return undefined;
    if (spec.kind === 'gauge' || spec.kind === 'counter') return now;
    const before = this.raw(object, instance, counter, at - VALUE_INTERVAL_MS) ?? now;
    const v = sampleValue(spec.kind, before, at - VALUE_INTERVAL_MS, now, at);
    return Math.round(v * 100) / 100;
  }
}

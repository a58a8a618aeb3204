// buildDeployment: the complete simulated deployment as state only (no sockets), so front-end
// owners and tests can use it directly. startLab (lab/index.ts) adds the listeners.
import { EventEmitter } from 'node:events';
import type {
  CertPortName,
  CliFault,
  ImAddressScheme,
  LabCertificate,
  LabCoreFile,
  LabCluster,
  LabCredentials,
  LabDeployment,
  LabHaView,
  LabNode,
  LabPresenceGroup,
  NodeFaults,
  NodePorts,
  NodeRole,
  NodeStats,
  Product,
} from '../model';
import { createCertAuthority, issueNodeCertificates, type CertAuthority } from './certs';
import { createClock, type LabClockControl } from './clock';
import { NodeCounters } from './counters';
import { DEFAULT_HA_TIMINGS, PresenceGroupHa, type HaMember, type HaTimings } from './ha';
import { deriveHostKey } from './host-keys';
import { LoadHistory } from './load';
import { NodeReplication } from './replication';
import { hash32 } from './rng';
import { createServices, isXcpDependent, REASON, type NodeService } from './services';
import { planTopology, type NodeSpec } from './topology';
import { buildTrustStores } from './trust';
import { UserDirectory } from './users';
import { activity } from './waves';

/** Per-group or deployment-wide boolean setting. */
export type GroupSetting = boolean | Record<string, boolean>;

/** Deployment settings a scenario can set (lab/faults/scenario.ts). */
export interface DeploymentSettings {
  /** Enable High Availability on two-node groups (default true; Cisco recommends it). */
  haEnabled?: GroupSetting;
  /** SRM "Enable Automatic Fallback" (default false, reference/ha.md §3.2). */
  autoFallback?: GroupSetting;
  /** Validity of every generated certificate, days (default 730 CA-signed, 1825 self-signed). */
  certificateValidityDays?: number;
  /** SRM timings in simulated ms (defaults: reference/ha.md §3.2). */
  haTimings?: Partial<HaTimings>;
}

export interface DeploymentOptions {
  clusters: number;
  /** IM&P nodes per cluster (1–6). */
  nodes: number;
  seed?: number;
  usersPerCluster?: number;
  addressBase?: string;
  sshPort?: number;
  httpsPort?: number;
  timeScale?: number;
  perfmonRateLimit?: number;
  perfmonSessionIdleMs?: number;
  /** Open PerfMon sessions per node at most (default 20). */
  perfmonMaxSessions?: number;
  /** Credentials the nodes accept instead of the seed's (tests that need chosen secrets). */
  credentials?: LabCredentials;
  settings?: DeploymentSettings;
  /** A clock to use instead of a real-time one (tests). */
  clock?: LabClockControl;
  /**
   * The release every cluster runs ("10.5", "11.5", "12.5", "14", "15", or a build such as
   * "10.5.2.15900-8"), or one per cluster name ({ imp01: '10.5' }). It decides the CLI layouts
   * (lab/ssh/commands) and the version the nodes report. Default 15.
   */
  version?: string | Readonly<Record<string, string>>;
  /** How the admin CLI's bytes look on the wire (see LabDeployment.settings.cli). */
  cli?: { lineEnd?: 'crlf' | 'cr-crlf' | 'lf'; tabs?: boolean };
}

export const DEFAULT_USERS_PER_CLUSTER = 75_000;
export const DEFAULT_SEED = 1;
/** Ports of the IM&P TLS listeners (config/schema.ts defaultPorts; tomcat shares https). */
export const CERT_PORTS: Record<Exclude<CertPortName, 'tomcat'>, number> = { 'cup-xmpp': 5222, 'cup-xmpp-s2s': 5269, cup: 5061 };

function defaultSshPort(): number {
  return typeof process.getuid === 'function' && process.getuid() === 0 ? 22 : 2222;
}

function emptyStats(): NodeStats {
  return {
    perfmonSessionsOpen: 0,
    perfmonSessionsRefused: 0,
    perfmonRequests: 0,
    perfmonRateLimited: 0,
    controlCenterRequests: 0,
    axlRequests: 0,
    httpUnauthorized: 0,
    sshSessionsOpen: 0,
    sshChannelsOpen: 0,
    sshCommands: 0,
    tlsHandshakes: 0,
  };
}

function noFaults(): NodeFaults {
  return { down: false, hang: false, slowMs: 0, garbage: false, authFail: false, sshDrop: false, rateLimit: undefined };
}

function setting(v: GroupSetting | undefined, group: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v === 'boolean') return v;
  return v[group] ?? fallback;
}

/** The database service whose loss is the HA reason `Database Failure` (ha.md §2 P13, P22). */
export const DATABASE_SERVICE = 'A Cisco DB';

export class StateNode implements LabNode, HaMember {
  readonly name: string;
  readonly fqdn: string;
  readonly host: string;
  readonly product: Product;
  readonly role: NodeRole;
  readonly nodeId: number;
  readonly mac: string;
  readonly ports: NodePorts;
  readonly sshHostKey: { privatePem: string; publicLine: string };
  group?: StateGroup;
  readonly services: NodeService[];
  readonly replication: NodeReplication;
  certificates: LabCertificate[] = [];
  readonly counters: NodeCounters;
  readonly faults: NodeFaults = noFaults();
  readonly stats: NodeStats = emptyStats();
  readonly perfmonRateLimit: number;
  readonly events = new EventEmitter();
  readonly cliFaults = new Map<string, CliFault>();
  trustCertificates: LabCertificate[] = [];
  readonly bootedAt: number;
  /** Users carried over time (IM&P: own + failed-over peer's). */
  load!: LoadHistory;
  /** Fault-held overrides (diagnostics kinds): software version, NTP blocks, extra core files. */
  private readonly versionBy = new Map<string, string>();
  private readonly ntpBlockedBy = new Set<string>();
  private readonly coresBy = new Map<string, LabCoreFile>();
  private unreachableInfo?: { since: number; cause: 'down' | 'partition' };
  private reachableAt = 0;
  /** Active node-down / partition faults (a node can be both). */
  private readonly downBy = new Map<string, { since: number; cause: 'down' | 'partition' }>();

  constructor(
    readonly spec: NodeSpec,
    readonly cluster: StateCluster,
    private readonly lab: LabState,
    ports: NodePorts,
    rateLimit: number,
  ) {
    this.name = spec.name;
    this.fqdn = spec.fqdn;
    this.host = spec.host;
    this.product = spec.product;
    this.role = spec.role;
    this.nodeId = spec.nodeId;
    this.mac = spec.mac;
    this.ports = ports;
    this.perfmonRateLimit = rateLimit;
    this.events.setMaxListeners(50);
    const now = lab.clock.now();
    this.bootedAt = Math.floor(now - (3 + (hash32(lab.seed, 'uptime', spec.name) % 57)) * 86_400_000 - (hash32(lab.seed, 'uptime-s', spec.name) % 86_400_000));
    this.sshHostKey = deriveHostKey(lab.seed, spec.name);
    this.services = createServices(spec.product, spec.role, this.bootedAt);
    this.replication = new NodeReplication(lab.clock, lab.seed, spec.name, spec.product, spec.nodeId, spec.role === 'publisher');
    this.counters = new NodeCounters({
      seed: lab.seed,
      name: spec.name,
      product: spec.product,
      bootedAt: this.bootedAt,
      homedUsers: this.homedUsers(),
      serviceRunning: (n) => this.service(n)?.status === 'Started',
      now: () => lab.clock.now(),
      sync: (at) => this.group?.ha.update(at),
      carried: (at) => this.load.users(at),
      load: (at) => this.load.integral(at),
      peerActive: (at) => this.peerActive(at),
      replication: this.replication,
    });
  }

  service(name: string) {
    return this.services.find((s) => s.name === name);
  }

  get version(): string {
    return [...this.versionBy.values()].pop() ?? this.cluster.version;
  }
  setVersion(id: string, version: string | undefined): void {
    if (version === undefined) this.versionBy.delete(id);
    else this.versionBy.set(id, version);
  }
  get ntpReachable(): boolean {
    return this.ntpBlockedBy.size === 0;
  }
  blockNtp(id: string, blocked: boolean): void {
    if (blocked) this.ntpBlockedBy.add(id);
    else this.ntpBlockedBy.delete(id);
  }
  get cores(): LabCoreFile[] {
    return [...this.coresBy.values()];
  }
  setCore(id: string, core: LabCoreFile | undefined): void {
    if (core) this.coresBy.set(id, core);
    else this.coresBy.delete(id);
  }

  /** Users homed on this node (IM&P), or the cluster's users on a CUCM node. */
  homedUsers(): number {
    return this.product === 'imp' ? this.cluster.users.homedOn(this.name) : this.cluster.users.count;
  }

  get ha(): LabHaView | undefined {
    if (this.product !== 'imp' || !this.group) return undefined;
    return this.group.ha.view(this.group.nodes.indexOf(this), this.lab.clock.now());
  }

  // --- HaMember -------------------------------------------------------------------------
  criticalDownSince(): number | undefined {
    let since: number | undefined;
    for (const s of this.services) {
      if (s.critical && s.activated && s.status !== 'Started') since = Math.min(since ?? Infinity, s.stoppedAt ?? this.bootedAt);
    }
    return since;
  }
  databaseDownSince(): number | undefined {
    const db = this.service(DATABASE_SERVICE);
    return db && db.activated && db.status !== 'Started' ? (db.stoppedAt ?? this.bootedAt) : undefined;
  }
  criticalUpSince(): number {
    let t = 0;
    for (const s of this.services) if (s.critical && s.activated && s.startedAt !== undefined) t = Math.max(t, s.startedAt);
    return t;
  }
  unreachable() {
    return this.unreachableInfo;
  }
  reachableSince(): number {
    return this.reachableAt;
  }
  stopCritical(at: number): void {
    for (const s of this.services) if (s.critical) this.stopService(s.name, at, REASON.commandedOutOfService);
  }
  startCritical(at: number): boolean {
    let ok = true;
    for (const s of this.services) if (s.critical && s.activated) ok = this.startServiceRaw(s, at) && ok;
    return ok;
  }

  // --- State changes (call through LabState.change so HA sees them in order) -------------
  /** Stops a service (and, for Cisco XCP Router, the XCP services that depend on it). */
  stopService(name: string, at: number, reason: number = REASON.notRunning, holdId?: string): NodeService {
    const svc = this.service(name);
    if (!svc) throw new RangeError(`${this.name} has no service '${name}'`);
    if (holdId) svc.heldBy.add(holdId);
    svc.stop(at, reason);
    if (name === 'Cisco XCP Router') for (const s of this.services) if (isXcpDependent(s.name)) s.stop(at, reason);
    return svc;
  }
  /** Releases a hold and starts the service (and XCP dependents after the router). */
  startService(name: string, at: number, holdId?: string): boolean {
    const svc = this.service(name);
    if (!svc) throw new RangeError(`${this.name} has no service '${name}'`);
    if (holdId) svc.heldBy.delete(holdId);
    return this.startServiceRaw(svc, at);
  }
  private startServiceRaw(svc: NodeService, at: number): boolean {
    const ok = svc.start(at);
    if (ok && svc.name === 'Cisco XCP Router') for (const s of this.services) if (isXcpDependent(s.name)) s.start(at);
    return ok;
  }
  setUnreachable(id: string, info: { since: number; cause: 'down' | 'partition' } | undefined, at: number): void {
    if (info) this.downBy.set(id, info);
    else this.downBy.delete(id);
    const all = [...this.downBy.values()];
    const was = this.unreachableInfo;
    this.unreachableInfo = all.length ? (all.find((x) => x.cause === 'down') ?? all[0]) : undefined;
    if (was && !this.unreachableInfo) this.reachableAt = at;
    this.faults.down = all.some((x) => x.cause === 'down');
  }

  private peerActive(at: number): number {
    const g = this.group;
    if (!g || g.nodes.length !== 2 || !g.ha.haEnabled) return 0;
    const me = g.nodes.indexOf(this);
    const peer = g.nodes[1 - me];
    // Jabber dual connections: the peer's users keep an inactive session here while both run.
    if (g.ha.currentCarrier(1 - me) !== 1 - me || g.ha.currentCarrier(me) !== me) return 0;
    return Math.round(peer.homedUsers() * activity(at / 1000));
  }

  toJSON() {
    return { name: this.name, host: this.host, product: this.product, role: this.role };
  }
}

export class StateGroup implements LabPresenceGroup {
  readonly ha: PresenceGroupHa;
  constructor(
    readonly name: string,
    readonly cluster: StateCluster,
    readonly nodes: readonly StateNode[],
    haEnabled: boolean,
    autoFallback: boolean,
    timings: HaTimings,
    private readonly lab: LabState,
  ) {
    this.ha = new PresenceGroupHa(name, nodes, haEnabled, autoFallback, timings, lab.clock.now());
    this.ha.onTransition = (at) => lab.recordLoad(this, at);
  }
  get haEnabled(): boolean {
    return this.ha.haEnabled;
  }
  set haEnabled(on: boolean) {
    this.lab.change(this.nodes[0], (now) => this.ha.setEnabled(on, now));
  }
}

export class StateCluster implements LabCluster {
  nodes: StateNode[] = [];
  groups: StateGroup[] = [];
  /** Fault-held addressing overrides (diagnostics kinds), latest wins. */
  private readonly schemeBy = new Map<string, ImAddressScheme>();
  private readonly domainBy = new Map<string, string>();
  constructor(
    readonly name: string,
    readonly product: Product,
    readonly version: string,
    readonly domain: string,
    readonly imDomain: string,
    readonly ordinal: number,
    readonly users: UserDirectory,
    readonly peers: readonly string[],
    readonly cucmCluster?: string,
  ) {}
  get publisher(): StateNode {
    return this.nodes[0];
  }
  get imAddressScheme(): ImAddressScheme {
    return [...this.schemeBy.values()].pop() ?? 'userid';
  }
  get defaultDomain(): string {
    return [...this.domainBy.values()].pop() ?? this.imDomain;
  }
  setImAddressScheme(id: string, scheme: ImAddressScheme | undefined): void {
    if (scheme === undefined) this.schemeBy.delete(id);
    else this.schemeBy.set(id, scheme);
  }
  setDefaultDomain(id: string, domain: string | undefined): void {
    if (domain === undefined) this.domainBy.delete(id);
    else this.domainBy.set(id, domain);
  }
  toJSON() {
    return { name: this.name, product: this.product };
  }
}

export class LabState implements LabDeployment {
  readonly clusters: StateCluster[] = [];
  readonly nodes: StateNode[] = [];
  readonly settings: LabDeployment['settings'];
  private readonly index = new Map<string, StateNode>();
  ca!: CertAuthority;
  readonly events = new EventEmitter();

  constructor(
    readonly seed: number,
    readonly clock: LabClockControl,
    readonly credentials: LabCredentials,
    perfmonSessionIdleMs: number,
    perfmonMaxSessions: number,
    readonly options: Required<Pick<DeploymentOptions, 'clusters' | 'nodes' | 'usersPerCluster' | 'addressBase'>> & { settings: DeploymentSettings; cli?: DeploymentOptions['cli'] },
  ) {
    this.settings = {
      perfmonSessionIdleMs,
      perfmonMaxSessions,
      ssoCookieIdleMs: 30 * 60_000,
      axlMaxResponseBytes: 8 * 1024 * 1024,
      cli: { lineEnd: options.cli?.lineEnd ?? 'crlf', tabs: options.cli?.tabs ?? false },
    };
  }

  cluster(name: string): StateCluster | undefined {
    return this.clusters.find((c) => c.name === name);
  }
  node(nameOrHost: string): StateNode | undefined {
    return this.index.get(nameOrHost) ?? this.index.get(nameOrHost.toLowerCase());
  }
  groups(): StateGroup[] {
    return this.clusters.flatMap((c) => c.groups);
  }
  group(name: string): StateGroup | undefined {
    return this.groups().find((g) => g.name === name);
  }
  register(node: StateNode): void {
    this.nodes.push(node);
    for (const key of [node.name, node.fqdn, node.host]) this.index.set(key, node);
  }

  /**
   * Applies a state change to a node at the current simulated time: HA first catches up to
   * now (so timers started before the change fire at their true time), then the change, then
   * load accounting. Returns what `fn` returns.
   */
  change<T>(node: StateNode, fn: (now: number) => T): T {
    const now = this.clock.now();
    for (const g of this.groups()) g.ha.update(now);
    const out = fn(now);
    for (const g of this.groups()) {
      g.ha.update(now);
      this.recordLoad(g, now);
    }
    if (!node.group) node.load.record(now, node.faults.down ? 0 : node.homedUsers());
    this.events.emit('change', node);
    return out;
  }

  /** Records how many users each member of `g` carries from `at` on. */
  recordLoad(g: StateGroup, at: number): void {
    g.nodes.forEach((n, j) => {
      let users = 0;
      g.nodes.forEach((m, i) => {
        if (g.ha.currentCarrier(i) === j) users += m.homedUsers();
      });
      // Gains arrive over the client re-login window; losses are immediate (LoadHistory.moveTo).
      n.load?.moveTo(at, users, g.ha.timings.clientReloginLowerMs, g.ha.timings.clientReloginUpperMs);
    });
  }
}

/** Stable lab credentials derived from the seed (a lab, so they are printed in the manifest). */
export function labCredentials(seed: number): LabCredentials {
  const tag = (k: string) => hash32(seed, 'cred', k).toString(36);
  return {
    axl: { username: 'axladmin', password: `Lab-${tag('axl')}!` },
    os: { username: 'admin', password: `Lab-${tag('os')}!` },
  };
}

export async function buildDeployment(opts: DeploymentOptions): Promise<LabState> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const usersPerCluster = opts.usersPerCluster ?? DEFAULT_USERS_PER_CLUSTER;
  const addressBase = opts.addressBase ?? '127.10';
  const settings = opts.settings ?? {};
  const clock = opts.clock ?? createClock(opts.timeScale ?? 1);
  const httpsPort = opts.httpsPort ?? 8443;
  const sshPort = opts.sshPort ?? defaultSshPort();
  const rateLimit = opts.perfmonRateLimit ?? 50;
  if (!Number.isInteger(usersPerCluster) || usersPerCluster < 0 || usersPerCluster > 1_000_000) {
    throw new RangeError(`usersPerCluster must be an integer from 0 to 1,000,000, got ${usersPerCluster}`);
  }
  for (const [label, port] of [['httpsPort', httpsPort], ['sshPort', sshPort]] as const) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`${label} must be a TCP port (1–65535), got ${port}`);
  }
  const timings: HaTimings = { ...DEFAULT_HA_TIMINGS, ...settings.haTimings };
  const maxSessions = opts.perfmonMaxSessions ?? 20;
  if (!Number.isInteger(maxSessions) || maxSessions < 1) throw new RangeError(`perfmonMaxSessions must be a whole number ≥ 1, got ${maxSessions}`);
  const lab = new LabState(seed, clock, opts.credentials ?? labCredentials(seed), opts.perfmonSessionIdleMs ?? 30 * 60_000, maxSessions, {
    clusters: opts.clusters,
    nodes: opts.nodes,
    usersPerCluster,
    addressBase,
    settings,
    cli: opts.cli,
  });
  if (typeof opts.version === 'object') {
    const names = new Set(Array.from({ length: opts.clusters }, (_, k) => [`cucm${String(k + 1).padStart(2, '0')}`, `imp${String(k + 1).padStart(2, '0')}`]).flat());
    const unknown = Object.keys(opts.version).filter((n) => !names.has(n));
    if (unknown.length) throw new RangeError(`version: no cluster ${unknown.join(', ')} in this lab`);
  }
  const plan = planTopology({ clusters: opts.clusters, nodes: opts.nodes, addressBase, seed, version: opts.version });
  // A CUCM cluster and its IM&P cluster share one user directory (IM&P syncs CUCM's end users).
  const directories = new Map<number, UserDirectory>();
  for (const spec of plan) {
    const impSpec = plan.find((p) => p.product === 'imp' && p.ordinal === spec.ordinal)!;
    let users = directories.get(spec.ordinal);
    if (!users) {
      users = new UserDirectory({ seed, ordinal: spec.ordinal, count: usersPerCluster, homeNodes: impSpec.nodes.map((n) => n.name), imDomain: spec.imDomain });
      directories.set(spec.ordinal, users);
    }
    const cluster = new StateCluster(spec.name, spec.product, spec.version, spec.domain, spec.imDomain, spec.ordinal, users, spec.peers, spec.cucmCluster);
    lab.clusters.push(cluster);
    for (const ns of spec.nodes) {
      const certs: NodePorts['certs'] = { tomcat: httpsPort };
      if (ns.product === 'imp') Object.assign(certs, CERT_PORTS);
      const node = new StateNode(ns, cluster, lab, { https: httpsPort, ssh: sshPort, certs }, rateLimit);
      cluster.nodes.push(node);
      lab.register(node);
    }
    for (const node of cluster.nodes) node.load = new LoadHistory(node.bootedAt, node.homedUsers());
    for (const gs of spec.groups) {
      const members = gs.nodes.map((n) => cluster.nodes.find((x) => x.name === n)!);
      const pair = members.length === 2;
      const group = new StateGroup(gs.name, cluster, members, pair && setting(settings.haEnabled, gs.name, true), setting(settings.autoFallback, gs.name, false), timings, lab);
      cluster.groups.push(group);
      for (const m of members) m.group = group;
    }
  }
  const now = clock.now();
  lab.ca = await createCertAuthority(seed, now);
  await Promise.all(
    lab.nodes.map(async (n) => {
      n.certificates = issueNodeCertificates(lab.ca, { name: n.name, fqdn: n.fqdn, host: n.host, product: n.product, imDomain: n.cluster.imDomain }, now, settings.certificateValidityDays);
    }),
  );
  buildTrustStores(lab);
  return lab;
}

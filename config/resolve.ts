// Turns a validated configuration into the normalised inventory the collectors consume: every
// default applied, every relative path resolved, trust files read. Secrets stay references.
import { readFileSync } from 'node:fs';
import { ConfigError, resolveConfigPath, type LoadedConfig } from './load';
import {
  defaultIntervals,
  defaultLimits,
  defaultListen,
  defaultPerfmonRequestsPerMinute,
  defaultPorts,
  defaultPrometheusTimeout,
  defaultThresholds,
  sourceNames,
  type ClusterConfig,
  type ImpulseConfig,
  type PollingConfig,
  type SourceName,
} from './schema';
import { resolveSecret } from './secrets';

export type Product = 'cucm' | 'imp';
export type NodeRole = 'publisher' | 'subscriber';

/** A secret as the config names it; read it with readSecret() when a client needs it. */
export interface SecretRef {
  ref: string;
  inlineAllowed: boolean;
  /** Base for a relative file: path. */
  dir: string;
}

export interface Credential {
  username: string;
  password: SecretRef;
}

/** How HTTPS/TLS peers are verified. "system" = Node's default CA store (no caBundle given). */
export type TlsTrust =
  | { mode: 'ca'; caFile: string; caPem: string }
  | { mode: 'fingerprints'; /** "AB:CD:…" upper case */ fingerprints: string[] }
  | { mode: 'insecure' }
  | { mode: 'system' };

export interface SshTrust {
  /** Absolute path of the known_hosts file, when configured. */
  knownHostsFile?: string;
  /** Its content at load time ('' when absent or not yet created). */
  knownHosts: string;
  trustOnFirstUse: boolean;
}

export interface ResolvedPorts {
  https: number;
  ssh: number;
  /** IM&P only. */
  'cup-xmpp'?: number;
  'cup-xmpp-s2s'?: number;
  cup?: number;
}

export type Intervals = Record<SourceName, number>;

export interface PerfmonBudget {
  /** PerfMon requests per minute this node accepts (its rate-control limit). */
  requestsPerMinute: number;
  /** Extra "Object\\Counter" paths, host part added per node. */
  extraCounters: string[];
}

export interface InventoryNode {
  /** "cluster/node": unique across the inventory. */
  id: string;
  cluster: string;
  name: string;
  /** Address to connect to (the node name when no host is configured). */
  host: string;
  role: NodeRole;
  product: Product;
  ports: ResolvedPorts;
  /** Presence redundancy group (IM&P), when configured. */
  group?: string;
  /** Effective polling intervals, seconds: defaults ← top-level polling ← cluster polling. */
  polling: Intervals;
  perfmon: PerfmonBudget;
  tls: TlsTrust;
  ssh: SshTrust;
  credentials: { axl?: Credential; os?: Credential };
}

export interface InventoryGroup {
  name: string;
  haEnabled?: boolean;
  nodes: string[];
}

export interface InventoryCluster {
  name: string;
  product: Product;
  version?: string;
  publisher: string;
  /** True when the config lists no nodes: the rest are discovered through AXL from the publisher. */
  discoverNodes: boolean;
  nodes: InventoryNode[];
  groups: InventoryGroup[];
  peers: string[];
  cucmCluster?: string;
  polling: Intervals;
  perfmon: PerfmonBudget;
  tls: TlsTrust;
  ssh: SshTrust;
  credentials: { axl?: Credential; os?: Credential };
}

export interface InventoryLdap {
  name: string;
  url: string;
  bindDn: string;
  password: SecretRef;
  baseDn: string;
  userFilter?: string;
  userIdAttribute?: string;
  mailAttribute?: string;
  tls: TlsTrust;
}

export interface Inventory {
  /** The config file (absolute), when loaded from one. */
  configFile?: string;
  clusters: InventoryCluster[];
  /** All nodes of all clusters, in config order. */
  nodes: InventoryNode[];
  limits: { perfmonRequestsPerMinute: number; maxConcurrentPolls: number; requestTimeout: number; cliCommandTimeout: number };
  thresholds: { [K in keyof typeof defaultThresholds]: number };
  ldap: InventoryLdap[];
  server: { listen: string; metricsToken?: SecretRef; dataDir: string };
  /** Chart history from Prometheus instead of the embedded store (prometheus: in the config). */
  prometheus?: InventoryPrometheus;
}

export interface InventoryPrometheus {
  /** Base URL without a trailing slash. */
  url: string;
  bearerToken?: SecretRef;
  tls: TlsTrust;
  /** Seconds. */
  timeout: number;
}

export function readSecret(secret: SecretRef, env: Readonly<Record<string, string | undefined>> = process.env): string {
  return resolveSecret(secret.ref, secret.inlineAllowed, env, secret.dir);
}

/** From a loaded config (relative paths against its directory). */
export function resolveLoaded(loaded: LoadedConfig): Inventory {
  return { ...resolveInventory(loaded.config, { dir: loaded.dir, file: loaded.file }), configFile: resolveConfigPath(loaded.file, process.cwd()) };
}

export function resolveInventory(config: ImpulseConfig, options: { dir: string; file?: string }): Inventory {
  const { dir } = options;
  const file = options.file ?? '';
  const topPolling = merge(defaultIntervals, config.polling);
  const limits = {
    perfmonRequestsPerMinute: config.limits?.perfmonRequestsPerMinute ?? defaultPerfmonRequestsPerMinute,
    maxConcurrentPolls: config.limits?.maxConcurrentPolls ?? defaultLimits.maxConcurrentPolls,
    requestTimeout: config.limits?.requestTimeout ?? defaultLimits.requestTimeout,
    cliCommandTimeout: config.limits?.cliCommandTimeout ?? defaultLimits.cliCommandTimeout,
  };
  const secret = (ref: string, inlineAllowed: boolean): SecretRef => ({ ref, inlineAllowed, dir });
  // Each trust file is read once: clusters that name the same CA bundle share one (immutable)
  // trust object and one copy of its text (a lab bundle × 60 clusters was 30 MB of heap).
  const caTrust = new Map<string, TlsTrust>();
  const readTrust = (tls: ClusterConfig['tls'], at: string): TlsTrust => {
    if (tls?.insecure === true) return { mode: 'insecure' };
    if (tls?.fingerprints) return { mode: 'fingerprints', fingerprints: tls.fingerprints.map(normaliseFingerprint) };
    if (tls?.caBundle) {
      const caFile = resolveConfigPath(tls.caBundle, dir);
      let trust = caTrust.get(caFile);
      if (!trust) caTrust.set(caFile, (trust = { mode: 'ca', caFile, caPem: readFile(caFile, file, `${at}.caBundle`) }));
      return trust;
    }
    return { mode: 'system' };
  };
  const knownHostsText = new Map<string, string>();
  const readKnownHosts = (path: string, at: string, mayBeMissing: boolean): string => {
    let text = knownHostsText.get(path);
    if (text === undefined) knownHostsText.set(path, (text = readFile(path, file, `${at}.ssh.knownHosts`, mayBeMissing)));
    return text;
  };

  const clusters = config.clusters.map((c, i): InventoryCluster => {
    const at = `clusters[${i}]`;
    const inline = c.allowInlineSecrets === true;
    const credentials = {
      axl: c.credentials?.axl && { username: c.credentials.axl.username, password: secret(c.credentials.axl.password, inline) },
      os: c.credentials?.os && { username: c.credentials.os.username, password: secret(c.credentials.os.password, inline) },
    };
    const knownHostsFile = c.ssh?.knownHosts ? resolveConfigPath(c.ssh.knownHosts, dir) : undefined;
    const ssh: SshTrust = {
      knownHostsFile,
      knownHosts: knownHostsFile ? readKnownHosts(knownHostsFile, at, c.ssh?.trustOnFirstUse === true) : '',
      trustOnFirstUse: c.ssh?.trustOnFirstUse === true,
    };
    const tls = readTrust(c.tls, `${at}.tls`);
    const polling = merge(topPolling, c.polling);
    const perfmon: PerfmonBudget = {
      requestsPerMinute: c.perfmon?.requestsPerMinute ?? limits.perfmonRequestsPerMinute,
      extraCounters: c.perfmon?.extraCounters ?? [],
    };
    const groupOf = new Map<string, string>();
    const groups = (c.presenceRedundancyGroups ?? []).map((g) => {
      g.nodes.forEach((n) => groupOf.set(n, g.name));
      return { name: g.name, haEnabled: g.haEnabled, nodes: [...g.nodes] };
    });
    // Settings every node of the cluster inherits.
    const inherited = { polling, perfmon, tls, ssh, credentials };
    const listed = c.nodes ?? [{ name: c.publisher }];
    const nodes = listed.map((n): InventoryNode => {
      const ports: ResolvedPorts = { https: n.ports?.https ?? defaultPorts.https, ssh: n.ports?.ssh ?? defaultPorts.ssh };
      if (c.product === 'imp') {
        ports['cup-xmpp'] = n.ports?.['cup-xmpp'] ?? defaultPorts['cup-xmpp'];
        ports['cup-xmpp-s2s'] = n.ports?.['cup-xmpp-s2s'] ?? defaultPorts['cup-xmpp-s2s'];
        ports.cup = n.ports?.cup ?? defaultPorts.cup;
      }
      return {
        id: `${c.name}/${n.name}`,
        cluster: c.name,
        name: n.name,
        host: 'host' in n && n.host ? n.host : n.name,
        role: 'role' in n && n.role ? n.role : n.name === c.publisher ? 'publisher' : 'subscriber',
        product: c.product,
        ports,
        group: groupOf.get(n.name),
        ...inherited,
      };
    });
    return {
      name: c.name,
      product: c.product,
      version: c.version,
      publisher: c.publisher,
      discoverNodes: c.nodes === undefined,
      nodes,
      groups,
      peers: [...(c.peers ?? [])],
      cucmCluster: c.cucmCluster,
      ...inherited,
    };
  });

  return {
    clusters,
    nodes: clusters.flatMap((c) => c.nodes),
    limits,
    thresholds: { ...defaultThresholds, ...stripUndefined(config.thresholds ?? {}) },
    ldap: (config.ldap ?? []).map((l, i) => ({
      name: l.name,
      url: l.url,
      bindDn: l.bindDn,
      password: secret(l.password, l.allowInlineSecrets === true),
      baseDn: l.baseDn,
      userFilter: l.userFilter,
      userIdAttribute: l.userIdAttribute,
      mailAttribute: l.mailAttribute,
      tls: readTrust(l.tls, `ldap[${i}].tls`),
    })),
    server: {
      listen: config.server?.listen ?? defaultListen,
      metricsToken: config.server?.metricsToken !== undefined ? secret(config.server.metricsToken, false) : undefined,
      dataDir: config.server?.dataDir ? resolveConfigPath(config.server.dataDir, dir) : resolveConfigPath('data', process.cwd()),
    },
    prometheus: config.prometheus && {
      url: config.prometheus.url.replace(/\/+$/, ''),
      bearerToken: config.prometheus.bearerToken !== undefined ? secret(config.prometheus.bearerToken, false) : undefined,
      tls: readTrust(config.prometheus.tls, 'prometheus.tls'),
      timeout: config.prometheus.timeout ?? defaultPrometheusTimeout,
    },
  };
}

function merge(base: Intervals, over: PollingConfig | undefined): Intervals {
  const out = { ...base };
  for (const k of sourceNames) {
    const v = over?.[k];
    if (typeof v === 'number') out[k] = v;
  }
  return out;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** "abcd…" or "AB:CD:…" → "AB:CD:…". */
export function normaliseFingerprint(fp: string): string {
  const hex = fp.replace(/:/g, '').toUpperCase();
  return hex.match(/.{2}/g)!.join(':');
}

function readFile(full: string, file: string, field: string, mayBeMissing = false): string {
  try {
    return readFileSync(full, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (mayBeMissing && code === 'ENOENT') return '';
    throw new ConfigError([{ file, line: 0, column: 0, field, message: `cannot read ${full}: ${code ?? (err as Error).message}` }]);
  }
}

// Everything that talks to one node, built from the resolved inventory (config/resolve.ts):
// one HTTPS agent + cookie jar (shared by PerfMon, Control Center and AXL), the long-lived PerfMon
// session, the CLI shell pool and the certificate probe. Created lazily: a node that is only
// probed never opens an SSH connection.
//
//   const nc = createNodeClients(cluster, node, { hooks, axlQueue: queues.for(cluster.name) });
//   await nc.perfmonSession.ensure(paths); const { samples } = await nc.perfmonSession.collect();
//   await nc.controlCenter.getServiceStatus();
//   await nc.cli.run('utils ha status');
//   await nc.probeTls('cup-xmpp');
//   await nc.close();
import { readSecret, type InventoryCluster, type InventoryNode, type SecretRef, type TlsTrust } from '../../config/resolve';
import { CollectError } from '../errors';
import { AxlClient, SerialQueue } from './axl';
import { CliPool } from './cli';
import { ControlCenterClient } from './controlcenter';
import type { RequestHooks } from './hooks';
import { SoapTransport, type Credentials } from './http';
import { PerfmonClient, PerfmonSession, type PerfmonSessionOptions } from './perfmon';
import { probeTls, type TlsProbeOptions, type TlsProbeResult } from './tls';
import { normaliseFingerprint, type Trust } from './trust';

export type CertUnit = 'tomcat' | 'cup-xmpp' | 'cup-xmpp-s2s' | 'cup';

export interface NodeClientsOptions {
  hooks?: RequestHooks;
  /** Per HTTPS request, ms. Default 30 000 (config limits.requestTimeout). */
  requestTimeoutMs?: number;
  /** Per CLI command, ms. Default 120 000 (config limits.cliCommandTimeout). */
  cliCommandTimeoutMs?: number;
  /** SSH connect + login, ms. Default 30 000. */
  cliConnectTimeoutMs?: number;
  /** CLI shells kept per node. Default 2. */
  cliMaxSessions?: number;
  /** AXL schema version. Default 12.5 (or the cluster's version major.minor when ≥ 12.5 is not wanted). */
  axlVersion?: string;
  /** The cluster's AXL queue (one query at a time per cluster). Default: a queue of this node's own. */
  axlQueue?: SerialQueue;
  perfmonSession?: PerfmonSessionOptions;
  /** Negotiate XMPP STARTTLS before probing cup-xmpp / cup-xmpp-s2s (a real IM&P needs it). Default true. */
  xmppStartTls?: boolean;
  /** Per TLS probe, ms. Default 10 000. */
  tlsProbeTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface NodeClients {
  readonly cluster: string;
  readonly node: string;
  readonly host: string;
  /** TLS verification is off for this node's cluster (shown in the UI). */
  readonly insecure: boolean;
  readonly trust: Trust;
  readonly transport: SoapTransport;
  readonly perfmon: PerfmonClient;
  readonly perfmonSession: PerfmonSession;
  readonly controlCenter: ControlCenterClient;
  /** AXL on the publisher only (throws CollectError 'config' on other nodes). */
  readonly axl: AxlClient;
  readonly cli: CliPool;
  /** Probes the certificate a unit presents on its port (IM&P units other than tomcat only on IM&P nodes). */
  probeTls(unit: CertUnit, opts?: Pick<TlsProbeOptions, 'timeoutMs'>): Promise<TlsProbeResult>;
  /** Closes the PerfMon session, the shells and the agent. */
  close(): Promise<void>;
}

/** Product-config trust → client trust. */
export function trustFromInventory(t: TlsTrust): Trust {
  switch (t.mode) {
    case 'ca':
      return { mode: 'ca', ca: t.caPem, source: t.caFile };
    case 'fingerprints':
      return { mode: 'fingerprints', fingerprints: new Set(t.fingerprints.map(normaliseFingerprint)) };
    case 'insecure':
      return { mode: 'insecure' };
    case 'system':
      return { mode: 'system' };
  }
}

/** One queue per cluster name, for sharing AXL serialisation across NodeClients. */
export class AxlQueues {
  private readonly queues = new Map<string, SerialQueue>();
  for(cluster: string): SerialQueue {
    let q = this.queues.get(cluster);
    if (!q) this.queues.set(cluster, (q = new SerialQueue()));
    return q;
  }
}

export function createNodeClients(cluster: InventoryCluster, node: InventoryNode, opts: NodeClientsOptions = {}): NodeClients {
  const trust = trustFromInventory(node.tls);
  const credentialsOf = (kind: 'axl' | 'os'): (() => Credentials) => {
    const cred = node.credentials[kind] ?? cluster.credentials[kind];
    return () => {
      if (!cred) throw new CollectError('config', `${cluster.name}/${node.name}: no ${kind} credentials configured`);
      return { username: cred.username, password: secret(cred.password) };
    };
  };
  const secret = (ref: SecretRef): string => {
    try {
      return readSecret(ref, opts.env);
    } catch (err) {
      throw new CollectError('config', (err as Error).message, { cause: err });
    }
  };

  let transport: SoapTransport | undefined;
  let perfmon: PerfmonClient | undefined;
  let session: PerfmonSession | undefined;
  let cc: ControlCenterClient | undefined;
  let axl: AxlClient | undefined;
  let cli: CliPool | undefined;

  const getTransport = () =>
    (transport ??= new SoapTransport({
      node: node.name,
      host: node.host,
      port: node.ports.https,
      trust,
      credentials: credentialsOf('axl'),
      timeoutMs: opts.requestTimeoutMs ?? 30_000,
      hooks: opts.hooks,
    }));
  const getPerfmon = () => (perfmon ??= new PerfmonClient(getTransport(), { host: node.name }));

  return {
    cluster: cluster.name,
    node: node.name,
    host: node.host,
    insecure: trust.mode === 'insecure',
    trust,
    get transport() {
      return getTransport();
    },
    get perfmon() {
      return getPerfmon();
    },
    get perfmonSession() {
      return (session ??= new PerfmonSession(getPerfmon(), opts.perfmonSession));
    },
    get controlCenter() {
      return (cc ??= new ControlCenterClient(getTransport()));
    },
    get axl() {
      if (node.role !== 'publisher') throw new CollectError('config', `${cluster.name}/${node.name}: AXL queries go to the publisher (${cluster.publisher})`);
      return (axl ??= new AxlClient(getTransport(), { version: opts.axlVersion, queue: opts.axlQueue, timeoutMs: opts.requestTimeoutMs }));
    },
    get cli() {
      return (cli ??= new CliPool({
        node: node.name,
        host: node.host,
        port: node.ports.ssh,
        credentials: credentialsOf('os'),
        knownHostsFile: node.ssh.knownHostsFile,
        trustOnFirstUse: node.ssh.trustOnFirstUse,
        maxSessions: opts.cliMaxSessions,
        connectTimeoutMs: opts.cliConnectTimeoutMs,
        commandTimeoutMs: opts.cliCommandTimeoutMs ?? 120_000,
        hooks: opts.hooks,
      }));
    },
    probeTls(unit, o = {}) {
      const port = unit === 'tomcat' ? node.ports.https : node.ports[unit];
      if (port === undefined) return Promise.reject(new CollectError('config', `${cluster.name}/${node.name}: no ${unit} port (IM&P units only on IM&P nodes)`));
      const xmpp = opts.xmppStartTls ?? true;
      return probeTls(node.host, port, {
        node: node.name,
        servername: node.name,
        trust,
        timeoutMs: o.timeoutMs ?? opts.tlsProbeTimeoutMs ?? 10_000,
        starttls: xmpp && unit === 'cup-xmpp' ? 'xmpp-client' : xmpp && unit === 'cup-xmpp-s2s' ? 'xmpp-server' : undefined,
        operation: unit,
        hooks: opts.hooks,
      });
    },
    async close() {
      await session?.close().catch(() => undefined);
      await cli?.close().catch(() => undefined);
      transport?.close();
    },
  };
}

// Builds the clients of one node from the resolved inventory, with the engine's request hooks:
// every SOAP request is gated by the node's budget, every request of any protocol is counted.
import type { InventoryCluster, InventoryNode, TlsTrust } from '../../config/resolve';
import { readSecret } from '../../config/resolve';
import { AxlClient, DEFAULT_AXL_VERSION, SerialQueue } from '../clients/axl';
import { CliPool } from '../clients/cli';
import { ControlCenterClient } from '../clients/controlcenter';
import type { RequestHooks } from '../clients/hooks';
import { SoapTransport, type Credentials } from '../clients/http';
import { PerfmonClient, PerfmonSession } from '../clients/perfmon';
import type { Trust } from '../clients/trust';
import { CollectError } from '../errors';
import type { SourceClients } from '../sources/types';
import type { SessionLedger } from './session-ledger';
import { probeLeaf } from './tls-probe';

export interface NodeClientHandle extends SourceClients {
  close(): Promise<void>;
}

/** CA trusts are shared by content, so every node with the same bundle shares one TLS context. */
const caTrusts = new Map<string, Trust>();

export function trustOf(t: TlsTrust): Trust {
  switch (t.mode) {
    case 'ca': {
      let trust = caTrusts.get(t.caPem);
      if (!trust) caTrusts.set(t.caPem, (trust = { mode: 'ca', ca: t.caPem, source: t.caFile }));
      return trust;
    }
    case 'fingerprints':
      return { mode: 'fingerprints', fingerprints: new Set(t.fingerprints) };
    case 'insecure':
      return { mode: 'insecure' };
    case 'system':
      return { mode: 'system' };
  }
}

function credentialsOf(node: InventoryNode, which: 'axl' | 'os'): () => Credentials {
  return () => {
    const c = node.credentials[which];
    if (!c) throw new CollectError('config', `${node.cluster}/${node.name}: no ${which} credentials configured`);
    try {
      return { username: c.username, password: readSecret(c.password) };
    } catch (err) {
      throw new CollectError('config', `${node.cluster}/${node.name}: ${which} password: ${(err as Error).message}`);
    }
  };
}

/**
 * The AXL schema version to speak: a server answers only versions up to its own ("AXL version 12.5
 * is not supported by this server" from a 10.5 node), and 12.5 is accepted by 12.5, 14 and 15. So a
 * cluster configured with an older release gets its own major.minor; unknown or newer ones 12.5.
 */
export function axlVersionFor(version: string | undefined): string {
  const m = version ? /^(\d+)\.(\d+)/.exec(version) : null;
  if (!m) return DEFAULT_AXL_VERSION;
  const v = Number(m[1]) + Number(m[2]) / 10;
  return v < 12.5 ? `${m[1]}.${m[2]}` : DEFAULT_AXL_VERSION;
}

export interface ClientSettings {
  requestTimeoutMs: number;
  cliTimeoutMs: number;
  /** Response / CLI output size limits, bytes (client defaults when absent). */
  maxResponseBytes?: number;
  maxCliOutputBytes?: number;
  /** One AXL queue per cluster: AXL answers one query at a time (wire-formats §3.6). */
  axlQueue(cluster: InventoryCluster): SerialQueue;
  /** Records the node's open PerfMon sessions (closed after a crash); none: not recorded. */
  ledger?: SessionLedger;
}

export function createNodeClients(node: InventoryNode, cluster: InventoryCluster, hooks: RequestHooks, settings: ClientSettings): NodeClientHandle {
  const trust = trustOf(node.tls);
  const transport = new SoapTransport({
    node: node.name,
    host: node.host,
    port: node.ports.https,
    trust,
    credentials: credentialsOf(node, 'axl'),
    timeoutMs: settings.requestTimeoutMs,
    hooks,
    maxResponseBytes: settings.maxResponseBytes,
  });
  const perfmon = new PerfmonClient(transport, { host: node.name });
  const perfmonSession = new PerfmonSession(perfmon, { ledger: settings.ledger?.forNode(node.id, node.host, node.ports.https) });
  const cli = new CliPool({
    node: node.name,
    host: node.host,
    port: node.ports.ssh,
    credentials: credentialsOf(node, 'os'),
    knownHostsFile: node.ssh.knownHostsFile,
    trustOnFirstUse: node.ssh.trustOnFirstUse,
    // Two shells: a shell stuck on a slow command never blocks the next poll's fresh one.
    maxSessions: 2,
    connectTimeoutMs: Math.min(30_000, settings.cliTimeoutMs),
    commandTimeoutMs: settings.cliTimeoutMs,
    maxOutputBytes: settings.maxCliOutputBytes,
    hooks,
  });
  return {
    perfmon,
    perfmonSession,
    controlCenter: new ControlCenterClient(transport),
    axl: new AxlClient(transport, { queue: settings.axlQueue(cluster), timeoutMs: settings.requestTimeoutMs, version: axlVersionFor(cluster.version) }),
    cli,
    probeTls: (port, signal) => probeLeaf({ node: node.name, host: node.host, port, trust, timeoutMs: settings.requestTimeoutMs, hooks, signal }),
    async close() {
      await Promise.allSettled([perfmonSession.close(), cli.close()]);
      transport.close();
    },
  };
}

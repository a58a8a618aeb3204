// peers (every 5 min): for each IM&P publisher, the state of each configured intercluster peer as
// far as a collector can see it. A real cluster shows the peer status only in its administration
// pages (Presence > Inter-Clustering: check marks, "Associated Users" that must equal the remote
// cluster's user count, "Certificate Status"; reference/counters-certs-replication.md §3.4, §4.4);
// no API returns that page or the time of the last sync (the only signal is the
// InterClusterSyncAgentPeerPeriodicSyncingFailure alarm after two hours). What the collector can
// check is every dependency of the sync, the way the Intercluster Sync Agent (ICSA) itself reaches
// the peer:
//   reachable   the peer publisher's HTTPS/AXL port answers a verified TLS handshake (ICSA calls the
//               peer's AXL on 8443), and how many days its tomcat certificate has left;
//   users       the peer answers AXL (`select count(*) from enduser`): the number the local
//               "Associated Users" should show once a sync has run;
//   sync agent  `Cisco Intercluster Sync Agent` is Started on both publishers (Control Center).
// `state` sums it up: ok, degraded (reachable but a dependency fails: the sync will not run), down.
// The peer's own AXL and Control Center are asked through its clients when this collector polls
// it too (same shard); otherwise those checks are reported as not checked.
import { z } from 'zod';
import { errorKind } from '../errors';
import { probeLeaf } from '../engine/tls-probe';
import { trustOf } from '../engine/clients';
import type { Source } from './types';

const ICSA = 'Cisco Intercluster Sync Agent';
const DAY_MS = 86_400_000;

const peer = z.object({
  peer: z.string(),
  publisher: z.string(),
  /** The peer publisher answered a verified TLS handshake on its HTTPS/AXL port. */
  up: z.boolean(),
  error: z.string().optional(),
  kind: z.string().optional(),
  /** ok / degraded (reachable, but a sync dependency fails) / down (not reachable). */
  state: z.enum(['ok', 'degraded', 'down']).optional(),
  /** Why the state is not ok, one line each. */
  reasons: z.array(z.string()).optional(),
  /** Whole days left on the tomcat certificate the peer serves (negative once expired). */
  certDaysLeft: z.number().int().optional(),
  /** End users on the peer (AXL count): what the local Associated Users should show; null when not checked. */
  peerUsers: z.number().int().nonnegative().nullable().optional(),
  /** Cisco Intercluster Sync Agent status on the local and the peer publisher (Control Center); null when not checked. */
  syncAgent: z.object({ local: z.string().nullable(), peer: z.string().nullable() }).optional(),
});

export const peersSchema = z.object({ peers: z.array(peer) });
export type PeersObservation = z.infer<typeof peersSchema>;
type Peer = z.infer<typeof peer>;

async function icsaStatus(cc: { getServiceStatus(names: readonly string[]): Promise<{ services: Array<{ name: string; status: string | null }> }> } | undefined): Promise<string | null> {
  if (!cc) return null;
  const r = await cc.getServiceStatus([ICSA]);
  return r.services.find((s) => s.name === ICSA)?.status ?? 'Unknown';
}

export const peersSource: Source<PeersObservation> = {
  name: 'peers',
  scope: 'publisher',
  products: ['imp'],
  lane: 'tls',
  backsOff: false,
  schema: peersSchema,
  appliesTo: (_node, cluster) => cluster.peers.length > 0,
  timeoutMs: ({ requestTimeoutMs, intervalMs }) => Math.min(4 * requestTimeoutMs, intervalMs),
  async poll(ctx) {
    // The local sync agent once for every peer.
    let local: string | null = null;
    let localError: string | undefined;
    try {
      local = await icsaStatus(ctx.clients.controlCenter);
    } catch (err) {
      localError = `local ${ICSA} status unknown: ${(err as Error).message}`;
    }
    const peers = await Promise.all(
      ctx.cluster.peers.map(async (name): Promise<Peer> => {
        const cluster = ctx.inventory.clusters.find((c) => c.name === name);
        const pub = cluster?.nodes.find((n) => n.name === cluster.publisher);
        if (!cluster || !pub) return { peer: name, publisher: '', up: false, error: 'peer cluster is not in the configuration', kind: 'config', state: 'down', reasons: ['peer cluster is not in the configuration'] };
        const out: Peer = { peer: name, publisher: pub.name, up: false };
        const reasons: string[] = [];
        try {
          const leaf = await probeLeaf({ node: pub.name, host: pub.host, port: pub.ports.https, trust: trustOf(pub.tls), timeoutMs: ctx.requestTimeoutMs, operation: 'peer-handshake' });
          out.up = true;
          out.certDaysLeft = Math.floor((leaf.notAfter.getTime() - Date.now()) / DAY_MS);
          if (out.certDaysLeft < 0) reasons.push(`the peer's tomcat certificate expired ${-out.certDaysLeft} day(s) ago`);
        } catch (err) {
          out.error = (err as Error).message;
          out.kind = errorKind(err);
          return { ...out, state: 'down', reasons: [`${pub.name} does not answer on ${pub.ports.https}: ${out.error}`] };
        }
        const remote = ctx.clientsOf(cluster.name, pub.name);
        const [users, agent] = await Promise.allSettled([
          remote ? remote.axl.query('select count(*) as users from enduser') : Promise.resolve(undefined),
          icsaStatus(remote?.controlCenter),
        ]);
        if (users.status === 'fulfilled') {
          const n = users.value?.[0]?.users;
          out.peerUsers = n === undefined || n === null ? null : Number(n);
        } else {
          out.peerUsers = null;
          reasons.push(`the peer's AXL did not answer (the sync agent reads the peer through AXL): ${(users.reason as Error).message}`);
        }
        const peerAgent = agent.status === 'fulfilled' ? agent.value : null;
        if (agent.status === 'rejected') reasons.push(`${pub.name} ${ICSA} status unknown: ${(agent.reason as Error).message}`);
        out.syncAgent = { local, peer: peerAgent };
        if (localError) reasons.push(localError);
        if (local !== null && local !== 'Started') reasons.push(`${ICSA} is ${local} on ${ctx.node.name}`);
        if (peerAgent !== null && peerAgent !== 'Started') reasons.push(`${ICSA} is ${peerAgent} on ${pub.name}`);
        return { ...out, state: reasons.length ? 'degraded' : 'ok', reasons };
      }),
    );
    return { peers };
  },
  emit(obs, out) {
    for (const p of obs.value?.peers ?? []) {
      const labels = { cluster: obs.cluster, node: obs.node, peer: p.peer };
      out('interclusterPeerUp', labels, p.up ? 1 : 0);
      if (p.state) out('interclusterPeerSyncOk', labels, p.state === 'ok' ? 1 : 0);
    }
  },
};

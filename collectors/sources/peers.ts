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
// it too (same shard); otherwise those checks are reported as not checked. Each publisher is asked
// once per interval whoever needs it (its own poll, or the 29 peers of a full mesh): without that
// the mesh would cost every publisher 58 SOAP requests per round and starve its PerfMon budget.
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

interface PublisherFacts {
  /** End users (AXL count), null when it could not be read (error in `usersError`). */
  users: number | null;
  usersError?: string;
  /** Cisco Intercluster Sync Agent status, null when it could not be read (error in `icsaError`). */
  icsa: string | null;
  icsaError?: string;
}

/** Per publisher: its latest facts (a promise, so concurrent askers share one request). */
const factsCache = new Map<string, { at: number; facts: Promise<PublisherFacts> }>();

/** Drops the shared facts: the next poll asks every publisher again (tests; a new interval). */
export function forgetPeerFacts(): void {
  factsCache.clear();
}

function publisherFacts(key: string, ttlMs: number, clients: { axl: { query(sql: string): Promise<Array<Record<string, string | null>>> }; controlCenter: Parameters<typeof icsaStatus>[0] }): Promise<PublisherFacts> {
  const now = Date.now();
  const hit = factsCache.get(key);
  if (hit && now - hit.at < ttlMs) return hit.facts;
  const facts = (async (): Promise<PublisherFacts> => {
    const [users, icsa] = await Promise.allSettled([clients.axl.query('select count(*) as users from enduser'), icsaStatus(clients.controlCenter)]);
    const out: PublisherFacts = { users: null, icsa: null };
    if (users.status === 'fulfilled') {
      const n = users.value[0]?.users;
      out.users = n === undefined || n === null ? null : Number(n);
    } else out.usersError = (users.reason as Error).message;
    if (icsa.status === 'fulfilled') out.icsa = icsa.value;
    else out.icsaError = (icsa.reason as Error).message;
    return out;
  })();
  factsCache.set(key, { at: now, facts });
  return facts;
}

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
    // Shared for 10 s (a round of the mesh's peer polls starts together), never longer than the interval.
    const ttl = Math.max(1000, Math.min(10_000, ctx.intervalMs * 0.9));
    // The local sync agent once for every peer (and this publisher's user count for its peers).
    const own = await publisherFacts(`${ctx.cluster.name}/${ctx.node.name}`, ttl, ctx.clients);
    const local = own.icsa;
    const localError = own.icsaError === undefined ? undefined : `local ${ICSA} status unknown: ${own.icsaError}`;
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
        const facts = remote ? await publisherFacts(`${cluster.name}/${pub.name}`, ttl, remote) : undefined;
        out.peerUsers = facts?.users ?? null;
        if (facts?.usersError !== undefined) reasons.push(`the peer's AXL did not answer (the sync agent reads the peer through AXL): ${facts.usersError}`);
        const peerAgent = facts?.icsa ?? null;
        if (facts?.icsaError !== undefined) reasons.push(`${pub.name} ${ICSA} status unknown: ${facts.icsaError}`);
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

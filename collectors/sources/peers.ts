// peers (every 5 min): for each IM&P publisher, whether each configured intercluster peer's
// publisher answers on its HTTPS/AXL port — the port the Intercluster Sync Agent uses
// (reference/counters-certs-replication.md §4.4) — as seen from the collector. The peer status
// page itself (Intercluster Peer Status) has no API a collector can read.
import { z } from 'zod';
import { errorKind } from '../errors';
import { probeLeaf } from '../engine/tls-probe';
import { trustOf } from '../engine/clients';
import type { Source } from './types';

export const peersSchema = z.object({
  peers: z.array(z.object({ peer: z.string(), publisher: z.string(), up: z.boolean(), error: z.string().optional(), kind: z.string().optional() })),
});
export type PeersObservation = z.infer<typeof peersSchema>;

export const peersSource: Source<PeersObservation> = {
  name: 'peers',
  scope: 'publisher',
  products: ['imp'],
  lane: 'tls',
  backsOff: false,
  schema: peersSchema,
  appliesTo: (_node, cluster) => cluster.peers.length > 0,
  timeoutMs: ({ requestTimeoutMs, intervalMs }) => Math.min(2 * requestTimeoutMs, intervalMs),
  async poll(ctx) {
    const peers = await Promise.all(
      ctx.cluster.peers.map(async (name) => {
        const peer = ctx.inventory.clusters.find((c) => c.name === name);
        const pub = peer?.nodes.find((n) => n.name === peer.publisher);
        if (!peer || !pub) return { peer: name, publisher: '', up: false, error: 'peer cluster is not in the configuration', kind: 'config' };
        try {
          await probeLeaf({ node: pub.name, host: pub.host, port: pub.ports.https, trust: trustOf(pub.tls), timeoutMs: ctx.requestTimeoutMs, operation: 'peer-handshake' });
          return { peer: name, publisher: pub.name, up: true };
        } catch (err) {
          return { peer: name, publisher: pub.name, up: false, error: (err as Error).message, kind: errorKind(err) };
        }
      }),
    );
    return { peers };
  },
  emit(obs, out) {
    for (const p of obs.value?.peers ?? []) out('interclusterPeerUp', { cluster: obs.cluster, node: obs.node, peer: p.peer }, p.up ? 1 : 0);
  },
};

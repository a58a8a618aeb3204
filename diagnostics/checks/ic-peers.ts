// Peer reachability (reference/userid-uri-troubleshooter.md §3.3 I2, §6 A17): the peers source's TLS
// handshake with each configured peer's publisher on its HTTPS/AXL port (8443, the port the
// Intercluster Sync Agent uses) as seen from IMPulse, and peering configured on both sides.
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';

export const icPeers: CheckDefinition = {
  id: 'IC-PEERS',
  section: 'Inter-clustering Troubleshooter',
  title: 'Verify each intercluster peer is reachable.',
  description:
    'For each IM&P cluster, whether every configured intercluster peer\'s publisher answers a TLS handshake on its AXL port (8443), and whether each peering is configured on both clusters. The handshake is made from IMPulse, not from the peer: a firewall between the clusters themselves is not seen.',
  needs: ['peers'],
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'peers', 'IC-PEERS');
    const items: AffectedItem[] = [...errors];
    for (const r of ok) {
      for (const p of r.value.peers) {
        if (p.up) continue;
        items.push({ kind: 'peer', key: `${r.cluster.name}|${p.peer}`, status: 'failed', cluster: r.cluster.name, node: p.publisher || undefined, label: p.peer, detail: `Peer ${p.peer}${p.publisher ? ` (publisher ${p.publisher})` : ''} does not answer: ${p.error ?? 'unreachable'}.` });
      }
    }
    for (const c of ctx.clusters) {
      for (const p of c.peers) {
        const other = ctx.inventory.clusters.find((x) => x.name === p);
        if (other && !other.peers.includes(c.name)) {
          items.push({ kind: 'peer', key: `${c.name}|${p}|one-sided`, status: 'warning', cluster: c.name, label: p, detail: `${c.name} lists ${p} as an intercluster peer, but ${p} does not list ${c.name}: peering must be configured on both clusters.` });
        }
      }
    }
    return outcome(items, {
      pass: 'Every intercluster peer answers, and every peering is configured on both sides.',
      summary: (f) => `${plural(f.length, 'intercluster peer')} unreachable or configured on one side only`,
      problem: 'An intercluster peer does not answer on its AXL port (8443), or the peering is configured on one cluster only. Intercluster sync (users and certificates) fails while a peer is unreachable.',
      solution:
        'Check the network path and firewall between the clusters (ports 8443 for AXL, 7400 for XMPP, 5060 for SIP federation), that the peer\'s publisher is up and Cisco Tomcat runs on it, and that each cluster lists the other under Presence > Inter-Clustering. Resolve any invalid or duplicate userIDs before configuring peers.',
    });
  },
};

// Intercluster prerequisites (reference/userid-uri-troubleshooter.md §6 A16; counters-certs-
// replication.md §4.4, §5.1): `Cisco AXL Web Service` running on all nodes, `Cisco Sync Agent` on the
// publisher, `Cisco Intercluster Sync Agent` on all nodes (it "also handles security between all
// nodes"), for every IM&P cluster that has intercluster peers.
import { serviceabilityLink } from '../fix-links';
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';
import { serviceState } from './service-common';

const ALL_NODES = ['Cisco AXL Web Service', 'Cisco Intercluster Sync Agent'];
const PUBLISHER = ['Cisco Sync Agent'];

export const icServices: CheckDefinition = {
  id: 'IC-SERVICES',
  section: 'Inter-clustering Troubleshooter',
  title: 'Verify the services intercluster peering needs are running.',
  description: 'On every node of each IM&P cluster with intercluster peers: Cisco AXL Web Service and Cisco Intercluster Sync Agent running on all nodes, Cisco Sync Agent on the publisher.',
  needs: ['services'],
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'services', 'IC-SERVICES');
    const peered = (c: { product: string; peers: string[] }) => c.product === 'imp' && c.peers.length > 0;
    const items: AffectedItem[] = errors.filter((e) => peered(ctx.clusters.find((c) => c.name === e.cluster)!));
    for (const r of ok) {
      if (!peered(r.cluster)) continue;
      const wanted = [...ALL_NODES, ...(r.node.name === r.cluster.publisher ? PUBLISHER : [])];
      for (const name of wanted) {
        const s = serviceState(r.value, name);
        if (s.state === 'running') continue;
        items.push({ kind: 'service', key: `${r.node.name}|${name}`, status: 'failed', cluster: r.cluster.name, node: r.node.name, label: name, detail: `${s.text} on ${r.node.name}.`, fix: serviceabilityLink(r.node.host, r.node.ports.https) });
      }
    }
    return outcome(items, {
      pass: 'Cisco AXL Web Service, Cisco Intercluster Sync Agent and (on the publishers) Cisco Sync Agent run where intercluster peering needs them.',
      summary: (f) => `${plural(f.length, 'service')} intercluster peering needs ${f.length === 1 ? 'is' : 'are'} not running`,
      problem:
        'Intercluster peering needs the Cisco AXL Web Service on all local and remote nodes, the Cisco Intercluster Sync Agent on all nodes, and the Cisco Sync Agent on the publisher. All Intercluster Sync Agent issues reported on the Troubleshooter must be resolved before proceeding.',
      solution: 'Start the services listed (Cisco Unified IM and Presence Serviceability > Tools > Control Center - Network Services / Feature Services, or utils service start <service name>); activate Cisco AXL Web Service in Tools > Service Activation where it is not activated.',
    });
  },
};

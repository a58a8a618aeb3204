// I1 "Verify that each TLS-enabled inter-cluster peer has successfully exchanged security
// certificates" (reference/userid-uri-troubleshooter.md §3.3; counters-certs-replication.md §3.4):
// tomcat trust out of step between peers. The tomcat certificate every node of a peer serves must be
// trusted by the local cluster: its issuer (CA-signed) or the certificate itself (self-signed) in the
// local tomcat-trust store. When the collector reads the trust stores (certificates with store
// 'trust'), IMPulse compares them; otherwise it uses the TLS probe's verdict against the cluster's
// configured trust (tls.caBundle / fingerprints) as the stand-in for the peers' tomcat-trust — a
// tool choice, said in the item. Clusters configured with tls.insecure cannot be judged.
import { certificateManagementLink } from '../fix-links';
import type { AffectedItem, CheckDefinition } from '../types';
import { listText, outcome, plural, readings, type Reading } from './helpers';
import type { CertificatesObservation } from '../../collectors/sources/certificates';

type Cert = CertificatesObservation['certificates'][number];

export const icPeerCertificates: CheckDefinition = {
  id: 'IC-PEER-CERTS',
  section: 'Inter-clustering Troubleshooter',
  title: 'Verify that each TLS-enabled inter-cluster peer has successfully exchanged security certificates',
  description:
    'For every IM&P cluster with intercluster peers, checks that the tomcat certificate served by each node of each peer is trusted locally: found in the local tomcat-trust store when the trust stores are read, otherwise verified by the TLS probe against the configured trust of the cluster (IMPulse\'s stand-in for tomcat-trust).',
  needs: ['certificates'],
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'certificates', 'IC-PEER-CERTS');
    const byNode = new Map<string, Reading<CertificatesObservation>>(ok.map((r) => [`${r.cluster.name}/${r.node.name}`, r]));
    const items: AffectedItem[] = errors.filter((e) => ctx.clusters.find((c) => c.name === e.cluster)?.product === 'imp');
    const skipped: string[] = [];
    for (const local of ctx.clusters.filter((c) => c.product === 'imp' && c.peers.length > 0)) {
      const trustStore: Cert[] = local.nodes.flatMap((n) => byNode.get(`${local.name}/${n.name}`)?.value.certificates.filter((c) => c.store === 'trust' && /^tomcat/i.test(c.unit)) ?? []);
      for (const peerName of local.peers) {
        const peer = ctx.inventory.clusters.find((c) => c.name === peerName);
        if (!peer) continue;
        if (!trustStore.length && peer.tls.mode === 'insecure') {
          skipped.push(peer.name);
          continue;
        }
        for (const n of peer.nodes) {
          const r = byNode.get(`${peer.name}/${n.name}`);
          const leaf = r?.value.certificates.find((c) => c.source === 'tls' && c.unit === 'tomcat');
          if (!leaf) continue;
          let trusted: boolean;
          let how: string;
          if (trustStore.length) {
            trusted = trustStore.some((t) => t.serial === leaf.serial || (!leaf.selfSigned && t.subject === leaf.issuer));
            how = `not in the tomcat-trust store of ${local.name}`;
          } else {
            trusted = leaf.trusted !== false;
            how = `does not verify against the trust configured for ${peer.name} (IMPulse's stand-in for ${local.name}'s tomcat-trust)`;
          }
          if (trusted) continue;
          const key = `${local.name}|${n.name}|${leaf.serial}`;
          items.push({
            kind: 'certificate',
            key,
            status: 'failed',
            cluster: peer.name,
            node: n.name,
            label: `tomcat on ${n.name}`,
            group: local.name,
            detail: `${leaf.selfSigned ? 'Self-signed' : `Issued by ${leaf.issuer}`} (serial ${leaf.serial}), ${how}.`,
            fix: certificateManagementLink(n.host, n.ports.https),
            data: { trustedBy: local.name, subject: leaf.subject, issuer: leaf.issuer, serial: leaf.serial },
          });
        }
      }
    }
    if (skipped.length && !items.length) {
      return { status: 'skipped', summary: `TLS verification is off for ${listText([...new Set(skipped)])}`, skippedWhy: 'The peers\' clusters are configured with tls.insecure and their tomcat-trust stores are not read, so the exchanged certificates cannot be judged.', items: [] };
    }
    return outcome(items, {
      pass: 'Every intercluster peer\'s tomcat certificate is trusted by the clusters it peers with.',
      summary: (f) => `${plural(f.length, 'tomcat certificate')} of intercluster peers not trusted by the peering cluster`,
      problem:
        'A TLS-enabled intercluster peer has not exchanged security certificates: the tomcat trust certificate is out-of-sync (after a tomcat certificate was regenerated or replaced, a fresh install, a host or domain name change, or a peer configuration reused for a new remote cluster).',
      solution:
        'Note the intercluster peer address; on Presence > Inter-Clustering click the peer link, then Force Manual Sync with "Also resync peer\'s Tomcat certificates" checked, and wait 60 seconds for the Inter-cluster Peer Status panel to auto-refresh: Certificate Status must show "Connection is secure". Otherwise restart the Cisco Intercluster Sync Agent service on the IM and Presence database publisher node (utils service restart Cisco Intercluster Sync Agent) and repeat. Certificates marked with an x in the Intercluster Peer Configuration window are missing and must be copied manually.',
    });
  },
};

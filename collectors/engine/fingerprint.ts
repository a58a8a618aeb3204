// What makes a node "the same node" across a configuration reload: everything its clients and
// poll tasks were built from (address, ports, credentials as references, trust, polling, budget).
// Cluster facts that sources read at poll time (peers, groups, version) are not part of it, so a
// reload that only changes those keeps the node's sessions.
import { createHash } from 'node:crypto';
import type { InventoryCluster, InventoryNode } from '../../config/resolve';

export function nodeFingerprint(n: InventoryNode, c: InventoryCluster): string {
  const tls = n.tls.mode === 'ca' ? { mode: 'ca', file: n.tls.caFile, pem: sha(n.tls.caPem) } : n.tls;
  const cred = (x: InventoryNode['credentials']['axl']) => x && { u: x.username, ref: x.password.ref, inline: x.password.inlineAllowed, dir: x.password.dir };
  return sha(
    JSON.stringify({
      host: n.host,
      ports: n.ports,
      role: n.role,
      product: n.product,
      group: n.group ?? null,
      polling: n.polling,
      perfmon: n.perfmon,
      tls,
      // The known_hosts content is re-read by the CLI client itself when the file changes.
      ssh: { file: n.ssh.knownHostsFile ?? null, tofu: n.ssh.trustOnFirstUse },
      axl: cred(n.credentials.axl) ?? null,
      os: cred(n.credentials.os) ?? null,
      cluster: { product: c.product, publisher: c.publisher, discover: c.discoverNodes },
    }),
  );
}

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

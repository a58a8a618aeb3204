// The `fix` links of the Solution column: "Clicking the fix link in the Solution column redirects
// you to the End User Configuration window in Cisco Unified Communications Manager Administration"
// (reference/userid-uri-troubleshooter.md §2.9 step 5, EN s11802) — of the right cluster: the CUCM
// cluster an IM&P cluster belongs to (clusters[].cucmCluster), on its publisher.
import type { Inventory, InventoryCluster } from '../config/resolve';
import type { FixLink } from './types';

function base(host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `https://${h}${port === 443 ? '' : `:${port}`}`;
}

/** The CUCM publisher that administers an IM&P cluster's end users (or the cluster itself when it is CUCM). */
export function cucmPublisherOf(inv: Inventory, cluster: InventoryCluster): { cluster: string; host: string; port: number } | undefined {
  const cucm = cluster.product === 'cucm' ? cluster : cluster.cucmCluster ? inv.clusters.find((c) => c.name === cluster.cucmCluster) : undefined;
  const pub = cucm?.nodes.find((n) => n.name === cucm.publisher);
  return cucm && pub ? { cluster: cucm.name, host: pub.host, port: pub.ports.https } : undefined;
}

/** User Management > End User (Find and List Users) on the CUCM publisher of `cluster`. */
export function endUserFindLink(inv: Inventory, cluster: InventoryCluster): FixLink | undefined {
  const pub = cucmPublisherOf(inv, cluster);
  return pub && { label: `fix: End User Configuration (${pub.cluster})`, url: `${base(pub.host, pub.port)}/ccmadmin/userFindList.do` };
}

/** One user's End User Configuration window (by its pkid). */
export function endUserLink(inv: Inventory, cluster: InventoryCluster, pkid: string): string | undefined {
  const pub = cucmPublisherOf(inv, cluster);
  return pub && pkid ? `${base(pub.host, pub.port)}/ccmadmin/userEdit.do?key=${encodeURIComponent(pkid)}` : undefined;
}

/** Cisco Unified CM IM and Presence Administration on an IM&P publisher (/cupadmin/): Presence > Settings, Presence > Inter-Clustering. */
export function impAdminLink(cluster: InventoryCluster, path: string, label: string): FixLink | undefined {
  const pub = cluster.nodes.find((n) => n.name === cluster.publisher);
  return pub && { label, url: `${base(pub.host, pub.ports.https)}${path}` };
}

/** Cisco Unified Serviceability (Control Center) on a node. */
export function serviceabilityLink(host: string, port: number): string {
  return `${base(host, port)}/ccmservice/`;
}

/** Cisco Unified OS Administration > Security > Certificate Management on a node. */
export function certificateManagementLink(host: string, port: number): string {
  return `${base(host, port)}/cmplatform/certificateFindList.do`;
}

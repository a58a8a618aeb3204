// Naming and addressing of the simulated deployment (common brief, interface 1):
// cluster i (1-based, two digits) = CUCM cluster `cucmNN` (one node `cucmNN-pub` at <base>.i.2)
// + IM&P cluster `impNN` (`impNN-pub`, `impNN-sub1`… at <base>.i.10, .11, …). Presence redundancy
// groups pair IM&P nodes in order; an odd last node is a single-node group. IM&P clusters peer
// with each other (full mesh, reference/topology.md §2, ≤ 30 clusters).
import type { NodeRole, Product } from '../model';
import { buildOf } from './releases';
import { hash32 } from './rng';

export const IMP_VERSION = '15.0.1.12900-15';
export const CUCM_VERSION = '15.0.1.12900-234';
/** Presence/IM domain of every user (Directory URI domain). */
export const IM_DOMAIN = 'example.com';
/** Largest documented deployment (reference/topology.md §1.2, §9). */
export const MAX_CLUSTERS = 30;
export const MAX_IMP_NODES = 6;

export interface NodeSpec {
  name: string;
  fqdn: string;
  host: string;
  product: Product;
  role: NodeRole;
  cluster: string;
  nodeId: number;
  mac: string;
  /** 0-based position in its cluster (publisher first). */
  index: number;
}

export interface GroupSpec {
  name: string;
  nodes: string[];
}

export interface ClusterSpec {
  name: string;
  product: Product;
  version: string;
  domain: string;
  imDomain: string;
  /** 1-based site number i. */
  ordinal: number;
  nodes: NodeSpec[];
  groups: GroupSpec[];
  cucmCluster?: string;
  peers: string[];
}

export interface TopologyOptions {
  clusters: number;
  nodes: number;
  addressBase: string;
  seed: number;
  /** Release or build of every cluster, or per cluster name (lab/state/releases.ts); default 15. */
  version?: string | Readonly<Record<string, string>>;
}

function versionFor(v: TopologyOptions['version'], cluster: string, product: Product): string {
  const given = typeof v === 'string' ? v : v?.[cluster];
  if (given === undefined) return product === 'cucm' ? CUCM_VERSION : IMP_VERSION;
  return buildOf(given, product);
}

export function validateAddressBase(base: string): string {
  const m = /^127\.(\d{1,3})$/.exec(base);
  if (!m || Number(m[1]) > 255) throw new RangeError(`addressBase must look like "127.N" (0 ≤ N ≤ 255), got '${base}'`);
  return base;
}

export const two = (i: number) => String(i).padStart(2, '0');

function mac(seed: number, name: string): string {
  // VMware OUI 00:50:56, as on a virtualised CUCM/IM&P node.
  return '005056' + (hash32(seed, 'mac', name) & 0xffffff).toString(16).padStart(6, '0');
}

export function planTopology(opts: TopologyOptions): ClusterSpec[] {
  const { clusters, nodes, seed } = opts;
  const base = validateAddressBase(opts.addressBase);
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > MAX_CLUSTERS) {
    throw new RangeError(`clusters must be an integer from 1 to ${MAX_CLUSTERS}, got ${clusters}`);
  }
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_IMP_NODES) {
    throw new RangeError(`nodes (IM&P nodes per cluster) must be an integer from 1 to ${MAX_IMP_NODES}, got ${nodes}`);
  }
  const impNames = Array.from({ length: clusters }, (_, k) => `imp${two(k + 1)}`);
  const out: ClusterSpec[] = [];
  for (let i = 1; i <= clusters; i++) {
    const nn = two(i);
    const domain = `uc${nn}.example.com`;
    const node = (name: string, product: Product, role: NodeRole, hostSuffix: number, nodeId: number, index: number, cluster: string): NodeSpec => ({
      name,
      fqdn: `${name}.${domain}`,
      host: `${base}.${i}.${hostSuffix}`,
      product,
      role,
      cluster,
      nodeId,
      mac: mac(seed, name),
      index,
    });
    const cucmName = `cucm${nn}`;
    out.push({
      name: cucmName,
      product: 'cucm',
      version: versionFor(opts.version, cucmName, 'cucm'),
      domain,
      imDomain: IM_DOMAIN,
      ordinal: i,
      nodes: [node(`${cucmName}-pub`, 'cucm', 'publisher', 2, 2, 0, cucmName)],
      groups: [],
      peers: [],
    });
    const impName = `imp${nn}`;
    // IM&P nodes are servers of the CUCM cluster's processnode table, after the CUCM publisher.
    const impNodes = Array.from({ length: nodes }, (_, k) =>
      node(k === 0 ? `${impName}-pub` : `${impName}-sub${k}`, 'imp', k === 0 ? 'publisher' : 'subscriber', 10 + k, 3 + k, k, impName),
    );
    const groups: GroupSpec[] = [];
    for (let k = 0; k < impNodes.length; k += 2) {
      groups.push({ name: `${impName}-prg${k / 2 + 1}`, nodes: impNodes.slice(k, k + 2).map((n) => n.name) });
    }
    out.push({
      name: impName,
      product: 'imp',
      version: versionFor(opts.version, impName, 'imp'),
      domain,
      imDomain: IM_DOMAIN,
      ordinal: i,
      nodes: impNodes,
      groups,
      cucmCluster: cucmName,
      peers: impNames.filter((p) => p !== impName),
    });
  }
  return out;
}

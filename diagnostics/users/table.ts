// Every end user of the fleet, column by column: one array per field instead of one object per
// user, so 2.25 million users (30 clusters × 75,000) cost a few hundred MB and evaluate in seconds.
// A row is a user as its IM&P cluster reports it (AXL `enduser` on the IM&P publisher,
// reference/wire-formats.md §3.5) with the IM&P node it is homed on.

export interface UserRowInput {
  pkid: string;
  userid: string;
  /** '' when none is configured. */
  directoryUri: string;
  mail: string;
  /** The IM address IM&P derived for the user (enduser.imaddress). */
  imAddress: string;
}

export class UserTable {
  /** Cluster names, by index. */
  readonly clusters: string[] = [];
  /** Nodes (cluster index, name), by index. */
  readonly nodes: Array<{ cluster: number; name: string }> = [];
  readonly pkid: string[] = [];
  readonly userid: string[] = [];
  readonly uri: string[] = [];
  readonly mail: string[] = [];
  readonly imAddress: string[] = [];
  /** Cluster index of each row. */
  readonly cluster: number[] = [];
  /** Node index of each row (the IM&P node the user is homed on). */
  readonly node: number[] = [];
  private readonly clusterIndex = new Map<string, number>();
  private readonly nodeIndex = new Map<string, number>();

  get size(): number {
    return this.userid.length;
  }

  clusterOf(name: string): number {
    let i = this.clusterIndex.get(name);
    if (i === undefined) {
      i = this.clusters.length;
      this.clusters.push(name);
      this.clusterIndex.set(name, i);
    }
    return i;
  }

  nodeOf(cluster: number, name: string): number {
    const key = `${cluster}\u0000${name}`;
    let i = this.nodeIndex.get(key);
    if (i === undefined) {
      i = this.nodes.length;
      this.nodes.push({ cluster, name });
      this.nodeIndex.set(key, i);
    }
    return i;
  }

  add(row: UserRowInput, cluster: number, node: number): number {
    this.pkid.push(row.pkid);
    this.userid.push(row.userid);
    this.uri.push(row.directoryUri);
    this.mail.push(row.mail);
    this.imAddress.push(row.imAddress);
    this.cluster.push(cluster);
    this.node.push(node);
    return this.userid.length - 1;
  }

  clusterName(row: number): string {
    return this.clusters[this.cluster[row]];
  }

  nodeName(row: number): string {
    return this.nodes[this.node[row]].name;
  }

  /** Rows of one cluster (ascending). */
  rowsOf(cluster: number): number[] {
    const out: number[] = [];
    for (let r = 0; r < this.cluster.length; r++) if (this.cluster[r] === cluster) out.push(r);
    return out;
  }
}

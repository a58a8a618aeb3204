// Every end user of the fleet, column by column: one array per field instead of one object per
// user, so 2.25 million users (30 clusters × 75,000) fit in a few hundred MB and evaluate in seconds.
// A row is a user as its IM&P cluster reports it (AXL `enduser` on the IM&P publisher,
// reference/wire-formats.md §3.5) with the IM&P node it is homed on.
//
// What is usually redundant is not stored twice: a mail ID equal to the directory URI shares its
// string, and the IM address is kept as "the directory URI" or "<user ID>@<domain>" (a domain
// index) unless it is something else.

export interface UserRowInput {
  pkid: string;
  userid: string;
  /** '' when none is configured. */
  directoryUri: string;
  mail: string;
  /** The IM address IM&P derived for the user (enduser.imaddress). */
  imAddress: string;
}

/** How a row's IM address is held. */
export const IM_AS_URI = 0;
export const IM_AS_USERID = 1;
export const IM_OTHER = 2;

export class UserTable {
  /** Cluster names, by index. */
  readonly clusters: string[] = [];
  /** Nodes (cluster index, name), by index. */
  readonly nodes: Array<{ cluster: number; name: string }> = [];
  /** Domains of UserID-form IM addresses, by index. */
  readonly imDomains: string[] = [];
  readonly pkid: string[] = [];
  readonly userid: string[] = [];
  readonly uri: string[] = [];
  readonly mail: string[] = [];
  /** IM_AS_URI, IM_AS_USERID (domain in imDomain) or IM_OTHER (string in imOther). */
  readonly imKind: number[] = [];
  readonly imDomain: number[] = [];
  private readonly imOther = new Map<number, string>();
  /** Cluster index of each row. */
  readonly cluster: number[] = [];
  /** Node index of each row (the IM&P node the user is homed on). */
  readonly node: number[] = [];
  private readonly clusterIndex = new Map<string, number>();
  private readonly nodeIndex = new Map<string, number>();
  private readonly domainIndex = new Map<string, number>();

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

  private domainOf(d: string): number {
    let i = this.domainIndex.get(d);
    if (i === undefined) {
      i = this.imDomains.length;
      this.imDomains.push(d);
      this.domainIndex.set(d, i);
    }
    return i;
  }

  add(row: UserRowInput, cluster: number, node: number): number {
    const r = this.userid.length;
    const { userid, directoryUri: uri, imAddress: im } = row;
    this.pkid.push(row.pkid);
    this.userid.push(userid);
    this.uri.push(uri);
    this.mail.push(row.mail === uri ? uri : row.mail);
    // UserID@[Default_Domain] with a UPN user ID escapes its first @ (users/syntax.ts): held as a string.
    const at = im.lastIndexOf('@');
    if (im !== '' && im === uri) {
      this.imKind.push(IM_AS_URI);
      this.imDomain.push(-1);
    } else if (at === userid.length && !userid.includes('@') && im.startsWith(userid)) {
      this.imKind.push(IM_AS_USERID);
      this.imDomain.push(this.domainOf(im.slice(at + 1)));
    } else {
      this.imKind.push(IM_OTHER);
      this.imDomain.push(-1);
      if (im !== '') this.imOther.set(r, im);
    }
    this.cluster.push(cluster);
    this.node.push(node);
    return r;
  }

  /** The row's IM address ('' when IM&P reported none). */
  imAddress(row: number): string {
    const k = this.imKind[row];
    if (k === IM_AS_URI) return this.uri[row];
    if (k === IM_AS_USERID) return `${this.userid[row]}@${this.imDomains[this.imDomain[row]]}`;
    return this.imOther.get(row) ?? '';
  }

  /** The row as its input. */
  row(row: number): UserRowInput {
    return { pkid: this.pkid[row], userid: this.userid[row], directoryUri: this.uri[row], mail: this.mail[row], imAddress: this.imAddress(row) };
  }

  clusterName(row: number): string {
    return this.clusters[this.cluster[row]];
  }

  nodeName(row: number): string {
    return this.nodes[this.node[row]].name;
  }
}

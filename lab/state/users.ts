// End users generated on demand: user(index) is a pure function of (seed, cluster, index), so
// 75,000 users per cluster (2.25 M at 30 clusters) cost no memory. Only anomalies injected by
// faults (duplicate user IDs / directory URIs across clusters, invalid or missing URIs —
// reference/userid-uri-troubleshooter.md §2.1–§2.2) are held, in small override maps.
//
// User IDs carry a deployment-wide number ("jsmith42"), which makes them unique across
// clusters by construction (Cisco: duplicates are impossible inside a cluster, possible across
// clusters) and lets indexOf() find a user without scanning.
import type { LabUser, LabUserDirectory } from '../model';
import { DEPARTMENTS, FIRST_NAMES, LAST_NAMES } from './names';
import { hash32, uuidFrom } from './rng';

export interface UserDirectoryOptions {
  seed: number;
  /** Cluster site number i (1-based); users of site i are numbered after those of sites 1…i-1. */
  ordinal: number;
  count: number;
  /** IM&P nodes users are homed on, round-robin (Balanced user assignment, reference/ha.md §4.2). */
  homeNodes: readonly string[];
  imDomain: string;
}

type Override = Partial<Pick<LabUser, 'userid' | 'directoryuri' | 'mailid' | 'firstname' | 'lastname'>>;

export class UserDirectory implements LabUserDirectory {
  readonly count: number;
  private readonly layers = new Map<string, Map<number, Override>>();
  private merged = new Map<number, Override>();
  private byUserid = new Map<string, number>();
  constructor(readonly opts: UserDirectoryOptions) {
    if (!Number.isInteger(opts.count) || opts.count < 0) throw new RangeError(`user count must be a non-negative integer, got ${opts.count}`);
    this.count = opts.count;
  }

  /** The deployment-wide user number in user IDs and URIs. */
  private number(index: number): number {
    return (this.opts.ordinal - 1) * this.count + index + 1;
  }

  /** The user as generated, before any anomaly. */
  base(index: number): LabUser {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) throw new RangeError(`user index ${index} outside 0…${this.count - 1}`);
    const { seed, ordinal, homeNodes, imDomain } = this.opts;
    const h = hash32(seed, 'user', ordinal, index);
    const firstname = FIRST_NAMES[h % FIRST_NAMES.length];
    const lastname = LAST_NAMES[(h >>> 8) % LAST_NAMES.length];
    const n = this.number(index);
    const localPart = `${firstname}.${lastname}${n}`.toLowerCase();
    return {
      pkid: uuidFrom(seed, 'pkid', ordinal, index),
      userid: `${firstname[0]}${lastname}${n}`.toLowerCase(),
      firstname,
      lastname,
      mailid: `${localPart}@${imDomain}`,
      directoryuri: `${localPart}@${imDomain}`,
      department: DEPARTMENTS[(h >>> 16) % DEPARTMENTS.length],
      status: 1,
      homeNode: homeNodes.length ? homeNodes[index % homeNodes.length] : undefined,
    };
  }

  user(index: number): LabUser {
    const u = this.base(index);
    const o = this.merged.get(index);
    return o ? { ...u, ...o } : u;
  }

  indexOf(userid: string): number {
    const hit = this.byUserid.get(userid);
    if (hit !== undefined) return hit;
    const m = /^[a-z]+(\d+)$/.exec(userid);
    if (!m) return -1;
    const index = Number(m[1]) - 1 - (this.opts.ordinal - 1) * this.count;
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.count) return -1;
    return this.user(index).userid === userid ? index : -1;
  }

  /** Users homed on a node (round-robin assignment). */
  homedOn(node: string): number {
    const k = this.opts.homeNodes.indexOf(node);
    if (k < 0) return 0;
    const m = this.opts.homeNodes.length;
    return Math.floor(this.count / m) + (k < this.count % m ? 1 : 0);
  }

  /** Indices some anomaly layer already changed (so two faults never pick the same user). */
  isAltered(index: number): boolean {
    return this.merged.has(index);
  }

  addLayer(id: string, overrides: Map<number, Override>): void {
    this.layers.set(id, overrides);
    this.rebuild();
  }

  removeLayer(id: string): boolean {
    const had = this.layers.delete(id);
    if (had) this.rebuild();
    return had;
  }

  /** Every altered user index (for the control API and tests), ascending. */
  alteredIndices(): number[] {
    return [...this.merged.keys()].sort((a, b) => a - b);
  }

  private rebuild(): void {
    this.merged = new Map();
    for (const layer of this.layers.values()) {
      for (const [index, o] of layer) this.merged.set(index, { ...this.merged.get(index), ...o });
    }
    this.byUserid = new Map();
    for (const [index, o] of this.merged) if (o.userid !== undefined) this.byUserid.set(o.userid, index);
  }
}

/** Picks `count` distinct user indices of `dir`, deterministic from the key, skipping altered ones. */
export function pickIndices(dir: UserDirectory, seed: number, key: string, count: number): number[] {
  const n = dir.count;
  const wanted = Math.min(count, n);
  const chosen = new Set<number>();
  for (let k = 0; chosen.size < wanted && k < wanted * 20 + 100; k++) {
    let index = hash32(seed, key, k) % n;
    // Linear probe past collisions; bounded by n.
    for (let step = 0; step < n && (chosen.has(index) || dir.isAltered(index)); step++) index = (index + 1) % n;
    if (!chosen.has(index) && !dir.isAltered(index)) chosen.add(index);
  }
  return [...chosen];
}

export type DuplicateField = 'userid' | 'directoryuri' | 'both';

/**
 * Users of `target` that take a user ID or a directory URI already used in `source`
 * (another IM&P cluster). With field 'both', even picks duplicate the user ID and odd picks the
 * directory URI; every second URI duplicate differs only in case (still a duplicate: the
 * comparison is case-insensitive, KO 15135).
 */
export function duplicateOverrides(
  seed: number,
  faultKey: string,
  target: UserDirectory,
  source: UserDirectory,
  count: number,
  field: DuplicateField,
  /** A duplicated directory URI also becomes the mail ID (the URI mapped from mail, as LDAP sync does); false keeps the mail ID. */
  copyMail = true,
): Map<number, Override> {
  const out = new Map<number, Override>();
  const picks = pickIndices(target, seed, `dup:${faultKey}`, count);
  const usedSources = new Set<number>();
  picks.forEach((index, k) => {
    // Distinct source users, so no two users of the target cluster share a value (that is
    // impossible inside one cluster); the duplicate is always across clusters.
    let s = hash32(seed, 'dup-source', faultKey, k) % source.count;
    while (usedSources.has(s)) s = (s + 1) % source.count;
    usedSources.add(s);
    const from = source.user(s);
    const kind = field === 'both' ? (k % 2 === 0 ? 'userid' : 'directoryuri') : field;
    if (kind === 'userid') {
      out.set(index, { userid: from.userid });
    } else {
      const uri = k % 4 === 3 ? from.directoryuri.replace(/^./, (c) => c.toUpperCase()).replace(/@(.)/, (_, c: string) => `@${c.toUpperCase()}`) : from.directoryuri;
      out.set(index, copyMail ? { directoryuri: uri, mailid: uri } : { directoryuri: uri });
    }
  });
  return out;
}

/**
 * Users of `dir` with an invalid directory URI ("not in the user@domain format", e.g.
 * `asdf@ASDF@asdf@ADSF@cisco`, or with a space) or with none configured; cycling through
 * the three kinds so every kind appears once count ≥ 3.
 */
export function invalidUriOverrides(seed: number, faultKey: string, dir: UserDirectory, count: number): Map<number, Override> {
  const out = new Map<number, Override>();
  pickIndices(dir, seed, `invalid:${faultKey}`, count).forEach((index, k) => {
    const u = dir.base(index);
    const first = u.firstname.toLowerCase();
    const last = u.lastname.toLowerCase();
    const uri =
      k % 3 === 0 ? `${first}@${u.firstname.toUpperCase()}@${last}@${u.lastname.toUpperCase()}@cisco` : k % 3 === 1 ? `${first} ${last}@${dir.opts.imDomain}` : '';
    out.set(index, { directoryuri: uri });
  });
  return out;
}

/**
 * Users of `target` that take the mail ID of users in `source` (another cluster), keeping their own
 * user ID and directory URI: duplicate mail IDs only (User Troubleshooter "unique Mail ID").
 */
export function mailOverrides(seed: number, faultKey: string, target: UserDirectory, source: UserDirectory, count: number): Map<number, Override> {
  const out = new Map<number, Override>();
  const used = new Set<number>();
  pickIndices(target, seed, `mail:${faultKey}`, count).forEach((index, k) => {
    let s = hash32(seed, 'mail-source', faultKey, k) % source.count;
    while (used.has(s)) s = (s + 1) % source.count;
    used.add(s);
    out.set(index, { mailid: source.user(s).mailid });
  });
  return out;
}

/**
 * Users of `target` whose directory URI becomes another user's IM address under the UserID scheme
 * (`<userid>@<default domain>` of a user of `source`): an IM address colliding with a directory URI
 * (userid-uri-troubleshooter.md §2.2 "Cross-namespace collision"). Mail IDs stay as they were.
 */
export function collisionOverrides(seed: number, faultKey: string, target: UserDirectory, source: UserDirectory, sourceDomain: string, count: number): Map<number, Override> {
  const out = new Map<number, Override>();
  const used = new Set<number>();
  pickIndices(target, seed, `collide:${faultKey}`, count).forEach((index, k) => {
    let s = hash32(seed, 'collide-source', faultKey, k) % source.count;
    while (used.has(s) || (source === target && s === index)) s = (s + 1) % source.count;
    used.add(s);
    out.set(index, { directoryuri: `${source.user(s).userid}@${sourceDomain}` });
  });
  return out;
}

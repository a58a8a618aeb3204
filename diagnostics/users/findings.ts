// The user checks' findings over the whole fleet (U1–U5 and the IM-address collision rule,
// reference/userid-uri-troubleshooter.md §3.2 and §6 A1–A6), computed once per run and shared by the
// six checks. Pure: a UserTable in, row numbers out. Each column is hashed once (the mail ID reuses
// the directory URI's hash when it is the same string, the IM address continues the user ID's).
import { foldedHash, groupsOf, hashFilter, repeatedHashes, sortedMembership, validUriHash } from './duplicates';
import { uriProblem } from './syntax';
import { IM_AS_URI, IM_AS_USERID, type UserTable } from './table';

export interface Collision {
  /** The colliding address as the first entry prints it. */
  value: string;
  /** Rows involved and which of their fields carries the value. */
  entries: Array<{ row: number; field: 'IM address' | 'Directory URI' | 'User ID' }>;
}

export interface UserFindings {
  /** U1: rows sharing a user ID (case-insensitive), grouped. */
  duplicateUserIds: number[][];
  /** U2: rows without a directory URI. */
  noUri: number[];
  /** U4: rows whose directory URI is not user@domain, with the reason. */
  invalidUri: Array<{ row: number; reason: string }>;
  /** U3: rows sharing a directory URI (case-insensitive, KO 15135), grouped. */
  duplicateUris: number[][];
  /** U5: rows sharing a mail ID (case-insensitive), grouped. */
  duplicateMail: number[][];
  /** IM address collisions (A6). */
  collisions: Collision[];
}

const FIELDS = ['IM address', 'Directory URI', 'User ID'] as const;

const trimmed = (s: string) => (s.length && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32) ? s.trim() : s);

/**
 * `directoryUriScheme(row)` says whether the row's cluster uses the Directory URI IM address scheme
 * (for Cisco's rule that a UPN user ID must then differ from the user's own directory URI).
 */
export function findUserProblems(t: UserTable, directoryUriScheme: (row: number) => boolean): UserFindings {
  const n = t.size;
  const noUri: number[] = [];
  const invalidUri: UserFindings['invalidUri'] = [];
  const uid = new Uint32Array(n);
  const uri = new Uint32Array(n);
  const mail = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    const id = t.userid[r];
    if (id) uid[r] = foldedHash(id) || 1;
    const u = trimmed(t.uri[r]);
    if (u === '') {
      noUri.push(r);
      continue;
    }
    let h = validUriHash(u);
    if (h === 0) {
      // The fast scan refuses non-ASCII too: the full rules decide.
      const why = uriProblem(u);
      if (why) invalidUri.push({ row: r, reason: why });
      else h = foldedHash(u) || 1;
    }
    uri[r] = h;
  }
  for (let r = 0; r < n; r++) {
    const m = t.mail[r];
    if (m === t.uri[r] && uri[r] !== 0) mail[r] = uri[r];
    else {
      const mt = trimmed(m);
      if (mt) mail[r] = foldedHash(mt) || 1;
    }
  }
  const duplicateUserIds = groupsOf(uid, repeatedHashes(uid), (r) => t.userid[r]);
  // Only valid URIs take part in uniqueness, as in `utils users validate all` (invalid ones are listed apart).
  const uriRepeats = repeatedHashes(uri);
  const duplicateUris = groupsOf(uri, uriRepeats, (r) => trimmed(t.uri[r]));
  const duplicateMail = groupsOf(mail, repeatedHashes(mail), (r) => trimmed(t.mail[r]));
  return { duplicateUserIds, noUri, invalidUri, duplicateUris, duplicateMail, collisions: findCollisions(t, uid, uri, uriRepeats.sorted, directoryUriScheme) };
}

/**
 * A6: "The UserID@Default_Domain IM address must be unique and cannot match existing IM addresses,
 * directory URIs, or UserIDs" (EN s2842) and the same for the directory URI (EN s2877). Entries are
 * each row's IM address (left out when it is the row's own directory URI: the Directory URI scheme),
 * its directory URI, and its user ID when that is in UPN form (only then can it equal an address).
 * A value shared by two rows in different roles is a collision; two rows sharing the same role are
 * U1/U3 duplicates and reported there. Under the Directory URI scheme a UPN user ID equal to the
 * user's own directory URI is a collision too (EN s2878).
 */
function findCollisions(t: UserTable, uid: Uint32Array, uri: Uint32Array, sortedUri: Uint32Array, directoryUriScheme: (row: number) => boolean): Collision[] {
  const n = t.size;
  // Role 0: the IM address, hashed unless it is the row's own directory URI.
  const im = new Uint32Array(n);
  const upn: number[] = [];
  for (let r = 0; r < n; r++) {
    const k = t.imKind[r];
    if (k === IM_AS_USERID && uid[r] !== 0) {
      // hash(userid + '@' + domain), continuing from the user ID's hash.
      im[r] = foldedHash(t.imDomains[t.imDomain[r]], foldedHash('@', uid[r])) || 1;
    } else if (k !== IM_AS_URI) {
      const a = t.imAddress(r);
      if (a && a.toLowerCase() !== trimmed(t.uri[r]).toLowerCase()) im[r] = foldedHash(a) || 1;
    }
    if (t.userid[r].includes('@')) upn.push(r);
  }
  // Hashes that two roles share: the only values worth comparing as strings. The IM addresses are
  // probed against the (already sorted) URI hashes rather than sorted themselves.
  const inUri = sortedMembership(sortedUri);
  const upnHashes = new Set(upn.map((r) => uid[r]));
  const wanted = new Set<number>();
  for (let r = 0; r < n; r++) {
    const h = im[r];
    if (h !== 0 && (inUri(h) || upnHashes.has(h))) wanted.add(h);
  }
  for (const h of upnHashes) if (inUri(h)) wanted.add(h);
  const out: Collision[] = [];
  if (wanted.size) {
    // Entry e = 3·row + role (0 IM address, 1 directory URI, 2 UPN user ID), for the wanted hashes only.
    const isWanted = hashFilter(wanted);
    const candidates = new Uint32Array(3 * n);
    for (let r = 0; r < n; r++) {
      if (isWanted(im[r])) candidates[3 * r] = im[r];
      if (isWanted(uri[r])) candidates[3 * r + 1] = uri[r];
    }
    for (const r of upn) if (isWanted(uid[r])) candidates[3 * r + 2] = uid[r];
    const text = (e: number): string => {
      const r = Math.floor(e / 3);
      const k = e - 3 * r;
      return k === 0 ? t.imAddress(r) : k === 1 ? trimmed(t.uri[r]) : t.userid[r];
    };
    for (const g of groupsOf(candidates, wanted, text)) {
      const rows = new Set(g.map((e) => Math.floor(e / 3)));
      const kinds = new Set(g.map((e) => e % 3));
      if (rows.size < 2 || kinds.size < 2) continue;
      out.push({ value: text(g[0]), entries: g.map((e) => ({ row: Math.floor(e / 3), field: FIELDS[e % 3] })) });
    }
  }
  // The same user's UPN user ID equal to its own directory URI, under the Directory URI scheme.
  for (let r = 0; r < n; r++) {
    if (uri[r] === 0 || uid[r] !== uri[r] || !t.userid[r].includes('@') || !directoryUriScheme(r)) continue;
    if (t.userid[r].toLowerCase() !== trimmed(t.uri[r]).toLowerCase()) continue;
    if (out.some((c) => c.entries.some((x) => x.row === r))) continue;
    out.push({ value: t.userid[r], entries: [{ row: r, field: 'Directory URI' }, { row: r, field: 'User ID' }] });
  }
  return out.sort((a, b) => a.entries[0].row - b.entries[0].row);
}

// The user checks' findings over the whole fleet (U1–U5 and the IM-address collision rule,
// reference/userid-uri-troubleshooter.md §3.2 and §6 A1–A6), computed once per run and shared by
// the six checks. Pure: a UserTable in, row numbers out.
import { equalGroups } from './duplicates';
import { uriProblem } from './syntax';
import type { UserTable } from './table';

export interface Collision {
  /** The colliding address as the first row prints it. */
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

/**
 * `directoryUriScheme(row)` says whether the row's cluster uses the Directory URI IM address scheme
 * (for Cisco's rule that a UPN user ID must then differ from the user's own directory URI).
 */
export function findUserProblems(t: UserTable, directoryUriScheme: (row: number) => boolean): UserFindings {
  const n = t.size;
  const noUri: number[] = [];
  const invalidUri: UserFindings['invalidUri'] = [];
  const validUri = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const uri = t.uri[r].trim();
    if (uri === '') {
      noUri.push(r);
      continue;
    }
    const why = uriProblem(uri);
    if (why) invalidUri.push({ row: r, reason: why });
    else validUri[r] = 1;
  }
  const duplicateUserIds = equalGroups(n, (r) => t.userid[r]);
  // Only valid URIs take part in uniqueness, as in `utils users validate all` (invalid ones are listed apart).
  const duplicateUris = equalGroups(n, (r) => (validUri[r] ? t.uri[r].trim() : undefined));
  const duplicateMail = equalGroups(n, (r) => t.mail[r].trim() || undefined);
  return { duplicateUserIds, noUri, invalidUri, duplicateUris, duplicateMail, collisions: findCollisions(t, directoryUriScheme) };
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
function findCollisions(t: UserTable, directoryUriScheme: (row: number) => boolean): Collision[] {
  const n = t.size;
  const text = (e: number): string | undefined => {
    const r = Math.floor(e / 3);
    const k = e - r * 3;
    if (k === 0) {
      const im = t.imAddress[r];
      return im && im.toLowerCase() !== t.uri[r].trim().toLowerCase() ? im : undefined;
    }
    if (k === 1) return t.uri[r].trim() || undefined;
    const id = t.userid[r];
    return id.includes('@') ? id : undefined;
  };
  const out: Collision[] = [];
  for (const g of equalGroups(3 * n, text)) {
    const rows = new Set(g.map((e) => Math.floor(e / 3)));
    const kinds = new Set(g.map((e) => e % 3));
    const sameUserUpn = rows.size === 1 && kinds.has(1) && kinds.has(2) && directoryUriScheme(g[0] === undefined ? 0 : Math.floor(g[0] / 3));
    if (!sameUserUpn && (rows.size < 2 || kinds.size < 2)) continue;
    out.push({ value: text(g[0])!, entries: g.map((e) => ({ row: Math.floor(e / 3), field: FIELDS[e % 3] })) });
  }
  return out;
}

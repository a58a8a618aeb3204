// `utils users validate all|userid|uri` (IM&P) — wire-formats.md §4.9 and
// userid-uri-troubleshooter.md §2.8. The Data Monitor checks every intercluster node, so the scan
// covers this cluster and its peers. Only users homed on an IM&P node are reported (the report is
// grouped by the node they are homed on). Comparison is case-insensitive (KO 15135).
import type { LabCluster, LabDeployment, LabUser } from '../../model';
import { stableHash } from './format';
import type { CliCommandSpec, CliContext, OutputStep } from './types';

// Rules as printed: 45 dashes, then 53; the last one has a trailing space in the original.
const RULE_45 = '-'.repeat(45);
const RULE_53 = '-'.repeat(53);

/** `user@domain`, exactly one @ and no blanks (userid-uri-troubleshooter.md §2.2). */
const VALID_URI = /^[^@\s]+@[^@\s]+$/;

interface Hit {
  node: string;
  userid: string;
  uri: string;
}

export interface ValidationReport {
  duplicateUserIds: Array<{ userid: string; nodes: string[] }>;
  noUri: Map<string, string[]>;
  invalidUri: Map<string, Array<{ userid: string; uri: string }>>;
  duplicateUris: Array<{ uri: string; hits: Array<{ node: string; userid: string }> }>;
}

function scope(lab: LabDeployment, cluster: LabCluster): LabCluster[] {
  const out = [cluster];
  for (const name of cluster.peers) {
    const peer = lab.cluster(name);
    if (peer && !out.includes(peer)) out.push(peer);
  }
  return out;
}

/** Users handled between two yields to the event loop (a few ms of work). */
const SCAN_SLICE = 2_000;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * (hash, index) pairs are packed into one float64 (53 bits): the index takes `indexBits`, the hash
 * the rest. A shorter hash only means more equal-hash runs whose strings are compared.
 */
interface Packing {
  indexBits: number;
  key(text: string, g: number): number;
}

function packing(total: number): Packing {
  const indexBits = Math.max(1, Math.ceil(Math.log2(total + 1)));
  const hashBits = Math.min(32, 53 - indexBits);
  return {
    indexBits,
    // Hash 0 marks "no key"; FNV of a non-empty string is rarely 0, and 1 is as good.
    key: (text, g) => ((stableHash(text) >>> (32 - hashBits)) || 1) * 2 ** indexBits + g,
  };
}

/**
 * Finds keys that occur more than once among `n` values without holding every string: sort
 * (hash, index) pairs packed in a Float64Array, then compare the strings of equal-hash runs only.
 */
function duplicates(keys: Float64Array, indexBits: number, text: (g: number) => string): number[][] {
  keys.sort();
  const groups: number[][] = [];
  const span = 2 ** indexBits;
  let i = 0;
  while (i < keys.length) {
    const h = Math.floor(keys[i] / span);
    let j = i + 1;
    while (j < keys.length && Math.floor(keys[j] / span) === h) j++;
    if (j - i > 1 && h !== 0) {
      const byText = new Map<string, number[]>();
      for (let k = i; k < j; k++) {
        const g = keys[k] % span;
        const t = text(g);
        const list = byText.get(t);
        if (list) list.push(g);
        else byText.set(t, [g]);
      }
      for (const list of byText.values()) if (list.length > 1) groups.push(list.sort((a, b) => a - b));
    }
    i = j;
  }
  return groups.sort((a, b) => a[0] - b[0]);
}

export async function validateUsers(lab: LabDeployment, cluster: LabCluster): Promise<ValidationReport> {
  const clusters = scope(lab, cluster);
  const offsets: number[] = [];
  let total = 0;
  for (const c of clusters) {
    offsets.push(total);
    total += c.users.count;
  }
  const pack = packing(total);
  const userAt = (g: number): LabUser => {
    let ci = offsets.length - 1;
    while (offsets[ci] > g) ci--;
    return clusters[ci].users.user(g - offsets[ci]);
  };
  const uidKeys: number[] = [];
  const uriKeys: number[] = [];
  const noUri = new Map<string, string[]>();
  const invalidUri = new Map<string, Array<{ userid: string; uri: string }>>();
  for (let ci = 0; ci < clusters.length; ci++) {
    const dir = clusters[ci].users;
    for (let i = 0; i < dir.count; i++) {
      if (i % SCAN_SLICE === SCAN_SLICE - 1) await yieldToLoop();
      const u = dir.user(i);
      if (u.homeNode === undefined) continue;
      const g = offsets[ci] + i;
      uidKeys.push(pack.key(u.userid.toLowerCase(), g));
      const uri = u.directoryuri.trim();
      if (uri === '') {
        const list = noUri.get(u.homeNode);
        if (list) list.push(u.userid);
        else noUri.set(u.homeNode, [u.userid]);
      } else if (!VALID_URI.test(uri)) {
        const list = invalidUri.get(u.homeNode);
        if (list) list.push({ userid: u.userid, uri });
        else invalidUri.set(u.homeNode, [{ userid: u.userid, uri }]);
      } else {
        uriKeys.push(pack.key(uri.toLowerCase(), g));
      }
    }
  }
  const hit = (g: number): Hit => {
    const u = userAt(g);
    return { node: u.homeNode ?? '', userid: u.userid, uri: u.directoryuri.trim() };
  };
  const dupIds = duplicates(Float64Array.from(uidKeys), pack.indexBits, (g) => userAt(g).userid.toLowerCase()).map((gs) => {
    const hits = gs.map(hit);
    return { userid: hits[0].userid, nodes: hits.map((h) => h.node) };
  });
  const dupUris = duplicates(Float64Array.from(uriKeys), pack.indexBits, (g) => userAt(g).directoryuri.trim().toLowerCase()).map((gs) => {
    const hits = gs.map(hit);
    return { uri: hits[0].uri, hits: hits.map((h) => ({ node: h.node, userid: h.userid })) };
  });
  return { duplicateUserIds: dupIds, noUri, invalidUri, duplicateUris: dupUris };
}

function userIdSection(r: ValidationReport): string[] {
  const lines = ['Users with Duplicate User IDs', RULE_45];
  for (const d of r.duplicateUserIds) lines.push(` User ID: ${d.userid}`, '  Node Name', ...d.nodes.map((n) => `  ${n}`));
  return lines;
}

function uriSections(r: ValidationReport): string[][] {
  const none = ['Users with No Directory URI Configured', RULE_53];
  for (const [node, ids] of r.noUri) none.push(` Node Name: ${node}`, ' User ID', ...ids.map((u) => ` ${u}`));
  const invalid = ['Users with Invalid Directory URI Configured', RULE_53];
  for (const [node, rows] of r.invalidUri) {
    const w = Math.max(10, ...rows.map((x) => x.userid.length + 2));
    invalid.push(` Node Name: ${node}`, ` ${'User ID'.padEnd(w)}Directory URI`, ...rows.map((x) => ` ${x.userid.padEnd(w)}${x.uri}`));
  }
  const dup = ['Users with Duplicate Directory URIs', `${RULE_53} `];
  for (const d of r.duplicateUris) {
    const w = Math.max(12, ...d.hits.map((h) => h.node.length + 2));
    dup.push(`Directory URI: ${d.uri}`, ` ${'Node Name'.padEnd(w)}User ID`, ...d.hits.map((h) => ` ${h.node.padEnd(w)}${h.userid}`));
  }
  return [none, invalid, dup];
}

export type ValidateScope = 'all' | 'userid' | 'uri';

export async function renderUsersValidate(ctx: CliContext, what: ValidateScope): Promise<string> {
  const report = await validateUsers(ctx.lab, ctx.node.cluster);
  const sections: string[][] = [];
  if (what !== 'uri') sections.push(userIdSection(report));
  if (what !== 'userid') sections.push(...uriSections(report));
  return sections.map((s) => s.join('\n')).join('\n\n') + '\n';
}

export const usersValidate: CliCommandSpec = {
  words: ['utils', 'users', 'validate'],
  products: ['imp'],
  run(ctx, args): OutputStep[] | undefined {
    if (args.length !== 1) return undefined;
    const what = args[0].toLowerCase();
    if (what !== 'all' && what !== 'userid' && what !== 'uri') return undefined;
    // The real command queries every intercluster node's database before it prints.
    return [{ delayMs: 500, text: () => renderUsersValidate(ctx, what) }];
  },
};

// `utils users validate all` on IM&P (reference/wire-formats.md §4.9): four sections, each a title
// and a rule of dashes. TechNote 217518 warns that the command sometimes prints nothing even when
// duplicates exist, so empty output is reported with `printedNothing: true` (not as a clean bill).
import { z } from 'zod';
import { checked } from './check';
import { expandTabs, inputName, readCli, type CliLine } from './cli-text';
import { RowProblems, unparsedSchema } from './problems';

const COMMAND = 'utils users validate all';

const line = z.number().int().positive();
export const usersValidateSchema = z.object({
  /** The command printed nothing at all; duplicates may still exist (TechNote 217518). */
  printedNothing: z.boolean(),
  /** Section titles that were printed, verbatim. */
  sections: z.array(z.string()),
  duplicateUserIds: z.array(z.object({ userId: z.string().min(1), nodes: z.array(z.string().min(1)).min(1), line })),
  noDirectoryUri: z.array(z.object({ node: z.string().min(1), userId: z.string().min(1), line })),
  invalidDirectoryUri: z.array(z.object({ node: z.string().min(1), userId: z.string().min(1), directoryUri: z.string(), line })),
  duplicateDirectoryUris: z.array(
    z.object({ directoryUri: z.string().min(1), users: z.array(z.object({ node: z.string().min(1), userId: z.string().min(1) })).min(1), line }),
  ),
  unparsed: z.array(unparsedSchema),
});
export type UsersValidate = z.infer<typeof usersValidateSchema>;

const SECTIONS = {
  'Users with Duplicate User IDs': 'duplicateUserIds',
  'Users with No Directory URI Configured': 'noDirectoryUri',
  'Users with Invalid Directory URI Configured': 'invalidDirectoryUri',
  'Users with Duplicate Directory URIs': 'duplicateDirectoryUris',
} as const;
type SectionKey = (typeof SECTIONS)[keyof typeof SECTIONS];

export function parseUsersValidate(text: string, source?: string): UsersValidate {
  const input = inputName(COMMAND, source);
  const lines = readCli(text, input, /utils\s+users\s+validate(?:\s+\S+)?/).filter((l) => l.text.trim() !== '');
  const out: UsersValidate = {
    printedNothing: lines.length === 0,
    sections: [],
    duplicateUserIds: [],
    noDirectoryUri: [],
    invalidDirectoryUri: [],
    duplicateDirectoryUris: [],
    unparsed: [],
  };
  const problems = new RowProblems();
  // Split into sections: a known title followed by a rule of dashes.
  const sections: Array<{ key: SectionKey; body: CliLine[] }> = [];
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].text.trim();
    const key = (SECTIONS as Record<string, SectionKey | undefined>)[t];
    if (key) {
      out.sections.push(t);
      sections.push({ key, body: [] });
      // The rule of dashes under the title (some documents drop it).
      if (/^-{3,}$/.test(lines[i + 1]?.text.trim() ?? '')) i++;
    } else if (!sections.length) {
      problems.add(lines[i].line, lines[i].text, `expected a "Users with …" section title, got "${t}"`);
    } else sections[sections.length - 1].body.push(lines[i]);
  }
  if (lines.length && !sections.length) throw problems.nothingRead(input, { line: lines[0].line, detail: 'no "Users with …" section in the output' });
  for (const s of sections) {
    if (s.key === 'duplicateUserIds') readDuplicateUserIds(s.body, out, problems);
    else if (s.key === 'noDirectoryUri') readNoUri(s.body, out, problems);
    else if (s.key === 'invalidDirectoryUri') readInvalidUri(s.body, out, problems);
    else readDuplicateUris(s.body, out, problems);
  }
  out.unparsed = problems.list();
  return checked(usersValidateSchema, out, input);
}

/** A section label cut short ("User I", "Node Nam"): never a node or user name, so it costs itself. */
function cutLabel(t: string, ...labels: string[]): boolean {
  return labels.some((l) => t.length <= l.length && l.startsWith(t) && t.length >= 1 && /^[A-Z]/.test(t));
}

function readDuplicateUserIds(body: CliLine[], out: UsersValidate, problems: RowProblems): void {
  let cur: UsersValidate['duplicateUserIds'][number] | undefined;
  for (const l of body) {
    const t = l.text.trim();
    const m = /^User ID:\s*(.+)$/.exec(t);
    if (m) {
      cur = { userId: m[1].trim(), nodes: [], line: l.line };
      out.duplicateUserIds.push(cur);
    } else if (!cur) problems.add(l.line, l.text, `expected "User ID: <id>", got "${t}"`);
    else if (t === 'Node Name' && !cur.nodes.length) continue;
    else if (cutLabel(t, 'User ID:', 'Node Name')) {
      problems.add(l.line, l.text, `line cut short: "${t}" (truncated output?)`);
      cur = undefined;
    }
    else cur.nodes.push(t);
  }
  const empty = out.duplicateUserIds.filter((d) => !d.nodes.length);
  for (const d of empty) problems.add(d.line, ` User ID: ${d.userId}`, `duplicate user ${d.userId} lists no node (truncated output?)`);
  out.duplicateUserIds = out.duplicateUserIds.filter((d) => d.nodes.length);
}

function readNoUri(body: CliLine[], out: UsersValidate, problems: RowProblems): void {
  let node: string | undefined;
  let nodeLine = 0;
  let count = 0;
  const close = () => {
    if (node !== undefined && count === 0) problems.add(nodeLine, ` Node Name: ${node}`, `node ${node} lists no user (truncated output?)`);
  };
  for (const l of body) {
    const t = l.text.trim();
    const m = /^Node Name:\s*(.+)$/.exec(t);
    if (m) {
      close();
      node = m[1].trim();
      nodeLine = l.line;
      count = 0;
    } else if (node === undefined) problems.add(l.line, l.text, `expected "Node Name: <node>", got "${t}"`);
    else if (t === 'User ID' && count === 0) continue;
    else if (cutLabel(t, 'Node Name:', 'User ID')) {
      problems.add(l.line, l.text, `line cut short: "${t}" (truncated output?)`);
      if ('Node Name:'.startsWith(t)) node = undefined;
    }
    else {
      out.noDirectoryUri.push({ node, userId: t, line: l.line });
      count++;
    }
  }
  close();
}

function readInvalidUri(body: CliLine[], out: UsersValidate, problems: RowProblems): void {
  let node: string | undefined;
  let uriCol: number | undefined;
  for (const l of body) {
    const t = l.text.trim();
    const m = /^Node Name:\s*(.+)$/.exec(t);
    if (m) {
      node = m[1].trim();
      uriCol = undefined;
      continue;
    }
    if (node === undefined) {
      problems.add(l.line, l.text, `expected "Node Name: <node>", got "${t}"`);
      continue;
    }
    const row = expandTabs(l.text);
    const h = /^(\s*)User ID\s+(Directory URI)\s*$/.exec(row);
    if (h) {
      uriCol = row.indexOf('Directory URI');
      continue;
    }
    if (uriCol === undefined) {
      problems.add(l.line, l.text, 'invalid-URI rows before their "User ID   Directory URI" header');
      continue;
    }
    // By the header: the URI starts at its column when the row lines up, else after the first gap.
    let userId: string;
    let uri: string;
    if (row.length > uriCol && /\s/.test(row[uriCol - 1]) && !/\s/.test(row[uriCol]) && row.slice(0, uriCol).trim()) {
      userId = row.slice(0, uriCol).trim();
      uri = row.slice(uriCol).trim();
    } else {
      const parts = /^\s*(\S+)\s+(.+)$/.exec(row);
      if (!parts) {
        problems.add(l.line, l.text, `row "${t}" lacks the Directory URI column`);
        continue;
      }
      userId = parts[1];
      uri = parts[2].trim();
    }
    out.invalidDirectoryUri.push({ node, userId, directoryUri: uri, line: l.line });
  }
}

function readDuplicateUris(body: CliLine[], out: UsersValidate, problems: RowProblems): void {
  let cur: UsersValidate['duplicateDirectoryUris'][number] | undefined;
  for (const l of body) {
    const t = l.text.trim();
    const m = /^Directory URI:\s*(.+)$/.exec(t);
    if (m) {
      cur = { directoryUri: m[1].trim(), users: [], line: l.line };
      out.duplicateDirectoryUris.push(cur);
      continue;
    }
    if (!cur) {
      problems.add(l.line, l.text, `expected "Directory URI: <uri>", got "${t}"`);
      continue;
    }
    if (cutLabel(t, 'Directory URI:', 'Node Name')) {
      problems.add(l.line, l.text, `line cut short: "${t}" (truncated output?)`);
      if ('Directory URI:'.startsWith(t)) cur = undefined;
      continue;
    }
    if (/^Node Name\s+User ID$/.test(t)) continue;
    const r = /^(\S+)\s+(.+)$/.exec(t);
    if (!r) {
      problems.add(l.line, l.text, `row "${t}" lacks the User ID column`);
      continue;
    }
    cur.users.push({ node: r[1], userId: r[2].trim() });
  }
  for (const d of out.duplicateDirectoryUris) if (!d.users.length) problems.add(d.line, `Directory URI: ${d.directoryUri}`, `duplicate URI ${d.directoryUri} lists no user (truncated output?)`);
  out.duplicateDirectoryUris = out.duplicateDirectoryUris.filter((d) => d.users.length);
}

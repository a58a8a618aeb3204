// `show network cluster` (reference/wire-formats.md §4.10): one line per node,
// `IP FQDN host Publisher|Subscriber product DBrole auth [using TCP since …]`, and on newer releases a
// `Server Table (processnode) Entries` section listing the processnode names.
import { z } from 'zod';
import { checked } from './check';
import { inputName, readCli, splitBefore } from './cli-text';
import { RowProblems, unparsedSchema } from './problems';

const COMMAND = 'show network cluster';

export const networkClusterSchema = z.object({
  nodes: z
    .array(
      z.object({
        ip: z.string().min(1),
        fqdn: z.string().min(1),
        /** Host name as printed (third column). */
        hostname: z.string().min(1),
        role: z.enum(['Publisher', 'Subscriber']),
        /** "callmanager" or "cups", as printed. */
        product: z.string().min(1),
        /** "DBPub" / "DBSub", as printed. */
        dbRole: z.string().min(1),
        authenticated: z.boolean(),
        /** The status text after the DB role, verbatim (e.g. "authenticated using TCP since …"). */
        status: z.string(),
        /** The date after "using TCP since", verbatim. */
        since: z.string().nullable(),
        line: z.number().int().positive(),
      }),
    )
    .min(1),
  /** Names under `Server Table (processnode) Entries`; null when the section is not printed. */
  processNodes: z.array(z.string()).nullable(),
  /** `Successful` printed at the end. */
  successful: z.boolean(),
  unparsed: z.array(unparsedSchema),
});
export type NetworkCluster = z.infer<typeof networkClusterSchema>;

const ROW = /^(\S+)\s+(\S+)\s+(\S+)\s+(Publisher|Subscriber)\s+(\S+)\s+(\S+)\s+(.+)$/i;

export function parseNetworkCluster(text: string, source?: string): NetworkCluster {
  const input = inputName(COMMAND, source);
  // Documents that lost the line breaks: a row starts at an address followed by FQDN, host and role.
  const lines = splitBefore(
    readCli(text, input, /show\s+network\s+cluster/),
    /(?<=\s)(?:[0-9a-fA-F.:]+\s+\S+\s+\S+\s+(?:Publisher|Subscriber)\b|Server Table \(processnode\) Entries|-{5,}|Successful\b)/g,
  );
  const problems = new RowProblems();
  const nodes: NetworkCluster['nodes'] = [];
  let processNodes: string[] | null = null;
  let successful = false;
  let inTable = false;
  for (const { text: raw, line } of lines) {
    const t = raw.trim();
    if (!t) continue;
    if (/^Server Table \(processnode\) Entries$/i.test(t)) {
      processNodes = [];
      inTable = true;
      continue;
    }
    if (/^-{3,}(\s|$)/.test(t)) {
      const rest = t.replace(/^-+\s*/, '');
      if (!rest) continue;
      if (inTable && processNodes) processNodes.push(...rest.split(/\s+/));
      continue;
    }
    if (t === 'Successful') {
      successful = true;
      inTable = false;
      continue;
    }
    if (inTable && processNodes) {
      // One name per line; a document that collapsed the lines lists them space-separated.
      processNodes.push(...t.split(/\s+/));
      continue;
    }
    const m = ROW.exec(t);
    if (!m) {
      problems.add(line, raw, `expected "IP FQDN host Publisher|Subscriber product DB-role status", got "${t}"`);
      continue;
    }
    const status = m[7].trim();
    const role = m[4].toLowerCase() === 'publisher' ? 'Publisher' : 'Subscriber';
    const since = /\busing \S+ since (.+)$/.exec(status);
    nodes.push({
      ip: m[1],
      fqdn: m[2],
      hostname: m[3],
      role,
      product: m[5],
      dbRole: m[6],
      authenticated: /^authenticated\b/i.test(status),
      status,
      since: since ? since[1] : null,
      line,
    });
  }
  if (!nodes.length) throw problems.nothingRead(input, { line: lines[lines.length - 1]?.line, detail: 'no node lines in the output' });
  return checked(networkClusterSchema, { nodes, processNodes, successful, unparsed: problems.list() }, input);
}

// `utils service list` (reference/wire-formats.md §4.5). Two groups: platform services (printed
// before `Service Manager is running`, with a space before the bracket) and application services
// (after `>> Return code = 0`, no space). Stopped lines carry a reason after the bracket
// ("Service Not Activated", "Commanded Out of Service", …), verbatim.
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { inputName, readCli, splitBefore } from './cli-text';
import { RowProblems, unparsedSchema } from './problems';

const COMMAND = 'utils service list';

export const SERVICE_LIST_STATUSES = ['STARTED', 'STOPPED', 'STARTING', 'STOPPING', 'NOT STARTED', 'UNKNOWN'] as const;

export const serviceEntrySchema = z.object({
  /** Service name as printed, e.g. "Cisco XCP Router". */
  name: z.string().min(1),
  status: z.enum(SERVICE_LIST_STATUSES),
  /** Text after the bracket, e.g. "Service Not Activated"; null when none. */
  reason: z.string().nullable(),
  group: z.enum(['platform', 'application']),
  line: z.number().int().positive(),
});

export const serviceListSchema = z.object({
  services: z.array(serviceEntrySchema).min(1),
  /** `Service Manager is running` (true), `… is not running` (false), absent (null). */
  serviceManagerRunning: z.boolean().nullable(),
  /** `>> Return code = N`. */
  returnCode: z.number().int().nullable(),
  /** `Primary Node =true|false`. */
  primaryNode: z.boolean().nullable(),
  /** `Command successful` printed at the end. */
  commandSuccessful: z.boolean(),
  /** Neither `Primary Node =` nor `Command successful` was printed: the list may be cut short, so a
   * service missing from it is unknown, not absent. */
  truncated: z.boolean(),
  unparsed: z.array(unparsedSchema),
});
export type ServiceList = z.infer<typeof serviceListSchema>;
export type ServiceEntry = z.infer<typeof serviceEntrySchema>;

const SERVICE = /^(.+?)\s*\[\s*(STARTED|STOPPED|STARTING|STOPPING|NOT STARTED|UNKNOWN)\s*\]\s*(.*)$/i;
/** Where a flattened document (line breaks lost) starts a new record: after a status bracket and its reason. */
const REASONS = 'Service Not Activated|Service Activated|Commanded Out of Service|Component is not running|Operation timed-out|Dependencies still pending';
const RECORD_END = new RegExp(
  `(?<=\\[\\s*(?:STARTED|STOPPED|STARTING|STOPPING|NOT STARTED|UNKNOWN)\\s*\\](?:\\s+(?:${REASONS}))?)\\s+(?!(?:${REASONS})\\b)(?=\\S)|\\s+(?=Service Manager is (?:not )?running|Getting list of all services|>>\\s*Return code|Primary Node\\s*=|Command successful)`,
  'gi',
);

export function parseServiceList(text: string, source?: string): ServiceList {
  const input = inputName(COMMAND, source);
  // Only a line with two status brackets, or one and a section phrase, can hold several records.
  const several = (t: string) => {
    const first = t.indexOf('[');
    return first >= 0 && (t.indexOf('[', first + 1) >= 0 || /Service Manager is|>>\s*Return code|Primary Node\s*=|Command successful|Getting list of/i.test(t));
  };
  const lines = splitBefore(readCli(text, input, /utils\s+service\s+list(?:\s+page)?/), RECORD_END, several);
  const problems = new RowProblems();
  const services: ServiceEntry[] = [];
  let group: 'platform' | 'application' = 'platform';
  let serviceManagerRunning: boolean | null = null;
  let returnCode: number | null = null;
  let primaryNode: boolean | null = null;
  let commandSuccessful = false;
  for (const { text: raw, line } of lines) {
    const t = raw.trim();
    if (!t || /^Requesting service status, please wait/i.test(t) || /^Getting list of all services$/i.test(t)) continue;
    let m: RegExpExecArray | null;
    if ((m = /^Service Manager is (not )?running$/i.exec(t))) {
      serviceManagerRunning = !m[1];
      group = 'application';
    } else if ((m = /^>>\s*Return code\s*=\s*(-?\d+)$/i.exec(t))) {
      returnCode = Number(m[1]);
      group = 'application';
    } else if ((m = /^Primary Node\s*=\s*(true|false)$/i.exec(t))) primaryNode = m[1].toLowerCase() === 'true';
    else if (/^Command successful$/i.test(t)) commandSuccessful = true;
    else if ((m = SERVICE.exec(t))) {
      if (commandSuccessful || primaryNode !== null) problems.add(line, raw, `service line after the end of the list: "${t}"`);
      else services.push({ name: m[1].trim(), status: m[2].toUpperCase().replace(/\s+/g, ' ') as ServiceEntry['status'], reason: m[3].trim() || null, group, line });
    } else problems.add(line, raw, /\[/.test(t) ? `status bracket not closed or not a known status (truncated output?): "${t}"` : `not a service status line: "${t}"`);
  }
  if (!services.length) throw problems.nothingRead(input, { line: lines[lines.length - 1]?.line, detail: 'no service lines in the output' });
  return checked(
    serviceListSchema,
    { services, serviceManagerRunning, returnCode, primaryNode, commandSuccessful, truncated: primaryNode === null && !commandSuccessful, unparsed: problems.list() },
    input,
  );
}

// `utils service list` (reference/wire-formats.md §4.5). Two groups: platform services (printed
// before `Service Manager is running`, with a space before the bracket) and application services
// (after `>> Return code = 0`, no space). Stopped lines carry a reason after the bracket
// ("Service Not Activated", "Commanded Out of Service", …), verbatim.
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { inputName, readCli } from './cli-text';

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
});
export type ServiceList = z.infer<typeof serviceListSchema>;
export type ServiceEntry = z.infer<typeof serviceEntrySchema>;

const SERVICE = /^(.+?)\s*\[\s*(STARTED|STOPPED|STARTING|STOPPING|NOT STARTED|UNKNOWN)\s*\]\s*(.*)$/;

export function parseServiceList(text: string, source?: string): ServiceList {
  const input = inputName(COMMAND, source);
  const lines = readCli(text, input, /utils\s+service\s+list/);
  const services: ServiceEntry[] = [];
  let group: 'platform' | 'application' = 'platform';
  let serviceManagerRunning: boolean | null = null;
  let returnCode: number | null = null;
  let primaryNode: boolean | null = null;
  let commandSuccessful = false;
  for (const { text: raw, line } of lines) {
    const t = raw.trim();
    if (!t || /^Requesting service status, please wait/.test(t) || t === 'Getting list of all services') continue;
    let m: RegExpExecArray | null;
    if ((m = /^Service Manager is (not )?running$/.exec(t))) {
      serviceManagerRunning = !m[1];
      group = 'application';
    } else if ((m = /^>>\s*Return code\s*=\s*(-?\d+)$/.exec(t))) {
      returnCode = Number(m[1]);
      group = 'application';
    } else if ((m = /^Primary Node\s*=\s*(true|false)$/i.exec(t))) primaryNode = m[1].toLowerCase() === 'true';
    else if (t === 'Command successful') commandSuccessful = true;
    else if ((m = SERVICE.exec(t))) {
      if (commandSuccessful || primaryNode !== null) throw new ParseError(input, line, `service line after the end of the list: "${t}"`);
      services.push({ name: m[1], status: m[2] as ServiceEntry['status'], reason: m[3].trim() || null, group, line });
    } else throw new ParseError(input, line, `not a service status line: "${t}"`);
  }
  if (!services.length) throw new ParseError(input, lines[lines.length - 1]?.line, 'no service lines in the output');
  return checked(serviceListSchema, { services, serviceManagerRunning, returnCode, primaryNode, commandSuccessful, truncated: primaryNode === null && !commandSuccessful }, input);
}

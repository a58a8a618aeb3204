// ControlCenterServices soapGetServiceStatus response (reference/wire-formats.md §2.2, §2.4, §2.5).
// ServiceInformation fields are all nillable; UpTime -1 means "not started"; ReasonCode -1 is
// "Successful", -1068 "Service Not Activated", -1069 "Commanded Out of Service".
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { elementLine } from './perfmon';
import { RowProblems, unparsedSchema } from './problems';
import { child, children, responseElement, strictInt, textOf } from './xml';

export const SERVICE_STATUSES = ['Started', 'Stopped', 'Starting', 'Stopping', 'Unknown'] as const;

export const serviceStatusSchema = z.object({
  /** Response-level ReturnCode as printed ("0" = the query succeeded); null when nil. */
  returnCode: z.string().nullable(),
  reasonCode: z.number().int().nullable(),
  reasonString: z.string().nullable(),
  services: z.array(
    z.object({
      /** ServiceName as returned, e.g. "Cisco XCP Router". */
      name: z.string().min(1),
      status: z.enum(SERVICE_STATUSES).nullable(),
      reasonCode: z.number().int().nullable(),
      /** ReasonCodeString, trimmed; null when nil or blank. */
      reasonCodeString: z.string().nullable(),
      /** StartTime verbatim (its format is not documented); null when nil or blank. */
      startTime: z.string().nullable(),
      /** UpTime in seconds; null when nil or -1 (not started). */
      upTimeSeconds: z.number().int().nonnegative().nullable(),
    }),
  ),
  /** ServiceInfoList items that could not be read (the other services are kept). */
  unparsed: z.array(unparsedSchema),
});
export type ServiceStatusResponse = z.infer<typeof serviceStatusSchema>;

function optText(node: unknown, name: string, input: string, what: string): string | null {
  const v = child(node, name);
  if (v === undefined) return null;
  if (Array.isArray(v)) throw new ParseError(input, undefined, `${what}: <${name}> appears ${v.length} times`);
  const t = textOf(v, input, `${what}/${name}`);
  return t === null || t.trim() === '' ? null : t.trim();
}

export function parseServiceStatus(xml: string, source?: string): ServiceStatusResponse {
  const input = source ? `soapGetServiceStatus response (${source})` : 'soapGetServiceStatus response';
  const { node } = responseElement(xml, 'soapGetServiceStatusResponse', input);
  const rets = children(node, 'soapGetServiceStatusReturn');
  if (rets.length !== 1) throw new ParseError(input, undefined, `expected one soapGetServiceStatusReturn, found ${rets.length}`);
  const ret = rets[0];
  const rc = optText(ret, 'ReasonCode', input, 'soapGetServiceStatusReturn');
  const list = child(ret, 'ServiceInfoList');
  const problems = new RowProblems();
  const items = list === undefined ? [] : children(list, 'item');
  const services = items.flatMap((item, k) => {
    const what = `ServiceInfoList/item #${k + 1}`;
    try {
      return [readItem(item, what)];
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      // Name the item's line and service, so the operator can find it in the response.
      let nameText: string | null = null;
      try {
        nameText = optText(item, 'ServiceName', input, what);
      } catch {
        // the name itself is what could not be read
      }
      problems.add(elementLine(xml, 'item', k), `item ${k + 1}${nameText ? `: ${nameText}` : ''}`, err.detail);
      return [];
    }
  });
  function readItem(item: unknown, what: string) {
    const name = optText(item, 'ServiceName', input, what);
    if (!name) throw new ParseError(input, undefined, `${what}: no ServiceName`);
    const status = optText(item, 'ServiceStatus', input, what);
    if (status !== null && !(SERVICE_STATUSES as readonly string[]).includes(status)) {
      throw new ParseError(input, undefined, `${name}: ServiceStatus "${status}" is not one of ${SERVICE_STATUSES.join('|')}`);
    }
    const reason = optText(item, 'ReasonCode', input, what);
    const up = optText(item, 'UpTime', input, what);
    const upTime = up === null ? null : strictInt(up, input, `${name} UpTime`);
    return {
      name,
      status: status as (typeof SERVICE_STATUSES)[number] | null,
      reasonCode: reason === null ? null : strictInt(reason, input, `${name} ReasonCode`),
      reasonCodeString: optText(item, 'ReasonCodeString', input, what),
      startTime: optText(item, 'StartTime', input, what),
      upTimeSeconds: upTime === null || upTime < 0 ? null : upTime,
    };
  }
  if (!services.length && problems.count) throw problems.nothingRead(input, { detail: 'no readable service' });
  const unparsed = problems.list();
  return checked(
    serviceStatusSchema,
    {
      returnCode: optText(ret, 'ReturnCode', input, 'soapGetServiceStatusReturn'),
      reasonCode: rc === null ? null : strictInt(rc, input, 'ReasonCode'),
      reasonString: optText(ret, 'ReasonString', input, 'soapGetServiceStatusReturn'),
      services,
      unparsed,
    },
    input,
  );
}

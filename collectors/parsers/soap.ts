// SOAP faults (reference/wire-formats.md §0, §1.7): HTTP 500 with
// `<soapenv:Fault><faultcode>…</faultcode><faultstring>…</faultstring><detail/>`. The PerfMon rate
// limit is recognised by `RateControl` in the faultcode (ns1:Server.RateControl, reconstructed) or the
// "Exceeded allowed rate" wording that clients have captured.
import { z } from 'zod';
import { checked } from './check';
import { isRateControl, one, parseXml, readFault, soapBody, type SoapFault } from './xml';

export type { SoapFault };

export const soapFaultSchema = z.object({ faultcode: z.string(), faultstring: z.string(), detail: z.string().optional() });

/**
 * The Fault of a SOAP response, or undefined when the envelope carries no Fault. A body that is not
 * a SOAP envelope (e.g. the HTML page of a 401) or not well-formed XML is a ParseError.
 */
export function parseSoapFault(xml: string, source?: string): SoapFault | undefined {
  const input = source ? `SOAP fault (${source})` : 'SOAP fault';
  const body = soapBody(parseXml(xml, input), input);
  if (body.Fault === undefined) return undefined;
  return checked(soapFaultSchema, readFault(one(body, 'Fault', input), input), input);
}

export function isRateControlFault(fault: SoapFault): boolean {
  return isRateControl(fault);
}

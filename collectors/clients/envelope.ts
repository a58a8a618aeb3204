// SOAP 1.1 request envelopes as working clients send them (reference/wire-formats.md §1.4, §2.3, §3.3).

export const SOAPENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
/** Serviceability namespace (PerfMon, Control Center), bound to `soap:` in requests. */
export const SERVICEABILITY_NS = 'http://schemas.cisco.com/ast/soap';

/** Escapes text content and attribute values. Counter paths keep their backslashes verbatim (§1.6). */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Envelope with `soapenv:` and one extra namespace prefix (`soap` for Serviceability, `ns` for AXL). */
export function envelope(prefix: string, namespace: string, bodyXml: string): string {
  return (
    `<soapenv:Envelope xmlns:soapenv="${SOAPENV_NS}" xmlns:${prefix}="${namespace}">` +
    `<soapenv:Header/><soapenv:Body>${bodyXml}</soapenv:Body></soapenv:Envelope>`
  );
}

export function serviceabilityEnvelope(bodyXml: string): string {
  return envelope('soap', SERVICEABILITY_NS, bodyXml);
}

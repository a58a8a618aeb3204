// Response serialisation as Axis2 on CUCM/IM&P writes it (wire-formats §0, §1.5, §1.7):
// single-quoted XML declaration, soapenv: envelope, ns1:-qualified children, no whitespace.
import { escapeText } from './xml';

export const SOAPENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const AST_NS = 'http://schemas.cisco.com/ast/soap';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

export const XML_DECL = "<?xml version='1.0' encoding='UTF-8'?>";

export function envelope(bodyXml: string, declaration = XML_DECL): string {
  return `${declaration}<soapenv:Envelope xmlns:soapenv="${SOAPENV_NS}"><soapenv:Body>${bodyXml}</soapenv:Body></soapenv:Envelope>`;
}

/** `<ns1:name>text</ns1:name>` with escaped text. */
export function ns1(name: string, textContent: string | number | boolean): string {
  return `<ns1:${name}>${escapeText(String(textContent))}</ns1:${name}>`;
}

/** A nil element as the WSDL's nillable fields come back (wire-formats §2.4, [RECONSTRUCTED]). */
export function ns1Nil(name: string): string {
  return `<ns1:${name} xsi:nil="true" xmlns:xsi="${XSI_NS}"/>`;
}

/** A Serviceability operation response element: `<ns1:opResponse xmlns:ns1=…>inner</ns1:opResponse>`. */
export function ns1Response(operation: string, inner: string): string {
  return `<ns1:${operation}Response xmlns:ns1="${AST_NS}">${inner}</ns1:${operation}Response>`;
}

export interface FaultSpec {
  /** e.g. "soapenv:Server", "soapenv:Client", "ns1:Server.RateControl". */
  faultcode: string;
  faultstring: string;
  /** Raw XML inside <detail>; undefined → `<detail />` as in the [WIRE] capture of §1.7. */
  detailXml?: string;
  /** Extra attributes on <faultcode>, e.g. the ns1 declaration for ns1:Server.RateControl. */
  faultcodeAttrs?: string;
}

export function faultXml(f: FaultSpec): string {
  const code = `<faultcode${f.faultcodeAttrs ? ` ${f.faultcodeAttrs}` : ''}>${escapeText(f.faultcode)}</faultcode>`;
  const detail = f.detailXml === undefined ? '<detail />' : `<detail>${f.detailXml}</detail>`;
  return `<soapenv:Fault>${code}<faultstring>${escapeText(f.faultstring)}</faultstring>${detail}</soapenv:Fault>`;
}

export function faultEnvelope(f: FaultSpec, declaration = XML_DECL): string {
  return envelope(faultXml(f), declaration);
}

/** soapenv:Server fault with an empty detail, the form of every [WIRE] PerfMon fault. */
export function serverFault(faultstring: string): FaultSpec {
  return { faultcode: 'soapenv:Server', faultstring };
}

/** soapenv:Client fault: the request itself was not understood. */
export function clientFault(faultstring: string): FaultSpec {
  return { faultcode: 'soapenv:Client', faultstring };
}

/** What a service handler answers; the server adds headers, faults and delays. */
export interface SoapReply {
  status: number;
  body: string;
}

export function okReply(responseXml: string, declaration = XML_DECL): SoapReply {
  return { status: 200, body: envelope(responseXml, declaration) };
}

/** SOAP faults are HTTP 500 (wire-formats §0). */
export function faultReply(f: FaultSpec, declaration = XML_DECL): SoapReply {
  return { status: 500, body: faultEnvelope(f, declaration) };
}

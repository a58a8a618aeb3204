// AXL (wire-formats §3) on a publisher: executeSQLQuery over the lab's tables, getCCMVersion,
// the SOAPAction/namespace version check, one query at a time, and the 8 MB response limit.
// Responses: `ns:` root declaring the AXL namespace, unqualified `return`/`row`, the `sequence`
// attribute echoed, and the lower-case `encoding='utf-8'` declaration of the [WIRE] capture (§3.3).
import type { LabDeployment, LabNode } from '../../model';
import { envelope, faultEnvelope, type FaultSpec, type SoapReply } from '../soap';
import { attribute, childText, escapeXml, SoapRequestError, type SoapRequest } from '../xml';
import { SqlError } from './sql-error';
import { executeSql, ResultTooLarge } from './sql-execute';

export const AXL_XML_DECL = "<?xml version='1.0' encoding='utf-8'?>";
const NS_PATTERN = /^http:\/\/www\.cisco\.com\/AXL\/API\/(\d+\.\d+)$/;
const ACTION_PATTERN = /^"?CUCM:DB ver=(\d+\.\d+)(?:\s+(\w+))?"?$/;

/** axlError fault (§3.6): soapenv:Server, the message twice, the request name. */
export function axlFault(message: string, code: number, request: string, faultcode = 'soapenv:Server'): SoapReply {
  const detailXml = `<axlError><axlcode>${code}</axlcode><axlmessage>${escapeXml(message)}</axlmessage><request>${escapeXml(request)}</request></axlError>`;
  const f: FaultSpec = { faultcode, faultstring: message, detailXml };
  return { status: 500, body: faultEnvelope(f, AXL_XML_DECL) };
}

export const MEMORY_FAULT_TEXT = 'Maximum AXL Memory Allocation Consumed. Please retry once requests in progress have completed';

export class AxlService {
  /** One query at a time per publisher (§3.6); the server holds this until the response is written. */
  busy = false;

  constructor(
    private readonly node: LabNode,
    private readonly lab: LabDeployment,
  ) {}

  /** The fault a second, concurrent request gets while `busy`. */
  memoryFault(operation: string): SoapReply {
    return axlFault(MEMORY_FAULT_TEXT, -1, operation);
  }

  async handle(req: SoapRequest, soapAction: string | undefined): Promise<SoapReply> {
    const nsMatch = NS_PATTERN.exec(req.namespace);
    if (!nsMatch) {
      throw new SoapRequestError(`${req.operation}: the operation element must be in the namespace http://www.cisco.com/AXL/API/<version>, got '${req.namespace}'`);
    }
    const version = nsMatch[1];
    // Without SOAPAction the namespace alone decides (the oldest schema when it is 1.0, §3.1).
    if (soapAction !== undefined && soapAction.trim() !== '' && soapAction.trim() !== '""') {
      const a = ACTION_PATTERN.exec(soapAction.trim());
      // The exact wording of CUCM's mismatch fault is [NOT FOUND] (§7); this names both versions.
      if (!a) return axlFault(`Invalid SOAPAction header ${soapAction}: expected "CUCM:DB ver=${version} ${req.operation}"`, -1, req.operation, 'soapenv:Client');
      if (a[1] !== version) {
        return axlFault(
          `Version mismatch: SOAPAction requests AXL version ${a[1]} but the request namespace is version ${version}`,
          -1,
          req.operation,
          'soapenv:Client',
        );
      }
      if (a[2] !== undefined && a[2] !== req.operation) {
        return axlFault(`SOAPAction operation ${a[2]} does not match the request element ${req.operation}`, -1, req.operation, 'soapenv:Client');
      }
    }
    const major = Number(version.split('.')[0]);
    const clusterMajor = Number(this.node.cluster.version.split('.')[0]);
    if (major > clusterMajor) {
      return axlFault(`AXL version ${version} is not supported by this server (${this.node.cluster.version})`, -1, req.operation, 'soapenv:Client');
    }
    const ns = `http://www.cisco.com/AXL/API/${version}`;
    const sequence = attribute(req.payload, 'sequence');
    const open = (op: string) => `<ns:${op}Response${sequence !== undefined ? ` sequence="${escapeXml(sequence)}"` : ''} xmlns:ns="${ns}">`;
    switch (req.operation) {
      case 'executeSQLQuery': {
        const sql = childText(req.payload, 'sql');
        if (sql === undefined || sql.trim() === '') throw new SoapRequestError('executeSQLQuery: the sql element is required');
        try {
          const r = await executeSql(sql, { cluster: this.node.cluster, lab: this.lab, maxBytes: this.lab.settings.axlMaxResponseBytes });
          const ret = r.rows === 0 ? '<return/>' : `<return>${r.rowsXml}</return>`;
          return { status: 200, body: envelope(`${open('executeSQLQuery')}${ret}</ns:executeSQLQueryResponse>`, AXL_XML_DECL) };
        } catch (e) {
          if (e instanceof ResultTooLarge) return axlFault(e.message, -1, 'executeSQLQuery');
          if (e instanceof SqlError) return axlFault(e.message, e.code, 'executeSQLQuery');
          throw e;
        }
      }
      case 'getCCMVersion': {
        const v = `<return><componentVersion><version>${escapeXml(this.node.cluster.version)}</version></componentVersion></return>`;
        return { status: 200, body: envelope(`${open('getCCMVersion')}${v}</ns:getCCMVersionResponse>`, AXL_XML_DECL) };
      }
      default:
        throw new SoapRequestError(`Operation ${req.operation} is not supported by the lab's AXL (executeSQLQuery, getCCMVersion)`);
    }
  }
}

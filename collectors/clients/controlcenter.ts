// Control Center Services (reference/wire-formats.md §2) for one node. Each node reports only its
// own services, so every CUCM and IM&P node is asked separately (§2.1).
//
//   const cc = new ControlCenterClient(transport);
//   const { services } = await cc.getServiceStatus();                  // all services
//   await cc.getServiceStatus(['Cisco XCP Router', 'Cisco Presence Engine']);
import { parseServiceStatus } from '../parsers/controlcenter';
import { serviceabilityEnvelope, xmlEscape } from './envelope';
import type { SoapTransport } from './http';

export const CONTROLCENTER_PATH = '/controlcenterservice2/services/ControlCenterServices';

/** Parsed soapGetServiceStatus answer: ReturnCode plus one entry per service. */
export type ServiceStatusResult = ReturnType<typeof parseServiceStatus>;

export class ControlCenterClient {
  constructor(readonly transport: SoapTransport) {}

  /**
   * soapGetServiceStatus: one request. `names` become repeated `<soap:ServiceStatus>` elements
   * (§2.3, the corrected form); none (or []) sends one empty element, which asks for all services.
   */
  getServiceStatus(names: readonly string[] = []): Promise<ServiceStatusResult> {
    const elements = names.length === 0 ? '<soap:ServiceStatus></soap:ServiceStatus>' : names.map((n) => `<soap:ServiceStatus>${xmlEscape(n)}</soap:ServiceStatus>`).join('');
    return this.transport.request({
      protocol: 'controlcenter',
      operation: 'soapGetServiceStatus',
      path: CONTROLCENTER_PATH,
      soapAction: '"soapGetServiceStatus"',
      body: serviceabilityEnvelope(`<soap:soapGetServiceStatus>${elements}</soap:soapGetServiceStatus>`),
      parse: parseServiceStatus,
    });
  }
}

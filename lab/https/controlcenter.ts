// ControlCenterServices (wire-formats §2): each node reports only its own services. Shapes from
// the WSDL (§2.2); element order, ns1: prefix and no whitespace from the Checkmk evidence (§2.4).
import type { LabDeployment, LabNode, LabService } from '../model';
import { reasonCodeString } from './reason-codes';
import { ns1, ns1Nil, ns1Response, okReply, type SoapReply } from './soap';
import { children, SoapRequestError, text, type SoapRequest } from './xml';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** C `asctime` layout in UTC ("Mon Dec  6 14:58:31 2021"); the real StartTime format is [NOT FOUND] (§2.4). */
export function ctime(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

function groupName(node: LabNode, s: LabService): string {
  if (s.group === 'platform') return 'Platform Services';
  if (s.group === 'network') return node.product === 'imp' ? 'IM and Presence Network Services' : 'CM Network Services';
  return node.product === 'imp' ? 'IM and Presence Services' : 'CM Services';
}

export class ControlCenterService {
  constructor(
    private readonly node: LabNode,
    private readonly lab: LabDeployment,
  ) {}

  handle(req: SoapRequest): SoapReply {
    switch (req.operation) {
      case 'soapGetServiceStatus':
        return this.serviceStatus(children(req.payload, 'ServiceStatus').map(text).map((n) => n.trim()).filter((n) => n !== ''));
      case 'soapGetStaticServiceList':
        return this.staticServiceList();
      case 'getProductInformationList':
        return this.productInformation();
      default:
        // soapDoControlServices / soapDoServiceDeployment change state, which the lab's
        // front-ends never do (lab/model.ts); control goes through the lab control API.
        throw new SoapRequestError(`Operation ${req.operation} is not supported by ControlCenterServices on this node`);
    }
  }

  private item(name: string, s: LabService | undefined): string {
    if (!s) {
      // An unknown name: status Unknown with -1010 "No such service" (§2.5), the closest code.
      return `<ns1:item>${ns1('ServiceName', name)}${ns1('ServiceStatus', 'Unknown')}${ns1('ReasonCode', -1010)}${ns1('ReasonCodeString', reasonCodeString(-1010))}${ns1Nil('StartTime')}${ns1('UpTime', -1)}</ns1:item>`;
    }
    const now = this.lab.clock.now();
    const started = s.startedAt !== undefined && (s.status === 'Started' || s.status === 'Stopping');
    const start = started ? ns1('StartTime', ctime(s.startedAt!)) : ns1Nil('StartTime');
    // UpTime -1 means "Not Started" (phnowicki/serviceabilitytools, §2.4).
    const upTime = started ? Math.max(0, Math.floor((now - s.startedAt!) / 1000)) : -1;
    return `<ns1:item>${ns1('ServiceName', s.name)}${ns1('ServiceStatus', s.status)}${ns1('ReasonCode', s.reasonCode)}${ns1('ReasonCodeString', reasonCodeString(s.reasonCode))}${start}${ns1('UpTime', upTime)}</ns1:item>`;
  }

  private serviceStatus(names: string[]): SoapReply {
    const items =
      names.length === 0
        ? this.node.services.map((s) => this.item(s.name, s))
        : names.map((n) => this.item(n, this.node.service(n)));
    const ret = `${ns1('ReturnCode', '0')}${ns1Nil('ReasonCode')}${ns1Nil('ReasonString')}<ns1:ServiceInfoList>${items.join('')}</ns1:ServiceInfoList>`;
    return okReply(ns1Response('soapGetServiceStatus', `<ns1:soapGetServiceStatusReturn>${ret}</ns1:soapGetServiceStatusReturn>`));
  }

  private specification(s: LabService, withProduct: boolean): string {
    const product = withProduct ? ns1('ProductID', this.productId()) : '';
    return `<ns1:item>${ns1('ServiceName', s.name)}${ns1('ServiceType', 'Service')}${ns1('Deployable', s.group === 'feature' ? 'true' : 'false')}${ns1('GroupName', groupName(this.node, s))}${product}<ns1:DependentServices/></ns1:item>`;
  }

  private staticServiceList(): SoapReply {
    const items = this.node.services.map((s) => this.specification(s, false)).join('');
    return okReply(
      ns1Response('soapGetStaticServiceList', `<ns1:soapGetStaticServiceListReturn><ns1:Services>${items}</ns1:Services></ns1:soapGetStaticServiceListReturn>`),
    );
  }

  private productId(): string {
    return this.node.product === 'imp' ? 'CUP' : 'CallManager';
  }

  private productInformation(): SoapReply {
    const cluster = this.node.cluster;
    const isImp = this.node.product === 'imp';
    const product =
      `<ns1:item>${ns1('ProductName', isImp ? 'Cisco Unified Communications Manager IM and Presence Service' : 'Cisco Unified Communications Manager')}` +
      `${ns1('ProductVersion', cluster.version)}` +
      `${ns1('ProductDescription', isImp ? 'Cisco Unified Communications Manager IM and Presence Service' : 'Cisco Unified Communications Manager')}` +
      `${ns1('ProductID', this.productId())}${ns1('ShortName', isImp ? 'IM and Presence' : 'Unified CM')}</ns1:item>`;
    const secondary = cluster.nodes.find((n) => n !== cluster.publisher);
    const services = this.node.services.map((s) => this.specification(s, true)).join('');
    const ret =
      `${ns1('ActiveServerVersion', cluster.version)}${ns1('PrimaryNode', cluster.publisher.name)}` +
      `${secondary ? ns1('SecondaryNode', secondary.name) : ns1Nil('SecondaryNode')}` +
      `<ns1:Products>${product}</ns1:Products><ns1:Services>${services}</ns1:Services>`;
    return okReply(ns1Response('getProductInformationList', `<ns1:getProductInformationListReturn>${ret}</ns1:getProductInformationListReturn>`));
  }
}

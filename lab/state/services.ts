// The service catalogue of a CUCM and an IM&P 15 node, names verbatim
// (reference/counters-certs-replication.md §5.1, wire-formats.md §4.5). Platform services print
// before "Service Manager is running" in `utils service list`; the rest are network (start with
// the node) or feature (activated per node in Service Activation) services.
//
// Release note: IM&P 15 lists its datastores separately (Cisco Login/Presence/Route/SIP
// Registration Datastore); older write-ups that merge them into one name are not followed here.
import type { LabService, NodeRole, Product, ServiceStatus } from '../model';

/** ReasonCode values used by the lab (wire-formats.md §2.5). */
export const REASON = {
  successful: -1,
  notRunning: -1019,
  notActivated: -1068,
  commandedOutOfService: -1069,
} as const;

export const REASON_STRINGS: Record<number, string> = {
  [-1]: 'Successful',
  [-1019]: 'Component is not running',
  [-1068]: 'Service Not Activated',
  [-1069]: 'Commanded Out of Service',
};

type Where = 'all' | 'publisher' | 'none';

interface ServiceSpec {
  name: string;
  group: LabService['group'];
  /** Which node roles run it; others show it Not Activated (feature) or Commanded Out of Service (network). */
  runs?: Where;
  critical?: boolean;
}

const PLATFORM: ServiceSpec[] = [
  { name: 'System SSH', group: 'platform' },
  { name: 'Cluster Manager', group: 'platform' },
  { name: 'Name Service Cache', group: 'platform', runs: 'none' },
  { name: 'Entropy Monitoring Daemon', group: 'platform' },
  { name: 'Cisco SCSI Watchdog', group: 'platform' },
  { name: 'Service Manager', group: 'platform' },
];

/** Network and feature services present on both products. */
const COMMON: ServiceSpec[] = [
  { name: 'A Cisco DB', group: 'network' },
  { name: 'A Cisco DB Replicator', group: 'network' },
  { name: 'Cisco Audit Event Service', group: 'network' },
  { name: 'Cisco CDP', group: 'network' },
  { name: 'Cisco CDP Agent', group: 'network' },
  { name: 'Cisco Certificate Change Notification', group: 'network' },
  { name: 'Cisco Certificate Expiry Monitor', group: 'network' },
  { name: 'Cisco DRF Local', group: 'network' },
  { name: 'Cisco DRF Master', group: 'network', runs: 'publisher' },
  { name: 'Cisco Database Layer Monitor', group: 'network' },
  { name: 'Cisco Log Partition Monitoring Tool', group: 'network' },
  { name: 'Cisco RIS Data Collector', group: 'network' },
  { name: 'Cisco RTMT Reporter Servlet', group: 'network' },
  { name: 'Cisco Syslog Agent', group: 'network' },
  { name: 'Cisco Tomcat', group: 'network' },
  { name: 'Cisco Tomcat Stats Servlet', group: 'network' },
  { name: 'Cisco Trace Collection Service', group: 'network' },
  { name: 'Cisco Trace Collection Servlet', group: 'network' },
  { name: 'Host Resources Agent', group: 'network' },
  { name: 'MIB2 Agent', group: 'network' },
  { name: 'Platform Administrative Web Service', group: 'network' },
  { name: 'Platform Communication Web Service', group: 'network' },
  { name: 'SNMP Master Agent', group: 'network' },
  { name: 'SOAP -Log Collection APIs', group: 'network' },
  { name: 'SOAP -Performance Monitoring APIs', group: 'network' },
  { name: 'SOAP -Real-Time Service APIs', group: 'network' },
  { name: 'System Application Agent', group: 'network' },
  { name: 'Cisco AXL Web Service', group: 'feature' },
  { name: 'Cisco Bulk Provisioning Service', group: 'feature', runs: 'publisher' },
  { name: 'Cisco Serviceability Reporter', group: 'feature', runs: 'publisher' },
];

const CUCM: ServiceSpec[] = [
  { name: 'Cisco AMC Service', group: 'network' },
  { name: 'Cisco CallManager Admin', group: 'network' },
  { name: 'Cisco CallManager Cisco IP Phone Services', group: 'network' },
  { name: 'Cisco CallManager Serviceability', group: 'network' },
  { name: 'Cisco CallManager Serviceability RTMT', group: 'network' },
  { name: 'Cisco CAR DB', group: 'network', runs: 'publisher' },
  { name: 'Cisco Change Credential Application', group: 'network' },
  { name: 'Cisco ELM Client Service', group: 'network' },
  { name: 'Cisco Smart License Manager', group: 'network', runs: 'publisher' },
  { name: 'Cisco Trust Verification Service', group: 'network' },
  { name: 'Cisco User Data Services', group: 'network' },
  { name: 'Cisco UXL Web Service', group: 'network' },
  { name: 'Cisco CallManager', group: 'feature' },
  { name: 'Cisco CAR Scheduler', group: 'feature', runs: 'publisher' },
  { name: 'Cisco CAR Web Service', group: 'feature', runs: 'publisher' },
  { name: 'Cisco Certificate Authority Proxy Function', group: 'feature', runs: 'publisher' },
  { name: 'Cisco CTIManager', group: 'feature' },
  { name: 'Cisco CallManager SNMP Service', group: 'feature' },
  { name: 'Cisco Dialed Number Analyzer', group: 'feature', runs: 'none' },
  { name: 'Cisco Dialed Number Analyzer Server', group: 'feature', runs: 'none' },
  { name: 'Cisco DirSync', group: 'feature', runs: 'publisher' },
  { name: 'Cisco Extension Mobility', group: 'feature' },
  { name: 'Cisco Intercluster Lookup Service', group: 'feature', runs: 'none' },
  { name: 'Cisco IP Voice Media Streaming App', group: 'feature' },
  { name: 'Cisco Location Bandwidth Manager', group: 'feature' },
  { name: 'Cisco Messaging Interface', group: 'feature', runs: 'none' },
  { name: 'Cisco TAPS Service', group: 'feature', runs: 'none' },
  { name: 'Cisco Tftp', group: 'feature' },
  { name: 'Self Provisioning IVR', group: 'feature', runs: 'none' },
];

const IMP: ServiceSpec[] = [
  { name: 'Cisco Client Profile Agent', group: 'network', critical: true },
  { name: 'Cisco Config Agent', group: 'network' },
  { name: 'Cisco IM and Presence Data Monitor', group: 'network' },
  { name: 'Cisco Intercluster Sync Agent', group: 'network' },
  { name: 'Cisco Login Datastore', group: 'network' },
  { name: 'Cisco OAMAgent', group: 'network' },
  { name: 'Cisco Presence Datastore', group: 'network' },
  { name: 'Cisco Route Datastore', group: 'network' },
  { name: 'Cisco Server Recovery Manager', group: 'network' },
  { name: 'Cisco SIP Registration Datastore', group: 'network' },
  { name: 'Cisco Sync Agent', group: 'network', critical: true },
  { name: 'Cisco XCP Config Manager', group: 'network' },
  { name: 'Cisco XCP Router', group: 'network', critical: true },
  { name: 'Cisco Presence Engine', group: 'feature', critical: true },
  { name: 'Cisco SIP Proxy', group: 'feature', critical: true },
  { name: 'Cisco XCP Authentication Service', group: 'feature' },
  { name: 'Cisco XCP Connection Manager', group: 'feature' },
  { name: 'Cisco XCP Directory Service', group: 'feature', runs: 'none' },
  { name: 'Cisco XCP File Transfer Manager', group: 'feature', runs: 'none' },
  { name: 'Cisco XCP Message Archiver', group: 'feature', runs: 'none' },
  { name: 'Cisco XCP SIP Federation Connection Manager', group: 'feature', runs: 'none' },
  // Critical with persistent-chat HA (reference/ha.md §3.1: "the TC service became a critical service").
  { name: 'Cisco XCP Text Conference Manager', group: 'feature', critical: true },
  { name: 'Cisco XCP Web Connection Manager', group: 'feature' },
  { name: 'Cisco XCP XMPP Federation Connection Manager', group: 'feature', runs: 'none' },
];

/** Services stopped together with Cisco XCP Router ("Stop = all XCP feature services stop", §5.1). */
export function isXcpDependent(name: string): boolean {
  return name.startsWith('Cisco XCP ') && name !== 'Cisco XCP Router' && name !== 'Cisco XCP Config Manager';
}

export class NodeService implements LabService {
  status: ServiceStatus;
  reasonCode: number;
  startedAt?: number;
  /** Simulated time of the last stop (for HA's Critical Service Down Delay). */
  stoppedAt?: number;
  /** Fault ids keeping this service stopped: nothing (SRM, fallback) can start it meanwhile. */
  readonly heldBy = new Set<string>();
  constructor(
    readonly name: string,
    readonly group: LabService['group'],
    readonly critical: boolean,
    readonly activated: boolean,
    intentionalReason: number,
    bootedAt: number,
  ) {
    if (activated) {
      this.status = 'Started';
      this.reasonCode = REASON.successful;
      this.startedAt = bootedAt;
    } else {
      this.status = 'Stopped';
      this.reasonCode = intentionalReason;
    }
  }
  /** Running now (a stopped, not-activated or out-of-service service is not). */
  get running(): boolean {
    return this.status === 'Started';
  }
  stop(at: number, reasonCode: number = REASON.notRunning): void {
    if (!this.activated || this.status === 'Stopped') return;
    this.status = 'Stopped';
    this.reasonCode = reasonCode;
    this.startedAt = undefined;
    this.stoppedAt = at;
  }
  /** Starts the service unless a fault holds it down; returns whether it runs afterwards. */
  start(at: number): boolean {
    if (!this.activated) return false;
    if (this.status === 'Started') return true;
    if (this.heldBy.size > 0) return false;
    this.status = 'Started';
    this.reasonCode = REASON.successful;
    this.startedAt = at;
    this.stoppedAt = undefined;
    return true;
  }
  toJSON(): LabService {
    const { name, group, critical, status, reasonCode, startedAt, activated } = this;
    return { name, group, critical, status, reasonCode, startedAt, activated };
  }
}

export function createServices(product: Product, role: NodeRole, bootedAt: number): NodeService[] {
  const specs = [...COMMON, ...(product === 'cucm' ? CUCM : IMP)].sort((a, b) => a.name.localeCompare(b.name, 'en'));
  return [...PLATFORM, ...specs].map((s, k) => {
    const runs = s.runs ?? 'all';
    const active = runs === 'all' || (runs === 'publisher' && role === 'publisher');
    // A network service that runs on the publisher only is "Commanded Out of Service" on
    // subscribers (e.g. Cisco DRF Master, Cisco CAR DB); a feature service is "Service Not Activated".
    const reason = runs === 'publisher' && s.group === 'network' ? REASON.commandedOutOfService : REASON.notActivated;
    // Services come up a few seconds apart after boot.
    return new NodeService(s.name, s.group, s.critical === true, active, reason, bootedAt + 20_000 + k * 700);
  });
}

export const CRITICAL_IMP_SERVICES = IMP.filter((s) => s.critical).map((s) => s.name);
export const SERVICE_NAMES: Record<Product, string[]> = {
  cucm: [...PLATFORM, ...COMMON, ...CUCM].map((s) => s.name),
  imp: [...PLATFORM, ...COMMON, ...IMP].map((s) => s.name),
};

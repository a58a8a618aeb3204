// Critical services per node. IM&P: the HA critical services (reference/ha.md §3.1, read from
// collectors/ha-pairs.ts HA_CRITICAL_SERVICES): "If no node is running critical services, turning on
// HA puts the group in [Failed] state". CUCM: the services the IM&P integration needs on CUCM
// (counters-certs-replication.md §5.1: Cisco CallManager, Cisco Tftp, Cisco CTIManager, Cisco AXL Web
// Service; Cisco DirSync on the publisher). Both: A Cisco DB and Cisco Tomcat, without which nothing
// else works (IMPulse's addition). A service that is not activated on a node is not required there.
import { HA_CRITICAL_SERVICES } from '../../collectors/ha-pairs';
import { serviceabilityLink } from '../fix-links';
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';
import { serviceState } from './service-common';

const PLATFORM = ['A Cisco DB', 'Cisco Tomcat'];
const CUCM = ['Cisco CallManager', 'Cisco Tftp', 'Cisco CTIManager', 'Cisco AXL Web Service'];
const CUCM_PUBLISHER = ['Cisco DirSync'];

export function criticalServicesOf(product: 'cucm' | 'imp', publisher: boolean): string[] {
  return product === 'imp' ? [...PLATFORM, ...HA_CRITICAL_SERVICES] : [...PLATFORM, ...CUCM, ...(publisher ? CUCM_PUBLISHER : [])];
}

export const svcCritical: CheckDefinition = {
  id: 'SVC-CRITICAL',
  section: 'Services',
  title: 'Verify the critical services are running on every node.',
  description:
    'IM&P nodes: A Cisco DB, Cisco Tomcat and the HA critical services (Cisco Client Profile Agent, Cisco Sync Agent, Cisco XCP Router, Cisco SIP Proxy, Cisco Presence Engine, Cisco XCP Text Conference Manager). CUCM nodes: A Cisco DB, Cisco Tomcat, Cisco CallManager, Cisco Tftp, Cisco CTIManager, Cisco AXL Web Service, and Cisco DirSync on the publisher. A service not activated on a node is not required there.',
  needs: ['services'],
  readiness: true,
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'services', 'SVC-CRITICAL');
    const items: AffectedItem[] = [...errors];
    for (const r of ok) {
      for (const name of criticalServicesOf(r.cluster.product, r.node.name === r.cluster.publisher)) {
        const s = serviceState(r.value, name);
        if (s.state === 'running' || s.state === 'not-activated') continue;
        items.push({ kind: 'service', key: `${r.node.name}|${name}`, status: 'failed', cluster: r.cluster.name, node: r.node.name, label: name, detail: `${s.text} on ${r.node.name}${r.value.via === 'cli' ? ' (read through utils service list: Control Center did not answer)' : ''}.`, fix: serviceabilityLink(r.node.host, r.node.ports.https) });
      }
    }
    return outcome(items, {
      pass: 'Every critical service runs on every node.',
      summary: (f) => `${plural(f.length, 'critical service')} not running`,
      problem: 'Critical services are not running. On IM&P, a critical service down longer than the Critical Service Down Delay (90 s by default) makes the node fail over to its peer; with none running, enabling High Availability puts the group in the failed state.',
      solution: 'Check the node for any critical services that are down and try to manually start those services (Cisco Unified Serviceability > Tools > Control Center, or utils service start <service name>). If the critical services do not start, then reboot the node. On IM&P, when all the critical services are up and running, perform a manual fallback if the group failed over.',
    });
  },
};

// Cisco IM and Presence Data Monitor (reference/userid-uri-troubleshooter.md §2.5, §2.6, §6 A13): the
// network service that checks for duplicate user IDs and duplicate or empty directory URIs every
// User Check Interval and raises DuplicateUserid / DuplicateDirectoryURI / InvalidDirectoryURI; it also
// gates feature services on IDS replication. "Verify that the Cisco IM and Presence Data Monitor
// network service is running (the service is running by default)." (EN s2982). The User Check
// Interval (5–1440 minutes) is a service parameter no API IMPulse reads exposes.
import { serviceabilityLink } from '../fix-links';
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';
import { serviceState } from './service-common';

const DATA_MONITOR = 'Cisco IM and Presence Data Monitor';

export const svcDataMonitor: CheckDefinition = {
  id: 'SVC-DATA-MONITOR',
  section: 'Services',
  title: 'Verify the Cisco IM and Presence Data Monitor network service is running.',
  description: 'Cisco IM and Presence Data Monitor on every IM&P node: it runs the periodic duplicate and overlapping directory URI and user ID checks that raise DuplicateUserid and DuplicateDirectoryURI, and gates feature services on database replication.',
  needs: ['services'],
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'services', 'SVC-DATA-MONITOR');
    const items: AffectedItem[] = errors.filter((e) => ctx.clusters.find((c) => c.name === e.cluster)?.product === 'imp');
    for (const r of ok) {
      if (r.cluster.product !== 'imp') continue;
      const s = serviceState(r.value, DATA_MONITOR);
      if (s.state === 'running') continue;
      items.push({ kind: 'service', key: `${r.node.name}|${DATA_MONITOR}`, status: 'failed', cluster: r.cluster.name, node: r.node.name, label: DATA_MONITOR, detail: `${s.text} on ${r.node.name}.`, fix: serviceabilityLink(r.node.host, r.node.ports.https) });
    }
    return outcome(items, {
      pass: 'Cisco IM and Presence Data Monitor runs on every IM&P node.',
      summary: (f) => `Cisco IM and Presence Data Monitor not running on ${plural(f.length, 'node')}`,
      problem: 'The Cisco IM and Presence Data Monitor network service is not running: the periodic checks for duplicate and overlapping directory URIs and userIDs do not run, and no DuplicateUserid or DuplicateDirectoryURI alarm is raised.',
      solution: 'Start the service in Cisco Unified IM and Presence Serviceability > Tools > Control Center - Network Services (utils service start Cisco IM and Presence Data Monitor). Its User Check Interval (System > Service Parameters > Cisco IM and Presence Data Monitor) accepts 5 to 1440 minutes; the default is 30.',
    });
  },
};

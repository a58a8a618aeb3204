// Certificates expiring soon (reference/counters-certs-replication.md §3.5): within
// thresholds.certificateWarningDays (default 30) a Warning, within certificateCriticalDays (default 7)
// a Failure. Cisco's Certificate Monitor leaves its notification start unspecified: the windows are
// IMPulse's. A readiness run fails every certificate that expires within the upgrade window.
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural } from './helpers';
import { certificatesOf, certItem, DAY_MS, days } from './cert-common';

export const certExpiring: CheckDefinition = {
  id: 'CERT-EXPIRING',
  section: 'Certificates',
  title: 'Verify no certificate expires soon.',
  description:
    'Every certificate that is still valid but expires within thresholds.certificateWarningDays (Warning) or thresholds.certificateCriticalDays (Failed); in a readiness run, within the upgrade window (Failed: it must stay valid through the upgrade).',
  needs: ['certificates'],
  readiness: true,
  evaluate(ctx) {
    const { certs, errors } = certificatesOf(ctx, 'CERT-EXPIRING');
    const items: AffectedItem[] = [...errors];
    const warn = ctx.thresholds.certificateWarningDays * DAY_MS;
    const crit = ctx.thresholds.certificateCriticalDays * DAY_MS;
    const window = (ctx.upgradeWindowDays ?? 0) * DAY_MS;
    for (const { r, cert } of certs) {
      const left = cert.notAfter - ctx.now;
      if (left <= 0 || left > Math.max(warn, window)) continue;
      const failed = left <= crit || left <= window;
      const why = left <= window && left > crit ? ` — within the ${ctx.upgradeWindowDays}-day upgrade window` : '';
      items.push(certItem(r, cert, failed ? 'failed' : 'warning', `Expires ${new Date(cert.notAfter).toISOString().slice(0, 10)} (in ${days(left)})${why}; subject ${cert.subject}.`));
    }
    return outcome(items, {
      pass: `No certificate expires within ${Math.max(ctx.thresholds.certificateWarningDays, ctx.upgradeWindowDays ?? 0)} days.`,
      summary: (f) => `${plural(f.length, 'certificate')} expiring within ${Math.max(ctx.thresholds.certificateWarningDays, ctx.upgradeWindowDays ?? 0)} days`,
      problem: 'Certificates expire soon; once expired, the services that present them fail TLS with clients, browsers and intercluster peers.',
      solution:
        'Renew them before they expire: generate a CSR and upload the CA-signed certificate, or regenerate a self-signed one (Cisco Unified OS Administration > Security > Certificate Management), then restart the service that uses it (Cisco Tomcat for tomcat, Cisco XCP Router for cup-xmpp and cup-xmpp-s2s, Cisco SIP Proxy and Cisco Presence Engine for cup). Sign and upload all of a cluster\'s certificates at once so that service impacts can be managed within a single maintenance window.',
    });
  },
};

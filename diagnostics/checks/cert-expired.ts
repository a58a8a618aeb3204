// Expired certificates (reference/counters-certs-replication.md §3.5; peers.md §1.7: Cisco's manual
// pre-upgrade checklist "check for expired certificates"): any own or trust certificate of any node,
// from the CLI inventory (`show cert list own`, `show cert own`) and the TLS probes.
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural } from './helpers';
import { certificatesOf, certItem, days } from './cert-common';

export const certExpired: CheckDefinition = {
  id: 'CERT-EXPIRED',
  section: 'Certificates',
  title: 'Verify no certificate has expired.',
  description: 'Every certificate of every node (the own-certificate inventory read through the CLI, and what each TLS port serves) whose Valid To date has passed.',
  needs: ['certificates'],
  readiness: true,
  evaluate(ctx) {
    const { certs, errors } = certificatesOf(ctx, 'CERT-EXPIRED');
    const items: AffectedItem[] = [...errors];
    for (const { r, cert } of certs) {
      if (cert.notAfter > ctx.now) continue;
      items.push(certItem(r, cert, 'failed', `Expired ${new Date(cert.notAfter).toISOString().slice(0, 10)} (${days(ctx.now - cert.notAfter)} ago); subject ${cert.subject}.`));
    }
    return outcome(items, {
      pass: 'No certificate has expired.',
      summary: (f) => `${plural(f.length, 'certificate')} expired`,
      problem: 'Certificates have expired: the services that present them (Cisco Tomcat for tomcat, Cisco XCP Router for cup-xmpp, Cisco SIP Proxy and Cisco Presence Engine for cup, …) fail TLS with clients and peers.',
      solution:
        'Regenerate the certificate or upload a new CA-signed one (Cisco Unified OS Administration > Security > Certificate Management), then restart the service that uses it: Cisco Tomcat for tomcat, Cisco XCP Router for cup-xmpp and cup-xmpp-s2s, Cisco SIP Proxy and Cisco Presence Engine for cup. For tomcat, resync the intercluster peers (Force Manual Sync with "Also resync peer\'s Tomcat certificates").',
    });
  },
};

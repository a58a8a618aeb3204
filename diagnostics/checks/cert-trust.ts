// Certificate verification failures (reference/counters-certs-replication.md §3): a TLS port whose
// certificate does not verify against the cluster's configured trust (tls.caBundle or pinned
// fingerprints), and certificate reads that failed with a TLS error. Expired certificates are
// CERT-EXPIRED's; clusters configured with tls.insecure are not judged.
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural } from './helpers';
import { certItem } from './cert-common';
import { readings } from './helpers';

export const certTrust: CheckDefinition = {
  id: 'CERT-TRUST',
  section: 'Certificates',
  title: 'Verify every certificate a node serves verifies against the configured trust.',
  description: 'Every TLS port (tomcat on 8443, cup-xmpp, cup-xmpp-s2s, cup) whose certificate does not verify against the cluster\'s CA bundle or pinned fingerprints, and every certificate that could not be read because of a TLS error.',
  needs: ['certificates'],
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'certificates', 'CERT-TRUST');
    const items: AffectedItem[] = [...errors];
    for (const r of ok) {
      // What each TLS port serves (the inventory's entry of the same certificate carries no verdict).
      for (const cert of r.value.certificates) {
        if (cert.source !== 'tls' || cert.trusted !== false || r.cluster.tls.mode === 'insecure' || cert.notAfter <= ctx.now) continue;
        items.push(certItem(r, cert, 'failed', `Port ${cert.port} serves a ${cert.selfSigned ? 'self-signed certificate' : `certificate issued by ${cert.issuer}`} (serial ${cert.serial}) that does not verify against the trust configured for ${r.cluster.name}.`));
      }
      for (const e of r.value.errors) {
        if (e.kind !== 'tls') continue;
        items.push({ kind: 'certificate', key: `${r.node.name}|${e.what}|tls-error`, status: 'failed', cluster: r.cluster.name, node: r.node.name, label: `${e.what} on ${r.node.name}`, detail: e.message });
      }
    }
    return outcome(items, {
      pass: 'Every certificate served verifies against the configured trust.',
      summary: (f) => `${plural(f.length, 'certificate')} that fail verification`,
      problem: 'A node serves a certificate that does not verify: a self-signed certificate where a CA-signed one is expected, a certificate from an unknown CA, or a name mismatch. Clients, browsers and intercluster peers that verify it refuse the connection.',
      solution:
        'Upload the CA-signed certificate (and its chain: root first, then intermediates, into the matching -trust store on the publisher, then utils service restart Cisco Intercluster Sync Agent so that the CA certificates are synced to the other clusters), or add the certificate\'s issuer to the trust IMPulse uses for the cluster (tls.caBundle).',
    });
  },
};

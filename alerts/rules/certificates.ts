// Certificates: expiry of each node's own certificates (TLS ports and `show cert list own`), in
// the stages an operator acts on, and certificates that fail verification.
import { metrics } from '../../collectors/metrics/catalogue';
import { on, Q } from '../language';
import { DAY, s, type AlertRule } from '../rule';
import { L, t, V } from '../template';

const U = { cluster: 'imp01', node: 'imp01-pub', unit: 'cup-xmpp' };
const notAfter = (days: number, labels: Record<string, string> = {}) =>
  s(metrics.certificateNotAfter, { ...U, port: '5222', source: 'tls', store: 'own', ...labels }, `${days * DAY}x20`);

const info = (labels: Record<string, string>, selfSigned: 'true' | 'false') =>
  s(metrics.certificateInfo, { ...labels, source: 'tls', store: 'own', subject: 'CN=imp01-pub.example.com', issuer: selfSigned === 'true' ? 'CN=imp01-pub.example.com' : 'CN=Example CA', serial: '01', sans: 'DNS:imp01-pub.example.com', self_signed: selfSigned }, '1x10');

/** Days until the earliest expiry of each own certificate (a unit seen by a TLS probe and the CLI counts once). */
const daysLeft = () => Q.metric(metrics.certificateNotAfter, { store: 'own' }).minBy('cluster', 'node', 'unit').minusTime().div(DAY);

export const certificateRules: AlertRule[] = [
  {
    name: 'CertificateExpiring',
    origin: 'impulse',
    group: 'certificates',
    severity: 'warning',
    for: 0,
    condition: (p) => daysLeft().lt(p.thresholds.certificateWarningDays).ge(p.thresholds.certificateCriticalDays),
    summary: t`Certificate ${L.unit} of ${L.node} (cluster ${L.cluster}) expires in ${V.fixed1} days`,
    description: t`The ${L.unit} certificate of ${L.node} (cluster ${L.cluster}) expires in ${V.fixed1} days (thresholds.certificateWarningDays). Cisco's Certificate Expiry Monitor sends e-mail from its Notification Start Time; plan the renewal now: regenerate it (self-signed) or have a new CSR signed, upload it, and restart the services that use it (the runbook lists them per unit).`,
    source: 'Certificate expiry monitoring: reference/counters-certs-replication.md §3.5; units and services §3.2, §3.3',
    tests: [
      { name: 'expires in 20 days', series: [notAfter(20)], at: 5, expect: [U] },
      { name: 'expires in 90 days', series: [notAfter(90)], at: 5, expect: [] },
    ],
  },
  {
    name: 'CertificateExpiringSoon',
    origin: 'impulse',
    group: 'certificates',
    severity: 'critical',
    for: 0,
    condition: (p) => daysLeft().lt(p.thresholds.certificateCriticalDays).ge(0),
    summary: t`Certificate ${L.unit} of ${L.node} (cluster ${L.cluster}) expires in ${V.fixed1} days`,
    description: t`The ${L.unit} certificate of ${L.node} (cluster ${L.cluster}) expires in ${V.fixed1} days (thresholds.certificateCriticalDays). When it expires, clients, federation peers and intercluster peers refuse the connections it protects. Renew it today and restart the services that use it (the runbook lists them per unit).`,
    source: 'Certificate expiry monitoring: reference/counters-certs-replication.md §3.5; units and services §3.2, §3.3',
    tests: [
      // The TLS probe and the CLI both report the unit: one alert, for the earlier expiry.
      { name: 'expires in 3 days', series: [notAfter(3), notAfter(3.5, { port: '', source: 'cli' })], at: 5, expect: [U] },
      { name: 'expires in 20 days, and a trust-store certificate expiring tomorrow', series: [notAfter(20), notAfter(1, { unit: 'tomcat-trust', port: '', source: 'cli', store: 'trust' })], at: 5, expect: [] },
    ],
  },
  {
    name: 'CertificateExpired',
    origin: 'impulse',
    group: 'certificates',
    severity: 'critical',
    for: 0,
    condition: () => daysLeft().lt(0).times(-1),
    summary: t`Certificate ${L.unit} of ${L.node} (cluster ${L.cluster}) expired ${V.fixed1} days ago`,
    description: t`The ${L.unit} certificate of ${L.node} (cluster ${L.cluster}) expired ${V.fixed1} days ago: Jabber clients, browsers, federation and intercluster peers refuse the connections it protects. Regenerate it (self-signed) or upload a new CA-signed certificate, then restart the services that use it (the runbook lists them per unit).`,
    source: 'Certificate expiry monitoring: reference/counters-certs-replication.md §3.5; units and services §3.2, §3.3',
    tests: [
      { name: 'expired two days ago', series: [notAfter(-2)], at: 10, expect: [U] },
      { name: 'valid for another day', series: [notAfter(1)], at: 10, expect: [] },
    ],
  },
  {
    name: 'CertificateNotTrusted',
    origin: 'impulse',
    group: 'certificates',
    severity: 'warning',
    for: 0,
    condition: () =>
      Q.metric(metrics.certificateVerified)
        .eq(0)
        // An expired certificate fails verification too; CertificateExpired says it better.
        .unless(Q.metric(metrics.certificateNotAfter, { source: 'tls' }).minusTime().lt(0), on('cluster', 'node', 'unit'))
        // Self-signed certificates are IM&P's default for cup and cup-xmpp-s2s; a cluster's trust
        // holds its CA, and OpenSSL cannot tell apart two self-signed certificates of one node
        // (same subject) in one bundle. Only certificates issued by a CA are judged.
        .unless(Q.metric(metrics.certificateInfo, { source: 'tls', self_signed: 'true' }), on('cluster', 'node', 'unit', 'port')),
    summary: t`Certificate ${L.unit} served by ${L.node} on port ${L.port} does not verify (cluster ${L.cluster})`,
    description: t`The ${L.unit} certificate ${L.node} (cluster ${L.cluster}) presents on port ${L.port} was issued by a CA but does not verify against this cluster's trust (tls.caBundle, tls.fingerprints or the system CAs): it was replaced by a certificate from another CA, its chain is incomplete, or its names do not match the node. Clients that verify it (Jabber, browsers, peers) warn or refuse. Upload the issuing CA to the trust stores, or sign and upload a certificate from the expected CA. Self-signed certificates are not judged by this alert.`,
    source: 'IMPulse TLS probe verification; certificate classes and trust stores: reference/counters-certs-replication.md §3.1, §3.2',
    tests: [
      {
        name: 'a certificate from an unknown CA',
        series: [s(metrics.certificateVerified, { ...U, port: '5222' }, '1 0x10'), notAfter(300), info({ ...U, port: '5222' }, 'false')],
        at: 5,
        expect: [{ ...U, port: '5222' }],
      },
      {
        name: 'an expired one (CertificateExpired), a self-signed one and a verified one',
        series: [
          s(metrics.certificateVerified, { ...U, port: '5222' }, '0x10'),
          s(metrics.certificateNotAfter, { ...U, port: '5222', source: 'tls', store: 'own' }, '0x10'),
          s(metrics.certificateVerified, { ...U, unit: 'tomcat', port: '8443' }, '1x10'),
          s(metrics.certificateVerified, { ...U, unit: 'cup-xmpp-s2s', port: '5269' }, '0x10'),
          info({ ...U, unit: 'cup-xmpp-s2s', port: '5269' }, 'true'),
        ],
        at: 5,
        expect: [],
      },
    ],
  },
];

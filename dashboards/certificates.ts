// Certificates: what expires when, what each TLS port serves and whether it verifies.
import { metrics } from '../collectors/metrics/catalogue';
import { buildDashboard, row, stat, table } from './panels';
import { inCluster, sel } from './query';

const daysLeft = `(min by (cluster, node, unit) (${sel(metrics.certificateNotAfter, { ...inCluster, store: 'own' })}) - time()) / 86400`;

export const certificates = () =>
  buildDashboard({
    uid: 'impulse-certificates',
    title: 'Certificates',
    description: 'Own certificates of every node (TLS ports and show cert list own): days to expiry, identity and verification.',
    variables: { cluster: 'multi' },
    content: [
      row('Expiry'),
      stat('Expired', 'Own certificates past their notAfter (CertificateExpired).', { expr: `(count(${daysLeft} < 0)) or vector(0)` }, { span: 6, bad: 1 }),
      stat('Expiring within 30 days', 'CertificateExpiring (30 days) and CertificateExpiringSoon (7 days).', { expr: `(count(${daysLeft} < 30)) or vector(0)` }, { span: 6, warn: 1 }),
      table('Days until expiry', 'Earliest expiry of each unit on each node, soonest first.', { expr: `sort(${daysLeft})` }, { columns: ['cluster', 'node', 'unit'], value: 'Days left', height: 12 }),
      row('Identity and trust'),
      table('Served on TLS ports', 'Subject, issuer, SANs and whether the certificate is self-signed, as each port presents it.', { expr: sel(metrics.certificateInfo, { ...inCluster, source: 'tls' }) }, { columns: ['cluster', 'node', 'unit', 'port', 'subject', 'issuer', 'sans', 'self_signed'], value: 'Info', height: 12 }),
      table('Verification', 'Whether each port verifies against the cluster trust configured in IMPulse (CertificateNotTrusted judges CA-issued ones).', { expr: sel(metrics.certificateVerified, inCluster) }, { columns: ['cluster', 'node', 'unit', 'port'], value: 'Verified', valueText: { '1': 'verified', '0': 'does not verify' } }),
    ],
  });

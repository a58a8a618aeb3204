// Trust stores of the simulated nodes (`show cert list trust`, reference/counters-certs-replication.md
// §3.2; wire-formats.md §4.4 trust lines `CallManager-trust/cucm-pub.pem: …`). What a real node holds:
// the CA that signed the cluster's tomcat/cup-xmpp certificates (tomcat-trust, cup-xmpp-trust), on a
// subscriber the publisher's self-signed ipsec certificate (ipsec-trust: DRF between the nodes),
// and on an IM&P publisher the tomcat certificate of every intercluster peer publisher (tomcat-trust:
// the Intercluster Sync Agent connects to the peer's AXL over HTTPS and must trust it). An expired or
// expiring trust entry is what breaks intercluster sync and federation.
import { X509Certificate } from 'node:crypto';
import type { LabCertificate } from '../model';
import { LAB_CA_CN } from './certs';
import type { LabState, StateNode } from './deployment';

/** A trust-store entry for an existing certificate PEM (fields read from the certificate itself). */
export function trustEntry(unit: string, file: string, pem: string, keyAlgorithm: 'RSA' | 'EC' = 'RSA'): LabCertificate {
  const x = new X509Certificate(pem);
  const dn = (s: string) => s.split('\n').filter(Boolean).join(', ');
  const selfSigned = x.checkIssued(x);
  return {
    unit,
    file,
    pem,
    chainPem: [],
    keyPem: '',
    subject: dn(x.subject),
    issuer: dn(x.issuer),
    signedBy: selfSigned ? undefined : (/CN=([^,\n]+)/.exec(x.issuer)?.[1] ?? undefined),
    sans: x.subjectAltName ? x.subjectAltName.split(/,\s*/).map((s) => s.replace(/^(?:DNS|IP Address):/, '')) : [],
    serialHex: x.serialNumber.toUpperCase(),
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    keyAlgorithm,
    signatureAlgorithm: /ecdsa/i.test(x.publicKey.asymmetricKeyType ?? '') ? 'SHA256withECDSA' : 'SHA256withRSA',
  };
}

const fileOf = (name: string) => `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.pem`;

/** Builds every node's trust store from the deployment's certificates (after they are issued). */
export function buildTrustStores(lab: LabState): void {
  for (const node of lab.nodes) node.trustCertificates = trustStoreOf(lab, node);
}

export function trustStoreOf(lab: LabState, node: StateNode): LabCertificate[] {
  const out: LabCertificate[] = [];
  const caFile = fileOf(LAB_CA_CN);
  out.push(trustEntry('tomcat-trust', caFile, lab.ca.pem));
  if (node.product === 'imp') out.push(trustEntry('cup-xmpp-trust', caFile, lab.ca.pem));
  else out.push(trustEntry('CallManager-trust', caFile, lab.ca.pem));
  // Subscribers trust the publisher's ipsec certificate (DRF backups run between them).
  const pub = node.cluster.publisher;
  if (node !== pub) {
    const ipsec = pub.certificates.find((c) => c.unit === 'ipsec');
    if (ipsec) out.push(trustEntry('ipsec-trust', fileOf(pub.fqdn), ipsec.pem));
  }
  if (node.product === 'imp' && node === node.cluster.publisher) {
    for (const peerName of node.cluster.peers) {
      const peer = lab.cluster(peerName)?.publisher;
      const tomcat = peer?.certificates.find((c) => c.unit === 'tomcat');
      if (peer && tomcat) out.push(trustEntry('tomcat-trust', fileOf(peer.fqdn), tomcat.pem));
    }
  }
  return out;
}

import { X509Certificate } from 'node:crypto';
import { createCertAuthority, issueNodeCertificates } from './lab/state/certs';
let t = Date.now();
const ca = await createCertAuthority(1, Date.now());
console.log('keys', Date.now() - t); t = Date.now();
const s = { name: 'imp01-pub', fqdn: 'imp01-pub.uc01.example.com', host: '127.0.0.1', product: 'imp' as const, imDomain: 'example.com' };
let certs;
for (let i = 0; i < 20; i++) certs = issueNodeCertificates(ca, s, Date.now());
console.log('20 nodes', Date.now() - t);
const caX = new X509Certificate(ca.pem);
for (const c of certs!) {
  const x = new X509Certificate(c.pem);
  const issuer = c.signedBy ? caX : x;
  console.log(c.unit, x.subject.replace(/\n/g, ','), x.subjectAltName, x.validTo, x.verify(issuer.publicKey), x.checkIssued(issuer), x.ca);
}
console.log(caX.ca, caX.verify(caX.publicKey), caX.subject.replace(/\n/g, ','));

import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCertList } from '../../../collectors/parsers/cert-list';
import { parseCertOwn } from '../../../collectors/parsers/cert-own';
import { expectParseError, fixture } from './fixture';

describe('show cert list', () => {
  it('reads the CUCM 15 own list (CRLF)', () => {
    const r = parseCertList(fixture('cert-list', 'cucm15-own.txt'));
    expect(r.certificates.map((c) => `${c.unit}/${c.file}`)).toEqual([
      'tomcat/tomcat.pem',
      'tomcat-ECDSA/tomcat-ECDSA.pem',
      'ipsec/ipsec.pem',
      'ITLRecovery/ITLRecovery.pem',
      'CallManager-ECDSA/CallManager-ECDSA.pem',
      'CallManager/CallManager.pem',
      'CAPF/CAPF.pem',
      'TVS/TVS.pem',
    ]);
    expect(r.certificates.every((c) => c.selfSigned && c.store === 'own' && c.signedBy === null)).toBe(true);
  });

  it('separates own from trust units and reads the CA-signed issuer', () => {
    const r = parseCertList(fixture('cert-list', 'imp-own-and-trust.reconstructed.txt'));
    expect(r.certificates.find((c) => c.unit === 'cup-xmpp')).toMatchObject({ store: 'own', selfSigned: false, signedBy: 'Example Issuing CA 1' });
    expect(r.certificates.filter((c) => c.store === 'trust').map((c) => `${c.unit}/${c.file}`)).toEqual([
      'tomcat-trust/Example_Root_CA.pem',
      'tomcat-trust/cucm01-pub.pem',
      'cup-xmpp-trust/Example_Issuing_CA_1.pem',
      'CallManager-trust/cucm01-pub.pem',
    ]);
  });

  it('rejects a line that is not unit/file: description', () => {
    expectParseError(() => parseCertList('tomcat/tomcat.pem: Self-signed\r\ntomcat-ECDS\r\n', 'l.txt'), /show cert list \(l\.txt\)/, 2);
  });
});

describe('show cert own', () => {
  it('decodes the PEM (authoritative) and reads the dump fields', () => {
    const text = fixture('cert-own', 'tomcat-rsa.reconstructed.txt');
    const r = parseCertOwn(text);
    const pem = text.slice(text.indexOf('-----BEGIN'), text.indexOf('-----END CERTIFICATE-----') + 25);
    const x = new X509Certificate(pem);
    expect(r.certificates).toHaveLength(1);
    const c = r.certificates[0];
    expect(c.notBefore).toBe(new Date(x.validFrom).toISOString());
    expect(c.notAfter).toBe(new Date(x.validTo).toISOString());
    expect(c.fingerprint256).toBe(x.fingerprint256);
    expect(c.subject).toBe('L=RTP, ST=NC, CN=cucm-pub.example.com, OU=UC, O=Example, C=US');
    expect(c.subjectAltNames).toEqual(['DNS:cucm-pub.example.com', 'DNS:cucm-pub', 'IP Address:10.10.10.10']);
    expect(c.selfSigned).toBe(true);
    expect(c.serialNumber).toBe(r.dump.serialNumber);
    expect(r.dump).toMatchObject({
      version: 'V3',
      signatureAlgorithm: 'SHA256withRSA (1.2.840.113549.1.1.11)',
      issuerName: 'L=RTP, ST=NC, CN=cucm-pub.example.com, OU=UC, O=Example, C=US',
      validityFrom: 'Mon Nov 23 16:21:17 UTC 2026',
      validityTo: 'Thu Nov 20 16:21:17 UTC 2036',
      key: 'RSA (1.2.840.113549.1.1.1)',
    });
  });

  it('reads an ECDSA certificate with CRLF line ends', () => {
    const r = parseCertOwn(fixture('cert-own', 'tomcat-ecdsa-crlf.reconstructed.txt'));
    expect(r.certificates[0]).toMatchObject({ subject: 'CN=imp01-pub.example.com, OU=UC, O=Example, C=US', notAfter: '2029-02-25T16:21:17.000Z' });
    expect(r.dump.validityTo).toBe('Sun Feb 25 16:21:17 UTC 2029');
  });

  it('rejects output without a PEM, a truncated PEM and a corrupt PEM', () => {
    const text = fixture('cert-own', 'tomcat-rsa.reconstructed.txt');
    expectParseError(() => parseCertOwn(text.slice(0, text.indexOf('-----BEGIN'))), /show cert own/);
    const beginLine = text.slice(0, text.indexOf('-----BEGIN')).split('\n').length;
    expectParseError(() => parseCertOwn(text.slice(0, text.indexOf('-----END'))), /show cert own/, beginLine);
    expectParseError(() => parseCertOwn(text.replace(/^MII.*$/m, 'MIIBogus')), /show cert own/, beginLine);
  });
});

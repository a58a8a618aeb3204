// Certificates of the lab nodes: real X.509 that node's parser accepts, CA-signed units verify
// against the lab CA, and cert faults replace them (and tell the front-ends).
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { frozenLab } from './lab-helpers';

describe('lab certificates', () => {
  it('issues the Cisco units per product; tomcat and cup-xmpp are CA-signed with FQDN, hostname and IP', async () => {
    const { lab } = await frozenLab();
    const ca = new X509Certificate(lab.ca.pem);
    const imp = lab.node('imp01-sub1')!;
    expect(imp.certificates.map((c) => c.unit)).toEqual(['tomcat', 'tomcat-ECDSA', 'ipsec', 'cup', 'cup-xmpp', 'cup-xmpp-s2s']);
    expect(lab.node('cucm01-pub')!.certificates.map((c) => c.unit)).toEqual(['tomcat', 'tomcat-ECDSA', 'ipsec', 'CallManager', 'CallManager-ECDSA', 'CAPF', 'TVS', 'ITLRecovery']);
    for (const c of imp.certificates) {
      const x = new X509Certificate(c.pem);
      expect(x.serialNumber.toUpperCase()).toBe(c.serialHex);
      expect(new Date(x.validTo).getTime()).toBe(c.notAfter.getTime());
      expect(x.checkPrivateKey(createKey(c.keyPem))).toBe(true);
      if (c.signedBy) {
        expect(x.verify(ca.publicKey)).toBe(true);
        expect(x.checkIssued(ca)).toBe(true);
        expect(x.subjectAltName).toContain(`DNS:${imp.fqdn}`);
        expect(x.subjectAltName).toContain(`IP Address:${imp.host}`);
      } else {
        expect(x.verify(x.publicKey)).toBe(true);
        expect(c.issuer).toBe(c.subject);
      }
    }
    expect(imp.certificates.filter((c) => c.signedBy).map((c) => c.unit)).toEqual(['tomcat', 'cup-xmpp']);
    expect(imp.certificates.find((c) => c.unit === 'tomcat-ECDSA')!.keyAlgorithm).toBe('EC');
  });

  it('cert-expiring replaces the unit (cup-xmpp by default), emits certificates, and clearing restores it', async () => {
    const { lab, faults, clock } = await frozenLab();
    const n = lab.node('imp01-pub')!;
    const original = n.certificates.find((c) => c.unit === 'cup-xmpp')!;
    const tomcat = n.certificates.find((c) => c.unit === 'tomcat')!;
    let events = 0;
    n.events.on('certificates', () => events++);
    const f = faults.inject({ kind: 'cert-expiring', target: 'imp01-pub', params: { days: '5' } });
    const now = n.certificates.find((c) => c.unit === 'cup-xmpp')!;
    expect(now).not.toBe(original);
    expect(Math.round((now.notAfter.getTime() - clock.now()) / 86_400_000)).toBe(5);
    expect(new X509Certificate(now.pem).verify(new X509Certificate(lab.ca.pem).publicKey)).toBe(true);
    expect(n.certificates.find((c) => c.unit === 'tomcat')).toBe(tomcat);
    expect(events).toBe(1);
    faults.clear(f.id);
    expect(n.certificates.find((c) => c.unit === 'cup-xmpp')).toBe(original);
    expect(events).toBe(2);
    const g = faults.inject({ kind: 'cert-expired', target: 'cucm01', params: { unit: 'tomcat' } });
    expect(lab.node('cucm01-pub')!.certificates.find((c) => c.unit === 'tomcat')!.notAfter.getTime()).toBeLessThan(clock.now());
    expect(g.nodes).toEqual(['cucm01-pub']);
    expect(() => faults.inject({ kind: 'cert-expired', target: 'imp01-pub', params: { unit: 'CAPF' } })).toThrow(/no certificate unit 'CAPF'/);
  });

  it('gives every node a distinct, seed-stable SSH host key', async () => {
    const a = await frozenLab({ clusters: 2 });
    const b = await frozenLab({ clusters: 2 });
    const keys = a.lab.nodes.map((n) => n.sshHostKey.publicLine);
    expect(new Set(keys).size).toBe(keys.length);
    expect(b.lab.nodes.map((n) => n.sshHostKey.publicLine)).toEqual(keys);
    expect(a.lab.nodes[0].sshHostKey.privatePem).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
  });
});

import { createPrivateKey } from 'node:crypto';
function createKey(pem: string) {
  return createPrivateKey(pem);
}

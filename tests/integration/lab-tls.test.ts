// The lab's TLS certificate listeners (cup-xmpp 5222, cup-xmpp-s2s 5269, cup 5061) probed with
// `openssl s_client` and node:tls: the unit's certificate and chain, STARTTLS on XMPP, certificate
// replacement, faults and the handshake counter. Address base 127.43.
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FrontEnd, LabCertificate, LabDeployment, LabNode } from '../../lab/model';
import { buildDeployment } from '../../lab/state/deployment';
import { startTlsFrontEnd } from '../../lab/tls/listeners';

let lab: LabDeployment;
let node: LabNode;
const frontEnds: FrontEnd[] = [];

beforeAll(async () => {
  lab = await buildDeployment({ clusters: 1, nodes: 2, usersPerCluster: 100, addressBase: '127.43' });
  node = lab.node('imp01-sub1') as LabNode;
  for (const n of lab.nodes) frontEnds.push(await startTlsFrontEnd(n, lab));
});

afterAll(async () => {
  for (const f of frontEnds) await f.close();
});

afterEach(() => {
  Object.assign(node.faults, { down: false, hang: false, slowMs: 0 });
  node.events.emit('faults');
});

function openssl(args: string[], input = ''): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => p.kill(), 10_000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
    p.stdin.end(input);
  });
}

function pems(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function unitCert(n: LabNode, unit: string): LabCertificate {
  const c = n.certificates.find((x) => x.unit === unit);
  if (!c) throw new Error(`${n.name} has no ${unit}`);
  return c;
}

const norm = (pem: string): string => pem.replace(/\s+/g, '');

describe('lab TLS listeners', () => {
  for (const [unit, port] of [
    ['cup-xmpp', 5222],
    ['cup-xmpp-s2s', 5269],
    ['cup', 5061],
  ] as const) {
    it(`openssl s_client on ${port} gets the ${unit} certificate and chain`, async () => {
      const cert = unitCert(node, unit);
      expect(node.ports.certs[unit]).toBe(port);
      const { out } = await openssl(['s_client', '-connect', `${node.host}:${port}`, '-servername', node.fqdn, '-showcerts', '-ign_eof']);
      const chain = pems(out);
      expect(chain.length).toBe(1 + cert.chainPem.length);
      expect(norm(chain[0])).toBe(norm(cert.pem));
      const leaf = new X509Certificate(chain[0]);
      expect(new Date(leaf.validTo).getTime()).toBe(Math.floor(cert.notAfter.getTime() / 1000) * 1000);
      expect(leaf.subject).toContain(`CN=${/CN=([^,]+)/.exec(cert.subject)?.[1]}`);
      // openssl prints subject/issuer lines: the issuer is the lab CA for CA-signed units, the node itself otherwise.
      const issuerCn = /CN=([^,]+)/.exec(cert.issuer)?.[1] ?? '';
      expect(out).toMatch(new RegExp(`issuer=.*CN ?= ?${issuerCn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      if (cert.signedBy) expect(cert.chainPem.length).toBeGreaterThan(0);
      if (unit !== 'cup') expect(out).toContain("<stream:error><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");
    });
  }

  it('XMPP STARTTLS negotiation presents the same certificate (openssl -starttls xmpp)', async () => {
    const cert = unitCert(node, 'cup-xmpp');
    const { out } = await openssl(['s_client', '-starttls', 'xmpp', '-xmpphost', node.cluster.imDomain, '-connect', `${node.host}:5222`, '-showcerts']);
    expect(norm(pems(out)[0] ?? '')).toBe(norm(cert.pem));
  });

  it('counts handshakes', async () => {
    const before = node.stats.tlsHandshakes;
    await openssl(['s_client', '-connect', `${node.host}:5061`]);
    expect(node.stats.tlsHandshakes).toBe(before + 1);
  });

  it('follows certificate replacement (certificates event) without restarting', async () => {
    const xmpp = unitCert(node, 'cup-xmpp');
    const saved = { ...xmpp };
    const donor = unitCert(node, 'cup-xmpp-s2s');
    Object.assign(xmpp, { pem: donor.pem, keyPem: donor.keyPem, chainPem: donor.chainPem });
    node.events.emit('certificates');
    try {
      const { out } = await openssl(['s_client', '-connect', `${node.host}:5222`, '-showcerts']);
      expect(norm(pems(out)[0] ?? '')).toBe(norm(donor.pem));
    } finally {
      Object.assign(xmpp, saved);
      node.events.emit('certificates');
    }
    const { out } = await openssl(['s_client', '-connect', `${node.host}:5222`, '-showcerts']);
    expect(norm(pems(out)[0] ?? '')).toBe(norm(xmpp.pem));
  });

  it('node-down refuses connections until cleared', async () => {
    node.faults.down = true;
    node.events.emit('faults');
    await new Promise((r) => setTimeout(r, 50));
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const s = tcpConnect(5269, node.host);
      s.on('connect', () => resolve(Object.assign(new Error('connected'), { code: 'CONNECTED' })));
      s.on('error', resolve);
    });
    expect(err.code).toBe('ECONNREFUSED');
    node.faults.down = false;
    node.events.emit('faults');
    await new Promise((r) => setTimeout(r, 50));
    const { out } = await openssl(['s_client', '-connect', `${node.host}:5269`]);
    expect(out).toContain('BEGIN CERTIFICATE');
  });

  it('hang accepts TCP and never completes the handshake', async () => {
    node.faults.hang = true;
    node.events.emit('faults');
    const outcome = await new Promise<string>((resolve) => {
      const s = tlsConnect({ host: node.host, port: 5222, rejectUnauthorized: false });
      const t = setTimeout(() => {
        s.destroy();
        resolve('no handshake');
      }, 800);
      s.on('secureConnect', () => {
        clearTimeout(t);
        s.destroy();
        resolve('handshake');
      });
      s.on('error', (e) => {
        clearTimeout(t);
        resolve(`error ${e.message}`);
      });
    });
    expect(outcome).toBe('no handshake');
  });

  it('CUCM nodes have no TLS listeners of their own (tomcat is served on 8443)', async () => {
    const cucm = lab.node('cucm01-pub') as LabNode;
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const s = tcpConnect(5061, cucm.host);
      s.on('connect', () => resolve(Object.assign(new Error('connected'), { code: 'CONNECTED' })));
      s.on('error', resolve);
    });
    expect(err.code).toBe('ECONNREFUSED');
  });
});

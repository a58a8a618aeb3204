// SoapTransport against a scripted local HTTPS server: cookies, auth fallback, error classes,
// TLS trust modes, timeouts and the request hooks.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectError, ParseError, SoapFaultError } from '../../collectors/errors';
import { SoapTransport, type SoapTransportOptions } from '../../collectors/clients/http';
import type { RequestEvent } from '../../collectors/clients/hooks';
import type { Trust } from '../../collectors/clients/trust';
import { makePki, startHttps, RATE_FAULT, SOAP_FAULT, SOAP_OK, type Leaf, type Pki, type TestServer } from './clients-helpers';
import { failure } from '../helpers/failure';

const HOST = '127.60.0.1';
const NODE = 'imp01-pub.uc01.example.com';
let pki: Pki;
let leaf: Leaf;
let server: TestServer;

beforeAll(async () => {
  pki = await makePki();
  leaf = await pki.issue({ cn: NODE, ips: [HOST] });
  server = await startHttps(HOST, leaf);
});
afterAll(async () => server.close());

const ca = (): Trust => ({ mode: 'ca', ca: pki.caPem, source: 'test-ca.pem' });
function transport(over: Partial<SoapTransportOptions> = {}): SoapTransport {
  return new SoapTransport({ node: NODE, host: HOST, port: server.port, trust: ca(), credentials: () => ({ username: 'axladmin', password: 's3cret' }), timeoutMs: 2000, ...over });
}
const parseOk = (xml: string) => {
  if (!xml.includes('<ok')) throw new ParseError('test response', 1, 'expected <ok/>');
  return xml;
};
const req = { protocol: 'perfmon' as const, operation: 'perfmonOpenSession', path: '/perfmonservice2/services/PerfmonService', soapAction: '"perfmonOpenSession"', body: '<x/>', parse: parseOk };

describe('SoapTransport cookies and auth', () => {
  it('authenticates with Basic once, then sends only the session cookies', async () => {
    server.seen.length = 0;
    server.handler = (r, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml', 'Set-Cookie': ['JSESSIONIDSSO=ABC123; Path=/; Secure; HttpOnly', 'JSESSIONID=J1; Path=/'] });
      res.end('<ok/>');
    };
    const t = transport();
    await t.request(req);
    await t.request(req);
    await t.request(req);
    t.close();
    expect(server.seen).toHaveLength(3);
    expect(server.seen[0].headers.authorization).toBe(`Basic ${Buffer.from('axladmin:s3cret').toString('base64')}`);
    expect(server.seen[0].headers.soapaction).toBe('"perfmonOpenSession"');
    for (const s of server.seen.slice(1)) {
      expect(s.headers.authorization).toBeUndefined();
      expect(s.headers.cookie).toBe('JSESSIONIDSSO=ABC123; JSESSIONID=J1');
    }
  });

  it('re-sends once with Basic when the cookie is stale (404) and reports both attempts', async () => {
    server.seen.length = 0;
    let n = 0;
    server.handler = (r, res) => {
      n++;
      if (r.headers.cookie === 'JSESSIONIDSSO=OLD') {
        res.writeHead(404, { 'Content-Type': 'text/html' });
        return res.end('<html>gone</html>');
      }
      res.writeHead(200, { 'Set-Cookie': n === 1 ? 'JSESSIONIDSSO=OLD; Path=/' : 'JSESSIONIDSSO=NEW; Path=/' });
      res.end('<ok/>');
    };
    const events: RequestEvent[] = [];
    const t = transport({ hooks: { onRequest: (e) => events.push(e) } });
    await t.request(req);
    await t.request(req);
    expect(server.seen.map((s) => s.headers.authorization === undefined)).toEqual([false, true, false]);
    await t.request(req);
    expect(server.seen[3].headers.cookie).toBe('JSESSIONIDSSO=NEW');
    t.close();
    expect(events.map((e) => `${e.auth}:${e.outcome}`)).toEqual(['basic:ok', 'cookie:auth', 'basic:ok', 'cookie:ok']);
  });

  it('401 with the HTML page is an auth error, never parsed', async () => {
    server.handler = (_r, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Cisco VTG Realm"', 'Content-Type': 'text/html;charset=utf-8' });
      res.end('<!-- custom Cisco error page --><html><body>Unauthorized</body></html>');
    };
    const t = transport();
    const err = await failure(t.request(req));
    t.close();
    expect(err.kind).toBe('auth');
    expect(err.message).toContain(NODE);
    expect(err.message).toContain('perfmonOpenSession');
    expect(err.message).not.toContain('s3cret');
  });

  it('403 is auth (role missing)', async () => {
    server.handler = (_r, res) => {
      res.writeHead(403);
      res.end('Forbidden');
    };
    const t = transport();
    expect((await failure(t.request(req))).kind).toBe('auth');
    t.close();
  });

  it('a missing secret is a config error before anything is sent', async () => {
    server.seen.length = 0;
    const t = transport({
      credentials: () => {
        throw new Error('environment variable AXL_PASSWORD (from env:AXL_PASSWORD) is not set');
      },
    });
    const err = await failure(t.request(req));
    t.close();
    expect(err.kind).toBe('config');
    expect(server.seen).toHaveLength(0);
  });
});

describe('SoapTransport response classes', () => {
  it('RateControl fault → rate-limit; other faults → fault with the faultstring', async () => {
    server.handler = (_r, res) => {
      res.writeHead(500, { 'Content-Type': 'text/xml;charset=UTF-8' });
      res.end(RATE_FAULT);
    };
    const t = transport();
    const rate = await failure(t.request(req));
    expect(rate).toBeInstanceOf(SoapFaultError);
    expect(rate.kind).toBe('rate-limit');
    server.handler = (_r, res) => {
      res.writeHead(500, { 'Content-Type': 'text/xml;charset=UTF-8' });
      res.end(SOAP_FAULT('Error found in Adding counters: Error=101 ErrorMsg=\\\\imp01-pub\\Cisco CallManager\\Calls;'));
    };
    const fault = (await failure(t.request(req))) as SoapFaultError;
    t.close();
    expect(fault.kind).toBe('fault');
    expect(fault.faultstring).toContain('Error=101');
    expect(fault.faultcode).toContain('Server');
  });

  it('500 without a fault and other statuses → http; 200 garbage → parse', async () => {
    const t = transport();
    server.handler = (_r, res) => {
      res.writeHead(500);
      res.end('<html>Internal error</html>');
    };
    expect((await failure(t.request(req))).kind).toBe('http');
    server.handler = (_r, res) => {
      res.writeHead(503);
      res.end('busy');
    };
    const e503 = await failure(t.request(req));
    expect(e503.kind).toBe('http');
    expect(e503.message).toContain('503');
    server.handler = (_r, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end('<soapenv:Envelope><soapenv:Bo');
    };
    const parse = await failure(t.request(req));
    t.close();
    expect(parse.kind).toBe('parse');
    expect(parse).toBeInstanceOf(ParseError);
  });

  it('accepts a real SOAP body', async () => {
    server.handler = (_r, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(SOAP_OK('<ok/>'));
    };
    const t = transport();
    expect(await t.request(req)).toContain('<ok/>');
    t.close();
  });
});

describe('SoapTransport TLS trust', () => {
  it('CA bundle verifies the node; a different CA fails with tls naming the OpenSSL code', async () => {
    server.handler = (_r, res) => res.end('<ok/>');
    const good = transport();
    await expect(good.request(req)).resolves.toContain('<ok');
    good.close();
    const other = await makePki('Some Other CA');
    const bad = transport({ trust: { mode: 'ca', ca: other.caPem, source: 'other.pem' } });
    const err = await failure(bad.request(req));
    bad.close();
    expect(err.kind).toBe('tls');
    expect(err.message).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/);
  });

  it('system trust rejects the private CA (verification is the default)', async () => {
    const t = transport({ trust: { mode: 'system' } });
    expect((await failure(t.request(req))).kind).toBe('tls');
    t.close();
  });

  it('a certificate for another name (and not for the address) fails the identity check', async () => {
    const otherLeaf = await pki.issue({ cn: 'cucm01-pub.uc01.example.com' });
    const s = await startHttps('127.60.0.5', otherLeaf);
    const t = new SoapTransport({ node: NODE, host: '127.60.0.5', port: s.port, trust: ca(), credentials: () => ({ username: 'u', password: 'p' }), timeoutMs: 2000 });
    const err = await failure(t.request(req));
    t.close();
    await s.close();
    expect(err.kind).toBe('tls');
    expect(err.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('short node name matches the FQDN certificate', async () => {
    const t = transport({ node: 'imp01-pub' });
    await expect(t.request(req)).resolves.toContain('<ok');
    t.close();
  });

  it('pinned fingerprint passes; an unpinned leaf fails before any byte of the request is sent', async () => {
    server.seen.length = 0;
    const pinned = transport({ trust: { mode: 'fingerprints', fingerprints: new Set([leaf.fingerprint256]) } });
    await expect(pinned.request(req)).resolves.toContain('<ok');
    pinned.close();
    expect(server.seen).toHaveLength(1);
    const wrong = transport({ trust: { mode: 'fingerprints', fingerprints: new Set(['AA:'.repeat(31) + 'AA']) } });
    const err = await failure(wrong.request(req));
    wrong.close();
    expect(err.kind).toBe('tls');
    expect(err.message).toContain('FINGERPRINT_NOT_PINNED');
    expect(server.seen).toHaveLength(1);
  });

  it('insecure is explicit and visible', async () => {
    const t = transport({ trust: { mode: 'insecure' } });
    expect(t.insecure).toBe(true);
    await expect(t.request(req)).resolves.toContain('<ok');
    t.close();
    const v = transport();
    expect(v.insecure).toBe(false);
    v.close();
  });

  it('an expired certificate fails with CERT_HAS_EXPIRED', async () => {
    const expired = await pki.issue({ cn: NODE, ips: ['127.60.0.2'], notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    const s = await startHttps('127.60.0.2', expired);
    const t = new SoapTransport({ node: NODE, host: '127.60.0.2', port: s.port, trust: ca(), credentials: () => ({ username: 'u', password: 'p' }), timeoutMs: 2000 });
    const err = await failure(t.request(req));
    t.close();
    await s.close();
    expect(err.kind).toBe('tls');
    expect(err.message).toContain('CERT_HAS_EXPIRED');
  });
});

describe('SoapTransport timeouts, connections, hooks', () => {
  it('a node that accepts TCP and never answers times out within the configured timeout', async () => {
    const sockets: net.Socket[] = [];
    const hang = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => hang.listen(0, '127.60.0.3', r));
    const port = (hang.address() as net.AddressInfo).port;
    const t = new SoapTransport({ node: 'hung', host: '127.60.0.3', port, trust: ca(), credentials: () => ({ username: 'u', password: 'p' }), timeoutMs: 300 });
    const started = Date.now();
    const err = await failure(t.request(req));
    const took = Date.now() - started;
    t.close();
    sockets.forEach((s) => s.destroy());
    hang.close();
    expect(err.kind).toBe('timeout');
    expect(err.message).toContain('hung');
    expect(err.message).toContain('perfmonOpenSession');
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(2000);
  });

  it('a slow HTTP answer after the TLS handshake also times out', async () => {
    server.handler = (_r, res) => setTimeout(() => res.end('<ok/>'), 1500);
    const t = transport({ timeoutMs: 200 });
    expect((await failure(t.request(req))).kind).toBe('timeout');
    t.close();
  });

  it('refused connection → connection', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.60.0.4', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const t = new SoapTransport({ node: 'gone', host: '127.60.0.4', port, trust: ca(), credentials: () => ({ username: 'u', password: 'p' }) });
    const err = await failure(t.request(req));
    t.close();
    expect(err.kind).toBe('connection');
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('beforeRequest gates every request; a budget refusal sends nothing and is reported unsent', async () => {
    server.seen.length = 0;
    server.handler = (_r, res) => res.end('<ok/>');
    let allowed = 1;
    const events: RequestEvent[] = [];
    const t = transport({
      hooks: {
        beforeRequest: () => {
          if (allowed-- <= 0) throw new CollectError('budget', 'perfmon budget of imp01-pub exhausted');
        },
        onRequest: (e) => events.push(e),
      },
    });
    await t.request(req);
    const err = await failure(t.request(req));
    t.close();
    expect(err.kind).toBe('budget');
    expect(server.seen).toHaveLength(1);
    expect(events.map((e) => [e.protocol, e.operation, e.outcome, e.sent])).toEqual([
      ['perfmon', 'perfmonOpenSession', 'ok', true],
      ['perfmon', 'perfmonOpenSession', 'budget', false],
    ]);
  });

  it('keeps one keep-alive connection for sequential requests', async () => {
    server.handler = (_r, res) => res.end('<ok/>');
    server.seen.length = 0;
    const t = transport();
    for (let i = 0; i < 5; i++) await t.request(req);
    t.close();
    expect(server.seen).toHaveLength(5);
    expect(new Set(server.seen.map((s) => s.remotePort)).size).toBe(1);
  });
});

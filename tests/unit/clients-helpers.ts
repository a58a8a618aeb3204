// Test helpers for the client unit tests: a throw-away PKI and a scripted local HTTPS server.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webcrypto } from 'node:crypto';
import 'reflect-metadata'; // @peculiar/x509's tsyringe needs the Reflect metadata API
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface Leaf {
  certPem: string;
  keyPem: string;
  fingerprint256: string;
}

export interface Pki {
  caPem: string;
  issue(opts: { cn: string; dns?: string[]; ips?: string[]; notBefore?: Date; notAfter?: Date }): Promise<Leaf>;
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

export async function makePki(name = 'Test Root CA'): Promise<Pki> {
  const caKeys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${name}`,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 365 * 86_400_000),
    keys: caKeys,
    signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  let serial = 2;
  return {
    caPem: ca.toString('pem'),
    async issue(o) {
      const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: (serial++).toString(16).padStart(2, '0'),
        subject: `CN=${o.cn}`,
        issuer: ca.subject,
        notBefore: o.notBefore ?? new Date(now - 86_400_000),
        notAfter: o.notAfter ?? new Date(now + 90 * 86_400_000),
        signingKey: caKeys.privateKey,
        publicKey: keys.publicKey,
        signingAlgorithm: alg,
        extensions: [
          new x509.SubjectAlternativeNameExtension([...(o.dns ?? [o.cn]).map((value) => ({ type: 'dns' as const, value })), ...(o.ips ?? []).map((value) => ({ type: 'ip' as const, value }))]),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        ],
      });
      const certPem = leaf.toString('pem');
      const { X509Certificate } = await import('node:crypto');
      return { certPem, keyPem: await keyPem(keys.privateKey), fingerprint256: new X509Certificate(certPem).fingerprint256 };
    },
  };
}

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Client port of the TCP connection (same port = reused keep-alive connection). */
  remotePort: number;
}

export type Handler = (req: Seen, res: ServerResponse) => void;

export interface TestServer {
  host: string;
  port: number;
  seen: Seen[];
  handler: Handler;
  close(): Promise<void>;
}

/** HTTPS server on `host`:ephemeral; set `server.handler` per test. Records every request. */
export async function startHttps(host: string, leaf: Leaf): Promise<TestServer> {
  const state: TestServer = {
    host,
    port: 0,
    seen: [],
    handler: (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end('<ok/>');
    },
    close: async () => undefined,
  };
  const server = https.createServer({ key: leaf.keyPem, cert: leaf.certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), remotePort: req.socket.remotePort ?? 0 };
      state.seen.push(seen);
      state.handler(seen, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

export const SOAP_OK = (inner: string) =>
  `<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;

export const SOAP_FAULT = (faultstring: string, faultcode = 'soapenv:Server') =>
  SOAP_OK(`<soapenv:Fault><faultcode>${faultcode}</faultcode><faultstring>${faultstring}</faultstring><detail /></soapenv:Fault>`);

export const RATE_FAULT = SOAP_OK(
  `<soapenv:Fault><faultcode xmlns:ns1="http://schemas.cisco.com/ast/soap">ns1:Server.RateControl</faultcode><faultstring>Exceeded allowed rate for Perfmon information. Current allowed rate for perfmon information is 50 requests per minute.</faultstring><detail><ns1:hostname xmlns:ns1="http://schemas.cisco.com/ast/soap">PerfmonService</ns1:hostname></detail></soapenv:Fault>`,
);

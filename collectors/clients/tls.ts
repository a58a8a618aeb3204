// Certificate probe: what a node presents on a TLS port (tomcat 8443, cup-xmpp 5222,
// cup-xmpp-s2s 5269, cup 5061). Verification is recorded as data, never a failure: an expired
// or untrusted certificate is exactly what the certificates source wants to see.
//
//   const r = await probeTls('10.0.0.5', 5061, { servername: 'imp01-pub.example.com', trust, timeoutMs: 10_000 });
//   r.chain[0].notAfter; r.authorized; r.authorizationError  // e.g. 'CERT_HAS_EXPIRED'
//
// XMPP ports speak STARTTLS on real IM&P nodes: pass `starttls: 'xmpp-client'` (5222) or
// 'xmpp-server' (5269) to negotiate it first (RFC 6120 §5); the default is TLS from the first byte.
import net from 'node:net';
import tls, { type PeerCertificate, type TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { CollectError } from '../errors';
import { gate, report, type RequestHooks } from './hooks';
import { checkPinned, identityChecker, secureContextFor, type Trust } from './trust';
import { formatDn } from '../parsers/cert-own';

export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** subjectAltName entries, e.g. "DNS:imp01-pub.example.com", "IP Address:10.0.0.5". */
  sans: string[];
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** "AB:CD:…" upper-case. */
  fingerprint256: string;
  pem: string;
  selfSigned: boolean;
}

export interface TlsProbeResult {
  host: string;
  port: number;
  servername?: string;
  /** Leaf first, then issuers as presented/resolved. */
  chain: CertificateInfo[];
  /** Whether the chain (and name) verified against the trust; for pinned trust, whether the leaf is pinned. */
  authorized: boolean;
  /** OpenSSL-style code when not authorized, e.g. CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID. */
  authorizationError?: string;
  protocol?: string;
  cipher?: string;
}

export interface TlsProbeOptions {
  /** SNI and the name the certificate is checked against (default: none, the address). */
  servername?: string;
  /** Default: system CAs. `insecure` means "do not judge": authorized is then false with authorizationError 'NOT_VERIFIED'. */
  trust?: Trust;
  /** Whole probe, ms. Default 10 000. */
  timeoutMs?: number;
  starttls?: 'xmpp-client' | 'xmpp-server';
  /** XMPP stream `to` domain (default: servername or host). */
  xmppDomain?: string;
  /** Node name for errors and hooks (default host). */
  node?: string;
  /** Operation label for hooks, e.g. the unit "cup-xmpp". Default "handshake". */
  operation?: string;
  hooks?: RequestHooks;
}

/** Connects, records the presented chain and the verification outcome, and disconnects. */
export async function probeTls(host: string, port: number, opts: TlsProbeOptions = {}): Promise<TlsProbeResult> {
  const node = opts.node ?? host;
  const info = { node, protocol: 'tls' as const, operation: opts.operation ?? `handshake:${port}` };
  await gate(opts.hooks, info);
  const started = performance.now();
  try {
    const result = await probe(host, port, opts, node);
    report(opts.hooks, { ...info, outcome: 'ok', sent: true, durationMs: performance.now() - started });
    return result;
  } catch (err) {
    const e = err instanceof CollectError ? err : new CollectError('connection', `${node}: TLS probe ${host}:${port}: ${(err as Error).message}`, { cause: err });
    report(opts.hooks, { ...info, outcome: e.kind, sent: true, durationMs: performance.now() - started });
    throw e;
  }
}

function probe(host: string, port: number, opts: TlsProbeOptions, node: string): Promise<TlsProbeResult> {
  const trust = opts.trust ?? { mode: 'system' };
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const where = `${node}: TLS probe ${host}:${port}`;
  return new Promise<TlsProbeResult>((resolve, reject) => {
    let settled = false;
    const sockets: net.Socket[] = [];
    const finish = (err: unknown, value?: TlsProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Destroy only the outermost socket: a TLS socket wrapping the STARTTLS plain socket
      // closes it itself (destroying both crashes node 20).
      sockets[sockets.length - 1]?.destroy();
      if (err) reject(err);
      else resolve(value!);
    };
    const timer = setTimeout(() => finish(new CollectError('timeout', `${where}: no handshake within ${timeoutMs} ms`)), timeoutMs);
    const onNetError = (err: NodeJS.ErrnoException) =>
      finish(new CollectError(err.code === 'ETIMEDOUT' ? 'timeout' : 'connection', `${where}: ${err.code ?? ''} ${err.message}`.replace(/\s+/g, ' '), { cause: err }));

    const startTls = (socket?: net.Socket) => {
      const tlsSocket: TLSSocket = tls.connect({
        ...(socket ? { socket } : { host, port }),
        servername: opts.servername && net.isIP(opts.servername) === 0 ? opts.servername : undefined,
        rejectUnauthorized: false,
        ...(trust.mode === 'ca' ? { secureContext: secureContextFor(trust) } : {}),
        checkServerIdentity: identityChecker(opts.servername ? [opts.servername] : []),
      });
      sockets.push(tlsSocket);
      tlsSocket.once('error', (err: NodeJS.ErrnoException) => {
        // A handshake the peer aborts (bad protocol, alert) is a failure to probe, not a verdict.
        finish(new CollectError(err.code && /SSL|TLS/.test(err.code) ? 'tls' : 'connection', `${where}: ${err.code ?? ''} ${err.message}`.replace(/\s+/g, ' '), { cause: err }));
      });
      tlsSocket.once('secureConnect', () => {
        try {
          const chain = chainOf(tlsSocket.getPeerCertificate(true));
          if (chain.length === 0) throw new CollectError('tls', `${where}: the server presented no certificate`);
          let authorized = tlsSocket.authorized;
          let authorizationError = tlsSocket.authorizationError ? String(tlsSocket.authorizationError) : undefined;
          if (trust.mode === 'fingerprints') {
            const e = checkPinned(trust, tlsSocket);
            authorized = !e;
            authorizationError = e?.code;
          } else if (trust.mode === 'insecure') {
            authorized = false;
            authorizationError = 'NOT_VERIFIED';
          }
          const cipher = tlsSocket.getCipher();
          finish(undefined, {
            host,
            port,
            servername: opts.servername,
            chain,
            authorized,
            ...(authorized ? {} : { authorizationError }),
            protocol: tlsSocket.getProtocol() ?? undefined,
            cipher: cipher?.name,
          });
        } catch (err) {
          finish(err);
        }
      });
    };

    if (!opts.starttls) return startTls();

    const plain = net.connect({ host, port });
    sockets.push(plain);
    plain.once('error', onNetError);
    plain.once('connect', () => {
      const ns = opts.starttls === 'xmpp-server' ? 'jabber:server' : 'jabber:client';
      const domain = opts.xmppDomain ?? opts.servername ?? host;
      plain.write(`<?xml version='1.0'?><stream:stream to='${domain}' version='1.0' xmlns='${ns}' xmlns:stream='http://etherx.jabber.org/streams'>`);
      let text = '';
      let askedStartTls = false;
      const onData = (d: Buffer) => {
        text += d.toString('utf8');
        if (!askedStartTls && /<starttls[\s>/]/.test(text)) {
          askedStartTls = true;
          text = '';
          plain.write(`<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`);
        } else if (askedStartTls && /<proceed[\s>/]/.test(text)) {
          plain.off('data', onData);
          startTls(plain);
        } else if (/<failure[\s>/]|<\/stream:stream>|<stream:error/.test(text) || (!askedStartTls && /<\/stream:features>/.test(text))) {
          finish(new CollectError('tls', `${where}: XMPP server did not offer STARTTLS`));
        } else if (text.length > 64 * 1024) {
          finish(new CollectError('parse', `${where}: no STARTTLS negotiation in the first 64 KiB`));
        }
      };
      plain.on('data', onData);
    });
  });
}

function chainOf(leaf: tls.DetailedPeerCertificate | PeerCertificate): CertificateInfo[] {
  const out: CertificateInfo[] = [];
  const seen = new Set<string>();
  let cur = leaf as tls.DetailedPeerCertificate | undefined;
  while (cur && cur.raw && !seen.has(cur.fingerprint256)) {
    seen.add(cur.fingerprint256);
    const x = new X509Certificate(cur.raw);
    out.push({
      subject: formatDn(x.subject),
      issuer: formatDn(x.issuer),
      sans: x.subjectAltName ? x.subjectAltName.split(/,\s*/) : [],
      serialNumber: x.serialNumber,
      notBefore: new Date(x.validFrom),
      notAfter: new Date(x.validTo),
      fingerprint256: x.fingerprint256,
      pem: x.toString(),
      selfSigned: x.subject === x.issuer && x.verify(x.publicKey),
    });
    cur = cur.issuerCertificate;
  }
  return out;
}

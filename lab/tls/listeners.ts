// TLS listeners for the certificate units that have a port of their own on an IM&P node
// (reference/counters-certs-replication.md §3.2, §6): cup-xmpp (5222), cup-xmpp-s2s (5269) and
// cup (5061). tomcat is served by the HTTPS front-end. Each presents its unit's certificate and
// chain; the point is the certificate, so after the handshake the XMPP ports send a stream error
// and the SIP port closes.
//
// The XMPP ports also accept the standard STARTTLS negotiation (RFC 6120 §5), which is how Jabber
// clients and `openssl s_client -starttls xmpp` reach them: a connection whose first byte is `<`
// gets the plain-text stream features and `<proceed/>`, then the same handshake.
import { Socket, createServer, type Server as NetServer } from 'node:net';
import { Duplex } from 'node:stream';
import { TLSSocket, createSecureContext, type SecureContext } from 'node:tls';
import type { CertPortName, FrontEnd, LabCertificate, LabNode, StartFrontEnd } from '../model';

const STREAMS_NS = 'http://etherx.jabber.org/streams';
const TLS_NS = 'urn:ietf:params:xml:ns:xmpp-tls';
/** Time a client has to send its first bytes or finish the handshake before the lab hangs up. */
const HANDSHAKE_TIMEOUT_MS = 15_000;

type TlsPort = Exclude<CertPortName, 'tomcat'>;

function contextFor(cert: LabCertificate): SecureContext {
  return createSecureContext({ key: cert.keyPem, cert: [cert.pem, ...cert.chainPem].map((p) => p.trim()).join('\n') });
}

function certFor(node: LabNode, port: TlsPort): LabCertificate | undefined {
  return node.certificates.find((c) => c.port === port);
}

function xmppNamespace(port: TlsPort): string {
  return port === 'cup-xmpp-s2s' ? 'jabber:server' : 'jabber:client';
}

/** Stream header the server opens with (plain text before STARTTLS, or inside TLS). */
function streamHeader(node: LabNode, port: TlsPort, id: string): string {
  return `<?xml version='1.0'?><stream:stream xmlns='${xmppNamespace(port)}' xmlns:stream='${STREAMS_NS}' id='${id}' from='${node.cluster.imDomain}' version='1.0'>`;
}

/**
 * The socket as a stream that first yields `first` again. TLSSocket reads a net.Socket's handle
 * directly, so bytes already read (to tell TLS from XMPP) must be fed through a JS stream instead.
 */
function replay(socket: Socket, first: Buffer): Duplex {
  const stream = new Duplex({
    read: () => {
      socket.resume();
    },
    write: (chunk: Buffer, _enc, cb) => {
      socket.write(chunk, cb);
    },
    final: (cb) => {
      socket.end();
      cb();
    },
    destroy: (err, cb) => {
      socket.destroy();
      cb(err);
    },
  });
  stream.push(first);
  socket.on('data', (d: Buffer) => {
    if (!stream.push(d)) socket.pause();
  });
  socket.once('end', () => stream.push(null));
  socket.once('close', () => stream.destroy());
  socket.setTimeout(0);
  return stream;
}

class PortListener {
  private readonly server: NetServer;
  private readonly sockets = new Set<Socket>();
  private context: SecureContext;
  private listening = false;
  private streamSeq = 0;

  constructor(
    private readonly node: LabNode,
    readonly port: TlsPort,
    readonly number: number,
    cert: LabCertificate,
  ) {
    this.context = contextFor(cert);
    this.server = createServer((socket) => this.accept(socket));
  }

  refresh(): void {
    const cert = certFor(this.node, this.port);
    if (cert) this.context = contextFor(cert);
  }

  listen(): Promise<void> {
    if (this.listening) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void =>
        reject(new Error(`lab tls ${this.node.name} ${this.port}: cannot listen on ${this.node.host}:${this.number}: ${err.message}`));
      this.server.once('error', onError);
      this.server.listen(this.number, this.node.host, () => {
        this.server.off('error', onError);
        this.listening = true;
        resolve();
      });
    });
  }

  unlisten(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (!this.listening) return Promise.resolve();
    this.listening = false;
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => this.sockets.delete(socket));
    if (this.node.faults.hang) return; // accepted, never answered
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => socket.destroy());
    const slow = this.node.faults.slowMs;
    const begin = (): void => {
      if (socket.destroyed) return;
      if (this.port === 'cup') this.handshake(socket);
      else this.sniff(socket);
    };
    if (slow > 0) setTimeout(begin, slow);
    else begin();
  }

  /** XMPP ports: direct TLS when the first byte is a TLS record, STARTTLS when it is XML. */
  private sniff(socket: Socket): void {
    socket.once('data', (first: Buffer) => {
      socket.pause();
      if (first[0] === 0x16) {
        this.handshake(replay(socket, first));
        return;
      }
      this.startTls(socket, first.toString('utf8'));
    });
  }

  private startTls(socket: Socket, initial: string): void {
    let buffered = initial;
    let sentFeatures = false;
    const onData = (chunk: Buffer | string): void => {
      buffered += chunk.toString();
      if (!sentFeatures && /<stream:stream[^>]*>/.test(buffered)) {
        sentFeatures = true;
        socket.write(
          streamHeader(this.node, this.port, `lab${++this.streamSeq}`) +
            `<stream:features><starttls xmlns='${TLS_NS}'><required/></starttls></stream:features>`,
        );
      }
      if (sentFeatures && /<starttls[^>]*\/>|<starttls[^>]*>\s*<\/starttls>/.test(buffered)) {
        socket.off('data', onData);
        socket.write(`<proceed xmlns='${TLS_NS}'/>`, () => this.handshake(socket));
      } else if (buffered.length > 4096) socket.destroy();
    };
    socket.on('data', onData);
    socket.resume();
    onData('');
  }

  private handshake(raw: Socket | Duplex): void {
    const tls = new TLSSocket(raw as Socket, { isServer: true, secureContext: this.context });
    tls.on('error', () => raw.destroy());
    tls.once('secure', () => {
      if (raw instanceof Socket) raw.setTimeout(0);
      this.node.stats.tlsHandshakes++;
      if (this.port === 'cup') {
        // SIP over TLS: nothing to say to a certificate probe.
        tls.end();
        return;
      }
      // Not a real XMPP service: open the stream and close it with a stream error.
      tls.end(
        streamHeader(this.node, this.port, `lab${++this.streamSeq}`) +
          `<stream:error><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>`,
      );
    });
    raw.resume();
  }
}

export const startTlsFrontEnd: StartFrontEnd = async (node) => {
  const listeners: PortListener[] = [];
  for (const [name, number] of Object.entries(node.ports.certs) as Array<[CertPortName, number | undefined]>) {
    if (name === 'tomcat' || number === undefined) continue;
    const cert = certFor(node, name);
    if (cert) listeners.push(new PortListener(node, name, number, cert));
  }

  let closed = false;
  let applying: Promise<void> = Promise.resolve();
  const reconcile = (): void => {
    applying = applying
      .then(async () => {
        const want = !closed && !node.faults.down;
        await Promise.all(listeners.map((l) => (want ? l.listen() : l.unlisten())));
      })
      .catch(() => undefined);
  };
  const onCertificates = (): void => {
    for (const l of listeners) l.refresh();
  };
  node.events.on('faults', reconcile);
  node.events.on('certificates', onCertificates);

  if (!node.faults.down) {
    try {
      await Promise.all(listeners.map((l) => l.listen()));
    } catch (err) {
      await Promise.all(listeners.map((l) => l.unlisten()));
      node.events.off('faults', reconcile);
      node.events.off('certificates', onCertificates);
      throw err;
    }
  }

  return {
    async close() {
      closed = true;
      node.events.off('faults', reconcile);
      node.events.off('certificates', onCertificates);
      reconcile();
      await applying;
    },
  };
};

// The embedded product's one HTTP server: every request passes the gate (server/security/gate.ts:
// security headers, /healthz and /readyz, the route → role rules, sign-in, CSRF, body limits),
// then /metrics (the collector's registry, with its bearer token) or Next.js (dashboard pages
// and route handlers). Plain HTTP, or HTTPS from server.tls's certificate and key files.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serveMetricsRequest, type Collector } from '../collectors/index';
import { applySecurityHeaders, STRICT_POLICY } from './security/headers';
import type { Gate } from './security/gate';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  passphrase?: () => string;
}

export interface HttpOptions {
  host: string;
  port: number;
  collector?: Pick<Collector, 'metrics' | 'registry'>;
  /** The bearer token /metrics requires (read per request: a reload may change it). */
  metricsToken?: () => string | undefined;
  gate: Gate;
  /** HTTPS instead of HTTP. */
  tls?: TlsFiles;
  /** Next.js request handler. */
  next: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  log: (line: string) => void;
}

export interface HttpServer {
  server: Server;
  /** "http(s)://host:port" as bound. */
  url: string;
  /** Re-reads the certificate and key (a renewed certificate, without a restart). */
  reloadTls(): void;
  close(): Promise<void>;
}

function readTls(t: TlsFiles): { cert: Buffer; key: Buffer; passphrase?: string } {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`server.tls: cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  return { cert: read(t.certFile, 'the certificate'), key: read(t.keyFile, 'the key'), passphrase: t.passphrase?.() };
}

export async function startHttpServer(opts: HttpOptions): Promise<HttpServer> {
  const headerOptions = { tls: opts.tls !== undefined, dev: false };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    opts.gate
      .handle(req, res, {
        metrics: opts.collector ? (rq, rs) => serveMetricsRequest(opts.collector!, opts.metricsToken?.(), rq, rs) : undefined,
        next: opts.next,
      })
      .catch((err: unknown) => {
        opts.log(`request ${req.method} ${req.url} failed: ${(err as Error).message}`);
        if (!res.headersSent) {
          applySecurityHeaders(res, STRICT_POLICY, headerOptions);
          res.writeHead(500, { 'content-type': 'text/plain' });
        }
        res.end('internal error\n');
      });
  };
  let server: Server;
  if (opts.tls) {
    const material = readTls(opts.tls);
    server = createHttpsServer({ ...material, minVersion: 'TLSv1.2' }, handler) as unknown as Server;
  } else {
    server = createServer(handler);
  }
  // Slow clients cannot hold connections open forever (slowloris).
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`cannot listen on ${opts.host}:${opts.port}: the address is in use; choose another with --listen host:port`) : err),
    );
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    server,
    url: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
    reloadTls() {
      if (!opts.tls) return;
      (server as unknown as import('node:tls').Server).setSecureContext({ ...readTls(opts.tls), minVersion: 'TLSv1.2' });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// The embedded product's one HTTP server: /metrics (the collector's registry, with its bearer
// token) and everything else through Next.js (dashboard pages and route handlers).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveMetricsRequest, type Collector } from '../collectors/index';

export interface HttpOptions {
  host: string;
  port: number;
  collector?: Pick<Collector, 'metrics' | 'registry'>;
  metricsToken?: string;
  /** Next.js request handler. */
  next: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  log: (line: string) => void;
}

export interface HttpServer {
  server: Server;
  /** "http://host:port" as bound. */
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(opts: HttpOptions): Promise<HttpServer> {
  const server = createServer((req, res) => {
    // The peer address, for app/lib/actor.ts: set here, never taken from the client.
    req.headers['x-impulse-remote-address'] = req.socket.remoteAddress ?? 'unknown';
    if (opts.collector && (req.url === '/metrics' || req.url?.startsWith('/metrics?'))) {
      void serveMetricsRequest(opts.collector, opts.metricsToken, req, res);
      return;
    }
    opts.next(req, res).catch((err: unknown) => {
      opts.log(`request ${req.method} ${req.url} failed: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    });
  });
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
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

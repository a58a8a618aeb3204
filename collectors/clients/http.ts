// SOAP over HTTPS to one CUCM / IM&P node (PerfMon, Control Center, AXL share it).
//
//   const t = new SoapTransport({ node: 'imp01-pub', host: '10.0.0.5', trust, credentials });
//   const rows = await t.request({ protocol: 'axl', operation: 'executeSQLQuery', path: '/axl/',
//                                   soapAction: '"CUCM:DB ver=12.5 executeSQLQuery"', body, parse });
//
// One keep-alive agent per node (few sockets: PerfMon is rate limited per node anyway) and one
// cookie jar per node. After the first Basic-authenticated answer the node's cookies
// (JSESSIONIDSSO, JSESSIONID, SoapSession) are sent instead of Authorization; a 401 or 404 on a
// cookie request means the cookie went stale (30 min idle, wire-formats §3.8), so the request is
// re-sent once with Basic.
//
// Outcomes (reference/wire-formats.md §0, §1.7, §5 lesson 4):
//   200 → `parse(body)`; a parser rejection is CollectError 'parse'
//   401/403 → 'auth' (the HTML body is never parsed)
//   500 with a SOAP fault → SoapFaultError ('rate-limit' for RateControl / "Exceeded allowed rate")
//   anything else → 'http';  no answer in time → 'timeout';  refused/reset → 'connection';
//   certificate problems → 'tls' with the OpenSSL code in the message.
import https from 'node:https';
import type { IncomingMessage, ClientRequest } from 'node:http';
import type { Duplex } from 'node:stream';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { CollectError, ParseError, SoapFaultError } from '../errors';
import { parseSoapFault, isRateControlFault } from '../parsers/soap';
import { gate, report, type Protocol, type RequestHooks } from './hooks';
import { checkPinned, isTlsErrorCode, tlsOptionsFor, type Trust } from './trust';

export interface Credentials {
  username: string;
  password: string;
}

export interface SoapTransportOptions {
  /** Node name as configured (used in messages, hooks, and as the TLS identity / SNI name). */
  node: string;
  /** Address to connect to; defaults to `node`. */
  host?: string;
  /** HTTPS port (8443 on a real node). */
  port?: number;
  trust: Trust;
  /**
   * Called at the moment a request needs Basic credentials (never cached here, never logged).
   * May throw; the error becomes CollectError 'config'.
   */
  credentials: () => Credentials;
  /** Whole-request timeout (connect + send + full response), ms. Default 30 000. */
  timeoutMs?: number;
  /** Keep-alive sockets to this node. Default 2. */
  maxSockets?: number;
  hooks?: RequestHooks;
  /** Largest response accepted, bytes (AXL's own limit is 8 MB). Default 32 MiB. */
  maxResponseBytes?: number;
}

export interface SoapRequest<T> {
  protocol: Protocol;
  /** SOAP operation name, used in errors and hooks. */
  operation: string;
  /** URL path, e.g. "/perfmonservice2/services/PerfmonService". */
  path: string;
  /** SOAPAction header value including its quotes, e.g. `"perfmonOpenSession"`. */
  soapAction: string;
  /** Complete SOAP envelope. */
  body: string;
  /** Parses a 200 body (`source` = the node name, for error messages); throws ParseError on anything it does not understand. */
  parse: (xml: string, source: string) => T;
  /** Overrides the transport's timeout for this request. */
  timeoutMs?: number;
  /** Aborts the request (e.g. collector shutdown). */
  signal?: AbortSignal;
}

interface RawResponse {
  status: number;
  body: string;
  setCookie: string[];
  reusedSocket: boolean;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'EADDRNOTAVAIL']);

/** The SOAP/HTTPS channel to one node. */
export class SoapTransport {
  readonly node: string;
  readonly host: string;
  readonly port: number;
  /** True when the cluster opted out of TLS verification (shown in the UI). */
  readonly insecure: boolean;
  /** How this node's certificate is checked. */
  readonly trustMode: Trust['mode'];
  private readonly agent: https.Agent;
  private readonly jar = new Map<string, string>();
  private readonly opts: SoapTransportOptions;
  private closed = false;

  constructor(opts: SoapTransportOptions) {
    this.opts = opts;
    this.node = opts.node;
    this.host = opts.host ?? opts.node;
    this.port = opts.port ?? 8443;
    this.insecure = opts.trust.mode === 'insecure';
    this.trustMode = opts.trust.mode;
    this.agent = createNodeAgent(opts.trust, [opts.node, this.host], {
      maxSockets: opts.maxSockets ?? 2,
      servername: isIP(opts.node) === 0 ? opts.node : undefined,
      timeoutMs: opts.timeoutMs ?? 30_000,
    });
  }

  /** Whether a session cookie is held (the next request will not send Authorization). */
  get hasSessionCookie(): boolean {
    return this.jar.size > 0;
  }

  /** Sends one SOAP request (plus at most one Basic retry after a stale cookie) and parses the answer. */
  async request<T>(req: SoapRequest<T>): Promise<T> {
    if (this.closed) throw new CollectError('connection', `${this.node}: ${req.operation}: client closed`);
    const info = { node: this.node, protocol: req.protocol, operation: req.operation };
    for (let attempt = 0; ; attempt++) {
      const useCookie = this.jar.size > 0;
      await gate(this.opts.hooks, info);
      const started = performance.now();
      const auth = useCookie ? ('cookie' as const) : ('basic' as const);
      let res: RawResponse;
      try {
        res = await this.send(req, useCookie);
      } catch (err) {
        const e = this.classify(err, req);
        report(this.opts.hooks, { ...info, outcome: e.kind, sent: true, durationMs: performance.now() - started, auth });
        throw e;
      }
      this.storeCookies(res.setCookie);
      const done = (outcome: Parameters<typeof report>[1]['outcome']) =>
        report(this.opts.hooks, { ...info, outcome, sent: true, durationMs: performance.now() - started, status: res.status, auth });

      if (useCookie && (res.status === 401 || res.status === 404) && attempt === 0) {
        // Stale session cookie: drop it and authenticate again (wire-formats §3.8).
        this.jar.clear();
        done('auth');
        continue;
      }
      try {
        const value = this.interpret(req, res);
        done('ok');
        return value;
      } catch (err) {
        const e = err instanceof CollectError ? err : new ParseError(`${req.operation} response from ${this.node}`, undefined, (err as Error).message);
        done(e.kind);
        throw e;
      }
    }
  }

  /** Drops the session cookies (next request authenticates with Basic). */
  forgetSession(): void {
    this.jar.clear();
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  private interpret<T>(req: SoapRequest<T>, res: RawResponse): T {
    const what = `${this.node}: ${req.operation}`;
    if (res.status === 200) return req.parse(res.body, `${req.operation} response from ${this.node}`);
    if (res.status === 401 || res.status === 403) {
      this.jar.clear();
      const reason = res.status === 401 ? 'credentials rejected' : 'user lacks the required role';
      throw new CollectError('auth', `${what}: HTTP ${res.status} (${reason})`);
    }
    if (res.status === 500) {
      let fault: ReturnType<typeof parseSoapFault>;
      try {
        fault = parseSoapFault(res.body, `${req.operation} fault from ${this.node}`);
      } catch {
        fault = undefined; // an HTML error page or truncated body: no fault to report
      }
      if (fault) throw new SoapFaultError(isRateControlFault(fault) ? 'rate-limit' : 'fault', fault.faultcode, fault.faultstring, `${what}`);
      throw new CollectError('http', `${what}: HTTP 500 without a SOAP fault`);
    }
    throw new CollectError('http', `${what}: unexpected HTTP ${res.status}`);
  }

  private classify(err: unknown, req: SoapRequest<unknown>): CollectError {
    if (err instanceof CollectError) return err;
    const e = err as NodeJS.ErrnoException;
    const what = `${this.node}: ${req.operation}`;
    if (isTlsErrorCode(e.code)) return new CollectError('tls', `${what}: TLS verification failed: ${e.code}: ${e.message}`, { cause: err });
    if (e.code === 'ETIMEDOUT') return new CollectError('timeout', `${what}: connection timed out`, { cause: err });
    if (e.code && NETWORK_CODES.has(e.code)) return new CollectError('connection', `${what}: ${e.code} (${this.host}:${this.port})`, { cause: err });
    if (e.name === 'AbortError') return new CollectError('timeout', `${what}: aborted`, { cause: err });
    return new CollectError('connection', `${what}: ${e.code ?? ''} ${e.message}`.trim(), { cause: err });
  }

  private send(req: SoapRequest<unknown>, useCookie: boolean, retryOnStaleSocket = true): Promise<RawResponse> {
    const timeoutMs = req.timeoutMs ?? this.opts.timeoutMs ?? 30_000;
    const maxBytes = this.opts.maxResponseBytes ?? 32 * 1024 * 1024;
    const body = Buffer.from(req.body, 'utf8');
    const headers: Record<string, string | number> = {
      'Content-Type': 'text/xml;charset=UTF-8',
      Accept: 'text/xml',
      SOAPAction: req.soapAction,
      'Content-Length': body.length,
    };
    if (useCookie) {
      headers.Cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    } else {
      let creds: Credentials;
      try {
        creds = this.opts.credentials();
      } catch (err) {
        return Promise.reject(new CollectError('config', `${this.node}: ${req.operation}: credentials unavailable: ${(err as Error).message}`, { cause: err }));
      }
      headers.Authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`, 'utf8').toString('base64')}`;
    }

    return new Promise<RawResponse>((resolve, reject) => {
      let settled = false;
      let httpReq: ClientRequest | undefined;
      const finish = (err: unknown, value?: RawResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        if (err) {
          httpReq?.destroy();
          // A keep-alive socket the server closed while idle: try once on a fresh one.
          if (retryOnStaleSocket && httpReq?.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET') {
            this.send(req, useCookie, false).then(resolve, reject);
            return;
          }
          reject(err);
        } else resolve(value!);
      };
      const timer = setTimeout(
        () => finish(new CollectError('timeout', `${this.node}: ${req.operation}: no answer within ${timeoutMs} ms (${this.host}:${this.port})`)),
        timeoutMs,
      );
      const onAbort = () => finish(new CollectError('timeout', `${this.node}: ${req.operation}: aborted (${String(req.signal?.reason ?? 'shutdown')})`));
      if (req.signal?.aborted) return onAbort();
      req.signal?.addEventListener('abort', onAbort, { once: true });

      httpReq = https.request(
        { host: this.host, port: this.port, method: 'POST', path: req.path, headers, agent: this.agent, timeout: timeoutMs },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > maxBytes) {
              finish(new CollectError('http', `${this.node}: ${req.operation}: response larger than ${maxBytes} bytes`));
              res.destroy();
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => {
            const sc = res.headers['set-cookie'];
            finish(undefined, {
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              setCookie: Array.isArray(sc) ? sc : sc ? [sc] : [],
              reusedSocket: httpReq?.reusedSocket ?? false,
            });
          });
          res.on('error', (err) => finish(err));
          res.on('aborted', () => finish(new CollectError('connection', `${this.node}: ${req.operation}: connection closed mid-response`)));
        },
      );
      httpReq.on('timeout', () =>
        finish(new CollectError('timeout', `${this.node}: ${req.operation}: socket idle for ${timeoutMs} ms (${this.host}:${this.port})`)),
      );
      httpReq.on('error', (err) => finish(err));
      httpReq.end(body);
    });
  }

  private storeCookies(setCookie: string[]): void {
    for (const line of setCookie) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a));
      if (!value || expired) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }
}

/**
 * A keep-alive agent that applies the node's trust. For pinned fingerprints the CA check is off,
 * so the socket is handed to the request only after the leaf's fingerprint matched: nothing
 * (not even Authorization) is written to an unpinned peer.
 */
/** A keep-alive HTTPS agent that verifies peers by `trust` (also used for the Prometheus history back end). */
export function createNodeAgent(trust: Trust, identityNames: string[], o: { maxSockets: number; servername?: string; timeoutMs: number }): https.Agent {
  const tlsOpts = tlsOptionsFor(trust, identityNames);
  class NodeAgent extends https.Agent {
    override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
      const socket = super.createConnection(options) as TLSSocket;
      if (trust.mode !== 'fingerprints' || !callback) return socket;
      const onError = (err: Error) => callback(err, socket);
      socket.setTimeout(o.timeoutMs, () => socket.destroy(Object.assign(new Error('TLS handshake timed out'), { code: 'ETIMEDOUT' })));
      socket.once('error', onError);
      socket.once('secureConnect', () => {
        socket.off('error', onError);
        const err = checkPinned(trust, socket);
        if (err) {
          socket.destroy();
          callback(err, socket);
        } else callback(null, socket);
      });
      return undefined;
    }
  }
  return new NodeAgent({
    keepAlive: true,
    maxSockets: o.maxSockets,
    maxFreeSockets: o.maxSockets,
    scheduling: 'lifo',
    ...(trust.mode === 'fingerprints' ? { maxCachedSessions: 0 } : {}),
    ...(o.servername ? { servername: o.servername } : {}),
    ...tlsOpts,
  });
}

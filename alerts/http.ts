// JSON over HTTP(S) to the endpoints alerting talks to (Alertmanager, webhook receivers,
// Prometheus' API), with the configuration's trust (CA bundle, pinned fingerprints, insecure
// opt-in), Basic or Bearer credentials read at the moment of the request, and a whole-request
// timeout. Errors say what failed without ever including a credential.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { checkPinned, isTlsErrorCode, tlsOptionsFor } from '../collectors/clients/trust';
import { readSecret } from '../config/resolve';
import type { Endpoint } from './settings';

export type HttpErrorKind = 'connection' | 'timeout' | 'tls' | 'http' | 'config';

export class AlertingHttpError extends Error {
  override name = 'AlertingHttpError';
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

const MAX_BODY = 16 * 1024 * 1024;

/** Sends one request; resolves for any 2xx, rejects with AlertingHttpError otherwise. */
export function requestJson(endpoint: Endpoint, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<JsonResponse> {
  const url = new URL(endpoint.url + path);
  const where = `${method} ${url.origin}${url.pathname}`;
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'IMPulse' };
  try {
    if (endpoint.auth?.kind === 'basic') headers.authorization = `Basic ${Buffer.from(`${endpoint.auth.username}:${readSecret(endpoint.auth.password)}`).toString('base64')}`;
    if (endpoint.auth?.kind === 'bearer') headers.authorization = `Bearer ${readSecret(endpoint.auth.token)}`;
  } catch (err) {
    return Promise.reject(new AlertingHttpError('config', `${where}: ${(err as Error).message}`));
  }
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  const secure = url.protocol === 'https:';
  return new Promise<JsonResponse>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new AlertingHttpError('timeout', `${where}: no answer within ${endpoint.timeoutMs} ms`)), endpoint.timeoutMs);
    const fail = (err: AlertingHttpError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const options = { method, headers, ...(secure ? { ...tlsOptionsFor(endpoint.trust, [url.hostname]), servername: /^[\d.]+$|:/.test(url.hostname) ? undefined : url.hostname } : {}) };
    const req = (secure ? https : http).request(url, options, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) fail(new AlertingHttpError('http', `${where}: response over ${MAX_BODY} bytes`, res.statusCode));
        else chunks.push(c);
      });
      res.on('error', (err) => fail(new AlertingHttpError('connection', `${where}: ${err.message}`)));
      res.on('end', () => {
        if (settled) return;
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          fail(new AlertingHttpError('http', `${where}: HTTP ${status}${text ? `: ${text.trim().slice(0, 300)}` : ''}`, status));
          return;
        }
        let parsed: unknown = undefined;
        if (text.trim()) {
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
        }
        settled = true;
        clearTimeout(timer);
        resolve({ status, body: parsed });
      });
    });
    req.on('socket', (socket) => {
      if (!secure || endpoint.trust.mode !== 'fingerprints') return;
      socket.once('secureConnect', () => {
        const bad = checkPinned(endpoint.trust, socket as TLSSocket);
        if (bad) fail(new AlertingHttpError('tls', `${where}: ${bad.message}`));
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const kind: HttpErrorKind = isTlsErrorCode(err.code) ? 'tls' : 'connection';
      fail(new AlertingHttpError(kind, `${where}: ${err.code ? `${err.code} ` : ''}${err.message}`));
    });
    if (payload) req.write(payload);
    req.end();
  });
}

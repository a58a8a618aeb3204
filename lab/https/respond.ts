// Writes responses with the header set of the [WIRE] captures in wire-formats §0:
// SOAP responses are chunked text/xml with the Tomcat security headers and an empty Server;
// the 401 page is text/html with a Content-Length and only WWW-Authenticate besides.
import type { ServerResponse } from 'node:http';
import {
  METHOD_NOT_ALLOWED_PAGE,
  NOT_FOUND_PAGE,
  PAYLOAD_TOO_LARGE_PAGE,
  SERVICE_UNAVAILABLE_PAGE,
  UNAUTHORIZED_PAGE,
} from './error-page';

const SECURITY_HEADERS: ReadonlyArray<[string, string]> = [
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubdomains'],
  [
    'Content-Security-Policy',
    "default-src *; script-src * 'unsafe-inline' 'unsafe-eval';style-src * 'unsafe-inline'; img-src * data: 'unsafe-inline';",
  ],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-XSS-Protection', '1; mode=block'],
];

/** A SOAP (or WSDL) response: the header order of the [WIRE] 500 capture, chunked body. */
export function sendXml(res: ServerResponse, status: number, body: string, cookies: string[] = []): void {
  res.statusCode = status;
  for (const [k, v] of SECURITY_HEADERS) res.setHeader(k, v);
  if (cookies.length > 0) res.setHeader('Set-Cookie', cookies);
  res.setHeader('Content-Type', 'text/xml;charset=UTF-8');
  res.setHeader('Transfer-Encoding', 'chunked');
  res.setHeader('Date', new Date().toUTCString());
  res.setHeader('Server', '');
  res.write(body);
  res.end();
}

function sendHtml(res: ServerResponse, status: number, body: string, extra: Array<[string, string]> = []): void {
  res.statusCode = status;
  for (const [k, v] of extra) res.setHeader(k, v);
  res.setHeader('Content-Type', 'text/html;charset=utf-8');
  res.setHeader('Content-Length', String(Buffer.byteLength(body)));
  res.setHeader('Date', new Date().toUTCString());
  res.setHeader('Server', '');
  res.end(body);
}

/** Bad or missing credentials: [WIRE] wire-formats §0. */
export function sendUnauthorized(res: ServerResponse): void {
  sendHtml(res, 401, UNAUTHORIZED_PAGE, [['WWW-Authenticate', 'Basic realm="Cisco VTG Realm"']]);
}

/** Unknown path, or an SSO cookie past its idle expiry (wire-formats §3.8). */
export function sendNotFound(res: ServerResponse): void {
  sendHtml(res, 404, NOT_FOUND_PAGE);
}

export function sendMethodNotAllowed(res: ServerResponse, allow: string): void {
  sendHtml(res, 405, METHOD_NOT_ALLOWED_PAGE, [['Allow', allow]]);
}

export function sendServiceUnavailable(res: ServerResponse): void {
  sendHtml(res, 503, SERVICE_UNAVAILABLE_PAGE);
}

export function sendPayloadTooLarge(res: ServerResponse): void {
  sendHtml(res, 413, PAYLOAD_TOO_LARGE_PAGE, [['Connection', 'close']]);
}

/** Tomcat's context-root redirect (`/axl` → `/axl/`): 302 with a Location and no body. */
export function sendRedirect(res: ServerResponse, location: string): void {
  res.statusCode = 302;
  res.setHeader('Location', location);
  res.setHeader('Content-Length', '0');
  res.setHeader('Date', new Date().toUTCString());
  res.setHeader('Server', '');
  res.end();
}

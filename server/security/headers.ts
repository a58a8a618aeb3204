// Security headers for every response of the product's HTTP server: pages, route handlers,
// static assets, /metrics, /healthz, /readyz, and the gate's own refusals and errors.
//
// Pages get a Content-Security-Policy with a fresh nonce per request: the gate also puts the
// policy on the REQUEST, where Next.js finds the nonce and adds it to every script it renders
// (its runtime, the page chunks, the inline RSC payload). 'strict-dynamic' lets those scripts
// load the chunks they import; nothing else runs. Style attributes stay allowed (charts and
// server-rendered layouts set them); <style> elements need the nonce like scripts.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export interface HeaderOptions {
  /** Serving TLS: HSTS and upgrade-insecure-requests. */
  tls: boolean;
  /** Next.js development mode needs eval (React's error overlays) and inline styles. */
  dev: boolean;
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The policy for what Next.js renders (HTML pages, RSC payloads, route handlers). */
export function pagePolicy(nonce: string, o: HeaderOptions): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ''}`,
    o.dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${o.dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(o.tls ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** For everything that is not a page: nothing may load, nothing may frame it. */
export const STRICT_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const COMMON: ReadonlyArray<[string, string]> = [
  ['X-Content-Type-Options', 'nosniff'],
  // same-origin keeps the Origin header on our own form posts (the CSRF check reads it).
  ['Referrer-Policy', 'same-origin'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()'],
];

/** Sets the headers every response carries; `policy` is the CSP for this response. */
export function applySecurityHeaders(res: ServerResponse, policy: string, o: HeaderOptions): void {
  for (const [k, v] of COMMON) res.setHeader(k, v);
  res.setHeader('Content-Security-Policy', policy);
  // One year, this host only: a site's other hosts may not serve TLS.
  if (o.tls) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
}

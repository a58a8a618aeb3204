// TLS trust for one cluster (or LDAP server): a CA bundle, pinned leaf fingerprints, or an
// explicit insecure opt-in; without any of them, the system CAs with full verification.
// Shared by the SOAP transport (http.ts), the certificate probe (tls.ts) and LDAP (ldap.ts).
import { readFileSync } from 'node:fs';
import { checkServerIdentity, createSecureContext, type ConnectionOptions, type PeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import { CollectError } from '../errors';

/** Trust settings as they appear in the config (`clusters[].tls`, `ldap[].tls`). */
export interface TrustConfig {
  /** PEM file with the CA(s) that signed the nodes' certificates. */
  caBundle?: string;
  /** Pinned SHA-256 fingerprints of leaf certificates ("AB:CD:…" or 64 hex digits). */
  fingerprints?: string[];
  /** Explicit opt-out of verification. */
  insecure?: boolean;
}

/** Resolved trust: what a TLS connection is checked against. */
export type Trust =
  | { mode: 'system' }
  | { mode: 'ca'; ca: string; source: string }
  | { mode: 'fingerprints'; fingerprints: ReadonlySet<string> }
  | { mode: 'insecure' };

/** Upper-case, colon-separated, as node's `fingerprint256` prints it. */
export function normaliseFingerprint(fp: string): string {
  const hex = fp.replace(/:/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) throw new CollectError('config', `not a SHA-256 fingerprint: ${fp}`);
  return hex.match(/../g)!.join(':');
}

/** Reads the CA bundle (once, at client creation) and normalises fingerprints. Throws CollectError 'config'. */
export function resolveTrust(cfg: TrustConfig | undefined, what: string): Trust {
  const modes = [cfg?.caBundle !== undefined, cfg?.fingerprints !== undefined, cfg?.insecure === true].filter(Boolean).length;
  if (modes > 1) throw new CollectError('config', `${what}: choose one of caBundle, fingerprints or insecure: true`);
  if (cfg?.insecure) return { mode: 'insecure' };
  if (cfg?.fingerprints) return { mode: 'fingerprints', fingerprints: new Set(cfg.fingerprints.map(normaliseFingerprint)) };
  if (cfg?.caBundle !== undefined) {
    let ca: string;
    try {
      ca = readFileSync(cfg.caBundle, 'utf8');
    } catch (err) {
      throw new CollectError('config', `${what}: cannot read CA bundle ${cfg.caBundle}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new CollectError('config', `${what}: CA bundle ${cfg.caBundle} holds no PEM certificate`);
    return { mode: 'ca', ca, source: cfg.caBundle };
  }
  return { mode: 'system' };
}

/** Error code for a leaf whose fingerprint is not pinned (mirrors OpenSSL-style codes in messages). */
export const FINGERPRINT_MISMATCH = 'FINGERPRINT_NOT_PINNED';

/**
 * Identity check that accepts the certificate when it names either the node name or the address
 * we connected to. A short node name (no dot) also matches a certificate for `<name>.<domain>`:
 * CUCM's tomcat certificate carries the FQDN as CN (reference/counters-certs-replication.md §3.2)
 * while System > Server often lists the bare hostname.
 */
export function identityChecker(names: readonly string[]): (host: string, cert: PeerCertificate) => Error | undefined {
  return (host, cert) => {
    const candidates = [...new Set([...names, host].filter(Boolean))];
    let first: Error | undefined;
    for (const name of candidates) {
      const err = checkServerIdentity(name, cert);
      if (!err) return undefined;
      first ??= err;
    }
    const shortNames = candidates.filter((n) => !n.includes('.') && isIP(n) === 0).map((n) => n.toLowerCase());
    if (shortNames.length > 0) {
      const dns = (cert.subjectaltname ?? '')
        .split(/,\s*/)
        .filter((s) => s.startsWith('DNS:'))
        .map((s) => s.slice(4).toLowerCase());
      const cn = typeof cert.subject?.CN === 'string' ? [cert.subject.CN.toLowerCase()] : [];
      if ([...dns, ...cn].some((d) => shortNames.some((s) => d.startsWith(`${s}.`)))) return undefined;
    }
    return first;
  };
}

/**
 * tls.connect options for a trust. For pinned fingerprints the CA check is off and the caller
 * must run `checkPinned(socket)` once the handshake is done, before sending anything.
 */
const contexts = new WeakMap<Trust, SecureContext>();

/**
 * One SecureContext per CA trust, built once: passing `ca` to every tls.connect parses the whole
 * bundle for every connection (H7 measured this as the collector's main CPU cost on 210 nodes).
 */
export function secureContextFor(trust: Trust & { mode: 'ca' }): SecureContext {
  let ctx = contexts.get(trust);
  if (!ctx) contexts.set(trust, (ctx = createSecureContext({ ca: trust.ca })));
  return ctx;
}

export function tlsOptionsFor(trust: Trust, identityNames: readonly string[]): ConnectionOptions {
  switch (trust.mode) {
    case 'system':
      return { rejectUnauthorized: true, checkServerIdentity: identityChecker(identityNames) };
    case 'ca':
      return { rejectUnauthorized: true, secureContext: secureContextFor(trust), checkServerIdentity: identityChecker(identityNames) };
    case 'fingerprints':
    case 'insecure':
      return { rejectUnauthorized: false };
  }
}

/** For pinned trust: an Error (code FINGERPRINT_NOT_PINNED) when the leaf is not pinned, else undefined. */
export function checkPinned(trust: Trust, socket: TLSSocket): (Error & { code: string }) | undefined {
  if (trust.mode !== 'fingerprints') return undefined;
  const fp = socket.getPeerCertificate()?.fingerprint256;
  if (fp && trust.fingerprints.has(fp.toUpperCase())) return undefined;
  return Object.assign(new Error(`${FINGERPRINT_MISMATCH}: leaf certificate SHA-256 ${fp ?? '(none)'} is not one of the pinned fingerprints`), {
    code: FINGERPRINT_MISMATCH,
  });
}

/** OpenSSL / node error codes that mean "the TLS layer refused this peer". */
export function isTlsErrorCode(code: string | undefined): boolean {
  if (!code) return false;
  return (
    code === FINGERPRINT_MISMATCH ||
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_OSSL') ||
    /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY|DECRYPT)|HOSTNAME_MISMATCH|IP_ADDRESS_MISMATCH|CHAIN_TOO_LONG|INVALID_CA|INVALID_PURPOSE/.test(code)
  );
}

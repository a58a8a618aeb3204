// Adapts H6's probeTls to what the certificates source stores: the leaf and whether it verified.
import { isIP } from 'node:net';
import type { RequestHooks } from '../clients/hooks';
import { probeTls } from '../clients/tls';
import type { Trust } from '../clients/trust';
import { CollectError } from '../errors';
import type { TlsLeaf } from '../sources/types';

export interface ProbeLeafOptions {
  node: string;
  host: string;
  port: number;
  trust: Trust;
  timeoutMs: number;
  hooks?: RequestHooks;
  signal?: AbortSignal;
  operation?: string;
}

export async function probeLeaf(o: ProbeLeafOptions): Promise<TlsLeaf> {
  const r = await probeTls(o.host, o.port, {
    servername: isIP(o.node) === 0 ? o.node : undefined,
    trust: o.trust,
    timeoutMs: o.timeoutMs,
    node: o.node,
    operation: o.operation ?? 'handshake',
    hooks: o.hooks,
  });
  const leaf = r.chain[0];
  if (!leaf) throw new CollectError('tls', `${o.node}: ${o.host}:${o.port} presented no certificate`);
  return {
    subject: leaf.subject,
    issuer: leaf.issuer,
    serialHex: leaf.serialNumber,
    sans: leaf.sans,
    notBefore: leaf.notBefore,
    notAfter: leaf.notAfter,
    selfSigned: leaf.selfSigned,
    trusted: r.authorized,
    fingerprint256: leaf.fingerprint256,
  };
}

// SSH host keys: Ed25519, derived from the seed so a lab restarted with the same seed keeps the
// same known_hosts. Written in the OpenSSH private key format ssh2 reads as a host key.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { hash32 } from './rng';

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
function str(data: Buffer | string): Buffer {
  const b = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([u32(b.length), b]);
}

export interface HostKey {
  privatePem: string;
  /** "ssh-ed25519 AAAA…" (known_hosts prepends the host pattern). */
  publicLine: string;
}

export function deriveHostKey(seed: number, nodeName: string): HostKey {
  const secret = Buffer.alloc(32);
  for (let k = 0; k < 8; k++) secret.writeUInt32BE(hash32(seed, 'hostkey', nodeName, k), k * 4);
  // PKCS#8 wrapper for a raw Ed25519 seed (RFC 8410).
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), secret]);
  const priv = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(priv).export({ format: 'der', type: 'spki' });
  const pub = spki.subarray(spki.length - 32);
  const blob = Buffer.concat([str('ssh-ed25519'), str(pub)]);
  const check = u32(hash32(seed, 'hostkey-check', nodeName));
  let section = Buffer.concat([check, check, str('ssh-ed25519'), str(pub), str(Buffer.concat([secret, pub])), str(`root@${nodeName}`)]);
  const pad: number[] = [];
  for (let i = 1; (section.length + pad.length) % 8 !== 0; i++) pad.push(i);
  section = Buffer.concat([section, Buffer.from(pad)]);
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), str('none'), str('none'), str(''), u32(1), str(blob), str(section)]);
  const b64 = body.toString('base64').replace(/(.{70})/g, '$1\n').replace(/\n$/, '');
  return {
    privatePem: `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicLine: `ssh-ed25519 ${blob.toString('base64')}`,
  };
}

/** A known_hosts line for host:port ("[host]:port" unless port 22). */
export function knownHostsLine(host: string, port: number, publicLine: string, alias?: string): string {
  const pattern = port === 22 ? host : `[${host}]:${port}`;
  const aliasPattern = alias ? (port === 22 ? alias : `[${alias}]:${port}`) : undefined;
  return `${aliasPattern ? `${pattern},${aliasPattern}` : pattern} ${publicLine}`;
}

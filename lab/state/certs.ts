// Certificates of the simulated nodes (reference/counters-certs-replication.md §3.2,
// wire-formats.md §4.4): a per-deployment lab CA signs each node's `tomcat` and `cup-xmpp`
// (SANs: FQDN, hostname, IP); the other units are self-signed, as on a fresh install.
//
// Scale budget: 210 nodes × 6–8 units would need ~1,500 RSA key generations (minutes). The lab
// instead uses a small pool of RSA-2048 keys (POOL_SIZE) shared across nodes, chosen per
// node/unit by a seeded hash, plus one EC P-256 key for the -ECDSA units. Certificates stay
// unique (serial, subject, validity); only key material repeats, which no collector observes.
// Keys are generated once per process (shared by every lab the process builds, which keeps
// test files fast on small machines); nothing is cached on disk.
import { createHash, generateKeyPair, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { CertPortName, LabCertificate, Product } from '../model';
import { bits, bool, explicit, int, nul, octets, oid, printable, seq, set, time, tlv, utf8 } from './der';
import { hash32, rngFor } from './rng';

const generateKeyPairAsync = promisify(generateKeyPair);
const POOL_SIZE = 4;
const DAY = 86_400_000;
export const LAB_CA_CN = 'IMPulse Lab Root CA';
const DN_TAIL: [string, string][] = [
  ['OU', 'UC'],
  ['O', 'Example'],
  ['L', 'RTP'],
  ['ST', 'NC'],
  ['C', 'US'],
];
const ATTR_OID: Record<string, string> = { CN: '2.5.4.3', OU: '2.5.4.11', O: '2.5.4.10', L: '2.5.4.7', ST: '2.5.4.8', C: '2.5.4.6' };
const SHA256_RSA = seq(oid('1.2.840.113549.1.1.11'), nul());
const SHA256_ECDSA = seq(oid('1.2.840.10045.4.3.2'));

interface PooledKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  spki: Buffer;
  pem: string;
  algorithm: 'RSA' | 'EC';
}

export interface CertAuthority {
  readonly seed: number;
  readonly pem: string;
  readonly subject: [string, string][];
  readonly key: PooledKey;
  readonly rsa: PooledKey[];
  readonly ec: PooledKey;
}

async function pooled(algorithm: 'RSA' | 'EC'): Promise<PooledKey> {
  const { privateKey, publicKey } =
    algorithm === 'RSA' ? await generateKeyPairAsync('rsa', { modulusLength: 2048 }) : await generateKeyPairAsync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey,
    publicKey,
    spki: publicKey.export({ format: 'der', type: 'spki' }),
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    algorithm,
  };
}

function serial(seed: number, ...parts: (string | number)[]): Buffer {
  const bytes = Buffer.from(rngFor(seed, 'serial', ...parts).bytes(16));
  bytes[0] = (bytes[0] & 0x7f) | 0x10; // positive, 16 significant bytes
  return bytes;
}

function name(rdns: [string, string][]): Buffer {
  return seq(...rdns.map(([k, v]) => set(seq(oid(ATTR_OID[k]), k === 'C' ? printable(v) : utf8(v)))));
}

const dnString = (rdns: [string, string][]) => rdns.map(([k, v]) => `${k}=${v}`).join(', ');

/** SubjectKeyIdentifier method 1: SHA-1 of the subjectPublicKey BIT STRING contents. */
function keyId(spki: Buffer): Buffer {
  // SPKI = SEQUENCE { AlgorithmIdentifier, BIT STRING }; take the bytes after the BIT STRING header.
  const x = new X509KeyView(spki);
  return createHash('sha1').update(x.publicKeyBits()).digest();
}

class X509KeyView {
  constructor(private readonly spki: Buffer) {}
  publicKeyBits(): Buffer {
    // Skip the outer SEQUENCE header, then the AlgorithmIdentifier TLV, then the BIT STRING header + unused-bits byte.
    let p = headerLength(this.spki, 0);
    p += tlvLength(this.spki, p);
    const h = headerLength(this.spki, p);
    return this.spki.subarray(p + h + 1);
  }
}
function headerLength(b: Buffer, p: number): number {
  const l = b[p + 1];
  return l < 0x80 ? 2 : 2 + (l & 0x7f);
}
function tlvLength(b: Buffer, p: number): number {
  const l = b[p + 1];
  if (l < 0x80) return 2 + l;
  let n = 0;
  for (let i = 0; i < (l & 0x7f); i++) n = n * 256 + b[p + 2 + i];
  return 2 + (l & 0x7f) + n;
}

function ext(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

const KU = { digitalSignature: 0x80, keyEncipherment: 0x20, keyAgreement: 0x08, keyCertSign: 0x04, cRLSign: 0x02 };
function keyUsage(flags: number): Buffer {
  let unused = 0;
  while (unused < 7 && ((flags >> unused) & 1) === 0) unused++;
  return bits(Buffer.from([flags]), unused);
}

interface BuildParams {
  serial: Buffer;
  issuer: [string, string][];
  subject: [string, string][];
  notBefore: Date;
  notAfter: Date;
  subjectKey: PooledKey;
  signingKey: PooledKey;
  issuerKeyId?: Buffer;
  extensions: Buffer[];
}

function build(p: BuildParams): string {
  const sigAlg = p.signingKey.algorithm === 'RSA' ? SHA256_RSA : SHA256_ECDSA;
  const tbs = seq(
    explicit(0, int(2)),
    int(p.serial),
    sigAlg,
    name(p.issuer),
    seq(time(p.notBefore), time(p.notAfter)),
    name(p.subject),
    p.subjectKey.spki,
    explicit(3, seq(...p.extensions)),
  );
  const signature = p.signingKey.algorithm === 'RSA' ? sign('sha256', tbs, p.signingKey.privateKey) : sign('sha256', tbs, { key: p.signingKey.privateKey, dsaEncoding: 'der' });
  const der = seq(tbs, sigAlg, bits(signature));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

let keyPool: Promise<PooledKey[]> | undefined;
function keys(): Promise<PooledKey[]> {
  keyPool ??= Promise.all([pooled('RSA'), pooled('EC'), ...Array.from({ length: POOL_SIZE }, () => pooled('RSA'))]);
  return keyPool;
}

export async function createCertAuthority(seed: number, now: number): Promise<CertAuthority> {
  const [key, ec, ...rsa] = await keys();
  const subject: [string, string][] = [
    ['CN', LAB_CA_CN],
    ['O', 'Example'],
    ['C', 'US'],
  ];
  const kid = keyId(key.spki);
  const pem = build({
    serial: serial(seed, 'ca'),
    issuer: subject,
    subject,
    notBefore: new Date(Math.floor((now - 400 * DAY) / 1000) * 1000),
    notAfter: new Date(Math.floor((now + 10 * 365 * DAY) / 1000) * 1000),
    subjectKey: key,
    signingKey: key,
    extensions: [
      ext('2.5.29.19', true, seq(bool(true), int(0))),
      ext('2.5.29.15', true, keyUsage(KU.keyCertSign | KU.cRLSign)),
      ext('2.5.29.14', false, octets(kid)),
    ],
  });
  return { seed, pem, subject, key, rsa, ec };
}

interface UnitSpec {
  unit: string;
  port?: CertPortName;
  caSigned: boolean;
  ec: boolean;
}

const UNITS: Record<Product, UnitSpec[]> = {
  imp: [
    { unit: 'tomcat', port: 'tomcat', caSigned: true, ec: false },
    { unit: 'tomcat-ECDSA', caSigned: false, ec: true },
    { unit: 'ipsec', caSigned: false, ec: false },
    { unit: 'cup', port: 'cup', caSigned: false, ec: false },
    { unit: 'cup-xmpp', port: 'cup-xmpp', caSigned: true, ec: false },
    { unit: 'cup-xmpp-s2s', port: 'cup-xmpp-s2s', caSigned: false, ec: false },
  ],
  cucm: [
    { unit: 'tomcat', port: 'tomcat', caSigned: true, ec: false },
    { unit: 'tomcat-ECDSA', caSigned: false, ec: true },
    { unit: 'ipsec', caSigned: false, ec: false },
    { unit: 'CallManager', caSigned: false, ec: false },
    { unit: 'CallManager-ECDSA', caSigned: false, ec: true },
    { unit: 'CAPF', caSigned: false, ec: false },
    { unit: 'TVS', caSigned: false, ec: false },
    { unit: 'ITLRecovery', caSigned: false, ec: false },
  ],
};

export function certUnits(product: Product): string[] {
  return UNITS[product].map((u) => u.unit);
}

export function isCaSigned(product: Product, unit: string): boolean {
  return UNITS[product].find((u) => u.unit === unit)?.caSigned ?? false;
}

/** What a node's certificate depends on. */
export interface CertSubject {
  name: string;
  fqdn: string;
  host: string;
  product: Product;
  imDomain: string;
}

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

/** Default validity: issued some (seeded) days ago, 2 years when CA-signed, 5 years self-signed. */
export function defaultValidity(seed: number, node: string, unit: string, caSigned: boolean, now: number, validityDays?: number): Validity {
  const ageDays = 30 + (hash32(seed, 'cert-age', node, unit) % 300);
  const days = validityDays ?? (caSigned ? 730 : 1825);
  const notBefore = new Date(Math.floor((now - ageDays * DAY) / 1000) * 1000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + days * DAY) };
}

function commonName(s: CertSubject, unit: string): string {
  if (unit === 'ITLRecovery') return `ITLRECOVERY_${s.name}`;
  if (unit === 'CAPF') return `CAPF-${hash32(0, 'capf', s.fqdn).toString(16).padStart(8, '0')}`;
  return s.fqdn;
}

function sansFor(s: CertSubject, spec: UnitSpec): string[] {
  // Units with a listener also name the node's hostname and (lab) address, so a probe that
  // connects by address can verify the name.
  if (spec.unit === 'cup-xmpp-s2s') return [s.fqdn, s.imDomain, s.name, s.host];
  if (spec.caSigned || spec.port) return [s.fqdn, s.name, s.host];
  return [s.fqdn];
}

function sanExtension(sans: string[]): Buffer {
  return seq(
    ...sans.map((v) => {
      const ip = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(v);
      return ip ? tlv(0x87, Buffer.from(ip.slice(1).map(Number))) : tlv(0x82, Buffer.from(v, 'ascii'));
    }),
  );
}

export function issueCertificate(ca: CertAuthority, s: CertSubject, unit: string, validity: Validity, generation = 0): LabCertificate {
  const spec = UNITS[s.product].find((u) => u.unit === unit);
  if (!spec) throw new RangeError(`no certificate unit '${unit}' on a ${s.product} node (units: ${certUnits(s.product).join(', ')})`);
  const key = spec.ec ? ca.ec : ca.rsa[hash32(ca.seed, 'key', s.name, unit) % ca.rsa.length];
  const subject: [string, string][] = [['CN', commonName(s, unit)], ...DN_TAIL];
  const issuer = spec.caSigned ? ca.subject : subject;
  const sans = sansFor(s, spec);
  const serialBytes = serial(ca.seed, s.name, unit, generation);
  // Self-signed units are their own trust anchors (as on CUCM/IM&P, where they are uploaded to
  // the peers' -trust stores), so they carry CA:TRUE and keyCertSign.
  const selfCa = spec.caSigned ? 0 : KU.keyCertSign;
  const extensions = [
    ext('2.5.29.19', true, spec.caSigned ? seq() : seq(bool(true))),
    ext('2.5.29.15', true, keyUsage((spec.ec ? KU.digitalSignature | KU.keyAgreement : KU.digitalSignature | KU.keyEncipherment) | selfCa)),
    ext('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
    ext('2.5.29.17', false, sanExtension(sans)),
    ext('2.5.29.14', false, octets(keyId(key.spki))),
  ];
  if (spec.caSigned) extensions.push(ext('2.5.29.35', false, seq(tlv(0x80, keyId(ca.key.spki)))));
  const pem = build({
    serial: serialBytes,
    issuer,
    subject,
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    subjectKey: key,
    signingKey: spec.caSigned ? ca.key : key,
    extensions,
  });
  return {
    unit,
    file: `${unit}.pem`,
    port: spec.port,
    pem,
    chainPem: spec.caSigned ? [ca.pem] : [],
    keyPem: key.pem,
    subject: dnString(subject),
    issuer: dnString(issuer),
    signedBy: spec.caSigned ? LAB_CA_CN : undefined,
    sans,
    serialHex: serialBytes.toString('hex').toUpperCase(),
    notBefore: new Date(Math.floor(validity.notBefore.getTime() / 1000) * 1000),
    notAfter: new Date(Math.floor(validity.notAfter.getTime() / 1000) * 1000),
    keyAlgorithm: key.algorithm,
    signatureAlgorithm: spec.caSigned || !spec.ec ? 'SHA256withRSA' : 'SHA256withECDSA',
  };
}

export function issueNodeCertificates(ca: CertAuthority, s: CertSubject, now: number, validityDays?: number): LabCertificate[] {
  return UNITS[s.product].map((spec) => issueCertificate(ca, s, spec.unit, defaultValidity(ca.seed, s.name, spec.unit, spec.caSigned, now, validityDays)));
}

/** Parses a lab certificate with node's X.509 (tests and sanity checks). */
export function parseCertificate(pem: string): X509Certificate {
  return new X509Certificate(pem);
}

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
//
// Encoding is @peculiar/x509's (its extension and name classes over the asn1-x509 schema it is
// built on); signing is node:crypto's, synchronously — see build().
import 'reflect-metadata'; // @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API
import { createHash, generateKeyPair, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import type { CertPortName, LabCertificate, Product } from '../model';
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
// sha256WithRSAEncryption (with NULL parameters) and ecdsa-with-SHA256, as @peculiar/x509 names them.
const algorithms = new x509.AlgorithmProvider();
const SIG_ALG = {
  RSA: algorithms.toAsnAlgorithm({ name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } } as Algorithm),
  EC: algorithms.toAsnAlgorithm({ name: 'ECDSA', hash: { name: 'SHA-256' } } as Algorithm),
};

const dnString = (rdns: [string, string][]) => rdns.map(([k, v]) => `${k}=${v}`).join(', ');

function serial(seed: number, ...parts: (string | number)[]): Buffer {
  const bytes = Buffer.from(rngFor(seed, 'serial', ...parts).bytes(16));
  bytes[0] = (bytes[0] & 0x7f) | 0x10; // positive, 16 significant bytes
  return bytes;
}

/** Distinguished name with UTF8String values, countryName a PrintableString (RFC 5280 Appendix A). */
function name(rdns: [string, string][]): asn.Name {
  const json = rdns.map(([k, v]) => ({ [k]: [k === 'C' ? { printableString: v } : { utf8String: v }] }));
  return AsnConvert.parse(new x509.Name(json).toArrayBuffer(), asn.Name);
}

const toAsn = (e: x509.Extension) => new asn.Extension({ extnID: e.type, critical: e.critical, extnValue: new OctetString(e.value) });
const KU = x509.KeyUsageFlags;
// The same few extensions recur on every certificate; encode each once.
const EXT = {
  endEntity: toAsn(new x509.BasicConstraintsExtension(false, undefined, true)),
  selfAnchor: toAsn(new x509.BasicConstraintsExtension(true, undefined, true)),
  rootCa: toAsn(new x509.BasicConstraintsExtension(true, 0, true)),
  tls: toAsn(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth])),
};
const keyUsages = new Map<number, asn.Extension>();
function keyUsage(flags: number): asn.Extension {
  let e = keyUsages.get(flags);
  if (!e) keyUsages.set(flags, (e = toAsn(new x509.KeyUsagesExtension(flags, true))));
  return e;
}

interface PooledKey {
  privateKey: KeyObject;
  spki: asn.SubjectPublicKeyInfo;
  /** SubjectKeyIdentifier (method 1 of RFC 5280 §4.2.1.2: SHA-1 of the subjectPublicKey bits). */
  ski: asn.Extension;
  /** AuthorityKeyIdentifier naming this key, for the certificates it signs. */
  aki: asn.Extension;
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
  const spki = AsnConvert.parse(publicKey.export({ format: 'der', type: 'spki' }), asn.SubjectPublicKeyInfo);
  const keyId = createHash('sha1').update(Buffer.from(spki.subjectPublicKey)).digest('hex');
  return {
    privateKey,
    spki,
    ski: toAsn(new x509.SubjectKeyIdentifierExtension(keyId)),
    aki: toAsn(new x509.AuthorityKeyIdentifierExtension(keyId)),
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    algorithm,
  };
}

interface BuildParams {
  serial: Buffer;
  issuer: asn.Name;
  subject: asn.Name;
  notBefore: Date;
  notAfter: Date;
  subjectKey: PooledKey;
  signingKey: PooledKey;
  extensions: asn.Extension[];
}

/**
 * Builds and signs one certificate. The structure is @peculiar/x509's (asn1-x509 schema, as its
 * X509CertificateGenerator builds it); only the signature is node:crypto's, because issuance must
 * stay synchronous: cert faults replace a certificate inside FaultManager.inject, which is synchronous.
 */
function build(p: BuildParams): string {
  const sigAlg = SIG_ALG[p.signingKey.algorithm];
  const tbsCertificate = new asn.TBSCertificate({
    version: asn.Version.v3,
    serialNumber: new Uint8Array(p.serial).buffer,
    signature: sigAlg,
    issuer: p.issuer,
    validity: new asn.Validity({ notBefore: p.notBefore, notAfter: p.notAfter }),
    subject: p.subject,
    subjectPublicKeyInfo: p.subjectKey.spki,
    extensions: new asn.Extensions(p.extensions),
  });
  const tbs = Buffer.from(AsnConvert.serialize(tbsCertificate));
  // ECDSA: node's 'der' encoding is the Ecdsa-Sig-Value X.509 carries (RFC 5758 §3.2).
  const signature = p.signingKey.algorithm === 'RSA' ? sign('sha256', tbs, p.signingKey.privateKey) : sign('sha256', tbs, { key: p.signingKey.privateKey, dsaEncoding: 'der' });
  const der = AsnConvert.serialize(new asn.Certificate({ tbsCertificate, signatureAlgorithm: sigAlg, signatureValue: new Uint8Array(signature).buffer }));
  return `${x509.PemConverter.encode(der, 'CERTIFICATE')}\n`;
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
  const pem = build({
    serial: serial(seed, 'ca'),
    issuer: name(subject),
    subject: name(subject),
    notBefore: new Date(Math.floor((now - 400 * DAY) / 1000) * 1000),
    notAfter: new Date(Math.floor((now + 10 * 365 * DAY) / 1000) * 1000),
    subjectKey: key,
    signingKey: key,
    extensions: [EXT.rootCa, keyUsage(KU.keyCertSign | KU.cRLSign), key.ski],
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

function sanExtension(sans: string[]): asn.Extension {
  return toAsn(new x509.SubjectAlternativeNameExtension(sans.map((v): x509.JsonGeneralName => ({ type: /^\d+\.\d+\.\d+\.\d+$/.test(v) ? 'ip' : 'dns', value: v }))));
}

export function issueCertificate(ca: CertAuthority, s: CertSubject, unit: string, validity: Validity, generation = 0, opts: { selfSigned?: boolean } = {}): LabCertificate {
  const found = UNITS[s.product].find((u) => u.unit === unit);
  if (!found) throw new RangeError(`no certificate unit '${unit}' on a ${s.product} node (units: ${certUnits(s.product).join(', ')})`);
  // Regenerated on the node (OS Administration > Certificate Management > Regenerate): self-signed.
  const spec = opts.selfSigned ? { ...found, caSigned: false } : found;
  // Consecutive pool keys for a node's units: two units of one node never share a key (their
  // self-signed certificates share the subject CN=<fqdn>, and a verifier that finds a same-subject,
  // same-key certificate in its trust store but not this one rejects it as an unknown self-signed leaf).
  const key = spec.ec ? ca.ec : ca.rsa[(hash32(ca.seed, 'key', s.name) + UNITS[s.product].indexOf(found)) % ca.rsa.length];
  const subject: [string, string][] = [['CN', commonName(s, unit)], ...DN_TAIL];
  const issuer = spec.caSigned ? ca.subject : subject;
  const sans = sansFor(s, spec);
  const serialBytes = serial(ca.seed, s.name, unit, generation);
  // Self-signed units are their own trust anchors (as on CUCM/IM&P, where they are uploaded to
  // the peers' -trust stores), so they carry CA:TRUE and keyCertSign.
  const selfCa = spec.caSigned ? 0 : KU.keyCertSign;
  const extensions = [
    spec.caSigned ? EXT.endEntity : EXT.selfAnchor,
    keyUsage((spec.ec ? KU.digitalSignature | KU.keyAgreement : KU.digitalSignature | KU.keyEncipherment) | selfCa),
    EXT.tls,
    sanExtension(sans),
    key.ski,
  ];
  // The issuer's key id; a self-signed certificate names its own key, as OpenSSL's defaults and the
  // nodes' own self-signed certificates do. Without it, a trust store holding two self-signed
  // certificates of the same subject (a node's cup and cup-xmpp-s2s both carry CN=<fqdn>) cannot
  // tell which one signed a leaf, and verification picks the first and fails.
  extensions.push(spec.caSigned ? ca.key.aki : key.aki);
  const pem = build({
    serial: serialBytes,
    issuer: name(issuer),
    subject: name(subject),
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

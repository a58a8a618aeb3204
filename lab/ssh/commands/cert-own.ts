// `show cert own <unit>` and `show cert own <unit>/<file>.pem` — wire-formats.md §4.4: the
// [RECONSTRUCTED] human-readable dump followed by the real PEM (clients split on BEGIN CERTIFICATE).
import { X509Certificate } from 'node:crypto';
import type { LabCertificate, LabNode } from '../../model';
import { javaDate } from './format';
import { immediate, type CliCommandSpec } from './types';

// Java algorithm names and OIDs as VOS (a Java platform) prints them.
const SIGNATURES: ReadonlyArray<readonly [RegExp, string]> = [
  [/sha1.*rsa|rsa.*sha1/i, 'SHA1withRSA (1.2.840.113549.1.1.5)'],
  [/sha256.*rsa|rsa.*sha256/i, 'SHA256withRSA (1.2.840.113549.1.1.11)'],
  [/sha384.*rsa|rsa.*sha384/i, 'SHA384withRSA (1.2.840.113549.1.1.12)'],
  [/sha512.*rsa|rsa.*sha512/i, 'SHA512withRSA (1.2.840.113549.1.1.13)'],
  [/sha256.*ec|ec.*sha256/i, 'SHA256withECDSA (1.2.840.10045.4.3.2)'],
  [/sha384.*ec|ec.*sha384/i, 'SHA384withECDSA (1.2.840.10045.4.3.3)'],
];

function signatureName(alg: string): string {
  return SIGNATURES.find(([re]) => re.test(alg))?.[1] ?? alg;
}

function keyValueHex(pem: string): string {
  try {
    return new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }).toString('hex');
  } catch {
    return '';
  }
}

export function renderCertOwn(cert: LabCertificate): string {
  const lines = [
    '',
    '[',
    '  Version: V3',
    `  Serial Number: ${cert.serialHex.toUpperCase()}`,
    `  SignatureAlgorithm: ${signatureName(cert.signatureAlgorithm)}`,
    `  Issuer Name: ${cert.issuer}`,
    `  Validity From: ${javaDate(cert.notBefore)}`,
    `           To:   ${javaDate(cert.notAfter)}`,
    `  Subject Name: ${cert.subject}`,
    cert.keyAlgorithm === 'EC' ? '  Key: EC (1.2.840.10045.2.1)' : '  Key: RSA (1.2.840.113549.1.1.1)',
    '    Key value:',
    keyValueHex(cert.pem),
    `  Extensions: ${cert.sans.length > 0 ? 1 : 0} present`,
    ...(cert.sans.length > 0
      ? ['  [', '     Extension: SubjectAltName (OID.2.5.29.17)', '     Critical: false', ...cert.sans.map((s) => `     DNS Name: ${s}`), '  ]']
      : []),
    ']',
    '',
    cert.pem.trim(),
  ];
  return lines.join('\n') + '\n';
}

/** `tomcat`, `tomcat/tomcat.pem` (unit match is case-insensitive, like the CLI's parser). */
export function findOwnCert(node: LabNode, arg: string): LabCertificate | undefined {
  const [unit, file, extra] = arg.split('/');
  if (extra !== undefined) return undefined;
  const cert = node.certificates.find((c) => c.unit.toLowerCase() === unit.toLowerCase());
  if (!cert) return undefined;
  if (file !== undefined && file.toLowerCase() !== cert.file.toLowerCase()) return undefined;
  return cert;
}

/** `<unit>-trust/<file>.pem` in the node's trust store (case-insensitive, like the CLI). */
export function findTrustCert(node: LabNode, arg: string): LabCertificate | undefined {
  const [unit, file, extra] = arg.split('/');
  if (extra !== undefined || file === undefined) return undefined;
  return node.trustCertificates.find((c) => c.unit.toLowerCase() === unit.toLowerCase() && c.file.toLowerCase() === file.toLowerCase());
}

/** `show cert trust <unit>/<file>.pem`: the same dump as an own certificate. */
export const certTrust: CliCommandSpec = {
  words: ['show', 'cert', 'trust'],
  run(ctx, args) {
    if (args.length !== 1) return undefined;
    const cert = findTrustCert(ctx.node, args[0]);
    return immediate(cert ? renderCertOwn(cert) : `\nInvalid certificate name: ${args[0]}\n`);
  },
};

export const certOwn: CliCommandSpec = {
  words: ['show', 'cert', 'own'],
  run(ctx, args) {
    if (args.length !== 1) return undefined;
    const cert = findOwnCert(ctx.node, args[0]);
    // The error wording for an unknown unit is not captured; this follows the CLI's terse style.
    return immediate(cert ? renderCertOwn(cert) : `\nInvalid certificate name: ${args[0]}\n`);
  },
};

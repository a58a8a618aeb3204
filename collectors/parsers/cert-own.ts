// `show cert own <unit>[/<file>.pem]` (reference/wire-formats.md §4.4): a human-readable dump
// followed by the PEM block(s). The dump layout is not confirmed by any capture, so its fields are
// read where present; the PEM, decoded with node's X509Certificate, is authoritative (Cisco's
// CerProN tool does the same: split on BEGIN CERTIFICATE and parse with OpenSSL).
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { inputName, readCli } from './cli-text';
import { RowProblems, unparsedSchema } from './problems';

const COMMAND = 'show cert own';

export const decodedCertificateSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  /** Uppercase hex as X509Certificate prints it. */
  serialNumber: z.string(),
  /** ISO 8601. */
  notBefore: z.string(),
  notAfter: z.string(),
  /** "DNS:host", "IP Address:10.0.0.1", … */
  subjectAltNames: z.array(z.string()),
  /** SHA-256 fingerprint, colon-separated uppercase hex. */
  fingerprint256: z.string(),
  selfSigned: z.boolean(),
  pem: z.string(),
  line: z.number().int().positive(),
});

export const certOwnSchema = z.object({
  /** Fields of the text dump, verbatim; null when the dump does not print them. */
  dump: z.object({
    version: z.string().nullable(),
    serialNumber: z.string().nullable(),
    signatureAlgorithm: z.string().nullable(),
    issuerName: z.string().nullable(),
    subjectName: z.string().nullable(),
    validityFrom: z.string().nullable(),
    validityTo: z.string().nullable(),
    key: z.string().nullable(),
  }),
  certificates: z.array(decodedCertificateSchema).min(1),
  unparsed: z.array(unparsedSchema),
});
export type CertOwn = z.infer<typeof certOwnSchema>;
export type DecodedCertificate = z.infer<typeof decodedCertificateSchema>;

const DUMP_FIELDS: Array<[keyof CertOwn['dump'], RegExp]> = [
  ['version', /^Version:\s*(.+)$/],
  ['serialNumber', /^Serial Number:\s*(.+)$/],
  ['signatureAlgorithm', /^SignatureAlgorithm:\s*(.+)$/],
  ['issuerName', /^Issuer Name:\s*(.+)$/],
  ['subjectName', /^Subject Name:\s*(.+)$/],
  ['validityFrom', /^(?:Validity\s+)?From:\s*(.+)$/],
  ['validityTo', /^To:\s*(.+)$/],
  ['key', /^Key:\s*(.+)$/],
];

function iso(text: string, input: string, line: number): string {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new ParseError(input, line, `certificate date "${text}" is not a date`);
  return new Date(t).toISOString();
}

export function parseCertOwn(text: string, source?: string): CertOwn {
  const input = inputName(COMMAND, source);
  const lines = readCli(text, input, /show\s+cert\s+own(?:\s+\S+)?/);
  const dump: CertOwn['dump'] = {
    version: null,
    serialNumber: null,
    signatureAlgorithm: null,
    issuerName: null,
    subjectName: null,
    validityFrom: null,
    validityTo: null,
    key: null,
  };
  const certificates: DecodedCertificate[] = [];
  const problems = new RowProblems();
  let pem: string[] | undefined;
  let pemLine = 0;
  for (const { text: raw, line } of lines) {
    const t = raw.trim();
    if (pem) {
      pem.push(t);
      if (t === '-----END CERTIFICATE-----') {
        const c = problems.row(pemLine, '-----BEGIN CERTIFICATE-----', () => decode(pem!.join('\n') + '\n', input, pemLine));
        if (c) certificates.push(c);
        pem = undefined;
      } else if (t.startsWith('-----')) {
        problems.add(line, raw, `unexpected "${t}" inside the PEM block that starts at line ${pemLine}`);
        pem = t === '-----BEGIN CERTIFICATE-----' ? [t] : undefined;
        if (pem) pemLine = line;
      }
      continue;
    }
    if (t === '-----BEGIN CERTIFICATE-----') {
      pem = [t];
      pemLine = line;
      continue;
    }
    if (certificates.length) continue;
    for (const [key, re] of DUMP_FIELDS) {
      const m = re.exec(t);
      if (m && dump[key] === null) {
        dump[key] = m[1].trim();
        break;
      }
    }
  }
  if (pem) problems.add(pemLine, '-----BEGIN CERTIFICATE-----', 'PEM block has no END CERTIFICATE line (truncated output?)');
  if (!certificates.length) throw problems.nothingRead(input, { line: lines[lines.length - 1]?.line, detail: 'no PEM certificate in the output' });
  return checked(certOwnSchema, { dump, certificates, unparsed: problems.list() }, input);
}

function decode(pem: string, input: string, line: number): DecodedCertificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (err) {
    throw new ParseError(input, line, `PEM block does not decode as an X.509 certificate: ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    subject: formatDn(cert.subject),
    issuer: formatDn(cert.issuer),
    serialNumber: cert.serialNumber.toUpperCase(),
    notBefore: iso(cert.validFrom, input, line),
    notAfter: iso(cert.validTo, input, line),
    subjectAltNames: cert.subjectAltName ? cert.subjectAltName.split(/,\s*/).filter(Boolean) : [],
    fingerprint256: cert.fingerprint256,
    selfSigned: cert.checkIssued(cert),
    pem,
    line,
  };
}

/**
 * A distinguished name as one line ("C=US, O=Cisco, CN=imp01-pub"): node's X509Certificate prints
 * one RDN per line. The TLS probe and the CLI inventory both use this, so a trust store's subject
 * compares equal to the issuer of a certificate a port serves.
 */
export function formatDn(x509Name: string): string {
  return x509Name.split('\n').filter(Boolean).join(', ');
}

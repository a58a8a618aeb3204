// Inputs no parser should accept: each must fail with a ParseError naming the input (never a
// crash, never an empty "healthy" result).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../collectors/errors';
import { parsers, parserKinds } from '../../../collectors/parsers/index';
import { parseAxlSqlResponse } from '../../../collectors/parsers/axl-sql';
import { parseServiceStatus } from '../../../collectors/parsers/controlcenter';
import { parsePerfmonCollect, parsePerfmonOpenSession } from '../../../collectors/parsers/perfmon';
import { parseSoapFault } from '../../../collectors/parsers/soap';
import { expectParseError, fixture } from './fixture';

const html401 = fixture('garbage', 'http-401.html');
const soapParsers = [parsePerfmonCollect, parsePerfmonOpenSession, parseServiceStatus, parseAxlSqlResponse, parseSoapFault];

describe('garbage inputs', () => {
  it('the HTML page of a 401 given to every SOAP parser → ParseError at line 1', () => {
    for (const p of soapParsers) {
      const e = expectParseError(() => p(html401, 'resp.html'), /\(resp\.html\)/, 1);
      expect(e.message).toMatch(/SOAP Envelope.*<html>/);
    }
  });

  it('truncated XML → ParseError with the line', () => {
    const xml = fixture('perfmon', 'collect-session-splunk-app.xml');
    const cut = xml.slice(0, xml.indexOf('<ns1:Value>167'));
    const e = expectParseError(() => parsePerfmonCollect(cut, 'cut.xml'), /cut\.xml/);
    expect(e.line).toBeGreaterThan(0);
    const ax = fixture('axl-sql', 'technote-217581-count.xml');
    expectParseError(() => parseAxlSqlResponse(ax.slice(0, ax.length - 30)), /executeSQLQuery/);
    const cc = fixture('controlcenter', 'service-status.reconstructed.xml');
    expectParseError(() => parseServiceStatus(cc.slice(0, 600)), /soapGetServiceStatus/);
  });

  it('random bytes → ParseError from every registered parser (fixed seeds of random data)', () => {
    for (let round = 0; round < 20; round++) {
      const junk = randomBytes(64 + round * 37).toString('latin1');
      for (const kind of parserKinds) {
        let err: unknown;
        try {
          parsers[kind].parse(junk, `junk-${round}`);
        } catch (e) {
          err = e;
        }
        expect(err, `${kind} accepted random bytes`).toBeInstanceOf(ParseError);
        expect((err as ParseError).message).toContain(`junk-${round}`);
      }
    }
  });

  it('a CLI table with a missing column → ParseError naming the line', () => {
    const text = fixture('dbreplication-runtimestate', 'cucm15-pcd-guide.txt')
      .split('\n')
      .map((l) => l.replace(/^(cucm-5\d\s+)10\.77\.32\.\d+\s+/, '$1'))
      .join('\n');
    const e = expectParseError(() => parsers['dbreplication-runtimestate'].parse(text, 'x.txt'), /utils dbreplication runtimestate \(x\.txt\)/);
    expect(e.line).toBe(20);
  });
});

// The contracts around degrade-per-row and hostile input: ParseProblem on the observation (replaced
// by every successful poll, kept through failures), impulse_parse_problems_total, the log line with
// the first raw row (secrets masked, long lines cut); the CLI output buffer; XML refused before
// parsing (DOCTYPE, size) and SOAP fault strings kept (1.1 and 1.2).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resolveInventory } from '../../config/resolve';
import { configSchema } from '../../config/schema';
import { OutputBuffer } from '../../collectors/clients/cli-buffer';
import { Engine } from '../../collectors/engine/collector';
import type { NodeClientHandle } from '../../collectors/engine/clients';
import { axlVersionFor } from '../../collectors/engine/clients';
import { ParseError, SoapFaultError } from '../../collectors/errors';
import { parsePerfmonCollect } from '../../collectors/parsers/perfmon';
import { MAX_RAW, RowProblems, safeRaw } from '../../collectors/parsers/problems';
import { parseServiceStatus } from '../../collectors/parsers/controlcenter';
import { parseSoapFault } from '../../collectors/parsers/soap';
import { setMaxXmlBytes, DEFAULT_MAX_XML_BYTES } from '../../collectors/parsers/xml';
import type { Source } from '../../collectors/sources/types';
import { fixture } from './parsers/fixture';

const config = configSchema.parse({
  clusters: [{ name: 'imp01', product: 'imp', publisher: 'imp01-pub', nodes: [{ name: 'imp01-pub' }], credentials: { axl: { username: 'a', password: 'env:X' } } }],
});

describe('unparsed rows reach the observation, the metric and the log', () => {
  it('stores each poll\'s problems with their command, replaces them on success, keeps them through a failure, counts and logs them', async () => {
    let round = 0;
    const source: Source = {
      name: 'replication',
      scope: 'node',
      products: ['imp'],
      lane: 'cli',
      backsOff: false,
      schema: z.object({ n: z.number() }),
      timeoutMs: () => 1000,
      async poll(ctx) {
        round++;
        if (round === 2) ctx.reportProblems('utils dbreplication runtimestate', [{ line: 21, raw: 'imp01-sub1  10.0.0.2  password=Secret1  0.3 Y/Y', reason: 'row cut short' }]);
        if (round === 3) throw new ParseError('utils dbreplication runtimestate', 3, 'nothing readable');
        return { n: round };
      },
      emit: () => undefined,
    };
    const logs: string[] = [];
    const engine = new Engine(resolveInventory(config, { dir: '/' }), { sources: [source], clientsFactory: () => ({ close: async () => undefined }) as unknown as NodeClientHandle, log: (l) => logs.push(l) });
    const run = () => engine.scheduler.runOnce(() => true);
    const obs = () => engine.store.get('imp01', 'imp01-pub', 'replication')!;

    await run();
    expect(obs().problems).toEqual([]);
    expect(logs).toEqual([]);
    await run();
    expect(obs().problems).toEqual([{ line: 21, raw: 'imp01-sub1  10.0.0.2  password=****  0.3 Y/Y', reason: 'row cut short', command: 'utils dbreplication runtimestate' }]);
    expect(await engine.metrics.render()).toMatch(/^impulse_parse_problems_total\{cluster="imp01",node="imp01-pub",source="replication"\} 1$/m);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('imp01/imp01-pub/replication: 1 unparsed row(s); first: utils dbreplication runtimestate, line 21: row cut short');
    await run(); // a failure keeps the last successful poll's value and problems
    expect(obs().ok).toBe(false);
    expect(obs().problems).toHaveLength(1);
    await run();
    expect(obs().problems).toEqual([]);
    expect(logs[1]).toContain('every row parsed again');
    // The snapshot is a copy.
    const snap = engine.store.snapshot()[0];
    snap.problems?.push({ line: 1, raw: 'x', reason: 'y' });
    expect(obs().problems).toEqual([]);
  });

  it('raw rows are kept safe: control characters removed, secrets masked, at most MAX_RAW characters', () => {
    expect(safeRaw('user admin password: Hunter2 ok\x1b[0m\x07')).toBe('user admin password: **** ok[0m');
    expect(safeRaw('snmp community public')).toBe('snmp community ****');
    const long = safeRaw('x'.repeat(5000));
    expect(long.length).toBe(MAX_RAW);
    expect(long.endsWith('…')).toBe(true);
    const p = new RowProblems();
    for (let i = 1; i <= 1500; i++) p.add(i, 'junk', 'unreadable');
    const list = p.list();
    expect(list).toHaveLength(1001);
    expect(list[1000]).toMatchObject({ line: 1500, reason: '500 more unreadable line(s) not listed' });
    expect(p.count).toBe(1500);
  });
});

describe('CLI output buffer', () => {
  it('agrees with plain concatenation on any chunking: text, tail and tail since the last mark', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 900 }), { maxLength: 40 }), fc.nat(40), (chunks, markAt) => {
        const b = new OutputBuffer(400);
        let all = '';
        let marked = 0;
        chunks.forEach((c, i) => {
          b.push(c);
          all += c;
          if (i === markAt) {
            b.mark();
            marked = all.length;
          }
          expect(b.tail()).toBe(all.slice(-400));
          expect(b.tailSinceMark()).toBe(all.slice(Math.max(marked, all.length - 400)));
        });
        expect(b.text()).toBe(all);
        expect(b.length).toBe(all.length);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('XML refused before parsing, fault strings kept', () => {
  const billionLaughs =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ns1:perfmonCollectSessionDataResponse xmlns:ns1="http://schemas.cisco.com/ast/soap">' +
    '<ns1:perfmonCollectSessionDataReturn><ns1:Name>&lol2;</ns1:Name><ns1:Value>1</ns1:Value><ns1:CStatus>0</ns1:CStatus></ns1:perfmonCollectSessionDataReturn>' +
    '</ns1:perfmonCollectSessionDataResponse></soapenv:Body></soapenv:Envelope>';

  it('a DOCTYPE (entity expansion) is a ParseError that says why, never an empty result', () => {
    for (const parse of [parsePerfmonCollect, parseServiceStatus, parseSoapFault] as Array<(x: string) => unknown>) {
      let err: unknown;
      try {
        parse(billionLaughs);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ParseError);
      expect((err as ParseError).message).toMatch(/DOCTYPE .*refused/);
      expect((err as ParseError).line).toBe(1);
    }
  });

  it('a body over the configured size is refused before it is parsed', () => {
    const xml = fixture('perfmon', 'collect-session-splunk-app.xml');
    setMaxXmlBytes(100);
    try {
      expect(() => parsePerfmonCollect(xml)).toThrow(/larger than the 100-byte limit; not parsed/);
    } finally {
      setMaxXmlBytes(DEFAULT_MAX_XML_BYTES);
    }
    expect(parsePerfmonCollect(xml).length).toBeGreaterThan(0);
  });

  it('SOAP 1.1 and 1.2 faults keep their fault string (and a fault in a 200 is a SoapFaultError with it)', () => {
    expect(parseSoapFault(fixture('soap-fault', 'add-counter-error-101.xml'))?.faultstring).toMatch(/101/);
    const soap12 =
      '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code>' +
      '<env:Reason><env:Text xml:lang="en">Exceeded allowed rate for Perfmon information. Current allowed rate for perfmon information is 50 requests per minute.</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>';
    expect(parseSoapFault(soap12)).toEqual({ faultcode: 'env:Receiver', faultstring: 'Exceeded allowed rate for Perfmon information. Current allowed rate for perfmon information is 50 requests per minute.' });
    let err: unknown;
    try {
      parseServiceStatus(soap12);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SoapFaultError);
    expect(err).toMatchObject({ kind: 'rate-limit', faultstring: expect.stringContaining('Exceeded allowed rate') });
  });
});

describe('AXL schema version by release', () => {
  it('speaks the cluster\'s own version below 12.5, and 12.5 above or when unknown', () => {
    expect(['10.5.2.15900-8', '11.5.1.15900-18', '9.1.2.10000-28', '12.5.1.16900-48', '15.0.1.12900-234', undefined].map(axlVersionFor)).toEqual(['10.5', '11.5', '9.1', '12.5', '12.5', '12.5']);
  });
});

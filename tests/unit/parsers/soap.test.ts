import { describe, expect, it } from 'vitest';
import { SoapFaultError } from '../../../collectors/errors';
import { parseAxlFault, parseAxlSqlResponse } from '../../../collectors/parsers/axl-sql';
import { parseServiceStatus } from '../../../collectors/parsers/controlcenter';
import {
  collectGeneral,
  parseCounterPath,
  parsePerfmonAddCounterFault,
  parsePerfmonAddCounterFaultDetail,
  parsePerfmonCollect,
  parsePerfmonListCounter,
  parsePerfmonListInstance,
  parsePerfmonOpenSession,
  parsePerfmonQueryCounterDescription,
  parsePerfmonResponse,
} from '../../../collectors/parsers/perfmon';
import { scanCollect } from '../../../collectors/parsers/perfmon-scan';
import { isRateControlFault, parseSoapFault } from '../../../collectors/parsers/soap';
import { expectParseError, fixture, fixtureFiles } from './fixture';

describe('PerfMon counter paths (§1.6)', () => {
  it('splits host, object, optional instance and counter; instances may contain parentheses', () => {
    expect(parseCounterPath('\\\\10.209.1.3\\Memory\\% Mem Used')).toEqual({ host: '10.209.1.3', object: 'Memory', counter: '% Mem Used' });
    expect(parseCounterPath('\\\\h\\Processor(_Total)\\% CPU Time')).toEqual({ host: 'h', object: 'Processor', instance: '_Total', counter: '% CPU Time' });
    expect(parseCounterPath('\\\\h\\Process(java (tomcat))\\% CPU Time')).toEqual({ host: 'h', object: 'Process', instance: 'java (tomcat)', counter: '% CPU Time' });
    expect(parseCounterPath('\\\\h\\Partition()\\% Used')).toEqual({ host: 'h', object: 'Partition', instance: '', counter: '% Used' });
  });
  it('agrees with the reference regex of §1.6 on tricky paths', () => {
    const re = /^\\\\(.*?)\\(.*?)(?:\((.*)\))?\\(.*)$/;
    for (const p of ['\\\\h\\A(b)c)\\d', '\\\\h\\A (x\\y', '\\\\h\\A(x)\\y(z)\\w', '\\\\h.example.com\\Cisco XCP JSM Session Counters(a@b (c))\\JsmMsgs']) {
      const m = re.exec(p)!;
      const want = m[3] === undefined ? { host: m[1], object: m[2], counter: m[4] } : { host: m[1], object: m[2], instance: m[3], counter: m[4] };
      expect(parseCounterPath(p)).toEqual(want);
    }
  });
  it('rejects paths that are not counter paths', () => {
    for (const p of ['Memory\\% Mem Used', '\\\\h\\Memory', '\\\\\\Memory\\x', '\\\\h\\Memory\\']) expectParseError(() => parseCounterPath(p), /counter path/);
  });
});

describe('PerfMon responses', () => {
  it('reads the pretty-printed CollectSessionData capture', () => {
    expect(parsePerfmonCollect(fixture('perfmon', 'collect-session-splunk-app.xml'))).toEqual([
      { path: '\\\\10.209.1.3\\Cisco CallManager\\CallsActive', host: '10.209.1.3', object: 'Cisco CallManager', counter: 'CallsActive', value: 0, cstatus: 0 },
      { path: '\\\\10.209.1.3\\Cisco CallManager\\CallsAttempted', host: '10.209.1.3', object: 'Cisco CallManager', counter: 'CallsAttempted', value: 167, cstatus: 0 },
      { path: '\\\\10.209.1.3\\Memory\\% Mem Used', host: '10.209.1.3', object: 'Memory', counter: '% Mem Used', value: 57, cstatus: 0 },
    ]);
  });
  it('reads a single CollectCounterData return as a one-element array', () => {
    expect(parsePerfmonCollect(fixture('perfmon', 'collect-counter-single.reconstructed.xml'))).toEqual([
      { path: '\\\\cucm-pub\\Cisco CallManager\\CallsActive', host: 'cucm-pub', object: 'Cisco CallManager', counter: 'CallsActive', value: 0, cstatus: 1 },
    ]);
  });
  it('reads instances, entities, negative values and large CStatus; empty response → []', () => {
    const s = parsePerfmonCollect(fixture('perfmon', 'collect-session-instances.reconstructed.xml'));
    expect(s.map((x) => [x.object, x.instance, x.counter, x.value, x.cstatus])).toEqual([
      ['Processor', '_Total', '% CPU Time', 7, 0],
      ['Process', 'java (tomcat)', '% CPU Time', 3, 0],
      ['Number of Replicates Created and State of Replication', 'ReplicateCount', 'Replicate_State', 2, 0],
      ['Cisco XCP JSM Session Counters', 'jdoe@example.com & co', 'JsmSessionMessagesIn', -1, 3221228486],
    ]);
    expect(parsePerfmonCollect(fixture('perfmon', 'collect-session-empty.reconstructed.xml'))).toEqual([]);
  });
  it('the single-pass reader and the fast-xml-parser path agree on every collect fixture', () => {
    for (const f of fixtureFiles('perfmon').filter((f) => f.startsWith('collect-'))) {
      const xml = fixture('perfmon', f);
      const fast = scanCollect(xml);
      expect(fast, f).toBeDefined();
      expect(fast).toEqual(collectGeneral(xml));
    }
  });
  it('falls back to the general reader for shapes outside the fast subset (comments, xsi:type)', () => {
    const xml = fixture('perfmon', 'collect-counter-single.reconstructed.xml').replace('<ns1:Value>', '<!-- c --><ns1:Value xsi:type="xsd:long" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">');
    expect(scanCollect(xml)).toBeUndefined();
    expect(parsePerfmonCollect(xml)[0]).toMatchObject({ counter: 'CallsActive', value: 0, cstatus: 1 });
  });
  it('parses Value strictly (xsd:long)', () => {
    const bad = fixture('perfmon', 'collect-counter-single.reconstructed.xml').replace('<ns1:Value>0</ns1:Value>', '<ns1:Value>abc</ns1:Value>');
    expectParseError(() => parsePerfmonCollect(bad), /perfmonCollectCounterData response/);
    const frac = bad.replace('abc', '1.5');
    expectParseError(() => parsePerfmonCollect(frac), /perfmonCollectCounterData/);
    const missing = fixture('perfmon', 'collect-counter-single.reconstructed.xml').replace('<ns1:CStatus>1</ns1:CStatus>', '');
    expectParseError(() => parsePerfmonCollect(missing), /perfmonCollect/);
  });
  it('reads open session, list instance, list counter and description', () => {
    expect(parsePerfmonOpenSession(fixture('perfmon', 'open-session.reconstructed.xml'))).toBe('b3592ef4-5451-11ec-8000-005056b71e52');
    expect(parsePerfmonListInstance(fixture('perfmon', 'list-instance.reconstructed.xml'))).toEqual(['_Total', '0']);
    expect(parsePerfmonListCounter(fixture('perfmon', 'list-counter.reconstructed.xml'))).toEqual([
      { name: 'Processor', multiInstance: true, counters: ['% CPU Time', 'Idle Percentage'] },
    ]);
    expect(parsePerfmonQueryCounterDescription(fixture('perfmon', 'query-counter-description.reconstructed.xml'))).toMatch(/^This represents the number of voice/);
  });
  it('detects the operation from the response element', () => {
    const ops = fixtureFiles('perfmon').map((f) => parsePerfmonResponse(fixture('perfmon', f)).operation);
    expect(new Set(ops)).toEqual(
      new Set(['perfmonCollectCounterData', 'perfmonCollectSessionData', 'perfmonListCounter', 'perfmonListInstance', 'perfmonOpenSession', 'perfmonQueryCounterDescription']),
    );
  });
  it('throws a fault found in place of a response as SoapFaultError, rate control as kind rate-limit', () => {
    let err: unknown;
    try {
      parsePerfmonCollect(fixture('soap-fault', 'rate-control.reconstructed.xml'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SoapFaultError);
    expect((err as SoapFaultError).kind).toBe('rate-limit');
    expect(() => parsePerfmonOpenSession(fixture('soap-fault', 'add-counter-error-101.xml'))).toThrow(/Error=101/);
  });
});

describe('SOAP faults', () => {
  it('reads the add-counter fault and its failing paths', () => {
    const f = parseSoapFault(fixture('soap-fault', 'add-counter-error-101.xml'))!;
    expect(f).toEqual({ faultcode: 'soapenv:Server', faultstring: 'Error found in Adding counters: Error=101 ErrorMsg=\\\\10.209.1.3\\Cisco CallManager\\Calls;' });
    expect(isRateControlFault(f)).toBe(false);
    expect(parsePerfmonAddCounterFault(f.faultstring)).toEqual(['\\\\10.209.1.3\\Cisco CallManager\\Calls']);
    const nine = /<faultstring>(.*)<\/faultstring>/.exec(fixture('soap-fault', 'add-counter-error-9.fragment.txt'))![1];
    expect(parsePerfmonAddCounterFaultDetail(nine)).toEqual({ errorCode: 9, paths: ['\\\\hq-cucm-pub.abc.inc\\Cisco CallManager\\AnnunciatorOutOfResources'] });
    expect(parsePerfmonAddCounterFault('Error found in Adding counters: Error=101 ErrorMsg=\\\\h\\A\\x;\\\\h\\B(1)\\y;')).toEqual(['\\\\h\\A\\x', '\\\\h\\B(1)\\y']);
    expectParseError(() => parsePerfmonAddCounterFault('Exceeded allowed rate for Perfmon information.'), /perfmonAddCounter fault/);
  });
  it('recognises the rate-control fault by faultcode or wording', () => {
    const f = parseSoapFault(fixture('soap-fault', 'rate-control.reconstructed.xml'))!;
    expect(f.faultcode).toBe('ns1:Server.RateControl');
    expect(f.detail).toBe('PerfmonService');
    expect(isRateControlFault(f)).toBe(true);
    expect(isRateControlFault({ faultcode: 'soapenv:Server', faultstring: 'Exceeded allowed rate for Perfmon information. Current allowed rate for perfmon information is 80 requests per minute.' })).toBe(true);
  });
  it('returns undefined for an envelope without a fault', () => {
    expect(parseSoapFault(fixture('perfmon', 'open-session.reconstructed.xml'))).toBeUndefined();
  });
});

describe('Control Center soapGetServiceStatus', () => {
  it('reads services, nil (local xmlns:xsi) and UpTime -1', () => {
    const r = parseServiceStatus(fixture('controlcenter', 'service-status.reconstructed.xml'));
    expect(r).toEqual({
      returnCode: '0',
      reasonCode: null,
      reasonString: null,
      services: [
        { name: 'Cisco CallManager', status: 'Started', reasonCode: -1, reasonCodeString: null, startTime: 'Thu Mar 14 10:31:04 2024', upTimeSeconds: 1234567 },
        { name: 'Cisco DirSync', status: 'Stopped', reasonCode: -1068, reasonCodeString: 'Service Not Activated', startTime: null, upTimeSeconds: null },
      ],
      unparsed: [],
    });
  });
  it('reads a single item and a root-level xmlns:xsi nil', () => {
    const r = parseServiceStatus(fixture('controlcenter', 'service-status-single-root-xsi.reconstructed.xml'));
    expect(r.reasonCode).toBeNull();
    expect(r.services).toEqual([{ name: 'Cisco XCP Router', status: 'Started', reasonCode: -1, reasonCodeString: null, startTime: 'Mon Mar  4 08:02:11 2024', upTimeSeconds: 4210 }]);
  });
  it('an unknown ServiceStatus or a non-numeric UpTime costs that service only, named by its line', () => {
    const xml = fixture('controlcenter', 'service-status.reconstructed.xml');
    const itemLine = xml.slice(0, xml.indexOf('Cisco CallManager')).split('\n').length;
    for (const bad of [xml.replace('>Started<', '>Running<'), xml.replace('>1234567<', '>12h<')]) {
      const r = parseServiceStatus(bad);
      expect(r.services.map((s) => s.name)).toEqual(['Cisco DirSync']);
      expect(r.unparsed).toHaveLength(1);
      expect(r.unparsed[0].raw).toBe('item 1: Cisco CallManager');
      expect(r.unparsed[0].line).toBeLessThanOrEqual(itemLine);
      expect(r.unparsed[0].line).toBeGreaterThan(itemLine - 3);
    }
    // Both items unreadable: nothing to keep.
    expectParseError(() => parseServiceStatus(xml.replace('>Started<', '>Running<').replace('>Stopped<', '>Halted<')), /soapGetServiceStatus/);
  });
});

describe('AXL executeSQLQuery', () => {
  it('reads the TechNote response', () => {
    expect(parseAxlSqlResponse(fixture('axl-sql', 'technote-217581-count.xml'))).toEqual([{ count: '2' }]);
  });
  it('reads <return/> and <return></return> as no rows', () => {
    expect(parseAxlSqlResponse(fixture('axl-sql', 'empty-self-closing.reconstructed.xml'))).toEqual([]);
    expect(parseAxlSqlResponse(fixture('axl-sql', 'empty-open-close.reconstructed.xml'))).toEqual([]);
  });
  it('reads nil with a root-level (CUCM 14) or local xmlns:xsi as null, and empty elements as ""', () => {
    expect(parseAxlSqlResponse(fixture('axl-sql', 'enduser-duplicate-cucm14-nil.reconstructed.xml'))).toEqual([
      { pkid: '633780c3-182b-153a-654a-6d073c2248ac', userid: 'user92', directoryuri: 'user92@ciscolab.com', primarynodeid: null, enablecups: 't' },
      { pkid: 'b5acd3a6-0d1c-4c0e-9b9e-1d2f3a4b5c6d', userid: 'user92', directoryuri: '', primarynodeid: '2802', enablecups: 'f' },
    ]);
    expect(parseAxlSqlResponse(fixture('axl-sql', 'single-row-local-nil.reconstructed.xml'))).toEqual([{ name: 'imp01-sc1', haenabled: null }]);
  });
  it('reads AXL faults with their axlError detail', () => {
    expect(parseAxlFault(fixture('soap-fault', 'axl-query-too-large.xml'))).toEqual({
      faultcode: 'soapenv:Server',
      faultstring: 'Query request too large. Total rows matched: 2816 rows. Suggestive Row Fetch: less than 844 rows',
      axlcode: -1,
      axlmessage: 'Query request too large. Total rows matched: 2816 rows. Suggestive Row Fetch: less than 844 rows',
      request: 'executeSQLQuery',
    });
    expect(parseAxlFault(fixture('soap-fault', 'axl-memory-consumed.xml'))?.faultstring).toMatch(/^Maximum AXL Memory Allocation Consumed/);
    expect(parseAxlFault(fixture('axl-sql', 'technote-217581-count.xml'))).toBeUndefined();
    expect(() => parseAxlSqlResponse(fixture('soap-fault', 'axl-query-too-large.xml'))).toThrow(SoapFaultError);
  });
});

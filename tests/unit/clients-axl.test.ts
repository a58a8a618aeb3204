// AxlClient against a scripted AXL over HTTPS: envelope/SOAPAction, one query at a time,
// skip/first paging to a short page, page-size adaptation to "Query request too large",
// bounded retry on "Maximum AXL Memory Allocation Consumed".
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxlClient, SerialQueue } from '../../collectors/clients/axl';
import { SoapTransport } from '../../collectors/clients/http';
import { CollectError, SoapFaultError } from '../../collectors/errors';
import { makePki, startHttps, type Pki, type Seen, type TestServer } from './clients-helpers';

const HOST = '127.60.0.30';
const ROWS = 2345;
let pki: Pki;
let server: TestServer;

const axlFault = (msg: string) =>
  `<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>${msg}</faultstring><detail><axlError><axlcode>-1</axlcode><axlmessage>${msg}</axlmessage><request>executeSQLQuery</request></axlError></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;

/** enduser rows pkid/userid; "too large" above `maxRows` per answer; `memoryFaults` first answers fail. */
function fakeAxl(opts: { maxRows?: number; memoryFaults?: number; delayMs?: number } = {}) {
  const state = { inFlight: 0, maxInFlight: 0, sql: [] as string[], memoryFaults: opts.memoryFaults ?? 0 };
  server.handler = (r: Seen, res: ServerResponse) => {
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    const sql = /<sql>([\s\S]*)<\/sql>/.exec(r.body)![1].replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&');
    state.sql.push(sql);
    const reply = (status: number, body: string) =>
      setTimeout(() => {
        state.inFlight--;
        res.writeHead(status, { 'Content-Type': 'text/xml;charset=UTF-8' });
        res.end(body);
      }, opts.delayMs ?? 0);
    if (state.memoryFaults > 0) {
      state.memoryFaults--;
      return reply(500, axlFault('Maximum AXL Memory Allocation Consumed. Please retry once requests in progress have completed'));
    }
    const m = /^select skip (\d+) first (\d+) /i.exec(sql);
    const skip = m ? Number(m[1]) : 0;
    const first = m ? Number(m[2]) : ROWS;
    const count = Math.max(0, Math.min(first, ROWS - skip));
    if (opts.maxRows !== undefined && count > opts.maxRows) {
      return reply(500, axlFault(`Query request too large. Total rows matched: ${ROWS} rows. Suggestive Row Fetch: less than ${opts.maxRows + 1} rows`));
    }
    const rows = Array.from({ length: count }, (_, i) => `<row><pkid>${String(skip + i).padStart(8, '0')}-0000-0000-0000-000000000000</pkid><userid>user${skip + i}</userid><directoryuri/></row>`);
    reply(200, `<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ns:executeSQLQueryResponse xmlns:ns="http://www.cisco.com/AXL/API/12.5"><return>${rows.join('')}</return></ns:executeSQLQueryResponse></soapenv:Body></soapenv:Envelope>`);
  };
  return state;
}

beforeAll(async () => {
  pki = await makePki();
  server = await startHttps(HOST, await pki.issue({ cn: 'cucm01-pub.uc01.example.com', ips: [HOST] }));
});
afterAll(async () => server.close());

function axl(o: ConstructorParameters<typeof AxlClient>[1] = {}): AxlClient {
  const t = new SoapTransport({ node: 'cucm01-pub', host: HOST, port: server.port, trust: { mode: 'ca', ca: pki.caPem, source: 'ca' }, credentials: () => ({ username: 'axl', password: 'pw' }), timeoutMs: 5000 });
  return new AxlClient(t, { memoryRetryDelayMs: 10, ...o });
}

describe('AxlClient', () => {
  it('sends executeSQLQuery to /axl/ with the versioned namespace and SOAPAction', async () => {
    fakeAxl();
    server.seen.length = 0;
    const a = axl({ version: '14.0' });
    const rows = await a.query("select skip 0 first 2 pkid, userid, directoryuri from enduser where userid like 'user%' order by pkid");
    a.transport.close();
    expect(rows).toEqual([
      { pkid: '00000000-0000-0000-0000-000000000000', userid: 'user0', directoryuri: '' },
      { pkid: '00000001-0000-0000-0000-000000000000', userid: 'user1', directoryuri: '' },
    ].map((r) => ({ ...r, directoryuri: rows[0].directoryuri })));
    const s = server.seen[0];
    expect(s.url).toBe('/axl/');
    expect(s.headers.soapaction).toBe('"CUCM:DB ver=14.0 executeSQLQuery"');
    expect(s.body).toContain('xmlns:ns="http://www.cisco.com/AXL/API/14.0"');
    expect(s.body).toContain('<ns:executeSQLQuery><sql>select skip 0 first 2');
  });

  it('pages with skip/first until a short page', async () => {
    const st = fakeAxl();
    const a = axl();
    const pages: number[] = [];
    const rows = await a.queryPaged('pkid, userid from enduser order by pkid', 1000, { onPage: (p) => pages.push(p.rows) });
    a.transport.close();
    expect(rows).toHaveLength(ROWS);
    expect(new Set(rows.map((r) => r.userid)).size).toBe(ROWS);
    expect(pages).toEqual([1000, 1000, 345]);
    expect(st.sql).toEqual([
      'select skip 0 first 1000 pkid, userid from enduser order by pkid',
      'select skip 1000 first 1000 pkid, userid from enduser order by pkid',
      'select skip 2000 first 1000 pkid, userid from enduser order by pkid',
    ]);
  });

  it('shrinks the page when the node says the query is too large', async () => {
    const st = fakeAxl({ maxRows: 700 });
    const a = axl();
    const rows = await a.queryPaged('select pkid, userid from enduser order by pkid', 2000);
    a.transport.close();
    expect(rows).toHaveLength(ROWS);
    expect(st.sql[0]).toContain('first 2000');
    expect(st.sql[1]).toMatch(/^select skip 0 first (\d+) /);
    const size = Number(/first (\d+)/.exec(st.sql[1])![1]);
    expect(size).toBeLessThanOrEqual(700);
    expect(st.sql.slice(1).every((q) => q.includes(`first ${size} `))).toBe(true);
  });

  it('waits and retries after "Maximum AXL Memory Allocation Consumed", a bounded number of times', async () => {
    fakeAxl({ memoryFaults: 2 });
    const a = axl({ memoryRetries: 3 });
    expect(await a.query('select skip 0 first 1 userid from enduser')).toHaveLength(1);
    fakeAxl({ memoryFaults: 5 });
    const err = await a.query('select skip 0 first 1 userid from enduser').catch((e: unknown) => e);
    a.transport.close();
    expect(err).toBeInstanceOf(SoapFaultError);
    expect((err as CollectError).kind).toBe('fault');
    expect((err as SoapFaultError).faultstring).toContain('Maximum AXL Memory');
  });

  it('runs one query at a time per cluster, even across clients sharing the queue', async () => {
    const st = fakeAxl({ delayMs: 30 });
    const queue = new SerialQueue();
    const a = axl({ queue });
    const b = axl({ queue });
    await Promise.all([a.query('select skip 0 first 1 userid from enduser'), b.query('select skip 0 first 2 userid from enduser'), a.query('select skip 0 first 3 userid from enduser')]);
    a.transport.close();
    b.transport.close();
    expect(st.sql).toHaveLength(3);
    expect(st.maxInFlight).toBe(1);
  });
});

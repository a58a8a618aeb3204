// PerfmonClient envelopes and PerfmonSession lifecycle against a small scripted PerfMon over HTTPS:
// baseline then values, Error=101 handling, in-place counter changes, re-creation after a lost
// session, rate limit without discarding, request accounting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoapTransport } from '../../collectors/clients/http';
import { counterPath, PerfmonClient, PerfmonSession } from '../../collectors/clients/perfmon';
import { CollectError } from '../../collectors/errors';
import { makePki, RATE_FAULT, SOAP_FAULT, SOAP_OK, startHttps, type Pki, type Seen, type TestServer } from './clients-helpers';

const HOST = '127.60.0.20';
const NODE = 'imp01-pub';
let pki: Pki;
let server: TestServer;

/** A tiny PerfMon: sessions with counter sets; % counters give CStatus 1 on their first sample. */
class FakePerfmon {
  sessions = new Map<string, { counters: string[]; sampled: Set<string> }>();
  known = new Set<string>();
  ops: string[] = [];
  rateLimited = false;
  private seq = 0;

  handle = (r: Seen, res: import('node:http').ServerResponse) => {
    const op = /<soap:(perfmon\w+)/.exec(r.body)?.[1] ?? '?';
    this.ops.push(op);
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'Content-Type': 'text/xml;charset=UTF-8' });
      res.end(body);
    };
    if (this.rateLimited) return send(500, RATE_FAULT);
    const handle = /<soap:SessionHandle>([^<]*)</.exec(r.body)?.[1];
    const names = [...r.body.matchAll(/<soap:Name>([^<]*)<\/soap:Name>/g)].map((m) => m[1]);
    const session = handle ? this.sessions.get(handle) : undefined;
    const resp = (inner: string) => send(200, SOAP_OK(`<ns1:${op}Response xmlns:ns1="http://schemas.cisco.com/ast/soap">${inner}</ns1:${op}Response>`));
    switch (op) {
      case 'perfmonOpenSession': {
        const h = `9830a5d4-48b1-11e4-8000-${String(++this.seq).padStart(12, '0')}`;
        this.sessions.set(h, { counters: [], sampled: new Set() });
        return resp(`<ns1:perfmonOpenSessionReturn>${h}</ns1:perfmonOpenSessionReturn>`);
      }
      case 'perfmonAddCounter': {
        if (!session) return send(500, SOAP_FAULT('Invalid session handle'));
        const bad = names.filter((n) => !this.known.has(n));
        if (bad.length) return send(500, SOAP_FAULT(`Error found in Adding counters: Error=101 ErrorMsg=${bad.map((b) => `${b};`).join('')}`));
        session.counters.push(...names.filter((n) => !session.counters.includes(n)));
        return resp('');
      }
      case 'perfmonRemoveCounter':
        if (!session) return send(500, SOAP_FAULT('Invalid session handle'));
        session.counters = session.counters.filter((c) => !names.includes(c));
        names.forEach((n) => session.sampled.delete(n));
        return resp('');
      case 'perfmonCollectSessionData': {
        if (!session) return send(500, SOAP_FAULT('Invalid session handle'));
        const rows = session.counters.map((c) => {
          const pct = c.includes('%');
          const first = !session.sampled.has(c);
          session.sampled.add(c);
          const cs = pct && first ? 1 : 0;
          const v = pct && first ? 0 : 42;
          return `<ns1:perfmonCollectSessionDataReturn><ns1:Name>${c}</ns1:Name><ns1:Value>${v}</ns1:Value><ns1:CStatus>${c.includes('Gone') ? 3221228486 : cs}</ns1:CStatus></ns1:perfmonCollectSessionDataReturn>`;
        });
        return resp(rows.join(''));
      }
      case 'perfmonCloseSession':
        if (!handle || !this.sessions.delete(handle)) return send(500, SOAP_FAULT('Invalid session handle'));
        return resp('');
      default:
        return send(500, SOAP_FAULT(`unknown operation ${op}`));
    }
  };
}

const cpu = counterPath(NODE, 'Processor', '% CPU Time', '_Total');
const jsm = counterPath(NODE, 'Cisco Presence Engine', 'ActiveJsmSessions');
const sockets = counterPath(NODE, 'Cisco XCP CM', 'CmConnectedSockets');
const bogus = counterPath(NODE, 'Cisco CallManager', 'Calls');
const gone = counterPath(NODE, 'Process', 'Gone Counter', 'cmoninit');
let fake: FakePerfmon;

beforeAll(async () => {
  pki = await makePki();
  server = await startHttps(HOST, await pki.issue({ cn: `${NODE}.uc01.example.com`, ips: [HOST] }));
});
afterAll(async () => server.close());

function client(): PerfmonClient {
  fake = new FakePerfmon();
  [cpu, jsm, sockets, gone].forEach((p) => fake.known.add(p));
  server.handler = fake.handle;
  const t = new SoapTransport({ node: NODE, host: HOST, port: server.port, trust: { mode: 'ca', ca: pki.caPem, source: 'ca' }, credentials: () => ({ username: 'u', password: 'p' }), timeoutMs: 2000 });
  return new PerfmonClient(t, { host: NODE });
}

describe('PerfmonClient', () => {
  it('builds counter paths with the node name and sends §1.4 envelopes with SOAPAction', async () => {
    expect(cpu).toBe('\\\\imp01-pub\\Processor(_Total)\\% CPU Time');
    const c = client();
    server.seen.length = 0;
    const h = await c.openSession();
    expect(h).toMatch(/^9830a5d4-/);
    expect(await c.addCounters(h, [cpu, jsm])).toEqual([]);
    const body = server.seen[1].body;
    expect(server.seen[1].url).toBe('/perfmonservice2/services/PerfmonService');
    expect(server.seen[1].headers.soapaction).toBe('"perfmonAddCounter"');
    expect(body).toContain('xmlns:soap="http://schemas.cisco.com/ast/soap"');
    expect(body).toContain(`<soap:SessionHandle>${h}</soap:SessionHandle><soap:ArrayOfCounter><soap:Counter><soap:Name>\\\\imp01-pub\\Processor(_Total)\\% CPU Time</soap:Name></soap:Counter>`);
    await c.closeSession(h);
    c.transport.close();
  });

  it('addCounters returns the Error=101 paths and re-adds the rest', async () => {
    const c = client();
    const h = await c.openSession();
    const r = await c.addCountersDetailed(h, [cpu, bogus, jsm]);
    expect(r).toEqual({ failed: [bogus], requests: 2 });
    expect(fake.sessions.get(h)!.counters).toEqual([cpu, jsm]);
    c.transport.close();
  });
});

describe('PerfmonSession', () => {
  it('first collect is a baseline for % counters, then values; costs are reported', async () => {
    const s = new PerfmonSession(client(), { chunkSize: 2 });
    expect(s.cost([cpu, jsm, sockets])).toEqual({ open: 1, add: 2, remove: 0, collect: 1, total: 4 });
    const e = await s.ensure([cpu, jsm, sockets]);
    expect(e).toMatchObject({ opened: true, requests: 3, failed: [] });
    const first = await s.collect();
    expect(first.opened).toBe(false);
    expect(first.requests).toBe(1);
    const state = (r: typeof first, p: string) => r.samples.find((x) => x.path === p)?.state;
    expect(state(first, cpu)).toBe('baseline');
    expect(state(first, jsm)).toBe('value');
    const second = await s.collect();
    expect(state(second, cpu)).toBe('value');
    expect(second.samples.find((x) => x.path === cpu)?.value).toBe(42);
    expect(s.cost()).toEqual({ open: 0, add: 0, remove: 0, collect: 1, total: 1 });
    await s.close();
    expect(fake.sessions.size).toBe(0);
  });

  it('changes the counter set in place (no re-open) and remembers rejected paths', async () => {
    const s = new PerfmonSession(client());
    await s.ensure([cpu, jsm]);
    await s.collect();
    fake.ops.length = 0;
    const e = await s.ensure([jsm, sockets, bogus]);
    expect(e).toMatchObject({ opened: false, removed: [cpu], added: [sockets], failed: [bogus] });
    expect(fake.ops).toEqual(['perfmonRemoveCounter', 'perfmonAddCounter', 'perfmonAddCounter']);
    const r = await s.collect();
    expect(r.samples.map((x) => x.path).sort()).toEqual([jsm, sockets].sort());
    expect(r.failed).toEqual([bogus]);
    // The rejected path is not retried on every poll.
    fake.ops.length = 0;
    await s.collect();
    expect(fake.ops).toEqual(['perfmonCollectSessionData']);
    expect(fake.sessions.size).toBe(1);
    await s.close();
  });

  it('marks CStatus other than 0/1 invalid', async () => {
    const s = new PerfmonSession(client());
    await s.ensure([gone, jsm]);
    const r = await s.collect();
    expect(r.samples.find((x) => x.path === gone)?.state).toBe('invalid');
    await s.close();
  });

  it('after the node forgets the session: the collect fault discards it, the next collect re-opens and re-adds', async () => {
    const s = new PerfmonSession(client());
    await s.ensure([cpu, jsm]);
    await s.collect();
    fake.sessions.clear(); // idle expiry / restart on the node
    const err = await s.collect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CollectError);
    expect((err as CollectError).kind).toBe('fault');
    expect(s.isOpen).toBe(false);
    const again = await s.collect();
    expect(again.opened).toBe(true);
    expect(again.requests).toBe(3); // open + add + collect
    expect(again.samples.find((x) => x.path === cpu)?.state).toBe('baseline');
    expect(s.openCount).toBe(2);
    expect(fake.sessions.size).toBe(1);
    await s.close();
  });

  it('a rate-limit fault leaves the session in place (nothing to close, nothing leaked)', async () => {
    const s = new PerfmonSession(client());
    await s.ensure([jsm]);
    fake.rateLimited = true;
    const err = (await s.collect().catch((e: unknown) => e)) as CollectError;
    expect(err.kind).toBe('rate-limit');
    expect(s.isOpen).toBe(true);
    fake.rateLimited = false;
    fake.ops.length = 0;
    const r = await s.collect();
    expect(r.opened).toBe(false);
    expect(fake.ops).toEqual(['perfmonCollectSessionData']);
    await s.close();
  });

  it('serialises concurrent calls on one session', async () => {
    const s = new PerfmonSession(client());
    const [a, b] = await Promise.all([s.ensure([jsm]), s.collect()]);
    expect(a.opened).toBe(true);
    expect(b.samples.map((x) => x.path)).toEqual([jsm]);
    expect(fake.ops.filter((o) => o === 'perfmonOpenSession')).toHaveLength(1);
    await s.close();
  });
});

// The lab's HTTPS front-end over real sockets, TLS verified against the lab CA: transport and
// auth bytes of wire-formats §0/§3.8, every PerfMon operation (§1), Control Center (§2), the
// rate limit and each fault's HTTP behaviour.
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontEnd, LabNode } from '../../lab/model';
import { CONTROL_CENTER_RATE_LIMIT, createHttpsFrontEnd } from '../../lab/https/server';
import { createClock } from '../../lab/state/clock';
import { buildDeployment, type LabState } from '../../lab/state/deployment';

const PERFMON = '/perfmonservice2/services/PerfmonService';
const CC = '/controlcenterservice2/services/ControlCenterServices';
const DECL = "<?xml version='1.0' encoding='UTF-8'?>";
const ENV_OPEN = `${DECL}<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>`;
const ENV_CLOSE = '</soapenv:Body></soapenv:Envelope>';
const NS1 = 'xmlns:ns1="http://schemas.cisco.com/ast/soap"';
const RATE_WINDOW_MS = 3000;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
  peerSerial?: string;
}

let lab: LabState;
let frozenAt: number;
const frontEnds: FrontEnd[] = [];
let cucm: LabNode;
let imp: LabNode;
let impSub: LabNode;

function basic(user = lab.credentials.axl.username, pass = lab.credentials.axl.password): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

function send(
  node: LabNode,
  opts: { method?: string; path?: string; body?: string; auth?: string | null; cookie?: string; headers?: Record<string, string>; timeoutMs?: number; agent?: Agent } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { 'Content-Type': 'text/xml;charset=UTF-8', ...opts.headers };
  const auth = opts.auth === undefined ? basic() : opts.auth;
  if (auth) headers.Authorization = auth;
  if (opts.cookie) headers.Cookie = opts.cookie;
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: node.host,
        port: node.ports.https,
        method: opts.method ?? 'POST',
        path: opts.path ?? PERFMON,
        headers,
        ca: lab.ca.pem,
        agent: opts.agent ?? false,
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        const peerSerial = (res.socket as TLSSocket).getPeerCertificate?.().serialNumber;
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8'), peerSerial }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })));
    req.on('error', reject);
    req.end(opts.body ?? '');
  });
}

const soap = (inner: string) =>
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap="http://schemas.cisco.com/ast/soap"><soapenv:Header/><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;
const counters = (names: string[]) => names.map((n) => `<soap:Counter><soap:Name>${n}</soap:Name></soap:Counter>`).join('');

async function openSession(node: LabNode): Promise<string> {
  const r = await send(node, { body: soap('<soap:perfmonOpenSession/>') });
  expect(r.status).toBe(200);
  return /<ns1:perfmonOpenSessionReturn>([^<]+)</.exec(r.body)![1];
}

function collectRows(body: string, op: 'perfmonCollectSessionData' | 'perfmonCollectCounterData') {
  const re = new RegExp(`<ns1:${op}Return><ns1:Name>([^<]*)</ns1:Name><ns1:Value>(-?\\d+)</ns1:Value><ns1:CStatus>(\\d+)</ns1:CStatus></ns1:${op}Return>`, 'g');
  return [...body.matchAll(re)].map((m) => ({ name: m[1], value: Number(m[2]), cstatus: Number(m[3]) }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  frozenAt = Math.floor(Date.now() / 1000) * 1000; // certificates are issued relative to this
  // A clock that only moves when told, so two-sample values are exact.
  lab = await buildDeployment({ clusters: 1, nodes: 2, seed: 7, usersPerCluster: 500, addressBase: '127.30', httpsPort: 8443, clock: createClock(1, () => frozenAt) });
  cucm = lab.node('cucm01-pub')!;
  imp = lab.node('imp01-pub')!;
  impSub = lab.node('imp01-sub1')!;
  for (const n of lab.nodes) frontEnds.push(await createHttpsFrontEnd(n, lab, n === impSub ? { rateWindowMs: RATE_WINDOW_MS } : {}));
});

afterAll(async () => {
  await Promise.all(frontEnds.map((f) => f.close()));
});

describe('transport and authentication (wire-formats §0, §3.8)', () => {
  it('serves the tomcat certificate, verified against the lab CA', async () => {
    const r = await send(imp, { body: soap('<soap:perfmonOpenSession/>') });
    expect(r.status).toBe(200);
    const tomcat = imp.certificates.find((c) => c.unit === 'tomcat')!;
    expect(r.peerSerial?.toUpperCase().replace(/^0+/, '')).toBe(tomcat.serialHex.toUpperCase().replace(/^0+/, ''));
  });

  it('answers bad or missing credentials with 401, the Cisco realm and the custom HTML page', async () => {
    const before = imp.stats.httpUnauthorized;
    for (const auth of [null, basic('admin', 'wrong'), basic(lab.credentials.axl.username, `${lab.credentials.axl.password}x`)]) {
      const r = await send(imp, { auth, body: soap('<soap:perfmonOpenSession/>') });
      expect(r.status).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Basic realm="Cisco VTG Realm"');
      expect(r.headers['content-type']).toBe('text/html;charset=utf-8');
      expect(r.body.startsWith('<!-- custom Cisco error page --><html>')).toBe(true);
      expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
      expect(r.body.length).toBeGreaterThan(1800);
      expect(r.body.length).toBeLessThan(2600);
      expect(r.headers['set-cookie']).toBeUndefined();
      expect(r.headers['server']).toBe('');
    }
    expect(imp.stats.httpUnauthorized).toBe(before + 3);
  });

  it('sends the [WIRE] header set, chunked, and a JSESSIONIDSSO cookie on Basic success', async () => {
    const r = await send(imp, { body: soap('<soap:perfmonOpenSession/>') });
    expect(r.status).toBe(200);
    const names = r.rawHeaders.filter((_, i) => i % 2 === 0);
    const wireOrder = ['X-Frame-Options', 'Strict-Transport-Security', 'Content-Security-Policy', 'X-Content-Type-Options', 'X-XSS-Protection', 'Content-Type', 'Transfer-Encoding', 'Date', 'Server'];
    expect(names.filter((n) => wireOrder.includes(n))).toEqual(wireOrder);
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(r.headers['strict-transport-security']).toBe('max-age=31536000; includeSubdomains');
    expect(r.headers['content-security-policy']).toBe("default-src *; script-src * 'unsafe-inline' 'unsafe-eval';style-src * 'unsafe-inline'; img-src * data: 'unsafe-inline';");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-xss-protection']).toBe('1; mode=block');
    expect(r.headers['content-type']).toBe('text/xml;charset=UTF-8');
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.headers['content-length']).toBeUndefined();
    expect(r.headers['server']).toBe('');
    expect(r.headers['set-cookie']).toHaveLength(1);
    expect(r.headers['set-cookie']![0]).toMatch(/^JSESSIONIDSSO=[0-9A-F]{32}; Path=\/; Secure; HttpOnly$/);
  });

  it('accepts the cookie in place of Basic, and Control Center also sets JSESSIONID', async () => {
    const first = await send(cucm, { path: CC, body: soap('<soap:soapGetServiceStatus><soap:ServiceStatus>Cisco Tomcat</soap:ServiceStatus></soap:soapGetServiceStatus>') });
    expect(first.status).toBe(200);
    const cookies = first.headers['set-cookie']!;
    expect(cookies.some((c) => /^JSESSIONIDSSO=[0-9A-F]{32}; Path=\/; Secure; HttpOnly$/.test(c))).toBe(true);
    expect(cookies.some((c) => /^JSESSIONID=[0-9A-F]{32}; /.test(c))).toBe(true);
    const sso = cookies.find((c) => c.startsWith('JSESSIONIDSSO='))!.split(';')[0];
    const again = await send(cucm, { auth: null, cookie: sso, body: soap('<soap:perfmonOpenSession/>') });
    expect(again.status).toBe(200);
    expect(again.headers['set-cookie']).toBeUndefined();
    // A cookie nobody issued is not a session.
    const forged = await send(cucm, { auth: null, cookie: 'JSESSIONIDSSO=0123456789ABCDEF0123456789ABCDEF', body: soap('<soap:perfmonOpenSession/>') });
    expect(forged.status).toBe(404);
  });

  it('answers 404 once the cookie has been idle past ssoCookieIdleMs, and Basic gets a new one', async () => {
    const saved = lab.settings.ssoCookieIdleMs;
    lab.settings.ssoCookieIdleMs = 300;
    try {
      const r = await send(imp, { body: soap('<soap:perfmonOpenSession/>') });
      const sso = r.headers['set-cookie']![0].split(';')[0];
      expect((await send(imp, { auth: null, cookie: sso, body: soap('<soap:perfmonOpenSession/>') })).status).toBe(200);
      await sleep(450);
      const expired = await send(imp, { auth: null, cookie: sso, body: soap('<soap:perfmonOpenSession/>') });
      expect(expired.status).toBe(404);
      const renewed = await send(imp, { cookie: sso, body: soap('<soap:perfmonOpenSession/>') });
      expect(renewed.status).toBe(200);
      expect(renewed.headers['set-cookie']![0]).not.toContain(sso);
    } finally {
      lab.settings.ssoCookieIdleMs = saved;
    }
  });
});

describe('paths, WSDL and request parsing', () => {
  it('accepts a trailing slash and ?wsdl on POST', async () => {
    for (const path of [`${PERFMON}/`, `${PERFMON}?wsdl`, `${CC}?wsdl`]) {
      const body = path.startsWith(CC) ? soap('<soap:soapGetServiceStatus><soap:ServiceStatus></soap:ServiceStatus></soap:soapGetServiceStatus>') : soap('<soap:perfmonOpenSession/>');
      const r = await send(imp, { path, body });
      expect(r.status, path).toBe(200);
    }
  });

  it('serves a valid WSDL naming the operations on GET ?wsdl', async () => {
    const r = await send(imp, { method: 'GET', path: `${PERFMON}?wsdl` });
    expect(r.status).toBe(200);
    expect(XMLValidator.validate(r.body)).toBe(true);
    for (const op of ['perfmonOpenSession', 'perfmonAddCounter', 'perfmonCollectSessionData', 'perfmonQueryCounterDescription']) {
      expect(r.body).toContain(`<wsdl:operation name="${op}">`);
    }
    const cc = await send(cucm, { method: 'GET', path: `${CC}?wsdl` });
    expect(cc.body).toContain('<wsdl:operation name="soapGetServiceStatus">');
    expect((await send(imp, { method: 'GET', path: PERFMON })).status).toBe(405);
  });

  it('redirects /axl to /axl/ and answers unknown paths with 404', async () => {
    const r = await send(cucm, { path: '/axl', auth: null });
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/axl/');
    expect((await send(cucm, { path: '/nosuchservice/services/X' })).status).toBe(404);
  });

  it('answers malformed XML and unknown operations with a soapenv:Client fault (HTTP 500)', async () => {
    const bad = await send(imp, { body: '<soapenv:Envelope><soapenv:Body><soap:perfmonOpenSession></soapenv:Body>' });
    expect(bad.status).toBe(500);
    expect(bad.body).toMatch(new RegExp(`^${escapeRe(ENV_OPEN)}<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>[^<]+</faultstring><detail /></soapenv:Fault>${escapeRe(ENV_CLOSE)}$`));
    const unknown = await send(imp, { body: soap('<soap:perfmonFrobnicate/>') });
    expect(unknown.status).toBe(500);
    expect(unknown.body).toContain('<faultcode>soapenv:Client</faultcode><faultstring>Operation perfmonFrobnicate is not supported by PerfmonService</faultstring>');
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('PerfmonService (wire-formats §1)', () => {
  it('opens sessions with v1-UUID handles ending in the node MAC, byte for byte', async () => {
    const r = await send(imp, { body: soap('<soap:perfmonOpenSession/>') });
    expect(r.body).toMatch(
      new RegExp(
        `^${escapeRe(`${ENV_OPEN}<ns1:perfmonOpenSessionResponse ${NS1}><ns1:perfmonOpenSessionReturn>`)}[0-9a-f]{8}-[0-9a-f]{4}-11[0-9a-f]{2}-8000-${imp.mac}${escapeRe(`</ns1:perfmonOpenSessionReturn></ns1:perfmonOpenSessionResponse>${ENV_CLOSE}`)}$`,
      ),
    );
  });

  it('adds counters, collects CStatus 1 then 0 with the two-sample value, removes and closes', async () => {
    const h = await openSession(imp);
    const open = imp.stats.perfmonSessionsOpen;
    const cpu = `\\\\${imp.name}\\Processor(_Total)\\% CPU Time`;
    const mem = `\\\\${imp.host}\\Memory\\% Mem Used`;
    const add = await send(imp, { body: soap(`<soap:perfmonAddCounter><soap:SessionHandle>${h}</soap:SessionHandle><soap:ArrayOfCounter>${counters([cpu, mem])}</soap:ArrayOfCounter></soap:perfmonAddCounter>`) });
    expect(add.status).toBe(200);
    expect(add.body).toBe(`${ENV_OPEN}<ns1:perfmonAddCounterResponse ${NS1}></ns1:perfmonAddCounterResponse>${ENV_CLOSE}`);

    const collect = () => send(imp, { body: soap(`<soap:perfmonCollectSessionData><soap:SessionHandle>${h}</soap:SessionHandle></soap:perfmonCollectSessionData>`) });
    const t1 = lab.clock.now();
    const first = await collect();
    expect(first.body.startsWith(`${ENV_OPEN}<ns1:perfmonCollectSessionDataResponse ${NS1}><ns1:perfmonCollectSessionDataReturn><ns1:Name>`)).toBe(true);
    const rows1 = collectRows(first.body, 'perfmonCollectSessionData');
    expect(rows1.map((r) => r.name)).toEqual([cpu, mem]);
    expect(rows1[0]).toEqual({ name: cpu, value: 0, cstatus: 1 });
    expect(rows1[1].cstatus).toBe(1);

    lab.clock.advance(30_000);
    const t2 = lab.clock.now();
    const rows2 = collectRows((await collect()).body, 'perfmonCollectSessionData');
    const raw1 = imp.counters.raw('Processor', '_Total', '% CPU Time', t1)!;
    const raw2 = imp.counters.raw('Processor', '_Total', '% CPU Time', t2)!;
    expect(rows2[0]).toEqual({ name: cpu, value: Math.round((raw2 - raw1) / 30), cstatus: 0 });
    expect(rows2[0].value).toBeGreaterThan(0);
    expect(rows2[0].value).toBeLessThanOrEqual(100);
    expect(rows2[1]).toEqual({ name: mem, value: Math.round(imp.counters.raw('Memory', undefined, '% Mem Used', t2)!), cstatus: 0 });

    const rm = await send(imp, { body: soap(`<soap:perfmonRemoveCounter><soap:SessionHandle>${h}</soap:SessionHandle><soap:ArrayOfCounter>${counters([mem])}</soap:ArrayOfCounter></soap:perfmonRemoveCounter>`) });
    expect(rm.body).toBe(`${ENV_OPEN}<ns1:perfmonRemoveCounterResponse ${NS1}></ns1:perfmonRemoveCounterResponse>${ENV_CLOSE}`);
    expect(collectRows((await collect()).body, 'perfmonCollectSessionData').map((r) => r.name)).toEqual([cpu]);

    const close = await send(imp, { body: soap(`<soap:perfmonCloseSession><soap:SessionHandle>${h}</soap:SessionHandle></soap:perfmonCloseSession>`) });
    expect(close.body).toBe(`${ENV_OPEN}<ns1:perfmonCloseSessionResponse ${NS1}></ns1:perfmonCloseSessionResponse>${ENV_CLOSE}`);
    expect(imp.stats.perfmonSessionsOpen).toBe(open - 1);
    const after = await collect();
    expect(after.status).toBe(500);
    expect(after.body).toContain('<faultcode>soapenv:Server</faultcode>');
  });

  it('rejects unknown counters with the verbatim Error=101 fault listing every failing path', async () => {
    const h = await openSession(imp);
    const good = `\\\\${imp.name}\\Memory\\% Mem Used`;
    const bad1 = `\\\\${imp.name}\\Cisco Presence Engine\\NoSuchCounter`;
    const bad2 = `\\\\some-other-node\\Memory\\% Mem Used`;
    const r = await send(imp, { body: soap(`<soap:perfmonAddCounter><soap:SessionHandle>${h}</soap:SessionHandle><soap:ArrayOfCounter>${counters([good, bad1, bad2])}</soap:ArrayOfCounter></soap:perfmonAddCounter>`) });
    expect(r.status).toBe(500);
    expect(r.body).toBe(
      `${ENV_OPEN}<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>Error found in Adding counters: Error=101 ErrorMsg=${bad1};${bad2};</faultstring><detail /></soapenv:Fault>${ENV_CLOSE}`,
    );
  });

  it('gives a vanished instance a bad CStatus', async () => {
    const h = await openSession(cucm);
    const path = `\\\\${cucm.name}\\Process(ctftp)\\VmRSS`;
    const add = await send(cucm, { body: soap(`<soap:perfmonAddCounter><soap:SessionHandle>${h}</soap:SessionHandle><soap:ArrayOfCounter>${counters([path])}</soap:ArrayOfCounter></soap:perfmonAddCounter>`) });
    expect(add.status, add.body).toBe(200);
    const collect = async () =>
      collectRows((await send(cucm, { body: soap(`<soap:perfmonCollectSessionData><soap:SessionHandle>${h}</soap:SessionHandle></soap:perfmonCollectSessionData>`) })).body, 'perfmonCollectSessionData')[0];
    expect((await collect()).cstatus).toBe(1);
    const tftp = cucm.service('Cisco Tftp')!;
    tftp.status = 'Stopped';
    try {
      const gone = await collect();
      expect(gone.cstatus).not.toBe(0);
      expect(gone.cstatus).not.toBe(1);
    } finally {
      tftp.status = 'Started';
    }
  });

  it('collects one-shot counter data for every counter and instance with CStatus 1', async () => {
    const r = await send(imp, { body: soap(`<soap:perfmonCollectCounterData><soap:Host>${imp.name}</soap:Host><soap:Object>Processor</soap:Object></soap:perfmonCollectCounterData>`) });
    expect(r.status).toBe(200);
    const rows = collectRows(r.body, 'perfmonCollectCounterData');
    const obj = imp.counters.object('Processor')!;
    const instances = imp.counters.instances('Processor');
    expect(rows).toHaveLength(obj.counters.length * instances.length);
    expect(rows.every((x) => x.cstatus === 1)).toBe(true);
    expect(rows.map((x) => x.name)).toContain(`\\\\${imp.name}\\Processor(_Total)\\% CPU Time`);
  });

  it('lists counters, instances and descriptions in the §1.5 shapes', async () => {
    const lc = await send(imp, { body: soap(`<soap:perfmonListCounter><soap:Host>${imp.name}</soap:Host></soap:perfmonListCounter>`) });
    expect(lc.body).toContain(
      `<ns1:perfmonListCounterReturn><ns1:Name>Processor</ns1:Name><ns1:MultiInstance>true</ns1:MultiInstance><ns1:ArrayOfCounter><ns1:item><ns1:Name>% CPU Time</ns1:Name></ns1:item>`,
    );
    expect(lc.body.match(/<ns1:perfmonListCounterReturn>/g)).toHaveLength(imp.counters.objects().length);
    expect(lc.body).toContain('<ns1:Name>Memory</ns1:Name><ns1:MultiInstance>false</ns1:MultiInstance>');

    const li = await send(imp, { body: soap(`<soap:perfmonListInstance><soap:Host>${imp.name}</soap:Host><soap:Object>Processor</soap:Object></soap:perfmonListInstance>`) });
    const inst = imp.counters.instances('Processor');
    expect(li.body).toBe(
      `${ENV_OPEN}<ns1:perfmonListInstanceResponse ${NS1}>${inst.map((i) => `<ns1:perfmonListInstanceReturn><ns1:Name>${i}</ns1:Name></ns1:perfmonListInstanceReturn>`).join('')}</ns1:perfmonListInstanceResponse>${ENV_CLOSE}`,
    );

    const qd = await send(imp, { body: soap(`<soap:perfmonQueryCounterDescription><soap:Counter>\\\\${imp.name}\\Processor\\% CPU Time</soap:Counter></soap:perfmonQueryCounterDescription>`) });
    const desc = imp.counters.object('Processor')!.counters.find((c) => c.name === '% CPU Time')!.description;
    expect(qd.body).toBe(
      `${ENV_OPEN}<ns1:perfmonQueryCounterDescriptionResponse ${NS1}><ns1:perfmonQueryCounterDescriptionReturn>${desc}</ns1:perfmonQueryCounterDescriptionReturn></ns1:perfmonQueryCounterDescriptionResponse>${ENV_CLOSE}`,
    );
  });

  it('expires idle sessions (perfmonSessionIdleMs) and counts open sessions', async () => {
    const saved = lab.settings.perfmonSessionIdleMs;
    lab.settings.perfmonSessionIdleMs = 300;
    try {
      await sleep(350); // sessions of earlier tests expire too
      const h = await openSession(cucm);
      expect(cucm.stats.perfmonSessionsOpen).toBe(1);
      await sleep(450);
      const r = await send(cucm, { body: soap(`<soap:perfmonCollectSessionData><soap:SessionHandle>${h}</soap:SessionHandle></soap:perfmonCollectSessionData>`) });
      expect(r.status).toBe(500);
      expect(r.body).toContain('<faultcode>soapenv:Server</faultcode>');
      expect(cucm.stats.perfmonSessionsOpen).toBe(0);
    } finally {
      lab.settings.perfmonSessionIdleMs = saved;
    }
  });

  it('refuses the request after N within a fixed window with the RateControl fault, and recovers in the next window', async () => {
    const limit = impSub.perfmonRateLimit;
    const body = soap(`<soap:perfmonListInstance><soap:Host>${impSub.name}</soap:Host><soap:Object>Processor</soap:Object></soap:perfmonListInstance>`);
    // Start from a fresh window.
    await sleep(RATE_WINDOW_MS + 50);
    const limitedBefore = impSub.stats.perfmonRateLimited;
    const requestsBefore = impSub.stats.perfmonRequests;
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: lab.ca.pem });
    const started = Date.now();
    for (let i = 0; i < limit; i++) expect((await send(impSub, { body, agent })).status).toBe(200);
    const refused = await send(impSub, { body, agent });
    expect(Date.now() - started).toBeLessThan(RATE_WINDOW_MS); // all within one window
    expect(refused.status).toBe(500);
    expect(refused.body).toBe(
      `${ENV_OPEN}<soapenv:Fault><faultcode ${NS1}>ns1:Server.RateControl</faultcode><faultstring>Exceeded allowed rate for Perfmon information. Current allowed rate for perfmon information is ${limit} requests per minute.</faultstring><detail><ns1:hostname ${NS1}>PerfmonService</ns1:hostname></detail></soapenv:Fault>${ENV_CLOSE}`,
    );
    expect(impSub.stats.perfmonRateLimited).toBe(limitedBefore + 1);
    expect(impSub.stats.perfmonRequests).toBe(requestsBefore + limit + 1);
    await sleep(RATE_WINDOW_MS - (Date.now() - started) + 50);
    expect((await send(impSub, { body, agent })).status).toBe(200);
    agent.destroy();
  });

  it('applies a rateLimit fault override (every PerfMon POST counts, opens included)', async () => {
    await sleep(RATE_WINDOW_MS + 50);
    impSub.faults.rateLimit = 2;
    impSub.events.emit('faults');
    try {
      expect((await send(impSub, { body: soap('<soap:perfmonOpenSession/>') })).status).toBe(200);
      expect((await send(impSub, { body: soap('<soap:perfmonOpenSession/>') })).status).toBe(200);
      const r = await send(impSub, { body: soap('<soap:perfmonOpenSession/>') });
      expect(r.status).toBe(500);
      expect(r.body).toContain('Current allowed rate for perfmon information is 2 requests per minute.');
    } finally {
      impSub.faults.rateLimit = undefined;
      impSub.events.emit('faults');
    }
  });
});

describe('ControlCenterServices (wire-formats §2)', () => {
  const statusReq = (names: string[]) =>
    soap(`<soap:soapGetServiceStatus>${names.map((n) => `<soap:ServiceStatus>${n}</soap:ServiceStatus>`).join('') || '<soap:ServiceStatus></soap:ServiceStatus>'}</soap:soapGetServiceStatus>`);

  it('returns every service when no name is given, in the §2.4 shape', async () => {
    const r = await send(imp, { path: CC, body: statusReq([]) });
    expect(r.status).toBe(200);
    expect(r.body.startsWith(`${ENV_OPEN}<ns1:soapGetServiceStatusResponse ${NS1}><ns1:soapGetServiceStatusReturn><ns1:ReturnCode>0</ns1:ReturnCode>`)).toBe(true);
    expect(r.body.match(/<ns1:item>/g)).toHaveLength(imp.services.length);
    expect(XMLValidator.validate(r.body)).toBe(true);
  });

  it('reports named services with ReasonCode, StartTime and UpTime; unknown names as -1010', async () => {
    const router = imp.service('Cisco XCP Router')!;
    const inactive = imp.services.find((s) => !s.activated)!;
    const r = await send(imp, { path: CC, body: statusReq([router.name, inactive.name, 'Cisco Nonexistent Service']) });
    const upTime = Math.floor((lab.clock.now() - router.startedAt!) / 1000);
    const start = new Date(router.startedAt!);
    const ctime = start.toUTCString(); // e.g. "Thu, 14 Mar 2024 14:41:39 GMT"
    const [, dow, dd, mon, yyyy, hms] = /^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/.exec(ctime)!;
    const startTime = `${dow} ${mon} ${String(Number(dd)).padStart(2, ' ')} ${hms} ${yyyy}`;
    const nil = (n: string) => `<ns1:${n} xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>`;
    expect(r.body).toBe(
      `${ENV_OPEN}<ns1:soapGetServiceStatusResponse ${NS1}><ns1:soapGetServiceStatusReturn><ns1:ReturnCode>0</ns1:ReturnCode>${nil('ReasonCode')}${nil('ReasonString')}<ns1:ServiceInfoList>` +
        `<ns1:item><ns1:ServiceName>Cisco XCP Router</ns1:ServiceName><ns1:ServiceStatus>Started</ns1:ServiceStatus><ns1:ReasonCode>-1</ns1:ReasonCode><ns1:ReasonCodeString> </ns1:ReasonCodeString><ns1:StartTime>${startTime}</ns1:StartTime><ns1:UpTime>${upTime}</ns1:UpTime></ns1:item>` +
        `<ns1:item><ns1:ServiceName>${inactive.name}</ns1:ServiceName><ns1:ServiceStatus>Stopped</ns1:ServiceStatus><ns1:ReasonCode>-1068</ns1:ReasonCode><ns1:ReasonCodeString>Service Not Activated</ns1:ReasonCodeString>${nil('StartTime')}<ns1:UpTime>-1</ns1:UpTime></ns1:item>` +
        `<ns1:item><ns1:ServiceName>Cisco Nonexistent Service</ns1:ServiceName><ns1:ServiceStatus>Unknown</ns1:ServiceStatus><ns1:ReasonCode>-1010</ns1:ReasonCode><ns1:ReasonCodeString>No such service</ns1:ReasonCodeString>${nil('StartTime')}<ns1:UpTime>-1</ns1:UpTime></ns1:item>` +
        `</ns1:ServiceInfoList></ns1:soapGetServiceStatusReturn></ns1:soapGetServiceStatusResponse>${ENV_CLOSE}`,
    );
  });

  it('reflects a stopped service live', async () => {
    const svc = imp.service('Cisco Presence Engine')!;
    const saved = { status: svc.status, reasonCode: svc.reasonCode, startedAt: svc.startedAt };
    svc.status = 'Stopped';
    svc.reasonCode = -1019;
    svc.startedAt = undefined;
    try {
      const r = await send(imp, { path: CC, body: statusReq([svc.name]) });
      expect(r.body).toContain('<ns1:ServiceStatus>Stopped</ns1:ServiceStatus><ns1:ReasonCode>-1019</ns1:ReasonCode><ns1:ReasonCodeString>Component is not running</ns1:ReasonCodeString>');
      expect(r.body).toContain('<ns1:UpTime>-1</ns1:UpTime>');
    } finally {
      Object.assign(svc, saved);
    }
  });

  it('shares the "Exceeded allowed rate" refusal past its own per-node budget', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: lab.ca.pem });
    const body = statusReq(['Cisco Tomcat']);
    const before = impSub.stats.controlCenterRequests;
    await sleep(RATE_WINDOW_MS + 50);
    const started = Date.now();
    for (let i = 0; i < CONTROL_CENTER_RATE_LIMIT; i++) expect((await send(impSub, { path: CC, body, agent })).status).toBe(200);
    const refused = await send(impSub, { path: CC, body, agent });
    expect(Date.now() - started).toBeLessThan(RATE_WINDOW_MS);
    expect(refused.status).toBe(500);
    expect(refused.body).toContain(`<faultcode ${NS1}>ns1:Server.RateControl</faultcode><faultstring>Exceeded allowed rate for ControlCenter information.`);
    expect(impSub.stats.controlCenterRequests).toBe(before + CONTROL_CENTER_RATE_LIMIT + 1);
    agent.destroy();
  });

  it('lists static services and product information', async () => {
    const sl = await send(cucm, { path: CC, body: soap('<soap:soapGetStaticServiceList><soap:ServiceInformationResponse></soap:ServiceInformationResponse></soap:soapGetStaticServiceList>') });
    expect(sl.status).toBe(200);
    expect(sl.body.match(/<ns1:item><ns1:ServiceName>/g)).toHaveLength(cucm.services.length);
    expect(sl.body).toContain('<ns1:ServiceName>Cisco CallManager</ns1:ServiceName><ns1:ServiceType>Service</ns1:ServiceType><ns1:Deployable>true</ns1:Deployable>');
    const pi = await send(cucm, { path: CC, body: soap('<soap:getProductInformationList><soap:ServiceInfo></soap:ServiceInfo></soap:getProductInformationList>') });
    expect(pi.body).toContain(`<ns1:getProductInformationListReturn><ns1:ActiveServerVersion>${cucm.cluster.version}</ns1:ActiveServerVersion><ns1:PrimaryNode>${cucm.name}</ns1:PrimaryNode>`);
  });
});

describe('faults (node.faults)', () => {
  const open = soap('<soap:perfmonOpenSession/>');

  it('authFail: valid credentials and live cookies get 401', async () => {
    const r0 = await send(imp, { body: open });
    const sso = r0.headers['set-cookie']![0].split(';')[0];
    imp.faults.authFail = true;
    imp.events.emit('faults');
    try {
      expect((await send(imp, { body: open })).status).toBe(401);
      expect((await send(imp, { auth: null, cookie: sso, body: open })).status).toBe(401);
    } finally {
      imp.faults.authFail = false;
      imp.events.emit('faults');
    }
    expect((await send(imp, { body: open })).status).toBe(200);
  });

  it('slowMs delays every response', async () => {
    imp.faults.slowMs = 400;
    try {
      const t = Date.now();
      expect((await send(imp, { body: open })).status).toBe(200);
      expect(Date.now() - t).toBeGreaterThanOrEqual(390);
    } finally {
      imp.faults.slowMs = 0;
    }
  });

  it('garbage: HTTP 200 with malformed, truncated XML', async () => {
    imp.faults.garbage = true;
    try {
      const r = await send(imp, { body: open });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/xml;charset=UTF-8');
      expect(XMLValidator.validate(r.body)).not.toBe(true);
      expect(r.body).not.toContain('</soapenv:Envelope>');
    } finally {
      imp.faults.garbage = false;
    }
  });

  it('hang: accepts and never answers', async () => {
    imp.faults.hang = true;
    imp.events.emit('faults');
    try {
      await expect(send(imp, { body: open, timeoutMs: 600 })).rejects.toMatchObject({ code: 'CLIENT_TIMEOUT' });
    } finally {
      imp.faults.hang = false;
      imp.events.emit('faults');
    }
    expect((await send(imp, { body: open })).status).toBe(200);
  });

  it('down: the listener closes (connection refused) and reopens when cleared', async () => {
    imp.faults.down = true;
    imp.events.emit('faults');
    try {
      let err: unknown;
      for (let i = 0; i < 20; i++) {
        try {
          await send(imp, { body: open, timeoutMs: 1000 });
          await sleep(25);
        } catch (e) {
          err = e;
          break;
        }
      }
      expect(err).toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      imp.faults.down = false;
      imp.events.emit('faults');
    }
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = await send(imp, { body: open, timeoutMs: 1000 }).then((r) => r.status, () => 0);
      if (status !== 200) await sleep(25);
    }
    expect(status).toBe(200);
  });

  it('certificates replaced: the new tomcat certificate is served', async () => {
    const tomcat = imp.certificates.find((c) => c.unit === 'tomcat')!;
    const other = impSub.certificates.find((c) => c.unit === 'tomcat')!;
    const saved = { pem: tomcat.pem, keyPem: tomcat.keyPem, chainPem: tomcat.chainPem };
    const serial = async () =>
      new Promise<string>((resolve, reject) => {
        const req = httpsRequest({ host: imp.host, port: imp.ports.https, method: 'GET', path: '/', rejectUnauthorized: false, agent: false }, (res) => {
          resolve((res.socket as TLSSocket).getPeerCertificate().serialNumber);
          res.resume();
        });
        req.on('error', reject);
        req.end();
      });
    const norm = (s: string) => s.toUpperCase().replace(/^0+/, '');
    expect(norm(await serial())).toBe(norm(tomcat.serialHex));
    Object.assign(tomcat, { pem: other.pem, keyPem: other.keyPem, chainPem: other.chainPem });
    imp.events.emit('certificates');
    try {
      expect(norm(await serial())).toBe(norm(other.serialHex));
    } finally {
      Object.assign(tomcat, saved);
      imp.events.emit('certificates');
    }
    expect(norm(await serial())).toBe(norm(tomcat.serialHex));
  });
});

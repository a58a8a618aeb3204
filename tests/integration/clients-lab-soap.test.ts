// SOAP clients against the lab over real sockets (127.61.x.x): Control Center with cookie reuse,
// TLS trust modes against the lab CA, the PerfMon session lifecycle incl. re-creation after the
// lab forgets a session, and the fault classes (auth, rate limit, hang, garbage), plus TLS probes
// of the IM&P certificate ports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../collectors/clients/hooks';
import { SoapTransport } from '../../collectors/clients/http';
import { ControlCenterClient } from '../../collectors/clients/controlcenter';
import { counterPath } from '../../collectors/clients/perfmon';
import { probeTls } from '../../collectors/clients/tls';
import { makePki } from '../unit/clients-helpers';
import { failure, startTestLab, type TestLab } from './clients-lab-helpers';

let t: TestLab;
const PUB = 'imp01-pub';

beforeAll(async () => {
  t = await startTestLab({ addressBase: '127.61', clusters: 1, nodes: 2, usersPerCluster: 1000, perfmonSessionIdleMs: 1500 });
});
afterAll(async () => t?.stop());

describe('Control Center and HTTPS transport against the lab', () => {
  it('reads service status and reuses the session cookie (no Authorization after the first request)', async () => {
    const events: RequestEvent[] = [];
    const nc = t.clients(PUB, { hooks: { onRequest: (e) => events.push(e) } });
    const all = await nc.controlCenter.getServiceStatus();
    expect(all.services.find((s) => s.name === 'Cisco XCP Router')?.status).toBe('Started');
    const two = await nc.controlCenter.getServiceStatus(['Cisco XCP Router', 'Cisco Presence Engine']);
    expect(two.services.map((s) => s.name).sort()).toEqual(['Cisco Presence Engine', 'Cisco XCP Router']);
    expect(events.map((e) => `${e.protocol}/${e.operation}/${e.auth}/${e.outcome}`)).toEqual([
      'controlcenter/soapGetServiceStatus/basic/ok',
      'controlcenter/soapGetServiceStatus/cookie/ok',
    ]);
    expect(nc.transport.hasSessionCookie).toBe(true);
  });

  it('verifies the node against the lab CA; a wrong CA fails with tls; pinning and insecure work', async () => {
    const { node } = t.node(PUB);
    expect(node.tls.mode).toBe('ca');
    const creds = () => t.lab.manifest.credentials.axl;
    const cc = (trust: ConstructorParameters<typeof SoapTransport>[0]['trust']) =>
      new ControlCenterClient(new SoapTransport({ node: node.name, host: node.host, port: node.ports.https, trust, credentials: creds, timeoutMs: 5000 }));
    const other = await makePki('Not The Lab CA');
    const wrong = cc({ mode: 'ca', ca: other.caPem, source: 'other.pem' });
    const err = await failure(wrong.getServiceStatus(['Cisco XCP Router']));
    wrong.transport.close();
    expect(err.kind).toBe('tls');
    const probe = await probeTls(node.host, node.ports.https, { servername: node.name, trust: t.clients(PUB).trust });
    expect(probe.authorized).toBe(true);
    const pinned = cc({ mode: 'fingerprints', fingerprints: new Set([probe.chain[0].fingerprint256]) });
    expect((await pinned.getServiceStatus(['Cisco XCP Router'])).services).toHaveLength(1);
    pinned.transport.close();
    const insecure = cc({ mode: 'insecure' });
    expect(insecure.transport.insecure).toBe(true);
    expect((await insecure.getServiceStatus(['Cisco XCP Router'])).services).toHaveLength(1);
    insecure.transport.close();
  });

  it('auth-fail → 401 → auth', async () => {
    const id = await t.fault('auth-fail', 'imp01-sub1');
    try {
      const nc = t.clients('imp01-sub1');
      const err = await failure(nc.controlCenter.getServiceStatus());
      expect(err.kind).toBe('auth');
      expect(err.message).toContain('imp01-sub1');
    } finally {
      await t.clearFault(id);
    }
  });

  it('hang → timeout within the configured request timeout', async () => {
    const id = await t.fault('hang', 'imp01-sub1');
    try {
      const nc = t.clients('imp01-sub1', { requestTimeoutMs: 800 });
      const started = Date.now();
      const err = await failure(nc.controlCenter.getServiceStatus());
      expect(err.kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await t.clearFault(id);
    }
  });

  it('garbage → parse', async () => {
    const id = await t.fault('garbage', 'imp01-sub1');
    try {
      const nc = t.clients('imp01-sub1');
      const err = await failure(nc.controlCenter.getServiceStatus());
      expect(err.kind).toBe('parse');
    } finally {
      await t.clearFault(id);
    }
  });
});

describe('PerfMon against the lab', () => {
  it('discovers objects, opens one session, baselines then values, and re-creates the session after the lab forgets it', async () => {
    const nc = t.clients(PUB);
    const objects = await nc.perfmon.listCounter();
    const presence = objects.find((o) => o.name === 'Cisco Presence Engine');
    expect(presence?.counters).toContain('ActiveJsmSessions');
    const processor = objects.find((o) => o.name === 'Processor');
    expect(processor?.multiInstance).toBe(true);
    const instances = await nc.perfmon.listInstance('Processor');
    expect(instances).toContain('_Total');
    const paths = [counterPath(PUB, 'Cisco Presence Engine', 'ActiveJsmSessions'), counterPath(PUB, 'Processor', '% CPU Time', '_Total'), counterPath(PUB, 'Cisco XCP CM', 'NoSuchCounter')];
    const s = nc.perfmonSession;
    const e = await s.ensure(paths);
    expect(e.opened).toBe(true);
    expect(e.failed).toEqual([paths[2]]);
    const first = await s.collect();
    expect(first.samples.find((x) => x.path === paths[1])?.state).toBe('baseline');
    const second = await s.collect();
    const cpu = second.samples.find((x) => x.path === paths[1]);
    expect(cpu?.state).toBe('value');
    expect(second.samples.find((x) => x.path === paths[0])?.state).toBe('value');

    // Idle longer than the lab's session expiry: the next collect faults, the one after re-opens.
    await new Promise((r) => setTimeout(r, 2200));
    const err = await failure(s.collect());
    expect(err.kind).toBe('fault');
    const again = await s.collect();
    expect(again.opened).toBe(true);
    expect(s.openCount).toBe(2);
    await s.close();
    const node = t.lab.deployment.node(PUB)!;
    expect(node.stats.perfmonSessionsOpen).toBe(0);
  });

  it('rate-limit fault → rate-limit, and the session survives it', async () => {
    const nc = t.clients('imp01-sub1');
    const s = nc.perfmonSession;
    await s.ensure([counterPath('imp01-sub1', 'Cisco Presence Engine', 'ActiveJsmSessions')]);
    const id = await t.fault('rate-limit', 'imp01-sub1', { limit: 0 });
    try {
      const err = await failure(s.collect());
      expect(err.kind).toBe('rate-limit');
      expect(err.message).toContain('Exceeded allowed rate');
      expect(s.isOpen).toBe(true);
    } finally {
      await t.clearFault(id);
    }
    expect((await s.collect()).opened).toBe(false);
    await s.close();
  });
});

describe('TLS probes of the IM&P certificate ports', () => {
  it('reads the cup-xmpp (STARTTLS), cup-xmpp-s2s (STARTTLS) and cup chains, verified against the lab CA', async () => {
    const nc = t.clients(PUB);
    for (const unit of ['cup-xmpp', 'cup-xmpp-s2s', 'cup', 'tomcat'] as const) {
      const r = await nc.probeTls(unit);
      expect(r.chain.length, unit).toBeGreaterThanOrEqual(1);
      expect(r.chain[0].subject, unit).toContain('CN=');
      expect(r.chain[0].notAfter.getTime(), unit).toBeGreaterThan(Date.now());
      expect(r.chain[0].pem, unit).toContain('BEGIN CERTIFICATE');
      expect(typeof r.authorized, unit).toBe('boolean');
    }
    const { node } = t.node(PUB);
    const direct = await probeTls(node.host, node.ports.cup!, { servername: node.name, trust: nc.trust });
    expect(direct.chain[0].fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('records an expired certificate as data instead of failing', async () => {
    const id = await t.fault('cert-expired', PUB, { unit: 'cup' });
    try {
      const r = await t.clients(PUB).probeTls('cup');
      expect(r.authorized).toBe(false);
      expect(r.authorizationError).toBe('CERT_HAS_EXPIRED');
      expect(r.chain[0].notAfter.getTime()).toBeLessThan(Date.now());
    } finally {
      await t.clearFault(id);
    }
  });
});

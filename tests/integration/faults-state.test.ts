// State fault kinds (services, HA, replication, certificates, users): what the lab's state turns
// into is visible in the observations and in /metrics, on the node it was injected on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceName } from '../../config/schema';
import type { CertificatesObservation } from '../../collectors/sources/certificates';
import type { HaObservation } from '../../collectors/sources/ha';
import type { PerfmonObservation } from '../../collectors/sources/perfmon';
import type { ReplicationObservation } from '../../collectors/sources/replication';
import type { ServicesObservation } from '../../collectors/sources/services';
import type { UsersObservation } from '../../collectors/sources/users';
import { startRig, type LabRig } from './sources-lab';

let rig: LabRig;
const FAULTY = 'imp01-sub1';

beforeAll(async () => {
  // 60× simulated time: the 90 s Critical Service Down Delay and 60 s heartbeat pass in ~1.5 s.
  rig = await startRig({ addressBase: '127.72', clusters: 2, nodes: 2, timeScale: 60 });
  const outcomes = await rig.poll();
  expect(outcomes.filter((o) => !o.ok).map((o) => `${o.task.id}: ${o.kind}`)).toEqual([]);
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

async function inject(kind: string, target: string, params?: Record<string, unknown>): Promise<string> {
  return (await rig.control<{ id: string }>('POST', '/v1/faults', { kind, target, params })).id;
}
const clear = () => rig.control('DELETE', '/v1/faults');

/** Polls until `check` passes (state faults take simulated time to show), at most ~20 s. */
async function eventually<T>(sources: SourceName[], nodes: string[], read: () => T, check: (v: T) => boolean): Promise<T> {
  let v: T;
  for (let i = 0; ; i++) {
    await rig.poll(sources, nodes);
    v = read();
    if (check(v) || i >= 40) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
}

const metricLines = async (prefix: string) => (await rig.collector.metrics()).split('\n').filter((l) => l.startsWith(prefix));

describe('state faults', () => {
  it('service-stop → the service is Stopped with its reason; impulse_service_status one-hot follows', async () => {
    await inject('service-stop', FAULTY);
    const v = await eventually(['services'], [FAULTY], () => rig.view(FAULTY, 'services').value as ServicesObservation, (s) => s.services.some((x) => x.name === 'Cisco XCP Router' && x.status === 'Stopped'));
    const router = v.services.find((x) => x.name === 'Cisco XCP Router')!;
    expect(router.status).toBe('Stopped');
    expect(router.reason).toBeTruthy();
    expect(await metricLines(`impulse_service_status{cluster="imp01",node="${FAULTY}",service="Cisco XCP Router"`)).toContain(
      `impulse_service_status{cluster="imp01",node="${FAULTY}",service="Cisco XCP Router",status="Stopped"} 1`,
    );
    // Other nodes keep Started.
    const pub = rig.view('imp01-pub', 'services').value as ServicesObservation;
    expect(pub.services.find((x) => x.name === 'Cisco XCP Router')?.status).toBe('Started');
    await clear();
  });

  it('critical-service-down → Failed Over with Critical Services not Running, peer Running in Backup Mode', async () => {
    await inject('critical-service-down', FAULTY);
    const self = await eventually(['ha'], [FAULTY, 'imp01-pub'], () => (rig.view(FAULTY, 'ha').value as HaObservation).self, (s) => /^Failed Over with Critical Services/i.test(s?.state ?? ''));
    expect(self?.state).toMatch(/^Failed Over with Critical Services not Running$/i);
    expect(self?.reason).toBe('Critical Service Down');
    const peer = (rig.view('imp01-pub', 'ha').value as HaObservation).self;
    expect(peer?.state).toBe('Running in Backup Mode');
    expect(await metricLines(`impulse_ha_node_state{cluster="imp01",node="imp01-pub"`)).toContain(
      `impulse_ha_node_state{cluster="imp01",node="imp01-pub",group="${peer?.group}",state="Running in Backup Mode"} 1`,
    );
    await clear();
  });

  it('partition → the peer runs in backup mode with reason Peer Down while the node still answers', async () => {
    // imp02's group: imp01's group is still failed over from the previous case (fallback is manual).
    await inject('partition', 'imp02-sub1');
    const peer = await eventually(['ha'], ['imp02-pub', 'imp02-sub1'], () => (rig.view('imp02-pub', 'ha').value as HaObservation).self, (s) => s?.state === 'Running in Backup Mode');
    expect(peer).toMatchObject({ state: 'Running in Backup Mode', reason: 'Peer Down' });
    expect(rig.view('imp02-sub1', 'ha').ok).toBe(true);
    await clear();
  });

  it('replication-broken → setup state 3 in runtimestate and Replicate_State on the node', async () => {
    await inject('replication-broken', FAULTY);
    const rep = await eventually(['replication', 'perfmon'], ['imp01-pub', FAULTY], () => rig.view('imp01-pub', 'replication').value as ReplicationObservation, (r) => r.servers.some((s) => s.name === FAULTY && s.setupState === 3));
    expect(rep.servers.find((s) => s.name === FAULTY)?.setupState).toBe(3);
    expect(rep.servers.find((s) => s.name === 'imp01-pub')?.setupState).toBe(2);
    const pm = rig.view(FAULTY, 'perfmon').value as PerfmonObservation;
    expect(pm.samples.find((s) => s.counter === 'Replicate_State')?.value).toBe(3);
    expect(await metricLines(`impulse_replication_setup_state{cluster="imp01",node="${FAULTY}"}`)).toEqual([`impulse_replication_setup_state{cluster="imp01",node="${FAULTY}"} 3`]);
    await clear();
  });

  it('cert-expiring and cert-expired → days left on TLS and CLI views of the node only', async () => {
    await inject('cert-expiring', FAULTY, { unit: 'tomcat', days: 10 });
    await rig.poll(['certificates'], [FAULTY, 'imp01-pub']);
    const expiring = rig.view(FAULTY, 'certificates').value as CertificatesObservation;
    for (const src of ['tls', 'cli']) {
      const c = expiring.certificates.find((x) => x.unit === 'tomcat' && x.source === src)!;
      expect(c.daysLeft).toBeGreaterThanOrEqual(9);
      expect(c.daysLeft).toBeLessThanOrEqual(10);
    }
    const healthy = rig.view('imp01-pub', 'certificates').value as CertificatesObservation;
    expect(Math.min(...healthy.certificates.map((c) => c.daysLeft))).toBeGreaterThan(30);
    await clear();

    await inject('cert-expired', FAULTY, { unit: 'tomcat' });
    await rig.poll(['certificates'], [FAULTY]);
    const expired = rig.view(FAULTY, 'certificates').value as CertificatesObservation;
    const tls = expired.certificates.find((x) => x.unit === 'tomcat' && x.source === 'tls')!;
    expect(tls.daysLeft).toBeLessThan(0);
    expect(tls.trusted).toBe(false);
    expect((await metricLines(`impulse_certificate_not_after_timestamp_seconds{cluster="imp01",node="${FAULTY}",unit="tomcat",port=`)).filter((l) => l.includes('source="tls"'))).toEqual([
      expect.stringMatching(new RegExp(` ${Math.floor(tls.notAfter / 1000)}$`)),
    ]);
    await clear();
  });

  it('duplicate-users and invalid-uris → utils users validate all reports them on the IM&P publisher', async () => {
    await inject('duplicate-users', 'imp01', { count: 5, field: 'userid' });
    await inject('invalid-uris', 'imp01', { count: 4 });
    await rig.poll(['users'], ['imp01-pub']);
    const v = rig.view('imp01-pub', 'users').value as UsersObservation;
    expect(v.duplicateUserIds.length).toBeGreaterThanOrEqual(5);
    expect(v.invalidDirectoryUris.length + v.noDirectoryUri).toBeGreaterThanOrEqual(4);
    const lines = await metricLines('impulse_user_validation_issues{cluster="imp01",node="imp01-pub",issue="duplicate userid"}');
    expect(lines).toHaveLength(1);
    expect(Number(lines[0].split(' ').pop())).toBeGreaterThanOrEqual(5);
    await clear();
  });
});

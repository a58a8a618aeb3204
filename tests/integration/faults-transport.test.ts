// Transport fault kinds injected on one node (imp01-sub1): the faulty node's error names the
// specific reason, every other node stays fresh, and nothing leaks afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceName } from '../../config/schema';
import type { ErrorKind } from '../../collectors/engine/store';
import { openSessions, startRig, type LabRig } from './sources-lab';

let rig: LabRig;
const FAULTY = 'imp01-sub1';

beforeAll(async () => {
  rig = await startRig({ addressBase: '127.71', clusters: 2, nodes: 2, requestTimeoutSeconds: 2, cliTimeoutSeconds: 4 });
  const outcomes = await rig.poll(['inventory', 'perfmon', 'services', 'ha']);
  expect(outcomes.filter((o) => !o.ok).map((o) => o.task.id)).toEqual([]);
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

async function withFault(kind: string, params: Record<string, unknown> | undefined, run: () => Promise<void>): Promise<void> {
  const { id } = await rig.control<{ id: string }>('POST', '/v1/faults', { kind, target: FAULTY, params });
  try {
    await run();
  } finally {
    await rig.control('DELETE', `/v1/faults/${id}`);
  }
}

/** Polls `sources` on every node and checks: the faulty node fails with `expected`, the rest are ok and fresh. */
async function expectIsolated(sources: SourceName[], expected: Partial<Record<SourceName, ErrorKind>>): Promise<void> {
  const started = Date.now();
  const outcomes = await rig.poll(sources);
  for (const o of outcomes) {
    if (o.task.node === FAULTY && expected[o.task.source]) {
      expect({ id: o.task.id, ok: o.ok, kind: o.kind }).toEqual({ id: o.task.id, ok: false, kind: expected[o.task.source] });
      const v = rig.view(FAULTY, o.task.source);
      expect(v.error?.kind).toBe(expected[o.task.source]);
      expect(v.error?.message).toContain(FAULTY);
    } else if (o.task.node !== FAULTY) {
      expect({ id: o.task.id, ok: o.ok, error: o.ok ? undefined : String((o.error as Error)?.message) }).toEqual({ id: o.task.id, ok: true, error: undefined });
      const v = rig.view(o.task.node, o.task.source);
      expect(v.fresh).toBe(true);
      expect(v.at!).toBeGreaterThanOrEqual(started);
    }
  }
}

describe('transport faults on one node', () => {
  it('node-down → connection', async () => {
    await withFault('node-down', undefined, () => expectIsolated(['perfmon', 'services', 'ha'], { perfmon: 'connection', services: 'connection', ha: 'connection' }));
  });

  it('hang → timeout', async () => {
    await withFault('hang', undefined, () => expectIsolated(['perfmon', 'services', 'ha'], { perfmon: 'timeout', services: 'timeout', ha: 'timeout' }));
  });

  it('slow (beyond the request timeout) → timeout', async () => {
    await withFault('slow', { ms: 5_000 }, () => expectIsolated(['perfmon', 'services'], { perfmon: 'timeout', services: 'timeout' }));
  });

  it('rate-limit → rate-limit on PerfMon, Control Center unaffected', async () => {
    await withFault('rate-limit', { limit: 0 }, () => expectIsolated(['perfmon', 'ha'], { perfmon: 'rate-limit' }));
  });

  it('garbage → parse', async () => {
    await withFault('garbage', undefined, () => expectIsolated(['perfmon', 'services'], { perfmon: 'parse', services: 'parse' }));
  });

  it('auth-fail → auth on HTTPS (the SOAP session cookie is refused too, Basic is retried and rejected)', async () => {
    // SSH authenticates once per shell: an open admin CLI session stays usable, as on a real node.
    await withFault('auth-fail', undefined, () => expectIsolated(['perfmon', 'services'], { perfmon: 'auth', services: 'auth' }));
  });

  it('ssh-drop → connection on the CLI sources only', async () => {
    await withFault('ssh-drop', undefined, () => expectIsolated(['perfmon', 'ha'], { ha: 'connection' }));
  });

  it('recovers on the next poll once the faults are cleared, and nothing leaks after stop()', async () => {
    const outcomes = await rig.poll(['perfmon', 'services', 'ha']);
    expect(outcomes.filter((o) => !o.ok).map((o) => `${o.task.id}: ${o.kind}`)).toEqual([]);
    await rig.collector.stop();
    let open: Array<[string, unknown]> = [];
    for (let i = 0; i < 25; i++) {
      open = Object.entries(await openSessions(rig)).filter(([, s]) => s.perfmon !== 0 || s.ssh !== 0 || s.channels !== 0);
      if (!open.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(open).toEqual([]);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { Scheduler, type PollOutcome, type PollTask } from '../../collectors/engine/scheduler';
import { ObservationStore } from '../../collectors/engine/store';
import { CollectError } from '../../collectors/errors';

afterEach(() => {
  vi.useRealTimers();
});

describe('observation store', () => {
  it('keeps the latest value, marks it stale after two intervals and keeps the last error', () => {
    let now = 1_000;
    const store = new ObservationStore({ now: () => now });
    store.declare('imp01', 'imp01-pub', 'ha', 30_000);
    expect(store.snapshot()[0]).toMatchObject({ fresh: false, ok: false, ageSeconds: null });

    store.recordSuccess('imp01', 'imp01-pub', 'ha', 30_000, { state: 'Normal' }, 12);
    now += 59_000;
    expect(store.snapshot()[0]).toMatchObject({ fresh: true, ok: true, value: { state: 'Normal' }, ageSeconds: 59 });

    store.recordFailure('imp01', 'imp01-pub', 'ha', 30_000, 'timeout', 'utils ha status timed out', 30_000);
    now += 2_000; // 61 s after the success: stale
    const v = store.snapshot()[0];
    expect(v).toMatchObject({ fresh: false, ok: false, value: { state: 'Normal' }, failures: 1, error: { kind: 'timeout', message: 'utils ha status timed out' } });

    store.recordSuccess('imp01', 'imp01-pub', 'ha', 30_000, { state: 'Running in Backup Mode' }, 5);
    expect(store.snapshot()[0]).toMatchObject({ fresh: true, ok: true, failures: 0, error: { kind: 'timeout' } });
    expect(store.freshValues('ha')).toHaveLength(1);
  });
});

function task(over: Partial<PollTask> & Pick<PollTask, 'id' | 'node' | 'run'>): PollTask {
  return { cluster: 'imp01', source: 'perfmon', lane: 'soap', intervalMs: 1_000, timeoutMs: 400, backsOff: true, ...over };
}

describe('scheduler', () => {
  it('keeps healthy nodes on cadence while another node hangs, and reports the hang as a timeout', async () => {
    vi.useFakeTimers();
    const outcomes: PollOutcome[] = [];
    const missed: string[] = [];
    const s = new Scheduler({ maxConcurrent: 2, onOutcome: (o) => outcomes.push(o), onMissed: (t) => missed.push(t.node), firstSpreadMs: 0, jitter: 0, random: () => 0 });
    const runs: Record<string, number> = { a: 0, b: 0, hung: 0 };
    for (const node of ['a', 'b']) s.add(task({ id: node, node, run: async () => void runs[node]++ }));
    // The hung node's poll never ends and ignores the abort.
    s.add(task({ id: 'hung', node: 'hung', run: () => (runs.hung++, new Promise<void>(() => undefined)) }));
    s.start();
    await vi.advanceTimersByTimeAsync(10_050);
    await s.stop();
    expect(runs.a).toBeGreaterThanOrEqual(10);
    expect(runs.b).toBeGreaterThanOrEqual(10);
    const hung = outcomes.filter((o) => o.task.node === 'hung');
    expect(hung.length).toBeGreaterThan(0);
    expect(hung.every((o) => !o.ok && o.kind === 'timeout')).toBe(true);
    // Healthy nodes never missed an interval; the hung node's lane stayed its own.
    expect(missed.filter((n) => n !== 'hung')).toEqual([]);
    expect(outcomes.filter((o) => o.task.node !== 'hung').every((o) => o.ok)).toBe(true);
  });

  it('backs off only the rate-limited node, exponentially, and resumes after a success', async () => {
    vi.useFakeTimers();
    const outcomes: PollOutcome[] = [];
    const skipped: string[] = [];
    const s = new Scheduler({
      maxConcurrent: 4,
      onOutcome: (o) => outcomes.push(o),
      onBackoffSkip: (t) => skipped.push(t.node),
      firstSpreadMs: 0,
      jitter: 0,
      backoffBaseMs: 3_000,
      random: () => 0.5,
    });
    let limited = 0;
    s.add(task({ id: 'limited', node: 'limited', run: async () => { limited++; throw new CollectError('rate-limit', 'Exceeded allowed rate for Perfmon information'); } }));
    let fine = 0;
    s.add(task({ id: 'fine', node: 'fine', run: async () => void fine++ }));
    s.start();
    await vi.advanceTimersByTimeAsync(20_050);
    await s.stop();
    // 21 due ticks: with 3 s, 6 s, 12 s back-offs only a handful of requests reach the limited node.
    expect(limited).toBeLessThanOrEqual(4);
    expect(limited).toBeGreaterThanOrEqual(2);
    expect(fine).toBeGreaterThanOrEqual(20);
    expect(new Set(skipped)).toEqual(new Set(['limited']));
    expect(s.backoffOf('imp01', 'limited').level).toBeGreaterThanOrEqual(2);
    expect(s.backoffOf('imp01', 'fine').level).toBe(0);
  });

  it('never runs more polls at once than its global bound', async () => {
    let inFlight = 0;
    let peak = 0;
    const s = new Scheduler({ maxConcurrent: 3, onOutcome: () => undefined });
    for (let i = 0; i < 12; i++) {
      s.add(
        task({
          id: `n${i}`,
          node: `n${i}`,
          timeoutMs: 5_000,
          run: async () => {
            inFlight++;
            peak = Math.max(peak, inFlight);
            await new Promise((r) => setTimeout(r, 20));
            inFlight--;
          },
        }),
      );
    }
    const outcomes = await s.runOnce();
    expect(outcomes).toHaveLength(12);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(peak).toBe(3);
  });
});

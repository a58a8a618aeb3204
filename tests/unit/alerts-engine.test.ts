// The rule engine keeps alert state and notification timing exactly as Prometheus does:
// pending → firing after `for`, resolved and re-sent with endsAt, resend delay, ValidUntil,
// restored `for` clocks after a restart, rules that break stay unhealthy without losing alerts.
import { describe, expect, it } from 'vitest';
import { metrics } from '../../collectors/metrics/catalogue';
import { effectiveRules, type EffectiveRule } from '../../alerts/catalogue';
import { AlertEngine, RESOLVED_RETENTION_MS } from '../../alerts/engine';
import { s } from '../../alerts/rule';
import { SeriesSource } from '../../alerts/series';

const MIN = 60_000;
const rule = (name: string): EffectiveRule => effectiveRules().find((r) => r.name === name)!;
const pe = (values: string) => s(metrics.serviceStatus, { cluster: 'imp01', node: 'imp01-pub', service: 'Cisco Presence Engine', status: 'Started' }, values);

describe('alert state', () => {
  it('goes pending, then firing after `for`, then resolved; a pending alert that clears is dropped', () => {
    const engine = new AlertEngine([rule('CriticalServiceDown')], { intervalMs: MIN });
    const src = new SeriesSource([pe('1 0 0 0 1 0 1x20')]);
    const kinds = (m: number) => engine.evaluate(src, m * MIN).map((c) => c.kind);
    expect(kinds(0)).toEqual([]);
    expect(kinds(1)).toEqual(['pending']);
    expect(engine.alerts()[0]).toMatchObject({ state: 'pending', activeAt: MIN, labels: { alertname: 'CriticalServiceDown', severity: 'critical', service: 'Cisco Presence Engine' } });
    expect(kinds(2)).toEqual(['firing']);
    expect(engine.alerts()[0]).toMatchObject({ state: 'firing', firedAt: 2 * MIN });
    expect(engine.alerts()[0].annotations.summary).toBe('Cisco Presence Engine is not running on imp01-pub (cluster imp01)');
    expect(engine.alerts()[0].annotations.runbook_url).toBe('http://127.0.0.1:3000/alerts/runbooks/CriticalServiceDown');
    expect(kinds(3)).toEqual([]);
    expect(kinds(4)).toEqual(['resolved']);
    expect(engine.alerts()[0]).toMatchObject({ state: 'inactive', resolvedAt: 4 * MIN });
    // Down again: a new alert replaces the resolved one, with a new activeAt.
    expect(kinds(5)).toEqual(['pending']);
    expect(kinds(6)).toEqual(['dropped']);
    expect(engine.alerts()).toEqual([]);
  });

  it('sends like Prometheus: firing at most every resend delay with endsAt = now + 4 × max(resend, interval), resolved at once then while kept 15 minutes', () => {
    const engine = new AlertEngine([rule('CriticalServiceDown')], { intervalMs: 15_000, resendDelayMs: MIN });
    const src = new SeriesSource([pe('0x40 1x40')]);
    const sendAt = (ms: number) => {
      engine.evaluate(src, ms);
      return engine.outgoing(engine.toSend(ms), { environment: 'lab', severity: 'never-wins' });
    };
    expect(sendAt(0)).toEqual([]); // pending is never sent
    const first = sendAt(MIN);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ startsAt: new Date(MIN).toISOString(), endsAt: new Date(MIN + 4 * MIN).toISOString() });
    expect(first[0].labels).toMatchObject({ environment: 'lab', severity: 'critical', alertname: 'CriticalServiceDown' });
    expect(sendAt(MIN + 15_000)).toEqual([]);
    expect(sendAt(2 * MIN)).toEqual([]); // exactly the resend delay: not yet (Prometheus: strictly after)
    expect(sendAt(2 * MIN + 15_000)).toHaveLength(1);
    // Series turns healthy at 41 min.
    const resolved = sendAt(41 * MIN);
    expect(resolved).toHaveLength(1);
    expect(resolved[0].endsAt).toBe(new Date(41 * MIN).toISOString());
    expect(sendAt(41 * MIN + 15_000)).toEqual([]);
    expect(sendAt(42 * MIN + 30_000)).toHaveLength(1); // resolution re-sent while retained
    engine.evaluate(src, 41 * MIN + RESOLVED_RETENTION_MS + 1);
    expect(engine.alerts()).toEqual([]);
  });

  it('carries the `for` clock across a restart and resolves what no longer holds', () => {
    const r = rule('CriticalServiceDown');
    const first = new AlertEngine([r], { intervalMs: MIN });
    const src = new SeriesSource([pe('1 0x30'), s(metrics.serviceStatus, { cluster: 'imp01', node: 'imp01-pub', service: 'Cisco SIP Proxy', status: 'Started' }, '0x3 1x30')]);
    first.evaluate(src, MIN);
    first.evaluate(src, 2 * MIN);
    const before = first.alerts();
    expect(before.map((a) => a.state).sort()).toEqual(['firing', 'firing']);
    // Restart at 10 min: the Presence Engine alert is still true (firing at once, activeAt kept);
    // the SIP Proxy has recovered meanwhile: it resolves and its resolution is sent.
    const second = new AlertEngine([r], { intervalMs: MIN, restore: before });
    const changes = second.evaluate(src, 10 * MIN);
    expect(changes.map((c) => [c.kind, c.alert.labels.service])).toEqual([['resolved', 'Cisco SIP Proxy']]);
    const pe2 = second.alerts().find((a) => a.labels.service === 'Cisco Presence Engine')!;
    expect(pe2).toMatchObject({ state: 'firing', activeAt: MIN });
    expect(second.toSend(10 * MIN).map((a) => [a.labels.service, a.state]).sort()).toEqual([
      ['Cisco Presence Engine', 'firing'],
      ['Cisco SIP Proxy', 'inactive'],
    ]);
  });

  it('a rule whose result repeats a label set is unhealthy and keeps its alerts', () => {
    // `or` drops the right-hand elements the left already has: no repeated label set.
    const overlap: EffectiveRule = { ...rule('CpuPegging'), expr: { t: 'set', op: 'or', left: rule('CpuPegging').expr, right: { t: 'scalar', op: '*', value: 1, expr: rule('CpuPegging').expr } } };
    const ok = new AlertEngine([overlap], { intervalMs: MIN });
    ok.evaluate(new SeriesSource([s(metrics.cpuUsageRatio, { cluster: 'c', node: 'n' }, '0.99x10')]), 0);
    expect(ok.status()[0].health).toBe('ok');
    const clash: EffectiveRule = { ...rule('CpuPegging'), name: 'Clash', labels: { severity: 'warning', node: 'same' } };
    const e2 = new AlertEngine([clash], { intervalMs: MIN });
    e2.evaluate(new SeriesSource([s(metrics.cpuUsageRatio, { cluster: 'c', node: 'a' }, '0.99'), s(metrics.cpuUsageRatio, { cluster: 'c', node: 'b' }, '0.99')]), 0);
    expect(e2.status()[0]).toMatchObject({ health: 'err', lastError: expect.stringMatching(/same labelset/) });
    expect(e2.alerts()).toEqual([]);
  });
});

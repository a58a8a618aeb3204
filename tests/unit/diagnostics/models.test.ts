// The page models over stored runs: sections in catalogue order, one check's items paged (no cap),
// the diff with the previous run, the users page's filters and downloads, the readiness checklist.
import { describe, expect, it } from 'vitest';
import { troubleshooterView } from '../../../diagnostics/models/troubleshooter';
import { usersView } from '../../../diagnostics/models/users';
import { readinessView } from '../../../diagnostics/models/readiness';
import { exportRun } from '../../../diagnostics/models/export';
import { MemoryRunStore } from '../../../diagnostics/store';
import type { ImpulseRuntime } from '../../../server/runtime';
import { inventory } from './fixtures';

function runtime(store: MemoryRunStore): ImpulseRuntime {
  return {
    inventory: inventory(2),
    diagnostics: { store, settings: { upgradeWindowDays: 14 }, active: () => undefined, progress: () => undefined, start: () => ({ id: 0 }) },
  } as unknown as ImpulseRuntime;
}

const users = (n: number, prefix: string) => Array.from({ length: n }, (_, k) => ({ key: `${prefix}${k}`, kind: 'user', status: 'failed', cluster: k % 2 ? 'imp01' : 'imp02', node: 'imp01-pub', label: `${prefix}${k}`, group: 'dup', data: { userId: `${prefix}${k}`, directoryUri: `${prefix}${k}@example.com` } }));

function record(store: MemoryRunStore, kind: 'troubleshooter' | 'users' | 'readiness', u1: number, checks = ['HA-STATE', 'U1']): number {
  const id = store.createRun({ kind, startedAt: 1_000 + store.listRuns().length, actor: 'anonymous', origin: 'dashboard', scope: { checks } });
  // Stored in finish order: HA-STATE first, U1 second.
  store.saveResult(id, { checkId: 'HA-STATE', seq: 0, section: 'High Availability', title: 'ha', status: 'passed', summary: 'ok', startedAt: 1, finishedAt: 2, items: [] });
  if (checks.includes('U1')) store.saveResult(id, { checkId: 'U1', seq: 1, section: 'User Troubleshooter', title: 'Verify all users have a unique User ID configured.', status: u1 ? 'failed' : 'passed', summary: `${u1} users`, problem: u1 ? 'p' : undefined, startedAt: 1, finishedAt: 2, items: users(u1, 'user') });
  store.finishRun(id, { status: 'completed', finishedAt: 3, report: kind === 'readiness' ? { upgradeWindowDays: 14, clusters: [{ cluster: 'imp01', product: 'imp', verdict: u1 ? 'No-Go' : 'Go', reasons: [] }] } : undefined });
  return id;
}

describe('troubleshooter page model', () => {
  it('sections in catalogue order, 20 items inline with a link to all, every item paged, the diff', () => {
    const store = new MemoryRunStore();
    const first = record(store, 'troubleshooter', 250);
    const second = record(store, 'troubleshooter', 120);
    const v = troubleshooterView(runtime(store), { check: 'u1', page: '2' });
    if (!v.ok) throw new Error(v.message);
    expect(v.run!.id).toBe(second);
    expect(v.sections.map((s) => s.section)).toEqual(['User Troubleshooter', 'High Availability']);
    const u1 = v.sections[0].results[0];
    expect(u1.items).toHaveLength(20);
    expect(u1.allItemsHref).toBe(`/users?run=${second}&check=U1`);
    expect(v.focus).toMatchObject({ page: 2, pages: 2, total: 120, prevHref: `/troubleshooter?run=${second}&check=U1&page=1`, nextHref: null });
    expect(v.focus!.items).toHaveLength(20);
    expect(v.diff).toMatchObject({ previous: { id: first }, newCount: 0, fixedCount: 130, unchanged: 120 });
  });
});

describe('users page model and downloads', () => {
  it('picks the newest run that checked users, filters by cluster and search, and exports the same view', () => {
    const store = new MemoryRunStore();
    const id = record(store, 'users', 30);
    record(store, 'troubleshooter', 0, ['HA-STATE']);
    const v = usersView(runtime(store), { cluster: 'imp01', q: 'USER1' });
    if (!v.ok) throw new Error(v.message);
    expect(v.run!.id).toBe(id);
    expect(v.rows.map((r) => r.userId)).toEqual(['user1', 'user11', 'user13', 'user15', 'user17', 'user19']);
    expect(v.csvHref).toBe(`/api/diagnostics/runs/${id}/export?format=users-csv&cluster=imp01&q=USER1`);
    const csv = exportRun(store, id, 'users-csv', { cluster: 'imp01', q: 'USER1' });
    expect(csv.body.trim().split('\r\n')).toHaveLength(7);
    expect(exportRun(store, id, 'users-text', {}).body).toMatch(/^Users with Duplicate User IDs\n-{45}\n User ID: dup\n  Node Name\n/);
    expect(exportRun(store, id, 'nope', {}).status).toBe(400);
    expect(exportRun(store, 999, 'csv', {}).status).toBe(404);
  });
});

describe('readiness page model', () => {
  it('shows the verdicts, the checklist with who ticked, and the overall state', () => {
    const store = new MemoryRunStore();
    const id = record(store, 'readiness', 0);
    store.tick(id, { itemId: 'drs-backup', checked: true, by: 'ops', at: Date.UTC(2026, 0, 2, 3, 4, 5) });
    const v = readinessView(runtime(store), {});
    if (!v.ok) throw new Error(v.message);
    expect(v.report!.clusters[0].verdict).toBe('Go');
    expect(v.overall).toEqual({ verdict: 'Checklist pending', confirmed: 1, total: 6 });
    expect(v.checklist.find((c) => c.id === 'drs-backup')).toMatchObject({ checked: true, by: 'ops', at: '2026-01-02 03:04:05 UTC' });
    expect(v.htmlHref).toBe(`/api/diagnostics/runs/${id}/export?format=readiness-html`);
    expect(exportRun(store, id, 'readiness-html', {}).body).toContain('Pre-upgrade readiness report');
  });
});

// The embedded diagnostics service: at start it marks runs a dead process left running as
// interrupted; it runs one run at a time (a second start is refused with the running run's id);
// progress is live while running and stored afterwards; a node that refuses connections is an Error
// row, not a stuck run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCollector } from '../../../collectors/index';
import { openDatabase, type ImpulseDatabase } from '../../../db/index';
import { createRun } from '../../../db/runs';
import type { ImpulseRuntime } from '../../../server/runtime';
import { createDiagnosticsService } from '../../../server/services/diagnostics';
import { inventory } from './fixtures';

let dir: string;
let db: ImpulseDatabase | undefined;
afterEach(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** An inventory whose nodes listen nowhere (127.0.0.x closed ports: connection refused at once). */
function closedInventory() {
  const inv = inventory(1);
  for (const n of inv.nodes) n.host = '127.0.0.1';
  for (const n of inv.nodes) n.ports = { https: 9, ssh: 9 };
  return inv;
}

describe('diagnostics service', () => {
  it('marks runs left running by a dead process as interrupted at start, and runs one run at a time', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'impulse-diag-svc-'));
    db = openDatabase({ dataDir: dir });
    const stale = createRun(db, { kind: 'troubleshooter', startedAt: 1, actor: 'anonymous', origin: 'dashboard', pid: 2 ** 22 + 7, host: (await import('node:os')).hostname(), scope: {} })!;
    const inv = closedInventory();
    const collector = createCollector(inv);
    const rt = { config: { clusters: [] }, inventory: inv, db, collector, dataDir: dir, configPath: 'x', startedAt: Date.now() } as unknown as ImpulseRuntime;
    const svc = createDiagnosticsService();
    await svc.start(rt);
    const d = rt.diagnostics!;
    expect(d.store.getRun(stale)).toMatchObject({ status: 'interrupted' });
    const { id } = d.start({ kind: 'troubleshooter', checks: ['SVC-CRITICAL', 'PLAT-NTP'], actor: { name: 'anonymous', address: '127.0.0.1' } });
    expect(d.active()).toEqual({ id, kind: 'troubleshooter' });
    expect(() => d.start({ kind: 'users', actor: { name: 'x' } })).toThrow(/still running/);
    expect(d.progress(id)?.status).toBe('running');
    for (let k = 0; k < 200 && d.active(); k++) await new Promise((r) => setTimeout(r, 50));
    expect(d.active()).toBeUndefined();
    const run = d.store.getRun(id)!;
    expect(run).toMatchObject({ status: 'completed', actor: 'anonymous', actorAddress: '127.0.0.1', origin: 'dashboard' });
    expect(d.progress(id)).toMatchObject({ status: 'completed', phase: 'done' });
    const results = d.store.results(id);
    expect(results.map((r) => `${r.checkId}:${r.status}`)).toEqual(['SVC-CRITICAL:error', 'PLAT-NTP:error']);
    expect(d.store.items(id, { checkIds: ['PLAT-NTP'] }).map((i) => i.label).sort()).toEqual(['cucm01-pub', 'imp01-pub', 'imp01-sub1']);
    await svc.stop?.();
    await collector.stop();
  });
});

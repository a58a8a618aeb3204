// Runs in the database (migration 2, db/runs.ts) and in memory: results and items streamed and read
// back paged and filtered, interrupted runs marked at start, pruning, checklist ticks, and the diff.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type ImpulseDatabase } from '../../../db/index';
import { markInterruptedRuns, pruneRuns } from '../../../db/runs';
import { diffRuns } from '../../../diagnostics/diff';
import { DbRunStore, MemoryRunStore, type RunStore } from '../../../diagnostics/store';

let dir: string;
let db: ImpulseDatabase | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function dbStore(): DbRunStore {
  dir = mkdtempSync(path.join(tmpdir(), 'impulse-runs-'));
  db = openDatabase({ dataDir: dir });
  return new DbRunStore(db);
}

const meta = (over = {}) => ({ kind: 'troubleshooter' as const, startedAt: 1000, actor: 'anonymous', actorAddress: '127.0.0.1', origin: 'dashboard', pid: 1, host: 'h', scope: { clusters: ['imp01'] }, ...over });
const result = (checkId: string, status: 'passed' | 'failed', items: Array<{ key: string; label: string; cluster?: string }>) => ({
  checkId, seq: 0, section: 'User Troubleshooter', title: checkId, status, summary: `${items.length} items`, startedAt: 1, finishedAt: 2,
  items: items.map((i) => ({ ...i, kind: 'user', status: 'failed', detail: `detail of ${i.label}`, data: { userId: i.label } })),
});

for (const [name, make] of [['database', dbStore], ['memory', () => new MemoryRunStore()]] as Array<[string, () => RunStore]>) {
  describe(`run store (${name})`, () => {
    it('records a run, streams results and items, reads them back paged and filtered', () => {
      const s = make();
      const id = s.createRun(meta());
      s.progress(id, { phase: 'collecting' });
      const many = Array.from({ length: 250 }, (_, k) => ({ key: `k${k}`, label: `user${k}`, cluster: k % 2 ? 'imp01' : 'imp02' }));
      s.saveResult(id, result('U1', 'failed', many));
      s.saveResult(id, result('U2', 'passed', []));
      expect(s.getRun(id)).toMatchObject({ status: 'running', actor: 'anonymous', progress: { phase: 'collecting' } });
      s.finishRun(id, { status: 'completed', finishedAt: 2000, summary: { counts: { passed: 1, failed: 1 } } });
      expect(s.getRun(id)).toMatchObject({ status: 'completed', finishedAt: 2000 });
      expect(s.results(id).map((r) => [r.checkId, r.status, r.itemCount])).toEqual([['U1', 'failed', 250], ['U2', 'passed', 0]]);
      expect(s.countItems(id, { checkIds: ['U1'] })).toBe(250);
      expect(s.items(id, { checkIds: ['U1'], offset: 200, limit: 100 })).toHaveLength(50);
      expect(s.countItems(id, { cluster: 'imp01' })).toBe(125);
      expect(s.items(id, { q: 'USER24' }).map((i) => i.label).sort()).toEqual(['user24', ...Array.from({ length: 10 }, (_, k) => `user24${k}`)].sort());
      expect(s.items(id, { checkIds: ['U1'], limit: 1 })[0]).toMatchObject({ key: 'k0', label: 'user0', data: { userId: 'user0' } });
    });

    it('ticks the checklist with who and when', () => {
      const s = make();
      const id = s.createRun(meta({ kind: 'readiness' }));
      expect(s.tick(id, { itemId: 'drs-backup', checked: true, by: 'ops', at: 5 })).toBe(true);
      s.tick(id, { itemId: 'drs-backup', checked: false, by: 'lead', at: 6 });
      expect(s.checklist(id)).toMatchObject([{ itemId: 'drs-backup', checked: false, by: 'lead', at: 6 }]);
    });

    it('diffs two runs: new, fixed and unchanged problems of the checks both ran', () => {
      const s = make();
      const a = s.createRun(meta());
      s.saveResult(a, result('U1', 'failed', [{ key: 'x', label: 'x' }, { key: 'y', label: 'y' }]));
      s.saveResult(a, result('U9', 'failed', [{ key: 'z', label: 'z' }]));
      s.finishRun(a, { status: 'completed', finishedAt: 1 });
      const b = s.createRun(meta());
      s.saveResult(b, result('U1', 'failed', [{ key: 'y', label: 'y' }, { key: 'w', label: 'w' }]));
      s.finishRun(b, { status: 'completed', finishedAt: 2 });
      expect(s.previousRunId(b, ['troubleshooter'])).toBe(a);
      const d = diffRuns(s, b, a);
      expect(d.newProblems.map((i) => i.key)).toEqual(['w']);
      expect(d.fixed.map((i) => i.key)).toEqual(['x']);
      expect(d.unchanged.map((i) => i.key)).toEqual(['y']);
    });
  });
}

describe('runs left running by a process that died', () => {
  it('are marked interrupted at the next start; a live process keeps its run', () => {
    const s = dbStore();
    const dead = s.createRun(meta({ pid: 999_999 }));
    const live = s.createRun(meta({ pid: 42 }));
    const marked = markInterruptedRuns(db!, (pid) => pid === 42, 5000);
    expect(marked).toEqual([dead]);
    expect(s.getRun(dead)).toMatchObject({ status: 'interrupted', finishedAt: 5000 });
    expect(s.getRun(dead)!.error).toMatch(/cut short/);
    expect(s.getRun(live)!.status).toBe('running');
  });

  it('prune keeps the newest runs with their items', () => {
    const s = dbStore();
    const ids = Array.from({ length: 5 }, () => {
      const id = s.createRun(meta());
      s.saveResult(id, result('U1', 'failed', [{ key: 'a', label: 'a' }]));
      s.finishRun(id, { status: 'completed', finishedAt: 1 });
      return id;
    });
    expect(pruneRuns(db!, 2)).toBe(3);
    expect(s.listRuns().map((r) => r.id)).toEqual([ids[4], ids[3]]);
    expect((db!.sqlite.prepare('select count(*) as n from diagnostic_items').get() as { n: number }).n).toBe(2);
  });
});

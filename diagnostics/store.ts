// Where runs are kept: the product database (db/runs.ts) — or, when the database could not be
// opened, memory (the last runs of this process only; pages then say history is unavailable).
import type { ImpulseDatabase } from '../db/database';
import * as runs from '../db/runs';
import type { ChecklistRow, ItemFilter, ItemInsert, ItemRow, ResultInsert, ResultRow, RunInsert, RunKind, RunRow, RunStatus } from '../db/runs';

export type { ChecklistRow, ItemFilter, ItemRow, ResultRow, RunKind, RunRow, RunStatus };

export interface ItemKey {
  checkId: string;
  key: string;
  status: string;
  label: string;
  cluster: string | null;
  node: string | null;
  detail: string | null;
}

export interface RunStore {
  /** False for the in-memory fallback. */
  readonly persistent: boolean;
  createRun(r: RunInsert): number;
  progress(id: number, progress: unknown): void;
  saveResult(id: number, r: ResultInsert): void;
  finishRun(id: number, f: { status: RunStatus; finishedAt: number; summary?: unknown; report?: unknown; progress?: unknown; error?: string }): void;
  setReport(id: number, report: unknown): void;
  listRuns(o?: { kind?: RunKind | readonly RunKind[]; limit?: number; beforeId?: number }): RunRow[];
  getRun(id: number): RunRow | undefined;
  previousRunId(id: number, kinds: readonly RunKind[]): number | undefined;
  results(id: number): ResultRow[];
  items(id: number, f?: ItemFilter): ItemRow[];
  countItems(id: number, f?: ItemFilter): number;
  itemKeys(id: number): ItemKey[];
  tick(id: number, t: { itemId: string; checked: boolean; by: string; address?: string; at: number; note?: string }): boolean;
  checklist(id: number): ChecklistRow[];
}

export class DbRunStore implements RunStore {
  readonly persistent = true;
  constructor(readonly db: ImpulseDatabase) {}
  createRun(r: RunInsert): number {
    const id = runs.createRun(this.db, r);
    if (id === undefined) throw new Error(`the database cannot record the run: ${this.db.health().error ?? 'write failed'}`);
    return id;
  }
  progress(id: number, p: unknown): void {
    runs.updateRunProgress(this.db, id, p);
  }
  saveResult(id: number, r: ResultInsert): void {
    runs.saveResult(this.db, id, r);
  }
  finishRun(id: number, f: Parameters<RunStore['finishRun']>[1]): void {
    runs.finishRun(this.db, id, f);
  }
  setReport(id: number, report: unknown): void {
    runs.updateRunReport(this.db, id, report);
  }
  listRuns(o?: Parameters<RunStore['listRuns']>[0]): RunRow[] {
    return runs.listRuns(this.db, o);
  }
  getRun(id: number): RunRow | undefined {
    return runs.getRun(this.db, id);
  }
  previousRunId(id: number, kinds: readonly RunKind[]): number | undefined {
    return runs.previousRunId(this.db, id, kinds);
  }
  results(id: number): ResultRow[] {
    return runs.getResults(this.db, id);
  }
  items(id: number, f?: ItemFilter): ItemRow[] {
    return runs.getItems(this.db, id, f);
  }
  countItems(id: number, f?: ItemFilter): number {
    return runs.countItems(this.db, id, f);
  }
  itemKeys(id: number): ItemKey[] {
    return runs.getItemKeys(this.db, id);
  }
  tick(id: number, t: Parameters<RunStore['tick']>[1]): boolean {
    return runs.tickChecklist(this.db, id, t);
  }
  checklist(id: number): ChecklistRow[] {
    return runs.getChecklist(this.db, id);
  }
}

interface MemRun {
  row: RunRow;
  results: Map<string, ResultRow & { items: ItemInsert[] }>;
  checklist: Map<string, ChecklistRow>;
}

/** The last `keep` runs of this process, for a product whose database could not be opened. */
export class MemoryRunStore implements RunStore {
  readonly persistent = false;
  private readonly runs = new Map<number, MemRun>();
  private seq = 0;
  constructor(private readonly keep = 10) {}

  createRun(r: RunInsert): number {
    const id = ++this.seq;
    this.runs.set(id, {
      row: { id, kind: r.kind, status: 'running', startedAt: r.startedAt, finishedAt: null, actor: r.actor, actorAddress: r.actorAddress ?? null, origin: r.origin, pid: r.pid ?? null, host: r.host ?? null, scope: r.scope, progress: null, summary: null, report: null, error: null },
      results: new Map(),
      checklist: new Map(),
    });
    for (const old of [...this.runs.keys()].slice(0, Math.max(0, this.runs.size - this.keep))) this.runs.delete(old);
    return id;
  }
  progress(id: number, p: unknown): void {
    const r = this.runs.get(id);
    if (r && r.row.status === 'running') r.row.progress = p;
  }
  saveResult(id: number, r: ResultInsert): void {
    const run = this.runs.get(id);
    if (!run) return;
    run.results.set(r.checkId, { ...r, problem: r.problem ?? null, solution: r.solution ?? null, skippedWhy: r.skippedWhy ?? null, itemCount: r.items.length, items: r.items });
  }
  finishRun(id: number, f: Parameters<RunStore['finishRun']>[1]): void {
    const r = this.runs.get(id);
    if (!r) return;
    Object.assign(r.row, { status: f.status, finishedAt: f.finishedAt, summary: f.summary ?? null, error: f.error ?? null });
    if (f.report !== undefined) r.row.report = f.report;
    if (f.progress !== undefined) r.row.progress = f.progress;
  }
  setReport(id: number, report: unknown): void {
    const r = this.runs.get(id);
    if (r) r.row.report = report;
  }
  listRuns(o: Parameters<RunStore['listRuns']>[0] = {}): RunRow[] {
    const kinds = o.kind === undefined ? undefined : Array.isArray(o.kind) ? o.kind : [o.kind];
    return [...this.runs.values()]
      .map((r) => r.row)
      .filter((r) => (!kinds || kinds.includes(r.kind)) && (o.beforeId === undefined || r.id < o.beforeId))
      .sort((a, b) => b.id - a.id)
      .slice(0, o.limit ?? 50)
      .map((r) => ({ ...r, progress: null, report: null }));
  }
  getRun(id: number): RunRow | undefined {
    const r = this.runs.get(id);
    return r && { ...r.row };
  }
  previousRunId(id: number, kinds: readonly RunKind[]): number | undefined {
    return [...this.runs.values()]
      .map((r) => r.row)
      .filter((r) => r.id < id && r.status === 'completed' && kinds.includes(r.kind))
      .sort((a, b) => b.id - a.id)[0]?.id;
  }
  results(id: number): ResultRow[] {
    return [...(this.runs.get(id)?.results.values() ?? [])].map(({ items: _items, ...r }) => r).sort((a, b) => a.seq - b.seq);
  }
  private all(id: number, f: ItemFilter = {}): ItemRow[] {
    const out: ItemRow[] = [];
    const q = f.q?.toLowerCase();
    for (const r of [...(this.runs.get(id)?.results.values() ?? [])].sort((a, b) => a.checkId.localeCompare(b.checkId))) {
      if (f.checkIds?.length && !f.checkIds.includes(r.checkId)) continue;
      r.items.forEach((i, seq) => {
        if (f.cluster && i.cluster !== f.cluster) return;
        if (f.node && i.node !== f.node) return;
        if (f.status && i.status !== f.status) return;
        if (q && ![i.label, i.group ?? '', i.detail ?? '', JSON.stringify(i.data ?? '')].some((t) => t.toLowerCase().includes(q))) return;
        out.push({ ...i, checkId: r.checkId, seq });
      });
    }
    return out;
  }
  items(id: number, f: ItemFilter = {}): ItemRow[] {
    const all = this.all(id, f);
    const from = f.offset ?? 0;
    return f.limit === undefined || f.limit < 0 ? all.slice(from) : all.slice(from, from + f.limit);
  }
  countItems(id: number, f: ItemFilter = {}): number {
    return this.all(id, f).length;
  }
  itemKeys(id: number): ItemKey[] {
    return this.all(id).map((i) => ({ checkId: i.checkId, key: i.key, status: i.status, label: i.label, cluster: i.cluster ?? null, node: i.node ?? null, detail: i.detail ?? null }));
  }
  tick(id: number, t: Parameters<RunStore['tick']>[1]): boolean {
    const r = this.runs.get(id);
    if (!r) return false;
    r.checklist.set(t.itemId, { itemId: t.itemId, checked: t.checked, by: t.by, address: t.address ?? null, at: t.at, note: t.note ?? r.checklist.get(t.itemId)?.note ?? null });
    return true;
  }
  checklist(id: number): ChecklistRow[] {
    return [...(this.runs.get(id)?.checklist.values() ?? [])];
  }
}

// A troubleshooter run: the selected checks across the selected clusters. The datasets the checks
// need are gathered with bounded parallelism (collect/collect.ts); each check is evaluated as soon as
// its datasets are complete, and its result and every affected item are stored at once, so the page
// shows checks appearing as they finish. Progress (per section, per dataset) streams to listeners and
// to the run's row. User checks wait for the LDAP cross-check of the users they flag.
import { EventEmitter, setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { Engine } from '../collectors/engine/collector';
import type { ObservationStore } from '../collectors/engine/store';
import type { Inventory, InventoryCluster } from '../config/resolve';
import type { RunKind, RunStatus } from '../db/runs';
import { CHECKS, checkById, USER_CHECK_IDS } from './checks/index';
import { DiagnosticClients, type RequestTally } from './collect/clients';
import { collectDatasets } from './collect/collect';
import { DATASET_LABEL, type DatasetName, type Datasets, type ReplicationReading } from './collect/datasets';
import { readinessVerdicts, type ReadinessReport } from './readiness';
import type { DiagnosticsSettings } from './settings';
import type { RunStore } from './store';
import { CHECK_STATUSES, SECTIONS, type CheckContext, type CheckDefinition, type CheckResult, type CheckStatus, type Section } from './types';
import { crossCheckLdap } from './users/ldap';

export interface Actor {
  name: string;
  address?: string;
}

export interface RunRequest {
  kind: RunKind;
  /** Check ids (case-insensitive); default: every check of the kind. */
  checks?: readonly string[];
  /** Cluster names; default: all. */
  clusters?: readonly string[];
  actor: Actor;
  origin: 'dashboard' | 'cli' | 'api';
}

export interface RunEnvironment {
  inventory: Inventory;
  settings: DiagnosticsSettings;
  /** The collector engine whose clients (and request budgets) the run uses. */
  engine: Engine;
  /** The running collector's observations (embedded mode); absent for CLI runs. */
  store?: ObservationStore;
  runs: RunStore;
  previousReplication?: (cluster: string, node: string, before: number) => ReplicationReading['previous'];
}

export interface SectionProgress {
  section: Section;
  total: number;
  done: number;
  counts: Record<CheckStatus, number>;
}

export interface DatasetProgress {
  name: DatasetName;
  label: string;
  total: number;
  done: number;
  errors: number;
}

export interface RunProgress {
  id: number;
  kind: RunKind;
  status: RunStatus;
  phase: 'collecting' | 'evaluating' | 'ldap' | 'done';
  startedAt: number;
  finishedAt?: number;
  sections: SectionProgress[];
  datasets: DatasetProgress[];
  /** Checks in the order they finished. */
  finished: Array<{ checkId: string; section: Section; title: string; status: CheckStatus; summary: string; items: number }>;
  error?: string;
}

export interface RunSummary {
  counts: Record<CheckStatus, number>;
  /** Requests the run sent: nodes touched, the most to one node by protocol, and the total. */
  requests: { nodes: number; total: number; maxPerNode: Record<string, number>; byNode: Record<string, Record<string, number>> };
  users?: { clusters: number; users: number };
  ldap?: Array<{ name: string; ok: boolean; error?: string; lookedUp: number; found: number }>;
  durationMs: number;
}

export interface RunOutcome {
  id: number;
  status: RunStatus;
  results: CheckResult[];
  summary: RunSummary;
  report?: ReadinessReport;
  error?: string;
  /** The datasets (CLI: the users report is printed from them). */
  data?: Datasets;
}

export class RunRequestError extends Error {
  override name = 'RunRequestError';
}

/** The checks of a run kind. */
export function checksFor(kind: RunKind): readonly CheckDefinition[] {
  if (kind === 'users') return CHECKS.filter((c) => (USER_CHECK_IDS as readonly string[]).includes(c.id));
  if (kind === 'readiness') return CHECKS.filter((c) => c.readiness);
  return CHECKS;
}

export function resolveRequest(req: RunRequest, inventory: Inventory): { checks: CheckDefinition[]; clusters: InventoryCluster[] } {
  const base = checksFor(req.kind);
  let checks: CheckDefinition[] = [...base];
  if (req.checks?.length) {
    const unknown = req.checks.filter((id) => !checkById(id));
    if (unknown.length) throw new RunRequestError(`unknown check${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (checks: ${CHECKS.map((c) => c.id).join(', ')})`);
    const wanted = new Set(req.checks.map((id) => checkById(id)!.id));
    checks = CHECKS.filter((c) => wanted.has(c.id));
  }
  let clusters = inventory.clusters;
  if (req.clusters?.length) {
    const unknown = req.clusters.filter((n) => !inventory.clusters.some((c) => c.name === n));
    if (unknown.length) throw new RunRequestError(`unknown cluster${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (clusters: ${inventory.clusters.map((c) => c.name).join(', ')})`);
    clusters = inventory.clusters.filter((c) => req.clusters!.includes(c.name));
  }
  return { checks, clusters };
}

export interface RunHandle {
  readonly id: number;
  progress(): RunProgress;
  readonly done: Promise<RunOutcome>;
  cancel(reason?: string): void;
  readonly events: EventEmitter;
}

const zeroCounts = (): Record<CheckStatus, number> => Object.fromEntries(CHECK_STATUSES.map((s) => [s, 0])) as Record<CheckStatus, number>;

export function startRun(req: RunRequest, env: RunEnvironment): RunHandle {
  const { checks, clusters } = resolveRequest(req, env.inventory);
  const startedAt = Date.now();
  const id = env.runs.createRun({
    kind: req.kind,
    startedAt,
    actor: req.actor.name,
    actorAddress: req.actor.address,
    origin: req.origin,
    pid: process.pid,
    host: hostname(),
    scope: { clusters: clusters.map((c) => c.name), checks: checks.map((c) => c.id), allClusters: clusters.length === env.inventory.clusters.length, upgradeWindowDays: req.kind === 'readiness' ? env.settings.upgradeWindowDays : undefined },
  });
  const events = new EventEmitter();
  const controller = new AbortController();
  // Every node waiting for a slot listens for the run's end: hundreds on a large fleet.
  setMaxListeners(0, controller.signal);
  const needs = [...new Set(checks.flatMap((c) => c.needs))];
  const progress: RunProgress = {
    id,
    kind: req.kind,
    status: 'running',
    phase: 'collecting',
    startedAt,
    sections: SECTIONS.filter((s) => checks.some((c) => c.section === s)).map((section) => ({ section, total: checks.filter((c) => c.section === section).length, done: 0, counts: zeroCounts() })),
    datasets: needs.map((name) => ({ name, label: DATASET_LABEL[name], total: 0, done: 0, errors: 0 })),
    finished: [],
  };
  let lastWrite = 0;
  let writeTimer: NodeJS.Timeout | undefined;
  const emit = (force = false) => {
    events.emit('progress', progress);
    const now = Date.now();
    if (force || now - lastWrite > 500) {
      lastWrite = now;
      clearTimeout(writeTimer);
      writeTimer = undefined;
      env.runs.progress(id, progress);
    } else if (!writeTimer) {
      writeTimer = setTimeout(() => emit(true), 500);
      writeTimer.unref?.();
    }
  };

  const done = execute();
  return {
    id,
    progress: () => progress,
    done,
    events,
    cancel: (reason = 'cancelled') => controller.abort(new Error(reason)),
  };

  async function execute(): Promise<RunOutcome> {
    const clients = new DiagnosticClients(env.engine, { cliTimeoutMs: env.inventory.limits.cliCommandTimeout * 1000 });
    const results = new Map<string, CheckResult>();
    const ready = new Set<DatasetName>();
    let data: Datasets = {};
    let seq = 0;
    let userChecksReady = false;
    let ldapSummary: RunSummary['ldap'];
    const ctx = (): CheckContext => ({
      inventory: env.inventory,
      clusters,
      data,
      thresholds: env.settings.thresholds,
      now: Date.now(),
      upgradeWindowDays: req.kind === 'readiness' ? env.settings.upgradeWindowDays : undefined,
    });
    const isUserCheck = (c: CheckDefinition) => c.section === 'User Troubleshooter';
    const record = (c: CheckDefinition, began: number) => {
      let result: CheckResult;
      try {
        const o = c.evaluate(ctx());
        result = { ...o, checkId: c.id, section: c.section, title: c.title, startedAt: began, finishedAt: Date.now() };
      } catch (err) {
        // A check's own bug: reported as an Error result, the run goes on.
        result = { checkId: c.id, section: c.section, title: c.title, status: 'error', summary: `The check failed to evaluate: ${(err as Error).message}`, items: [], startedAt: began, finishedAt: Date.now() };
      }
      results.set(c.id, result);
      env.runs.saveResult(id, {
        checkId: result.checkId,
        seq: seq++,
        section: result.section,
        title: result.title,
        status: result.status,
        summary: result.summary,
        problem: result.problem,
        solution: result.solution,
        fix: result.fix,
        skippedWhy: result.skippedWhy,
        startedAt: result.startedAt,
        finishedAt: result.finishedAt,
        items: result.items,
      });
      const sp = progress.sections.find((s) => s.section === c.section)!;
      sp.done++;
      sp.counts[result.status]++;
      progress.finished.push({ checkId: c.id, section: c.section, title: c.title, status: result.status, summary: result.summary, items: result.items.length });
      emit();
    };
    const evaluateReady = () => {
      for (const c of checks) {
        if (results.has(c.id)) continue;
        if (!c.needs.every((n) => ready.has(n))) continue;
        if (isUserCheck(c) && !userChecksReady) continue;
        record(c, startedAt);
      }
    };
    let ldapTask: Promise<void> = Promise.resolve();
    const userChecks = checks.filter(isUserCheck);
    const startLdap = () => {
      ldapTask = (async () => {
        const ds = data.users;
        if (ds && userChecks.length && env.inventory.ldap.length) {
          progress.phase = 'ldap';
          emit();
          // The users the checks flag, looked up in the configured directories.
          const flagged = new Set<string>();
          for (const c of userChecks) for (const i of c.evaluate(ctx()).items) if (i.kind === 'user') flagged.add(i.label);
          if (flagged.size) {
            const ldap = await crossCheckLdap(env.inventory.ldap, [...flagged], { timeoutMs: env.inventory.limits.requestTimeout * 1000 });
            ds.ldap = ldap;
            ldapSummary = ldap.directories;
          }
          progress.phase = 'collecting';
        }
        userChecksReady = true;
        evaluateReady();
      })();
    };

    let status: RunStatus = 'completed';
    let error: string | undefined;
    try {
      data = await collectDatasets({
        inventory: env.inventory,
        clusters,
        datasets: needs,
        clients,
        store: env.store,
        concurrency: env.settings.maxConcurrentNodes,
        axlPageSize: env.settings.axlPageSize,
        replicationSampleMs: env.settings.replicationSampleMs,
        previousReplication: env.previousReplication,
        signal: controller.signal,
        onProgress: (name, doneN, total, errors) => {
          const d = progress.datasets.find((x) => x.name === name);
          if (d) Object.assign(d, { done: doneN, total, errors });
          emit();
        },
        onDataset: (name, d) => {
          data = d;
          ready.add(name);
          if (name === 'users') startLdap();
          evaluateReady();
        },
      });
      if (!ready.has('users') && needs.includes('users')) startLdap();
      if (!needs.includes('users')) userChecksReady = true;
      await ldapTask;
      progress.phase = 'evaluating';
      for (const n of needs) ready.add(n);
      userChecksReady = true;
      evaluateReady();
    } catch (err) {
      status = controller.signal.aborted ? 'interrupted' : 'failed';
      error = err instanceof Error ? err.message : String(err);
    } finally {
      await clients.close();
    }
    const ordered = checks.map((c) => results.get(c.id)).filter((r): r is CheckResult => r !== undefined);
    const counts = zeroCounts();
    for (const r of ordered) counts[r.status]++;
    const summary: RunSummary = {
      counts,
      requests: tallySummary(clients.tally),
      users: data.users ? { clusters: data.users.clusters.size, users: data.users.table.size } : undefined,
      ldap: ldapSummary,
      durationMs: Date.now() - startedAt,
    };
    const report =
      req.kind === 'readiness' && status === 'completed'
        ? readinessVerdicts(
            clusters.map((c) => ({ name: c.name, product: c.product })),
            ordered.map((r) => ({ checkId: r.checkId, title: r.title, section: r.section, status: r.status, items: r.items })),
            env.settings.upgradeWindowDays,
          )
        : undefined;
    progress.status = status;
    progress.phase = 'done';
    progress.finishedAt = Date.now();
    if (error) progress.error = error;
    clearTimeout(writeTimer);
    env.runs.finishRun(id, { status, finishedAt: progress.finishedAt, summary, report, progress, error });
    events.emit('progress', progress);
    events.emit('done');
    return { id, status, results: ordered, summary, report, error, data };
  }
}

function tallySummary(tally: Map<string, RequestTally>): RunSummary['requests'] {
  const maxPerNode: Record<string, number> = {};
  const byNode: Record<string, Record<string, number>> = {};
  let total = 0;
  for (const [node, t] of tally) {
    byNode[node] = { ...t.byProtocol };
    for (const [p, n] of Object.entries(t.byProtocol)) {
      total += n;
      maxPerNode[p] = Math.max(maxPerNode[p] ?? 0, n);
    }
  }
  return { nodes: tally.size, total, maxPerNode, byNode };
}

/** CLI exit code of a run (issue 8 §3): 0 all passed, 1 warnings only, 2 failures, 3 the run could not complete. */
export function exitCode(o: Pick<RunOutcome, 'status' | 'results'>): number {
  if (o.status !== 'completed') return 3;
  if (o.results.some((r) => r.status === 'failed' || r.status === 'error')) return 2;
  if (o.results.some((r) => r.status === 'warning')) return 1;
  return 0;
}

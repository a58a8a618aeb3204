// Scenario files (lab/scenarios/*.yaml): deployment settings (HA flags, automatic fallback,
// certificate validity, SRM timings) plus timed steps that inject faults or run HA operations:
//
//   settings: { haEnabled: true, autoFallback: { imp01-prg1: true } }
//   steps:
//     - { at: 10s, fault: critical-service-down, target: imp01-pub, clearAfter: 5m }
//     - { at: 8m, action: fallback, target: imp01-prg1 }
//
// Times are simulated (a lab with --time-scale 60 plays a 1 h scenario in a minute), counted
// from the start of the lab. Validation errors name the file, the line and the step.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import type { DeploymentSettings } from '../state/deployment';
import type { LabState } from '../state/deployment';
import type { HaTimings } from '../state/ha';
import { FAULT_KINDS, KINDS, type FaultKindName } from './kinds';
import type { FaultManager } from './manager';

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** "10s", "5m", "1h", "250ms", "2d", or a number of seconds → ms. */
const duration = z
  .union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'a duration such as 10s, 5m or 1h')])
  .transform((v) => {
    if (typeof v === 'number') return v * 1000;
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v)!;
    return Number(m[1]) * UNITS[m[2] as keyof typeof UNITS];
  });

const groupSetting = z.union([z.boolean(), z.record(z.string(), z.boolean())]);
export const SCENARIO_ACTIONS = ['failover', 'fallback', 'recover', 'clear-faults'] as const;

const stepSchema = z
  .object({
    at: duration,
    fault: z.enum(FAULT_KINDS).optional(),
    action: z.enum(SCENARIO_ACTIONS).optional(),
    /** Node or cluster for faults; presence redundancy group for failover/fallback/recover (failover may name the node). */
    target: z.string().min(1).optional(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    clearAfter: duration.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.fault === undefined) === (s.action === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a step has exactly one of `fault` or `action`' });
      return;
    }
    if (s.fault !== undefined) {
      if (!s.target) ctx.addIssue({ code: 'custom', path: ['target'], message: 'a fault step names its target (node or cluster)' });
      const r = KINDS[s.fault].params.safeParse(s.params ?? {});
      if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', path: ['params', ...i.path.map(String)], message: i.message });
    } else {
      if (s.action !== 'clear-faults' && !s.target) ctx.addIssue({ code: 'custom', path: ['target'], message: `action ${s.action} names a presence redundancy group (or, for failover, a node)` });
      if (s.clearAfter !== undefined) ctx.addIssue({ code: 'custom', path: ['clearAfter'], message: 'clearAfter applies to fault steps only' });
      if (s.params !== undefined) ctx.addIssue({ code: 'custom', path: ['params'], message: 'params apply to fault steps only' });
    }
  });

const timingsSchema = z
  .object({
    criticalServiceDownDelay: duration.optional(),
    heartbeatTimeout: duration.optional(),
    initHeartbeatTimeout: duration.optional(),
    autoFallbackAfter: duration.optional(),
    transition: duration.optional(),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    settings: z
      .object({
        haEnabled: groupSetting.optional(),
        autoFallback: groupSetting.optional(),
        certificateValidityDays: z.number().int().min(1).max(36_500).optional(),
        haTimings: timingsSchema.optional(),
      })
      .strict()
      .optional(),
    steps: z.array(stepSchema).default([]),
  })
  .strict();

export type ScenarioStep = z.infer<typeof stepSchema>;

export interface Scenario {
  file: string;
  name: string;
  description?: string;
  settings: DeploymentSettings;
  /** Steps with `at`/`clearAfter` in simulated ms, and `atText` as written. */
  steps: (ScenarioStep & { line: number; atText: string })[];
}

function stepLabel(step: unknown, index: number): string {
  const s = (step ?? {}) as Record<string, unknown>;
  const what = s.fault ? `fault ${String(s.fault)}` : s.action ? `action ${String(s.action)}` : 'step';
  const at = s.atText ?? s.at;
  return `step ${index + 1} (${what}${s.target ? ` on ${String(s.target)}` : ''}${at !== undefined ? ` at ${String(at)}` : ''})`;
}

function nodeAt(root: unknown, path: readonly PropertyKey[]): YamlNode | undefined {
  let node = root as YamlNode | undefined;
  for (const key of path) {
    if (isMap(node)) node = node.get(key as string, true) as YamlNode | undefined;
    else if (isSeq(node)) node = node.get(key as number, true) as YamlNode | undefined;
    else return node;
    if (!node) return undefined;
  }
  return node;
}

export function parseScenario(text: string, file: string): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lines.linePos(offset).line);
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new ScenarioError(`${file}:${lineOf(e.pos[0])}: YAML: ${e.message.split('\n')[0]}`);
  }
  const data = doc.toJS() ?? {};
  const r = scenarioSchema.safeParse(data);
  if (!r.success) {
    const messages = r.error.issues.map((i) => {
      const line = lineOf(nodeAt(doc.contents, i.path)?.range?.[0] ?? nodeAt(doc.contents, i.path.slice(0, 2))?.range?.[0]);
      const where =
        i.path[0] === 'steps' && typeof i.path[1] === 'number'
          ? `${stepLabel((data as { steps?: unknown[] }).steps?.[i.path[1]], i.path[1])}${i.path.length > 2 ? `: ${i.path.slice(2).join('.')}` : ''}`
          : i.path.join('.') || '(top level)';
      return `${file}:${line}: ${where}: ${i.message}`;
    });
    throw new ScenarioError(messages.join('\n'));
  }
  const s = r.data;
  const t = s.settings?.haTimings;
  const haTimings: Partial<HaTimings> | undefined = t
    ? {
        ...(t.criticalServiceDownDelay !== undefined ? { criticalServiceDownDelayMs: t.criticalServiceDownDelay } : {}),
        ...(t.heartbeatTimeout !== undefined ? { heartbeatTimeoutMs: t.heartbeatTimeout } : {}),
        ...(t.initHeartbeatTimeout !== undefined ? { initHeartbeatTimeoutMs: t.initHeartbeatTimeout } : {}),
        ...(t.autoFallbackAfter !== undefined ? { autoFallbackAfterMs: t.autoFallbackAfter } : {}),
        ...(t.transition !== undefined ? { transitionMs: t.transition } : {}),
      }
    : undefined;
  return {
    file,
    name: s.name ?? file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, ''),
    description: s.description,
    settings: {
      haEnabled: s.settings?.haEnabled,
      autoFallback: s.settings?.autoFallback,
      certificateValidityDays: s.settings?.certificateValidityDays,
      haTimings,
    },
    steps: s.steps.map((step, i) => {
      const raw = (data as { steps: { at: string | number }[] }).steps[i].at;
      return { ...step, line: lineOf(nodeAt(doc.contents, ['steps', i])?.range?.[0]), atText: typeof raw === 'number' ? `${raw}s` : raw };
    }),
  };
}

export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ScenarioError(`${file}: cannot read the scenario (${err instanceof Error ? err.message : String(err)})`);
  }
  return parseScenario(text, file);
}

/** Checks the scenario's names against a built lab (targets, groups); errors name file and step. */
export function checkScenario(s: Scenario, lab: LabState): void {
  const problems: string[] = [];
  const groupNames = lab.groups().map((g) => g.name);
  for (const [k, v] of Object.entries({ haEnabled: s.settings.haEnabled, autoFallback: s.settings.autoFallback })) {
    if (v && typeof v === 'object') for (const g of Object.keys(v)) if (!groupNames.includes(g)) problems.push(`${s.file}: settings.${k}: no presence redundancy group '${g}' in this lab`);
  }
  s.steps.forEach((step, i) => {
    const where = `${s.file}:${step.line}: ${stepLabel(step, i)}`;
    if (step.fault && step.target && !lab.node(step.target) && !lab.cluster(step.target)) {
      problems.push(`${where}: target: no node or cluster '${step.target}' in this lab`);
    } else if (step.fault && step.target) {
      const target = lab.node(step.target) ?? lab.cluster(step.target)!;
      const params = KINDS[step.fault as FaultKindName].params.parse(step.params ?? {});
      const problem = KINDS[step.fault as FaultKindName].check?.(target, params as never, lab);
      if (problem) problems.push(`${where}: ${problem}`);
    }
    if (step.action && step.action !== 'clear-faults' && step.target) {
      const ok = lab.group(step.target) || (step.action === 'failover' && lab.node(step.target)?.group);
      if (!ok) problems.push(`${where}: target: no presence redundancy group '${step.target}' in this lab (${groupNames.slice(0, 6).join(', ')}${groupNames.length > 6 ? ', …' : ''})`);
    }
  });
  if (problems.length) throw new ScenarioError(problems.join('\n'));
}

export interface ScenarioRun {
  stop(): void;
  /** Resolves when every step (and clearAfter) has run. */
  done: Promise<void>;
}

/** Plays the steps on the lab's clock. `log` receives one line per step (and per error). */
export function runScenario(s: Scenario, lab: LabState, faults: FaultManager, log: (line: string) => void = () => {}): ScenarioRun {
  const timers = new Set<NodeJS.Timeout>();
  let pending = 0;
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const schedule = (simMs: number, fn: () => void) => {
    pending++;
    const t = setTimeout(() => {
      timers.delete(t);
      try {
        fn();
      } finally {
        if (--pending === 0) finish();
      }
    }, lab.clock.toReal(simMs));
    t.unref();
    timers.add(t);
  };
  if (!s.steps.length) finish();
  s.steps.forEach((step, i) => {
    schedule(step.at, () => {
      const label = `scenario ${s.name}: ${stepLabel(step, i)}`;
      try {
        if (step.fault) {
          const rec = faults.inject({ kind: step.fault, target: step.target!, params: step.params });
          log(`${label}: ${rec.id} ${rec.detail}`.trim());
          if (step.clearAfter !== undefined) {
            schedule(step.clearAfter, () => {
              faults.clear(rec.id);
              log(`scenario ${s.name}: cleared ${rec.id}`);
            });
          }
        } else if (step.action === 'clear-faults') {
          log(`${label}: cleared ${faults.clearAll()} fault(s)`);
        } else {
          const g = lab.group(step.target!) ?? lab.node(step.target!)!.group!;
          lab.change(g.nodes[0], (now) => {
            if (step.action === 'failover') g.ha.failover(lab.node(step.target!) ? step.target! : g.nodes[0].name, now);
            else if (step.action === 'fallback') g.ha.fallback(now);
            else g.ha.recover(now);
          });
          log(`${label}: done`);
        }
      } catch (err) {
        log(`${label}: failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  });
  return {
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      finish();
    },
    done,
  };
}

// The alerting part of the configuration (`alerting:` in impulse.config.yaml) resolved for use:
// durations in ms, trust files read, secrets kept as references, rule overrides checked against
// the catalogue, and the catalogue settings (thresholds, IM address scheme, runbook base URL).
import { hostname } from 'node:os';
import path from 'node:path';
import { resolveTrust, type Trust } from '../collectors/clients/trust';
import { CollectError } from '../collectors/errors';
import type { ConfigIssue, LoadedConfig } from '../config/load';
import { formatPath, resolveConfigPath } from '../config/load';
import type { SecretRef } from '../config/resolve';
import { defaultListen, defaultThresholds, type AlertingConfig, type ImpulseConfig } from '../config/schema';
import { DEFAULT_EXTERNAL_URL, unknownRuleNames, type CatalogueSettings, type RuleOverride } from './catalogue';
import type { ImAddressScheme } from './rule';

export interface Endpoint {
  url: string;
  auth?: { kind: 'basic'; username: string; password: SecretRef } | { kind: 'bearer'; token: SecretRef };
  trust: Trust;
  timeoutMs: number;
}

export interface WebhookEndpoint extends Endpoint {
  repeatIntervalMs: number;
}

export interface AlertingSettings {
  evaluation: 'embedded' | 'prometheus';
  intervalMs: number;
  resendDelayMs: number;
  historyRetentionMs: number;
  externalLabels: Readonly<Record<string, string>>;
  catalogue: CatalogueSettings;
  /** Whether alerting.externalUrl is set (else the dashboard's bound address is used once known). */
  externalUrlConfigured: boolean;
  alertmanagers: Endpoint[];
  webhooks: WebhookEndpoint[];
  prometheus?: Endpoint;
  /** Problems that do not stop alerting (unknown rule names), with where they are. */
  issues: Array<{ path: (string | number)[]; message: string }>;
}

export const ALERTING_DEFAULTS = {
  intervalMs: 15_000,
  /** Prometheus' --rules.alert.resend-delay default. */
  resendDelayMs: 60_000,
  /** Alertmanager's repeat_interval default. */
  repeatIntervalMs: 4 * 3600_000,
  historyRetentionMs: 90 * 86_400_000,
  /** Prometheus' notifier timeout. */
  timeoutMs: 10_000,
} as const;

export class AlertingConfigError extends Error {
  override name = 'AlertingConfigError';
}

/** The dashboard's own URL from server.listen, when alerting.externalUrl is not set. */
export function defaultExternalUrl(listen: string | undefined): string {
  if (!listen) return DEFAULT_EXTERNAL_URL;
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen);
  if (!m) return DEFAULT_EXTERNAL_URL;
  let host = m[1] ?? m[2] ?? '';
  if (host === '' || host === '0.0.0.0' || host === '::') host = hostname();
  else if (host.includes(':')) host = `[${host}]`;
  return `http://${host}:${m[3]}`;
}

export interface ResolveOptions {
  /** The configuration file's directory (relative caBundle paths). */
  dir: string;
  /** Thresholds as resolved for the collectors (config/resolve.ts); defaults otherwise. */
  thresholds?: CatalogueSettings['params']['thresholds'];
}

export function resolveAlerting(config: ImpulseConfig, opts: ResolveOptions): AlertingSettings {
  const a: AlertingConfig = config.alerting ?? {};
  const secret = (ref: string): SecretRef => ({ ref, inlineAllowed: false, dir: opts.dir });
  const endpoint = (e: NonNullable<AlertingConfig['prometheus']>, at: string): Endpoint => {
    let trust: Trust;
    try {
      trust = resolveTrust(e.tls && { ...e.tls, caBundle: e.tls.caBundle && resolveConfigPath(e.tls.caBundle, opts.dir) }, at);
    } catch (err) {
      throw new AlertingConfigError(err instanceof CollectError ? err.message : String(err));
    }
    return {
      url: e.url.replace(/\/+$/, ''),
      auth: e.basicAuth ? { kind: 'basic', username: e.basicAuth.username, password: secret(e.basicAuth.password) } : e.bearerToken ? { kind: 'bearer', token: secret(e.bearerToken) } : undefined,
      trust,
      timeoutMs: (e.timeout ?? ALERTING_DEFAULTS.timeoutMs / 1000) * 1000,
    };
  };
  const overrides: Record<string, RuleOverride> = {};
  for (const [name, o] of Object.entries(a.rules ?? {})) overrides[name] = { enabled: o.enabled, for: o.for, severity: o.severity };
  const issues = unknownRuleNames(Object.keys(overrides)).map((u) => ({
    path: ['alerting', 'rules', u.name],
    message: `no alert rule is named '${u.name}'${u.suggestion ? `; did you mean '${u.suggestion}'?` : ''} (\`impulse rules --list\` lists them)`,
  }));
  const scheme: ImAddressScheme = a.imAddressScheme ?? 'UserID@Default_Domain';
  return {
    evaluation: a.evaluation ?? 'embedded',
    intervalMs: (a.evaluationInterval ?? ALERTING_DEFAULTS.intervalMs / 1000) * 1000,
    resendDelayMs: (a.resendDelay ?? ALERTING_DEFAULTS.resendDelayMs / 1000) * 1000,
    historyRetentionMs: (a.historyRetention ?? ALERTING_DEFAULTS.historyRetentionMs / 1000) * 1000,
    externalLabels: { ...(a.externalLabels ?? {}) },
    catalogue: {
      params: { thresholds: { ...defaultThresholds, ...(opts.thresholds ?? stripUndefined(config.thresholds ?? {})) }, imAddressScheme: scheme },
      overrides,
      externalUrl: (a.externalUrl ?? defaultExternalUrl(config.server?.listen ?? defaultListen)).replace(/\/+$/, ''),
    },
    externalUrlConfigured: a.externalUrl !== undefined,
    alertmanagers: (a.alertmanagers ?? []).map((e, i) => endpoint(e, `alerting.alertmanagers[${i}]`)),
    webhooks: (a.webhooks ?? []).map((e, i) => ({ ...endpoint(e, `alerting.webhooks[${i}]`), repeatIntervalMs: (e.repeatInterval ?? ALERTING_DEFAULTS.repeatIntervalMs / 1000) * 1000 })),
    prometheus: prometheusOf(config, a, endpoint),
    issues,
  };
}

/**
 * The Prometheus whose alerts are shown with evaluation: prometheus: alerting.prometheus, else the
 * top-level `prometheus:` block the history charts read (issue 7), so one Prometheus is configured once.
 */
function prometheusOf(config: ImpulseConfig, a: AlertingConfig, endpoint: (e: NonNullable<AlertingConfig['prometheus']>, at: string) => Endpoint): Endpoint | undefined {
  if (a.prometheus) return endpoint(a.prometheus, 'alerting.prometheus');
  const top = (config as { prometheus?: NonNullable<AlertingConfig['prometheus']> }).prometheus;
  return top?.url ? endpoint(top, 'prometheus') : undefined;
}

/** For `impulse config check`: alerting problems the schema cannot see, with file positions. */
export function checkAlertingConfig(loaded: LoadedConfig): ConfigIssue[] {
  try {
    const s = resolveAlerting(loaded.config, { dir: loaded.dir });
    return s.issues.map((i) => ({ file: loaded.file, ...loaded.position(i.path), field: formatPath(i.path), message: i.message }));
  } catch (err) {
    if (!(err instanceof AlertingConfigError)) throw err;
    return [{ file: loaded.file, ...loaded.position(['alerting']), field: 'alerting', message: err.message }];
  }
}

/** The config file's directory for a runtime (the lab writes its config next to its files). */
export function configDirOf(configFile: string | undefined): string {
  return configFile ? path.dirname(path.resolve(configFile)) : process.cwd();
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

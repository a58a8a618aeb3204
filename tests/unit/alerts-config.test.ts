// The `alerting:` block of impulse.config.yaml: accepted and resolved (durations, trust, secrets
// as references), every mistake reported with its line like the rest of the configuration, and
// the maintenance form and API requests parsed into windows or clear errors.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText, type ConfigIssue } from '../../config/load';
import { secretSites } from '../../config/secrets';
import { checkAlertingConfig, defaultExternalUrl, resolveAlerting } from '../../alerts/settings';
import { parseLocalDateTime, parseWindowForm, parseWindowRequest } from '../../alerts/forms';

const dir = mkdtempSync(path.join(tmpdir(), 'impulse-alerting-cfg-'));
writeFileSync(path.join(dir, 'am-ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

const base = `clusters:
  - name: imp01
    product: imp
    publisher: imp01-pub
    credentials:
      axl: { username: axl, password: env:AXL_PW }
`;

function load(alerting: string) {
  return parseConfigText(`${base}alerting:\n${alerting}`, 'site.yaml', { dir });
}

function issues(alerting: string): ConfigIssue[] {
  try {
    load(alerting);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}

describe('alerting configuration', () => {
  it('resolves durations, endpoints, secrets (as references), thresholds and rule overrides', () => {
    const loaded = load(`  evaluationInterval: 10s
  resendDelay: 2m
  externalUrl: https://impulse.example.com/
  externalLabels: { environment: prod }
  imAddressScheme: Directory URI
  alertmanagers:
    - url: https://am1.example.com:9093/
      basicAuth: { username: impulse, password: env:AM_PASSWORD }
      tls: { caBundle: am-ca.pem }
      timeout: 5s
  webhooks:
    - url: https://hooks.example.com/impulse
      bearerToken: file:/run/secrets/hook
      repeatInterval: 1h
  rules:
    CpuPegging: { for: 10m, severity: critical }
    SystemVersionMismatched: { enabled: false }
    CertificateExpired: { for: 0s }
`);
    const s = resolveAlerting(loaded.config, { dir });
    expect(s).toMatchObject({ evaluation: 'embedded', intervalMs: 10_000, resendDelayMs: 120_000, externalLabels: { environment: 'prod' }, externalUrlConfigured: true, issues: [] });
    expect(s.catalogue).toMatchObject({ externalUrl: 'https://impulse.example.com', params: { imAddressScheme: 'Directory URI' } });
    expect(s.catalogue.overrides).toEqual({ CpuPegging: { for: 600, severity: 'critical', enabled: undefined }, SystemVersionMismatched: { enabled: false, for: undefined, severity: undefined }, CertificateExpired: { for: 0, enabled: undefined, severity: undefined } });
    expect(s.alertmanagers[0]).toMatchObject({ url: 'https://am1.example.com:9093', timeoutMs: 5000, auth: { kind: 'basic', username: 'impulse', password: { ref: 'env:AM_PASSWORD' } }, trust: { mode: 'ca' } });
    expect(s.webhooks[0]).toMatchObject({ repeatIntervalMs: 3_600_000, auth: { kind: 'bearer', token: { ref: 'file:/run/secrets/hook' } } });
    // `impulse config check` resolves these secrets too.
    expect(secretSites(loaded.config).map((x) => x.path.join('.'))).toEqual(['clusters.0.credentials.axl.password', 'alerting.alertmanagers.0.basicAuth.password', 'alerting.webhooks.0.bearerToken']);
  });

  it('reports literal secrets, two kinds of credentials, conflicting TLS modes, a missing CA file and bad values, with lines', () => {
    const found = issues(`  alertmanagers:
    - url: https://am1:9093
      basicAuth: { username: u, password: hunter2 }
      bearerToken: env:TOKEN
      tls: { caBundle: missing.pem, insecure: true }
  webhooks:
    - url: ftp://nope
  evaluation: prometheus
  imAddressScheme: userid
  rules:
    cpu-pegging: { for: 1m }
`);
    const by = (field: string) => found.find((i) => i.field === field);
    expect(by('alerting.alertmanagers[0].basicAuth.password')).toMatchObject({ line: 10, message: expect.stringMatching(/literal password is not allowed/) });
    expect(by('alerting.alertmanagers[0]')?.message).toBe('choose one of basicAuth or bearerToken');
    expect(by('alerting.alertmanagers[0].tls')?.message).toMatch(/conflicting TLS modes/);
    expect(by('alerting.alertmanagers[0].tls.caBundle')?.message).toMatch(/missing\.pem does not exist/);
    expect(by('alerting.webhooks[0].url')?.message).toMatch(/http:\/\/ or https:\/\/ URL/);
    expect(by('alerting.prometheus')?.message).toMatch(/required with evaluation: prometheus/);
    expect(by('alerting.imAddressScheme')?.message).toMatch(/expected one of "UserID@Default_Domain", "Directory URI"/);
    expect(by('alerting.rules.cpu-pegging')?.message).toMatch(/'cpu-pegging' is not an alert name/);
  });

  it('names an unknown rule with the closest real one (impulse config check)', () => {
    const loaded = load(`  rules:\n    CpuPeging: { enabled: false }\n`);
    expect(checkAlertingConfig(loaded)).toEqual([{ file: 'site.yaml', line: 9, column: 16, field: 'alerting.rules.CpuPeging', message: expect.stringMatching(/no alert rule is named 'CpuPeging'; did you mean 'CpuPegging'\?/) }]);
  });

  it('defaults the runbook base URL to the dashboard address', () => {
    expect(defaultExternalUrl('127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(defaultExternalUrl('[::1]:8080')).toBe('http://[::1]:8080');
    expect(defaultExternalUrl('0.0.0.0:3000')).toMatch(/^http:\/\/[^0][^:]*:3000$/);
  });
});

describe('maintenance window requests', () => {
  const now = Date.parse('2025-06-01T10:00:00Z');

  it('reads the form in the browser time zone, start empty = now, end from a duration', () => {
    // UTC+2: getTimezoneOffset() is -120.
    expect(parseLocalDateTime('2025-06-01T14:30', -120)).toBe(Date.parse('2025-06-01T12:30:00Z'));
    expect(parseLocalDateTime('2025-02-30T10:00', 0)).toBeUndefined();
    expect(parseWindowForm({ cluster: 'imp01', node: '', alertname: '', start: '', end: '', duration: '2h', reason: 'upgrade', tzOffset: '-120' }, now)).toEqual({
      ok: true,
      input: { cluster: 'imp01', node: undefined, alertname: undefined, startsAt: now, endsAt: now + 7_200_000, reason: 'upgrade' },
    });
    expect(parseWindowForm({ cluster: 'imp01', start: '2025-06-01T13:00', end: '2025-06-01T15:00', reason: 'x', tzOffset: '-120', node: 'imp01-pub' }, now)).toMatchObject({
      ok: true,
      input: { node: 'imp01-pub', startsAt: Date.parse('2025-06-01T11:00:00Z'), endsAt: Date.parse('2025-06-01T13:00:00Z') },
    });
    expect(parseWindowForm({ cluster: '', start: 'soon', duration: '', end: '', reason: '' }, now)).toEqual({ ok: false, errors: ["the start 'soon' is not a date and time", 'choose an end or a duration', 'choose a cluster'] });
  });

  it('reads the API body: ISO times or a duration, unknown fields refused', () => {
    expect(parseWindowRequest({ cluster: 'imp01', duration: '90m', reason: 'reboot' }, now)).toMatchObject({ ok: true, input: { startsAt: now, endsAt: now + 90 * 60_000 } });
    expect(parseWindowRequest({ cluster: 'imp01', startsAt: '2025-06-01T12:00:00Z', endsAt: '2025-06-01T13:00:00Z', reason: 'r' }, now)).toMatchObject({ ok: true, input: { startsAt: Date.parse('2025-06-01T12:00:00Z') } });
    expect(parseWindowRequest({ cluster: 'imp01', reason: 'r' }, now)).toEqual({ ok: false, errors: ['endsAt or duration is required'] });
    expect(parseWindowRequest({ cluster: 'imp01', reason: 'r', duration: '2h', colour: 'red' }, now).ok).toBe(false);
    expect(parseWindowRequest({ cluster: 'imp01', reason: 'r', endsAt: 'tomorrow' }, now)).toEqual({ ok: false, errors: ["endsAt: 'tomorrow' is not an ISO 8601 date and time"] });
  });
});

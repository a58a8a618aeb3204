// `impulse lab`: runs the simulated CUCM + IM&P deployment (real protocols, fault injection)
// until SIGINT/SIGTERM; `impulse lab fault …` injects, lists and clears faults in a running lab
// through its control API.
import { readFileSync, writeFileSync } from 'node:fs';
import { FAULT_KINDS, KINDS } from '../../lab/faults/kinds';
import type { LabHandle } from '../../lab/index';
import { parseManifest } from '../../lab/manifest';
import { parse, wantsHelp } from '../args';
import { UsageError, type CliCommand } from '../command';

const DEFAULT_CONTROL = 'http://127.0.0.1:9460';

const help = `Usage: impulse lab --clusters N --nodes M [options]
       impulse lab fault <kind> <node|cluster> [--param key=value]… [--manifest file | --control URL]
       impulse lab fault clear [id] [--manifest file | --control URL]
       impulse lab fault list [--manifest file | --control URL]

Runs a simulated deployment: N CUCM clusters (one publisher each) and N IM&P clusters of M nodes
(1–6) in presence redundancy groups, on loopback addresses <address-base>.<cluster>.x, speaking
PerfMon/Control Center/AXL SOAP over HTTPS, the admin CLI over SSH and TLS on the XMPP/SIP ports.
Runs until interrupted (Ctrl-C).

  --clusters N          clusters (1–30)
  --nodes M             IM&P nodes per cluster (1–6)
  --seed S              everything generated derives from the seed (default 1)
  --users N             end users per cluster (default 75000)
  --scenario file       YAML scenario: settings and timed faults (see lab/scenarios/)
  --manifest file       write the lab manifest (JSON: addresses, ports, credentials, trust files)
  --write-config file   write an IMPulse configuration (YAML) that monitors this lab
  --address-base 127.N  loopback range (default 127.10)
  --ssh-port P          SSH admin CLI port (default 22 as root, else 2222)
  --https-port P        HTTPS port (default 8443)
  --control-port P      control API port on 127.0.0.1 (default 9460; 0 = any free port)
  --time-scale X        simulated time runs X times faster (HA delays, scenarios; default 1)
  --perfmon-rate N      PerfMon requests per minute per node (default 50)
  --version R           release the clusters run, deciding the CLI layouts: 9.1, 10.5, 11.5, 12.5,
                        14 or 15 (default), or a build such as 10.5.2.15900-8; per cluster:
                        imp01=10.5,cucm01=12.5
  --cli-line-end E      admin CLI line ends: crlf (default, as VOS prints), cr-crlf, lf
  --cli-tabs            admin CLI output with tab-aligned columns
  --perfmon-max-sessions N  open PerfMon sessions a node holds at most (default 20)
  --dir D               where the CA bundle, known_hosts and manifest.json go (default: a temp dir)

Run \`impulse lab fault --help\` for the fault kinds.
`;

const faultHelp = `Usage: impulse lab fault <kind> <node|cluster> [--param key=value]… [--manifest file | --control URL]
       impulse lab fault clear [id]     clear one fault, or all of them
       impulse lab fault list           list active faults

Injects a fault into a running lab and prints its id. A cluster target applies a node fault to
every node of the cluster. The lab is found through --control URL, else the controlUrl of
--manifest file, else ${DEFAULT_CONTROL}.

Kinds:
${FAULT_KINDS.map((k) => `  ${k.padEnd(22)}${KINDS[k].summary}`).join('\n')}

Examples:
  impulse lab fault critical-service-down imp01-pub --param service="Cisco XCP Router"
  impulse lab fault cert-expiring imp02 --param unit=tomcat --param days=5
  impulse lab fault duplicate-users imp02 --param count=20 --param field=directoryuri
  impulse lab fault clear f3
`;

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name} expects an integer from ${min} to ${max}, got '${v}'`);
  return Number(v);
}

export const command: CliCommand = {
  name: 'lab',
  summary: 'Run the simulated CUCM/IM&P lab; inject faults (impulse lab fault …)',
  help,
  async run(argv) {
    if (argv[0] === 'fault') {
      try {
        return await fault(argv.slice(1));
      } catch (err) {
        if (!(err instanceof ControlError)) throw err;
        process.stderr.write(`impulse lab fault: ${err.message}\n`);
        return 1;
      }
    }
    if (wantsHelp(argv)) {
      process.stdout.write(help);
      return 0;
    }
    return runLab(argv);
  },
};

async function runLab(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      clusters: { type: 'string' },
      nodes: { type: 'string' },
      seed: { type: 'string' },
      users: { type: 'string' },
      scenario: { type: 'string' },
      manifest: { type: 'string' },
      'write-config': { type: 'string' },
      'address-base': { type: 'string' },
      'ssh-port': { type: 'string' },
      'https-port': { type: 'string' },
      'control-port': { type: 'string' },
      'time-scale': { type: 'string' },
      'perfmon-rate': { type: 'string' },
      'perfmon-max-sessions': { type: 'string' },
      dir: { type: 'string' },
      version: { type: 'string' },
      'cli-line-end': { type: 'string' },
      'cli-tabs': { type: 'boolean' },
    },
    false,
  );
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const clusters = int('clusters', values.clusters, 1, 30);
  const nodes = int('nodes', values.nodes, 1, 6);
  if (clusters === undefined || nodes === undefined) throw new UsageError('--clusters and --nodes are required (e.g. impulse lab --clusters 2 --nodes 2)');
  const timeScale = values['time-scale'] === undefined ? undefined : Number(values['time-scale']);
  if (timeScale !== undefined && !(timeScale > 0 && timeScale <= 100_000)) throw new UsageError(`--time-scale expects a number above 0 (at most 100000), got '${values['time-scale']}'`);
  const base = values['address-base'];
  if (base !== undefined && !/^127\.\d{1,3}$/.test(base)) throw new UsageError(`--address-base expects 127.N, got '${base}'`);

  const lineEnd = values['cli-line-end'];
  if (lineEnd !== undefined && !['crlf', 'cr-crlf', 'lf'].includes(lineEnd)) throw new UsageError(`--cli-line-end expects crlf, cr-crlf or lf, got '${lineEnd}'`);
  const versionArg = values.version;
  const version =
    versionArg === undefined || !versionArg.includes('=')
      ? versionArg
      : Object.fromEntries(
          versionArg.split(',').map((kv) => {
            const [k, v] = kv.split('=');
            if (!k || !v) throw new UsageError(`--version expects a release or cluster=release pairs, got '${versionArg}'`);
            return [k.trim(), v.trim()];
          }),
        );

  const t0 = performance.now();
  // Loaded here so `impulse lab fault …` does not load every protocol front-end.
  const { startLab } = await import('../../lab/index');
  let handle: LabHandle;
  try {
    handle = await startLab({
      clusters,
      nodes,
      seed: int('seed', values.seed, 0, 2 ** 31 - 1),
      usersPerCluster: int('users', values.users, 0, 1_000_000),
      scenario: values.scenario,
      addressBase: base,
      sshPort: int('ssh-port', values['ssh-port'], 1, 65535),
      httpsPort: int('https-port', values['https-port'], 1, 65535),
      controlPort: int('control-port', values['control-port'], 0, 65535),
      timeScale,
      perfmonRateLimit: int('perfmon-rate', values['perfmon-rate'], 0, 10_000),
      perfmonMaxSessions: int('perfmon-max-sessions', values['perfmon-max-sessions'], 1, 10_000),
      dir: values.dir,
      version,
      cli: { lineEnd: lineEnd as 'crlf' | 'cr-crlf' | 'lf' | undefined, tabs: values['cli-tabs'] === true },
      log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
    });
  } catch (err) {
    process.stderr.write(`impulse lab: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const m = handle.manifest;
  if (values.manifest) writeJson(values.manifest, m);
  if (values['write-config']) handle.writeConfig(values['write-config']);

  const out: string[] = [];
  const shown = m.clusters.slice(0, 8);
  const width = Math.max(...shown.map((c) => c.name.length));
  for (const c of shown) {
    const members = m.nodes.filter((n) => n.cluster === c.name).map((n) => `${n.name} ${n.host}`);
    out.push(`  ${c.name.padEnd(width)}  ${c.product === 'imp' ? 'IM&P' : 'CUCM'}  ${c.version}  ${members.join(', ')}`);
  }
  if (m.clusters.length > shown.length) out.push(`  … and ${m.clusters.length - shown.length} more clusters (see the manifest)`);
  const first = m.nodes[0];
  process.stdout.write(
    `IMPulse lab: ${m.clusters.length} clusters, ${m.nodes.length} nodes, seed ${m.seed}\n${out.join('\n')}\n` +
      `Ports: HTTPS ${first.ports.https}, SSH ${first.ports.ssh}; credentials and trust files in ${handle.dir}/manifest.json\n` +
      (values['write-config'] ? `Configuration: ${values['write-config']}\n` : '') +
      `Control API: ${handle.controlUrl}\n` +
      `Lab ready in ${((performance.now() - t0) / 1000).toFixed(1)} s. Press Ctrl-C to stop.\n`,
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`\n${sig}: stopping the lab…\n`);
      handle.stop().then(
        () => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          process.stdout.write('Lab stopped.\n');
          resolve(0);
        },
        (err: unknown) => {
          process.stderr.write(`impulse lab: stop failed: ${err instanceof Error ? err.message : String(err)}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function writeJson(file: string, data: unknown): void {
  // The manifest holds the lab credentials: owner-only.
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
}

// --- impulse lab fault ------------------------------------------------------------------------

async function fault(argv: string[]): Promise<number> {
  if (argv.length === 0 || wantsHelp(argv)) {
    process.stdout.write(faultHelp);
    return argv.length === 0 ? 2 : 0;
  }
  const { values, positionals } = parse(argv, {
    param: { type: 'string', multiple: true },
    manifest: { type: 'string' },
    control: { type: 'string' },
  });
  const control = controlUrl(values.manifest, values.control);
  const [sub, ...rest] = positionals;
  if (sub === 'list') {
    if (rest.length) throw new UsageError(`fault list takes no arguments, got '${rest[0]}'`);
    const body = (await call(control, 'GET', '/v1/faults')) as { faults: { id: string; kind: string; target: string; params: Record<string, unknown>; appliedAt: string; detail: string }[] };
    if (!body.faults.length) {
      process.stdout.write('no active faults\n');
      return 0;
    }
    const rows = [['ID', 'KIND', 'TARGET', 'PARAMS', 'APPLIED (simulated)', 'DETAIL'], ...body.faults.map((f) => [f.id, f.kind, f.target, Object.entries(f.params).map(([k, v]) => `${k}=${String(v)}`).join(' ') || '-', f.appliedAt, f.detail || '-'])];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    process.stdout.write(rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n');
    return 0;
  }
  if (sub === 'clear') {
    if (rest.length > 1) throw new UsageError('fault clear takes at most one fault id');
    if (rest[0]) {
      await call(control, 'DELETE', `/v1/faults/${encodeURIComponent(rest[0])}`);
      process.stdout.write(`cleared ${rest[0]}\n`);
    } else {
      const body = (await call(control, 'DELETE', '/v1/faults')) as { cleared: number };
      process.stdout.write(`cleared ${body.cleared} fault${body.cleared === 1 ? '' : 's'}\n`);
    }
    return 0;
  }
  if (!FAULT_KINDS.includes(sub as never)) throw new UsageError(`unknown fault kind '${sub}' (kinds: ${FAULT_KINDS.join(', ')}; or list, clear)`);
  if (rest.length !== 1) throw new UsageError(`fault ${sub} needs exactly one target (a node or cluster name)`);
  const params: Record<string, string> = {};
  for (const p of values.param ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param expects key=value, got '${p}'`);
    params[p.slice(0, eq)] = p.slice(eq + 1);
  }
  const body = (await call(control, 'POST', '/v1/faults', { kind: sub, target: rest[0], params })) as { id: string; detail?: string };
  process.stdout.write(`${body.id}\n`);
  if (body.detail) process.stderr.write(`${body.id}: ${sub} on ${rest[0]}: ${body.detail}\n`);
  return 0;
}

function controlUrl(manifest: string | undefined, control: string | undefined): string {
  if (manifest && control) throw new UsageError('give --manifest or --control, not both');
  if (control) {
    if (!/^https?:\/\/[^/]+/.test(control)) throw new UsageError(`--control expects a URL such as ${DEFAULT_CONTROL}, got '${control}'`);
    return control.replace(/\/+$/, '');
  }
  if (manifest) {
    let text: string;
    try {
      text = readFileSync(manifest, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --manifest ${manifest}: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      return parseManifest(text, manifest).controlUrl.replace(/\/+$/, '');
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
  }
  return DEFAULT_CONTROL;
}

class ControlError extends Error {}

async function call(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(base + path, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
    throw new ControlError(`no lab answers at ${base} (${cause}); start one with \`impulse lab\` or pass --manifest/--control`);
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    throw new ControlError(`${base}${path}: HTTP ${res.status} with a non-JSON body (is this an IMPulse lab control API?)`);
  }
  if (!res.ok) throw new ControlError(`${(data as { error?: string }).error ?? `HTTP ${res.status}`}`);
  return data;
}

// startLab: builds the simulated deployment, starts every node's protocol front-ends (HTTPS,
// SSH, TLS) and the control API, writes the CA bundle, known_hosts and manifest into `dir`,
// and plays a scenario if given. stop() closes everything it opened.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startControlApi, type ControlApi } from './faults/control-api';
import { FaultManager } from './faults/manager';
import { checkScenario, loadScenario, runScenario, type Scenario, type ScenarioRun } from './faults/scenario';
import { startHttpsFrontEnd } from './https/server';
import { buildManifest, type LabManifest } from './manifest';
import type { FrontEnd, StartFrontEnd } from './model';
import { startSshFrontEnd } from './ssh/server';
import { buildDeployment, type DeploymentOptions, type LabState, type StateNode } from './state/deployment';
import { knownHostsLine } from './state/host-keys';
import { startTlsFrontEnd } from './tls/listeners';
import { writeLabConfig } from './write-config';

export type { LabManifest } from './manifest';

/**
 * The deployment's options (clusters, nodes, seed, users, addresses, ports, time scale, PerfMon
 * limits; see DeploymentOptions) plus what only a running lab has. Defaults: 75,000 users per
 * cluster, address base "127.10", SSH 22 as root else 2222, HTTPS 8443, time scale 1, 50 PerfMon
 * requests per minute per node.
 */
export interface LabOptions extends Omit<DeploymentOptions, 'settings' | 'clock'> {
  /** 0 = ephemeral; default 9460. */
  controlPort?: number;
  /** Scenario file (YAML); its settings become the deployment's settings. */
  scenario?: string;
  /** Where the CA bundle, known_hosts and manifest are written (default: a new temp dir). */
  dir?: string;
  /** Scenario and lifecycle log lines (default: none). */
  log?: (line: string) => void;
}

export interface LabHandle {
  deployment: LabState;
  manifest: LabManifest;
  controlUrl: string;
  faults: FaultManager;
  dir: string;
  writeConfig(file: string): void;
  stop(): Promise<void>;
}

const FRONT_ENDS: [string, StartFrontEnd][] = [
  ['HTTPS', startHttpsFrontEnd],
  ['SSH', startSshFrontEnd],
  ['TLS', startTlsFrontEnd],
];
/** Nodes started at once: enough to finish 210 nodes quickly without a burst of 600 binds. */
const BATCH = 24;

export async function startLab(opts: LabOptions): Promise<LabHandle> {
  const log = opts.log ?? (() => {});
  const scenario: Scenario | undefined = opts.scenario ? loadScenario(opts.scenario) : undefined;
  const { controlPort, scenario: _file, dir: _dir, log: _log, ...deploymentOptions } = opts;
  const lab = await buildDeployment({ ...deploymentOptions, settings: scenario?.settings });
  if (scenario) checkScenario(scenario, lab);

  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'impulse-lab-'));
  mkdirSync(dir, { recursive: true });
  const caFile = path.resolve(dir, 'lab-ca.pem');
  const knownHostsFile = path.resolve(dir, 'known_hosts');
  const manifestFile = path.resolve(dir, 'manifest.json');
  writeFileSync(caFile, trustBundle(lab));
  writeFileSync(knownHostsFile, knownHosts(lab));

  const faults = new FaultManager(lab);
  let manifest: LabManifest | undefined;
  const started: FrontEnd[] = [];
  let api: ControlApi | undefined;
  let run: ScenarioRun | undefined;
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    run?.stop();
    const closing = started.splice(0).map((fe) => fe.close().catch(() => undefined));
    await Promise.all([...closing, api?.close()]);
  };

  try {
    api = await startControlApi({ lab, faults, manifest: () => manifest, port: controlPort ?? 9460 });
    for (let k = 0; k < lab.nodes.length; k += BATCH) {
      const batch = lab.nodes.slice(k, k + BATCH);
      const results = await Promise.allSettled(batch.flatMap((node) => FRONT_ENDS.map(([, start]) => start(node, lab))));
      for (const r of results) if (r.status === 'fulfilled') started.push(r.value);
      const failed = results.findIndex((r) => r.status === 'rejected');
      if (failed >= 0) {
        const node: StateNode = batch[Math.floor(failed / FRONT_ENDS.length)];
        const which = FRONT_ENDS[failed % FRONT_ENDS.length][0];
        const reason = (results[failed] as PromiseRejectedResult).reason;
        throw new Error(`lab: the ${which} front-end of ${node.name} (${node.host}) did not start: ${reason instanceof Error ? reason.message : String(reason)}`);
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }

  manifest = buildManifest(lab, { controlUrl: api.url, caFile, knownHostsFile });
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  if (scenario) {
    log(`scenario ${scenario.name}: ${scenario.steps.length} step(s)`);
    run = runScenario(scenario, lab, faults, log);
  }
  const m = manifest;
  return {
    deployment: lab,
    manifest: m,
    controlUrl: api.url,
    faults,
    dir,
    writeConfig: (file: string) => writeLabConfig(file, m, { perfmonRateLimit: opts.perfmonRateLimit }),
    stop,
  };
}

/**
 * The lab CA plus every self-signed certificate that has a listener (cup, cup-xmpp-s2s): what
 * an administrator would assemble from the nodes' -trust stores, so a verifying TLS probe
 * trusts every port of a healthy lab. Certificates replaced by faults are not in it.
 */
function trustBundle(lab: LabState): string {
  const parts = [lab.ca.pem];
  for (const n of lab.nodes) for (const c of n.certificates) if (c.port && !c.signedBy && c.port !== 'tomcat') parts.push(c.pem);
  return parts.join('');
}

function knownHosts(lab: LabState): string {
  return lab.nodes
    .map((n) => {
      const pattern = [n.host, n.name, n.fqdn].map((h) => (n.ports.ssh === 22 ? h : `[${h}]:${n.ports.ssh}`)).join(',');
      return knownHostsLine(pattern, 22, n.sshHostKey.publicLine);
    })
    .join('\n')
    .concat('\n');
}

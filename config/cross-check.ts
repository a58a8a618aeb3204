// Cross-field rules of impulse.config.yaml: duplicates, dangling references, secrets, TLS modes.
// They read the input defensively (it may not have passed the shape check yet), so one round of
// `impulse config check` reports these together with type errors. Each rule only looks at values
// of the right type; shape errors are the schema's to report.
import { checkAuthConfig } from './auth-check';
import { isSecretReference } from './secret-ref';

export interface CrossIssue {
  path: (string | number)[];
  message: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const MAX_NODES = 6; // reference/topology.md §1.1: "up to six nodes" per cluster

export function crossCheckConfig(input: unknown): CrossIssue[] {
  const issues: CrossIssue[] = [];
  if (!isObj(input)) return issues;
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });
  const clusters = list(input.clusters);

  // Cluster names and products, for references between clusters.
  const byName = new Map<string, { index: number; product: unknown }>();
  clusters.forEach((c, i) => {
    const name = isObj(c) ? str(c.name) : undefined;
    if (name === undefined) return;
    const prev = byName.get(name);
    if (prev) add(['clusters', i, 'name'], `duplicate cluster name '${name}' (also clusters[${prev.index}])`);
    else byName.set(name, { index: i, product: (c as Obj).product });
  });

  // host + HTTPS port identifies a node across the whole configuration.
  const endpoints = new Map<string, string>();

  clusters.forEach((c, i) => {
    if (!isObj(c)) return;
    const at = (...p: (string | number)[]) => ['clusters', i, ...p];
    const name = str(c.name) ?? `clusters[${i}]`;
    const product = c.product;
    const publisher = str(c.publisher);

    const nodeNames = new Set<string>();
    if (Array.isArray(c.nodes)) {
      if (c.nodes.length > MAX_NODES) add(at('nodes'), `a cluster has at most ${MAX_NODES} nodes, this one lists ${c.nodes.length}`);
      c.nodes.forEach((n, j) => {
        if (!isObj(n)) return;
        const nodeName = str(n.name);
        if (nodeName === undefined) return;
        if (nodeNames.has(nodeName)) add(at('nodes', j, 'name'), `duplicate node name '${nodeName}' in cluster '${name}'`);
        nodeNames.add(nodeName);
        if (publisher !== undefined) {
          if (n.role === 'subscriber' && nodeName === publisher) add(at('nodes', j, 'role'), `'${nodeName}' is this cluster's publisher; its role is 'publisher'`);
          if (n.role === 'publisher' && nodeName !== publisher) add(at('nodes', j, 'role'), `only the publisher ('${publisher}') has role 'publisher'; use 'subscriber' or change 'publisher'`);
        }
        const host = str(n.host) ?? nodeName;
        const port = isObj(n.ports) && typeof n.ports.https === 'number' ? n.ports.https : 8443;
        const key = `${host.toLowerCase()}:${port}`;
        const where = `${name}/${nodeName}`;
        const other = endpoints.get(key);
        if (other) add(at('nodes', j, n.host !== undefined ? 'host' : 'name'), `address ${host}:${port} is also used by node ${other}`);
        else endpoints.set(key, where);
      });
      if (publisher !== undefined && nodeNames.size > 0 && !nodeNames.has(publisher)) {
        add(at('publisher'), `publisher '${publisher}' is not one of this cluster's nodes (${[...nodeNames].join(', ')})`);
      }
    }

    if (product === 'cucm') {
      for (const key of ['cucmCluster', 'presenceRedundancyGroups', 'peers'] as const) {
        if (c[key] !== undefined) add(at(key), `'${key}' applies to IM&P clusters (product: imp) only`);
      }
    }

    // Presence redundancy groups: names unique, every node known and in one group only
    // (reference/topology.md §1.1: "A node can be assigned to only one PRG").
    const groupNames = new Map<string, number>();
    const groupOf = new Map<string, string>();
    list(c.presenceRedundancyGroups).forEach((g, j) => {
      if (!isObj(g)) return;
      const gName = str(g.name);
      if (gName !== undefined) {
        if (groupNames.has(gName)) add(at('presenceRedundancyGroups', j, 'name'), `duplicate presence redundancy group name '${gName}' (also presenceRedundancyGroups[${groupNames.get(gName)}])`);
        else groupNames.set(gName, j);
      }
      list(g.nodes).forEach((n, k) => {
        if (typeof n !== 'string') return;
        const path = at('presenceRedundancyGroups', j, 'nodes', k);
        if (Array.isArray(c.nodes) && !nodeNames.has(n)) {
          add(path, `node '${n}' is not one of this cluster's nodes (${[...nodeNames].join(', ') || 'none listed'})`);
          return;
        }
        const other = groupOf.get(n);
        if (other !== undefined) add(path, `node '${n}' is already in group '${other}'; a node belongs to one presence redundancy group only`);
        else groupOf.set(n, gName ?? `presenceRedundancyGroups[${j}]`);
      });
    });

    if (c.cucmCluster !== undefined && typeof c.cucmCluster === 'string') {
      const target = byName.get(c.cucmCluster);
      if (!target) add(at('cucmCluster'), `'${c.cucmCluster}' is not a cluster of this configuration; expected the name of a cluster with product: cucm`);
      else if (target.product !== 'cucm') add(at('cucmCluster'), `'${c.cucmCluster}' is an IM&P cluster; expected the name of a cluster with product: cucm`);
    }

    const seenPeers = new Set<string>();
    list(c.peers).forEach((p, k) => {
      if (typeof p !== 'string') return;
      const target = byName.get(p);
      if (p === c.name) add(at('peers', k), `a cluster cannot peer with itself; expected another IM&P cluster`);
      else if (!target) add(at('peers', k), `'${p}' is not a cluster of this configuration; expected another IM&P cluster`);
      else if (target.product !== 'imp') add(at('peers', k), `'${p}' is a CUCM cluster; intercluster peers are IM&P clusters`);
      else if (seenPeers.has(p)) add(at('peers', k), `peer '${p}' is listed twice`);
      seenPeers.add(p);
    });

    const creds = isObj(c.credentials) ? c.credentials : undefined;
    if (c.credentials === undefined) {
      add(at('credentials'), 'required: credentials.axl (the application user for AXL, PerfMon and Control Center) and, for CLI checks, credentials.os');
    } else if (creds && creds.axl === undefined) {
      add(at('credentials', 'axl'), 'required: the application user for AXL, PerfMon and Control Center (username, password)');
    }
    for (const kind of ['axl', 'os'] as const) {
      const cred = creds && isObj(creds[kind]) ? (creds[kind] as Obj) : undefined;
      const password = cred ? str(cred.password) : undefined;
      if (password !== undefined && password !== '' && !isSecretReference(password) && c.allowInlineSecrets !== true) {
        add(at('credentials', kind, 'password'), literalMessage('password', true));
      }
    }

    const tls = isObj(c.tls) ? c.tls : undefined;
    if (tls) {
      const modes = [tls.caBundle !== undefined && 'caBundle', tls.fingerprints !== undefined && 'fingerprints', tls.insecure === true && 'insecure: true'].filter(Boolean);
      if (modes.length > 1) add(at('tls'), `conflicting TLS modes (${modes.join(', ')}): choose one of caBundle, fingerprints or insecure: true`);
    }

    // Host keys are pinned; without a known_hosts file no SSH connection can be verified.
    const ssh = isObj(c.ssh) ? c.ssh : undefined;
    if (creds && isObj(creds.os) && (ssh === undefined || ssh.knownHosts === undefined)) {
      add(ssh ? at('ssh') : at('credentials', 'os'), ssh
        ? 'ssh.knownHosts is required when credentials.os is set: SSH host keys are verified against it (add trustOnFirstUse: true to record unknown keys there)'
        : 'credentials.os needs ssh.knownHosts on this cluster: SSH host keys are verified against a known_hosts file (add ssh.trustOnFirstUse: true to record unknown keys there)');
    }
  });

  const ldapNames = new Map<string, number>();
  list(input.ldap).forEach((l, i) => {
    if (!isObj(l)) return;
    const name = str(l.name);
    if (name !== undefined) {
      if (ldapNames.has(name)) add(['ldap', i, 'name'], `duplicate LDAP directory name '${name}' (also ldap[${ldapNames.get(name)}])`);
      else ldapNames.set(name, i);
    }
    const password = str(l.password);
    if (password !== undefined && password !== '' && !isSecretReference(password) && l.allowInlineSecrets !== true) {
      add(['ldap', i, 'password'], literalMessage('password', false));
    }
    const tls = isObj(l.tls) ? l.tls : undefined;
    if (tls) {
      const modes = [tls.caBundle !== undefined, tls.fingerprints !== undefined, tls.insecure === true].filter(Boolean).length;
      if (modes > 1) add(['ldap', i, 'tls'], 'conflicting TLS modes: choose one of caBundle, fingerprints or insecure: true');
    }
  });

  if (isObj(input.thresholds)) {
    const { certificateWarningDays: warn, certificateCriticalDays: crit } = input.thresholds;
    if (typeof warn === 'number' && typeof crit === 'number' && crit >= warn) {
      add(['thresholds', 'certificateCriticalDays'], `must be less than certificateWarningDays (${warn}), got ${crit}`);
    }
  }

  if (isObj(input.server)) {
    const token = str(input.server.metricsToken);
    if (token !== undefined && token !== '' && !isSecretReference(token)) {
      add(['server', 'metricsToken'], 'a literal token is not allowed: use env:NAME or file:/path');
    }
    const listen = str(input.server.listen);
    if (listen !== undefined && !isListenAddress(listen)) {
      add(['server', 'listen'], `expected host:port such as 127.0.0.1:3000 or 0.0.0.0:3000, got ${JSON.stringify(listen)}`);
    }
  }
  checkPrometheus(input.prometheus, add);
  crossCheckAlerting(input.alerting, isObj(input.prometheus), add);
  issues.push(...checkAuthConfig(input)); // auth block and server.tls (security)
  return issues;
}

/** prometheus: a token only by reference, no credentials in the URL (they would be logged), TLS only for https. */
function checkPrometheus(p: unknown, add: (path: (string | number)[], message: string) => void): void {
  if (!isObj(p)) return;
  const token = str(p.bearerToken);
  if (token !== undefined && token !== '' && !isSecretReference(token)) {
    add(['prometheus', 'bearerToken'], 'a literal token is not allowed: use env:NAME or file:/path');
  }
  const url = str(p.url);
  let parsed: URL | undefined;
  try {
    parsed = url !== undefined ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed && (parsed.username || parsed.password)) {
    add(['prometheus', 'url'], 'credentials in the URL are not allowed (they would show in logs): put the token in bearerToken as env:NAME or file:/path');
  }
  const tls = isObj(p.tls) ? p.tls : undefined;
  if (tls) {
    const modes = [tls.caBundle !== undefined, tls.fingerprints !== undefined, tls.insecure === true].filter(Boolean).length;
    if (modes > 1) add(['prometheus', 'tls'], 'conflicting TLS modes: choose one of caBundle, fingerprints or insecure: true');
    if (parsed && parsed.protocol === 'http:') add(['prometheus', 'tls'], 'tls applies to an https:// URL; this one is http://');
  }
}

/** alerting: secrets are references, one TLS mode and one kind of credentials per endpoint, a Prometheus to read from. */
function crossCheckAlerting(alerting: unknown, topLevelPrometheus: boolean, add: (path: (string | number)[], message: string) => void): void {
  if (!isObj(alerting)) return;
  const endpoint = (e: unknown, at: (string | number)[]) => {
    if (!isObj(e)) return;
    const basic = isObj(e.basicAuth) ? e.basicAuth : undefined;
    const password = basic ? str(basic.password) : undefined;
    if (password !== undefined && password !== '' && !isSecretReference(password)) add([...at, 'basicAuth', 'password'], 'a literal password is not allowed: use env:NAME or file:/path');
    const token = str(e.bearerToken);
    if (token !== undefined && token !== '' && !isSecretReference(token)) add([...at, 'bearerToken'], 'a literal token is not allowed: use env:NAME or file:/path');
    if (basic && e.bearerToken !== undefined) add(at, 'choose one of basicAuth or bearerToken');
    const tls = isObj(e.tls) ? e.tls : undefined;
    if (tls && [tls.caBundle !== undefined, tls.fingerprints !== undefined, tls.insecure === true].filter(Boolean).length > 1) {
      add([...at, 'tls'], 'conflicting TLS modes: choose one of caBundle, fingerprints or insecure: true');
    }
  };
  list(alerting.alertmanagers).forEach((e, i) => endpoint(e, ['alerting', 'alertmanagers', i]));
  list(alerting.webhooks).forEach((e, i) => endpoint(e, ['alerting', 'webhooks', i]));
  endpoint(alerting.prometheus, ['alerting', 'prometheus']);
  if (alerting.evaluation === 'prometheus' && !isObj(alerting.prometheus) && !topLevelPrometheus) {
    add(['alerting', 'prometheus'], "required with evaluation: prometheus (or a top-level prometheus: block): the url of the Prometheus that evaluates IMPulse's rules, whose alerts the dashboard shows");
  }
}

function literalMessage(what: string, perCluster: boolean): string {
  return `a literal ${what} is not allowed: use env:NAME or file:/path${perCluster ? ' (or set allowInlineSecrets: true on this cluster, for labs only)' : ' (or set allowInlineSecrets: true on this directory, for labs only)'}`;
}

export function isListenAddress(text: string): boolean {
  const m = /^(?:\[([0-9A-Fa-f:]+)\]|([A-Za-z0-9.-]*)):(\d{1,5})$/.exec(text);
  return m !== null && Number(m[3]) <= 65535;
}

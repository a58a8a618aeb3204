// Shared set-up for the client integration tests: a lab on its own loopback range, the product
// config it writes, resolved to the inventory the collectors use, and the fault control API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLab, type LabHandle, type LabOptions } from '../../lab/index';
import { loadConfigFile } from '../../config/load';
import { resolveLoaded, type Inventory, type InventoryCluster, type InventoryNode } from '../../config/resolve';
import { createNodeClients, type NodeClients, type NodeClientsOptions } from '../../collectors/clients/node-clients';

export interface TestLab {
  lab: LabHandle;
  dir: string;
  configFile: string;
  inventory: Inventory;
  cluster(name: string): InventoryCluster;
  node(name: string): { cluster: InventoryCluster; node: InventoryNode };
  clients(name: string, opts?: NodeClientsOptions): NodeClients;
  fault(kind: string, target: string, params?: Record<string, unknown>): Promise<string>;
  clearFault(id: string): Promise<void>;
  stats(): Promise<Record<string, Record<string, number>>>;
  stop(): Promise<void>;
}

export async function startTestLab(opts: Partial<LabOptions> & { addressBase: string }): Promise<TestLab> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-clients-'));
  const lab = await startLab({ clusters: 1, nodes: 2, sshPort: 2222, httpsPort: 8443, controlPort: 0, dir, ...opts });
  const configFile = path.join(dir, 'impulse.config.yaml');
  lab.writeConfig(configFile);
  const inventory = resolveLoaded(loadConfigFile(configFile));
  const made: NodeClients[] = [];
  const find = (name: string) => {
    for (const c of inventory.clusters) {
      const n = c.nodes.find((x) => x.name === name);
      if (n) return { cluster: c, node: n };
    }
    throw new Error(`no node ${name} in the lab config`);
  };
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${lab.controlUrl}${p}`, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  return {
    lab,
    dir,
    configFile,
    inventory,
    cluster: (name) => {
      const c = inventory.clusters.find((x) => x.name === name);
      if (!c) throw new Error(`no cluster ${name}`);
      return c;
    },
    node: find,
    clients(name, o = {}) {
      const { cluster, node } = find(name);
      const nc = createNodeClients(cluster, node, { requestTimeoutMs: 5000, cliConnectTimeoutMs: 15_000, ...o });
      made.push(nc);
      return nc;
    },
    async fault(kind, target, params) {
      const r = (await api('POST', '/v1/faults', { kind, target, ...(params ? { params } : {}) })) as { id: string };
      return r.id;
    },
    async clearFault(id) {
      await api('DELETE', `/v1/faults/${id}`);
    },
    async stats() {
      return (await api('GET', '/v1/stats')) as Record<string, Record<string, number>>;
    },
    async stop() {
      await Promise.all(made.map((m) => m.close().catch(() => undefined)));
      await lab.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { failure } from '../helpers/failure';

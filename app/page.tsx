// Home: every cluster of the running configuration with its nodes, and each node's latest status
// per source while the collector runs. Server-rendered from the runtime; nothing secret is read.
import { overview, productLabel, roleLabel, type NodeRow, type SourceStatus } from './lib/overview';
import { getRuntime } from './lib/runtime';

export const dynamic = 'force-dynamic';

export default function HomePage() {
  const rt = getRuntime();
  if (!rt) {
    return (
      <section className="notice">
        <h1>No configuration loaded</h1>
        <p>
          The dashboard runs inside <code>impulse start</code>: run <code>npm start</code> (the built-in lab) or{' '}
          <code>npm start -- --config impulse.config.yaml</code>.
        </p>
      </section>
    );
  }
  const view = overview(rt);
  return (
    <>
      <section className="summary">
        <h1>Clusters</h1>
        <dl>
          <dt>Configuration</dt>
          <dd>
            <code data-testid="config-path">{view.configPath}</code>
          </dd>
          <dt>Inventory</dt>
          <dd>
            {view.clusters.length} cluster{view.clusters.length === 1 ? '' : 's'}, {view.nodeCount} node{view.nodeCount === 1 ? '' : 's'}
          </dd>
          <dt>Collector</dt>
          <dd>{view.collecting ? 'running' : 'not running (inventory only)'}</dd>
          {view.lab && (
            <>
              <dt>Lab</dt>
              <dd>
                simulated deployment, control API <code>{view.lab.controlUrl}</code>
              </dd>
            </>
          )}
        </dl>
      </section>
      {view.clusters.map((c) => (
        <section key={c.name} className="cluster" data-cluster={c.name}>
          <h2>
            {c.name} <span className={`badge ${c.product}`}>{productLabel(c.product)}</span>
          </h2>
          <p className="meta">
            {c.version && <span>Version {c.version}</span>}
            <span>Publisher {c.publisher}</span>
            {c.cucmCluster && <span>CUCM cluster {c.cucmCluster}</span>}
            {c.peers.length > 0 && <span>Intercluster peers {c.peers.join(', ')}</span>}
            <span className={c.tlsMode === 'insecure' ? 'warn' : undefined}>TLS {tlsLabel(c.tlsMode)}</span>
          </p>
          {c.discoverNodes && <p className="hint">Only the publisher is configured; the other nodes are discovered through AXL.</p>}
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Node</th>
                  <th scope="col">Address</th>
                  <th scope="col">Role</th>
                  <th scope="col">Product</th>
                  <th scope="col">Presence redundancy group</th>
                  {view.sources.map((s) => (
                    <th scope="col" key={s} className="status-col">
                      {s}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {c.nodes.map((n) => (
                  <NodeRowView key={n.name} node={n} sources={view.sources} />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}

function NodeRowView({ node, sources }: { node: NodeRow; sources: string[] }) {
  const bySource = new Map(node.statuses.map((s) => [s.source as string, s]));
  return (
    <tr data-node={node.name}>
      <th scope="row" data-field="name">
        {node.name}
      </th>
      <td data-field="host">
        <code>{node.host}</code>
      </td>
      <td data-field="role">{roleLabel(node.role)}</td>
      <td data-field="product">{productLabel(node.product)}</td>
      <td data-field="group">{node.group ?? (node.product === 'imp' ? 'none' : '—')}</td>
      {sources.map((s) => (
        <StatusCell key={s} status={bySource.get(s)} />
      ))}
    </tr>
  );
}

function StatusCell({ status }: { status: SourceStatus | undefined }) {
  if (!status) return <td className="status none">—</td>;
  const age = status.ageSeconds === null ? '' : ` ${formatAge(status.ageSeconds)} ago`;
  const text = { ok: 'ok', stale: 'stale', failing: 'failing', pending: 'pending' }[status.state];
  return (
    <td className={`status ${status.state}`} data-source={status.source} title={status.error ?? (age ? `last success${age}` : undefined)}>
      {text}
    </td>
  );
}

function tlsLabel(mode: string): string {
  return { ca: 'verified (CA bundle)', fingerprints: 'pinned fingerprints', insecure: 'NOT verified (insecure)', system: 'verified (system CAs)' }[mode] ?? mode;
}

function formatAge(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

// Cluster (/clusters/[cluster]): every node with version, role, uptime, CPU, memory, partitions,
// JSM sessions and capacity, replication and HA state, services not started, nearest certificate
// expiry and collection freshness; presence redundancy groups side by side; intercluster peers.
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { clusterModel } from '../../../collectors/views/cluster';
import { queueTrends } from '../../../collectors/views/replication';
import { duration, formatValue } from '../../../collectors/views/format';
import { HEALTH_LABEL, HEALTH_ORDER } from '../../../collectors/views/health';
import { HealthBadge, ProductBadge } from '../../components/badges';
import { DataAge } from '../../components/data-age';
import { HaPairCard } from '../../components/ha-pair';
import { LiveRefresh } from '../../components/live-refresh';
import { ProblemTable, SinceNote } from '../../components/problem-table';
import { ReadingCell } from '../../components/reading';
import { EmptyState, NoRuntime } from '../../components/states';
import { TableNav } from '../../components/table-nav';
import { fleetInput, model } from '../../lib/fleet';
import { getRuntime } from '../../lib/runtime';

export const dynamic = 'force-dynamic';

type Params = Promise<{ cluster: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).cluster) };
}

const TLS: Record<string, string> = { ca: 'verified (CA bundle)', fingerprints: 'pinned fingerprints', insecure: 'NOT verified (insecure)', system: 'verified (system CAs)' };

export default async function ClusterPage({ params }: { params: Params }) {
  const rt = getRuntime();
  if (!rt) return <NoRuntime />;
  const name = decodeURIComponent((await params).cluster);
  const trends = await queueTrends(rt.history, fleetInput(rt));
  const { input, model: m } = trends?.size ? { input: fleetInput(rt), model: clusterModel(fleetInput(rt), name, { queueTrends: trends }) } : model(rt, `cluster:${name}`, (i) => clusterModel(i, name));
  if (!m) notFound();
  const imp = m.product === 'imp';
  return (
    <>
      <div className="page-head">
        <div className="crumbs">
          <Link href="/">Overview</Link> / cluster
        </div>
        <h1>
          {m.name} <ProductBadge product={m.product} /> <HealthBadge health={m.verdict} />
        </h1>
        <p className="meta">
          {m.version && <span>Version {m.version}</span>}
          <span>Publisher {m.publisher}</span>
          {m.cucmCluster && (
            <span>
              CUCM cluster <Link href={`/clusters/${encodeURIComponent(m.cucmCluster)}`}>{m.cucmCluster}</Link>
            </span>
          )}
          <span className={m.tlsMode === 'insecure' ? 'warn' : undefined}>TLS {TLS[m.tlsMode] ?? m.tlsMode}</span>
          <span>
            {HEALTH_ORDER.filter((h) => m.counts[h] > 0)
              .map((h) => `${m.counts[h]} ${HEALTH_LABEL[h].toLowerCase()}`)
              .join(' · ')}
          </span>
        </p>
        {m.discoverNodes && <p className="hint">Only the publisher is configured; the other nodes are discovered through AXL.</p>}
        <DataAge freshness={m.freshness} collecting={input.collecting} />
      </div>

      {m.problems.length > 0 && (
        <section aria-labelledby="cluster-problems">
          <h2 id="cluster-problems">Wrong now ({m.problems.length})</h2>
          <SinceNote basis={m.sinceBasis} />
          <ProblemTable problems={m.problems} now={input.now} showCluster={false} label={`Problems of ${m.name}`} />
        </section>
      )}

      <section aria-labelledby="nodes-title">
        <h2 id="nodes-title">Nodes</h2>
        <TableNav label={`Nodes of ${m.name}`}>
          <table data-testid="cluster-nodes" className="compact">
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">Health</th>
                <th scope="col">Role</th>
                <th scope="col">Version</th>
                <th scope="col">Uptime</th>
                <th scope="col" className="num">CPU</th>
                <th scope="col" className="num">Memory</th>
                <th scope="col">Fullest partition</th>
                {imp && <th scope="col" className="num">JSM sessions</th>}
                <th scope="col">Replication</th>
                {imp && <th scope="col">HA state</th>}
                <th scope="col">Services not started</th>
                <th scope="col">Nearest certificate</th>
                <th scope="col">Collection</th>
              </tr>
            </thead>
            <tbody>
              {m.nodes.map((n) => (
                <tr key={n.name} data-node={n.name} data-health={n.health}>
                  <th scope="row">
                    <Link href={n.href} prefetch={false}>
                      {n.name}
                    </Link>
                    <div className="muted" style={{ fontWeight: 400, fontSize: '0.8rem' }}>
                      {n.host}
                    </div>
                  </th>
                  <td>
                    <HealthBadge health={n.health} />
                  </td>
                  <td>{n.role === 'publisher' ? 'Publisher' : 'Subscriber'}</td>
                  <ReadingCell r={n.version}>{(v) => v}</ReadingCell>
                  <ReadingCell r={n.uptimeSeconds}>{(v) => duration(v)}</ReadingCell>
                  <ReadingCell r={n.cpu} className="num">
                    {(v) => formatValue(v, 'percent')}
                  </ReadingCell>
                  <ReadingCell r={n.memory} className="num">
                    {(v) => formatValue(v, 'percent')}
                  </ReadingCell>
                  <ReadingCell r={n.partitions}>{(v) => (v[0] ? `${v[0].name} ${formatValue(v[0].used, 'percent')}` : '—')}</ReadingCell>
                  {imp && (
                    <ReadingCell r={n.jsm} className="num">
                      {(v) => (
                        <>
                          {formatValue(v.sessions, '')} <span className="muted">({formatValue(v.ratio, 'ratio')})</span>
                          {v.exceeds && <div className="health-text-warning">JSMSessionsExceedsThreshold</div>}
                        </>
                      )}
                    </ReadingCell>
                  )}
                  <ReadingCell r={n.replication}>
                    {(v) => (
                      <span className={v.setupState === 2 ? undefined : 'health-text-critical'} title={v.meaning}>
                        ({v.setupState ?? '?'}) {v.meaning}
                        {v.queue ? <span className="muted"> · queue {v.queue}</span> : null}
                      </span>
                    )}
                  </ReadingCell>
                  {imp && (
                    <ReadingCell r={n.ha}>
                      {(v) => (
                        <span className={v.state.toLowerCase() === 'normal' ? undefined : 'health-text-critical'}>
                          {v.state}
                          {v.reason && v.state.toLowerCase() !== 'normal' && <div className="muted">{v.reason}</div>}
                        </span>
                      )}
                    </ReadingCell>
                  )}
                  <ReadingCell r={n.servicesNotStarted}>{(v) => (v.count === 0 ? <span className="muted">none</span> : <span className="health-text-critical" title={v.names.join(', ')}>{v.count}: {v.names.slice(0, 2).join(', ')}{v.count > 2 ? '…' : ''}</span>)}</ReadingCell>
                  <ReadingCell r={n.nearestCertificate}>
                    {(v) =>
                      v === null ? (
                        '—'
                      ) : (
                        <span className={v.daysLeft < 0 ? 'health-text-critical' : v.daysLeft <= rt.inventory.thresholds.certificateWarningDays ? 'health-text-warning' : undefined}>
                          {v.unit}: {v.daysLeft < 0 ? 'expired' : `${v.daysLeft} d`}
                        </span>
                      )
                    }
                  </ReadingCell>
                  <td title={n.sources.map((x) => `${x.source}: ${x.state}${x.error && x.state === 'failing' ? ` (${x.error.kind}: ${x.error.message})` : ''}`).join('\n')}>
                    {n.collection.notCurrent.length === 0 ? (
                      <span className="health-text-ok">
                        {n.collection.current}/{n.collection.total} current
                      </span>
                    ) : (
                      <span className="health-text-warning">{n.collection.notCurrent.map((x) => `${x.source} ${x.state}${x.kind ? ` (${x.kind})` : ''}`).join(', ')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableNav>
      </section>

      {imp && (
        <section aria-labelledby="groups-title">
          <h2 id="groups-title">Presence redundancy groups</h2>
          {m.groups.length === 0 ? (
            <EmptyState title="No presence redundancy groups">
              <p>Neither the configuration nor the publisher lists a group for this cluster.</p>
            </EmptyState>
          ) : (
            <div className="ha-pairs">
              {m.groups.map((g) => (
                <HaPairCard key={g.name} group={g} nodes={g.nodes.map((n) => ({ ...n, href: `/clusters/${encodeURIComponent(m.name)}/nodes/${encodeURIComponent(n.node)}` }))} health={g.health} now={input.now} />
              ))}
            </div>
          )}
        </section>
      )}

      {imp && (
        <section aria-labelledby="peers-title" id="peers">
          <h2 id="peers-title">Intercluster peers</h2>
          {m.peers.configured.length === 0 ? (
            <EmptyState title="No intercluster peers configured" />
          ) : m.peers.rows.length === 0 ? (
            <EmptyState title={m.peers.state === 'pending' ? 'Peers not probed yet' : `Peer reachability is ${m.peers.state}`}>
              <p>Configured peers: {m.peers.configured.join(', ')}.</p>
            </EmptyState>
          ) : (
            <TableNav label="Intercluster peers">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Peer cluster</th>
                    <th scope="col">Peer publisher</th>
                    <th scope="col">Reachable (HTTPS/AXL, from the collector)</th>
                    <th scope="col">Error</th>
                  </tr>
                </thead>
                <tbody>
                  {m.peers.rows.map((p) => (
                    <tr key={p.peer} data-peer={p.peer}>
                      <th scope="row">{p.href ? <Link href={p.href}>{p.peer}</Link> : p.peer}</th>
                      <td>{p.publisher || '—'}</td>
                      <td className={p.up ? 'health-text-ok' : 'health-text-critical'}>{p.up ? 'yes' : 'no'}</td>
                      <td className="muted">{p.error ? `${p.kind ?? 'error'}: ${p.error}` : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableNav>
          )}
        </section>
      )}
      <LiveRefresh />
    </>
  );
}

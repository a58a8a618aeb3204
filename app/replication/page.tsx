// Replication (/replication): per cluster the publisher's view of IDS replication — each server's
// setup state 0–4 with Cisco's meaning, queue and its trend, ping, flags, group, details, and the
// cluster replication status line. Clusters where any server is not 2 come first.
import type { Metadata } from 'next';
import Link from 'next/link';
import { formatValue } from '../../collectors/views/format';
import { queueTrends, replicationModel, TREND_WINDOW_MS } from '../../collectors/views/replication';
import { HealthBadge, ProductBadge, SourceBadge } from '../components/badges';
import { DataAge } from '../components/data-age';
import { LiveRefresh } from '../components/live-refresh';
import { EmptyState, ErrorState, NoRuntime } from '../components/states';
import { TableNav } from '../components/table-nav';
import { Time } from '../components/time';
import { fleetInput } from '../lib/fleet';
import { getRuntime } from '../lib/runtime';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Replication' };

export default async function ReplicationPage() {
  const rt = getRuntime();
  if (!rt) return <NoRuntime />;
  const input = fleetInput(rt);
  const m = replicationModel(input, { queueTrends: await queueTrends(rt.history, input) });
  const attention = m.clusters.filter((c) => c.attention).length;
  return (
    <>
      <div className="page-head">
        <h1>Replication</h1>
        <p className="meta">
          <span>
            IDS database replication as each cluster&apos;s publisher reports it (<code>utils dbreplication runtimestate</code>). Setup state 2 is good.
          </span>
        </p>
        <DataAge freshness={m.freshness} collecting={input.collecting} />
        <p className="hint" data-testid="replication-summary">
          {attention === 0 ? `All ${m.clusters.length} clusters replicate normally (every server 2).` : `${attention} of ${m.clusters.length} clusters need attention (listed first).`}
          {m.trends ? ` A queue that is not empty shows its trend over the last ${TREND_WINDOW_MS / 60_000} minutes.` : ' Queue trends need history, which is not available: the queue shows its latest value only.'}
        </p>
      </div>
      {m.clusters.map((c) => (
        <section key={c.cluster} id={c.cluster} data-cluster={c.cluster} data-attention={String(c.attention)} aria-labelledby={`rep-${c.cluster}`}>
          <h2 id={`rep-${c.cluster}`}>
            <Link href={c.href}>{c.cluster}</Link> <ProductBadge product={c.product} />
            {c.state === 'fresh' ? <HealthBadge health={c.attention ? 'critical' : 'ok'} label={c.attention ? 'Attention' : 'All 2'} /> : <SourceBadge state={c.state} />}
          </h2>
          <p className="meta">
            <span>View from {c.viewFrom ?? c.publisher}</span>
            {c.at !== undefined && (
              <span>
                Read <Time ms={c.at} now={input.now} relative />
              </span>
            )}
          </p>
          {c.state === 'failing' || c.state === 'stale' ? (
            <ErrorState title={`The publisher's replication state is ${c.state}`}>
              {c.error && (
                <p>
                  {c.error.kind}: {c.error.message}
                </p>
              )}
              <p>Older values are not shown as current.</p>
            </ErrorState>
          ) : c.state === 'pending' || c.state === 'absent' ? (
            <EmptyState title="Not read yet" />
          ) : c.status !== 'ok' ? (
            <ErrorState title={c.status === 'db-not-running' ? 'Cisco DB is not running' : 'Single active node'}>
              <p>
                <code>{c.message}</code>
              </p>
            </ErrorState>
          ) : (
            <>
              {c.statusLine && (
                <p className="status-line" data-testid="status-line">
                  Cluster Replication State: <strong>{c.statusLine}</strong>
                </p>
              )}
              <TableNav label={`Replication of ${c.cluster}`}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Server</th>
                      <th scope="col">IP address</th>
                      <th scope="col" className="num">Ping</th>
                      <th scope="col">DB/RPC/DbMon</th>
                      <th scope="col" className="num">Queue</th>
                      <th scope="col">Group ID</th>
                      <th scope="col">Setup state (RTMT)</th>
                      <th scope="col">Details</th>
                      <th scope="col" className="num">Replicate_State counter</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.servers.map((s) => (
                      <tr key={s.name} data-server={s.name} data-setup-state={s.setupState ?? ''}>
                        <th scope="row">{s.href ? <Link href={s.href}>{s.name}</Link> : s.name}</th>
                        <td>
                          <code>{s.ip}</code>
                        </td>
                        <td className="num">{s.pingMs === null ? '—' : formatValue(s.pingMs, 'ms')}</td>
                        <td>{s.flags || '—'}</td>
                        <td className="num">
                          {s.queue ?? '—'}
                          {s.trend && (
                            <div className={s.trend.growing ? 'health-text-warning' : 'muted'} style={{ fontSize: '0.78rem' }}>
                              {s.trend.growing ? '▲ growing' : s.trend.last < s.trend.first ? '▼ draining' : 'steady'} ({s.trend.first} → {s.trend.last})
                            </div>
                          )}
                        </td>
                        <td>{s.groupId ?? '—'}</td>
                        <td className={s.good ? 'health-text-ok' : 'health-text-critical'}>
                          <strong>({s.setupState ?? '?'})</strong> {s.meaning}
                        </td>
                        <td>{s.details}</td>
                        <td className="num">{s.counter ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableNav>
            </>
          )}
        </section>
      ))}
      <LiveRefresh />
    </>
  );
}

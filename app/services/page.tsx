// Services (/services): per cluster a matrix of services × nodes with status and reason verbatim;
// filters for services not started and for the HA critical services; CSV of the same rows.
import type { Metadata } from 'next';
import Link from 'next/link';
import { duration } from '../../collectors/views/format';
import { freshness } from '../../collectors/views/freshness';
import { toQueryString } from '../../collectors/views/query';
import { servicesModel } from '../../collectors/views/services';
import { ProductBadge, SourceBadge } from '../components/badges';
import { DataAge } from '../components/data-age';
import { FilterForm } from '../components/filter-form';
import { ScopeFilters } from '../components/scope-filters';
import { LiveRefresh } from '../components/live-refresh';
import { EmptyState, NoRuntime } from '../components/states';
import { TableNav } from '../components/table-nav';
import { fleetInput, type SearchParams } from '../lib/fleet';
import { getRuntime } from '../lib/runtime';
import styles from './services.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Services' };

export default async function ServicesPage({ searchParams }: { searchParams: SearchParams }) {
  const rt = getRuntime();
  if (!rt) return <NoRuntime />;
  const input = fleetInput(rt);
  const m = servicesModel(input, await searchParams);
  const f = m.filter;
  const qs = toQueryString({ cluster: f.cluster, node: f.node, notStarted: f.notStarted, critical: f.critical, q: f.q });
  return (
    <>
      <div className="page-head">
        <h1>Services</h1>
        <p className="meta">
          <span>Control Center service status and reason, verbatim, per node (or <code>utils service list</code> when Control Center is down).</span>
        </p>
        <DataAge freshness={freshness(input.observations, input.now, (o) => o.source === 'services')} collecting={input.collecting} />
      </div>
      <section aria-label="Filters">
        <FilterForm action="/services" label="Service filters">
          <ScopeFilters clusters={m.clusters} nodes={m.nodes} cluster={f.cluster} node={f.node} />
          <label>
            Service
            <input type="search" name="q" defaultValue={f.q ?? ''} placeholder="name contains" />
          </label>
          <label className="check">
            <input type="checkbox" name="notStarted" value="1" defaultChecked={f.notStarted} /> Not started only (activated services)
          </label>
          <label className="check">
            <input type="checkbox" name="critical" value="1" defaultChecked={f.critical} /> HA critical services only
          </label>
          <p className="actions">
            <a className="button" href={`/services/csv${qs}`} download data-testid="services-csv">
              Download CSV
            </a>
            <Link href="/services" prefetch={false}>
              Clear filters
            </Link>
          </p>
        </FilterForm>
        {m.collapsing && <p className="hint">Many clusters: only clusters with a service not started are expanded. Choose a cluster (or a filter) to see a full matrix.</p>}
      </section>
      {m.matrices.length === 0 ? (
        <EmptyState title="No node matches these filters" />
      ) : (
        m.matrices.map((x) => (
          <section key={x.cluster} data-cluster={x.cluster} aria-labelledby={`svc-${x.cluster}`}>
            <h2 id={`svc-${x.cluster}`}>
              <Link href={x.href}>{x.cluster}</Link> <ProductBadge product={x.product} />
              <span className={x.problems ? 'badge health-critical' : 'badge health-ok'}>{x.problems ? `${x.problems} not started` : 'all activated services started'}</span>
            </h2>
            {x.collapsed ? (
              <p className="muted">
                {x.serviceCount} services on {x.nodes.length} nodes, every activated service Started.{' '}
                <Link href={`/services?cluster=${encodeURIComponent(x.cluster)}`} prefetch={false}>
                  Show the matrix
                </Link>
              </p>
            ) : x.rows.length === 0 ? (
              <EmptyState title="No service matches these filters on this cluster" />
            ) : (
              <TableNav label={`Services of ${x.cluster}`}>
                <table className={styles.matrix} data-testid="services-matrix">
                  <thead>
                    <tr>
                      <th scope="col">Service</th>
                      {x.nodes.map((n) => (
                        <th scope="col" key={n.name} className={styles.nodeCol}>
                          <Link href={n.href} prefetch={false}>
                            {n.name}
                          </Link>
                          {n.state !== 'fresh' && (
                            <div>
                              <SourceBadge state={n.state} title={n.error} />
                            </div>
                          )}
                          {n.via === 'cli' && <div className="muted">via CLI</div>}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {x.rows.map((r) => (
                      <tr key={r.service} data-service={r.service}>
                        <th scope="row">
                          {r.service}
                          {r.critical && <span className={`badge health-info ${styles.crit}`}>HA critical</span>}
                        </th>
                        {r.cells.map((c, i) =>
                          x.nodes[i].state !== 'fresh' ? (
                            <td key={x.nodes[i].name} className={`${styles.cell} value-${x.nodes[i].state}`}>
                              {x.nodes[i].state === 'pending' ? '…' : x.nodes[i].state}
                            </td>
                          ) : c === null ? (
                            <td key={x.nodes[i].name} className={`${styles.cell} muted`}>
                              —
                            </td>
                          ) : (
                            <td
                              key={x.nodes[i].name}
                              data-node={x.nodes[i].name}
                              data-status={c.status}
                              className={`${styles.cell} ${c.problem ? styles.bad : c.status === 'Started' ? styles.ok : c.notActivated ? styles.off : styles.idle}`}
                              title={`${c.status}${c.reason ? `: ${c.reason}` : ''}${c.reasonCode !== null && c.status !== 'Started' ? ` (${c.reasonCode})` : ''}${c.uptimeSeconds !== null ? `, up ${duration(c.uptimeSeconds)}` : ''}`}
                            >
                              {c.status}
                              {c.reason && <div className={styles.reason}>{c.reason}</div>}
                            </td>
                          ),
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableNav>
            )}
          </section>
        ))
      )}
      <LiveRefresh />
    </>
  );
}

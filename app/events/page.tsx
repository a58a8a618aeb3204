// Events (/events): state changes across the fleet, newest first — HA state, service status,
// replication, reachability, certificate thresholds — filterable by cluster, node, kind and range.
import type { Metadata } from 'next';
import Link from 'next/link';
import { EVENT_KINDS, RANGES } from '../../collectors/history/types';
import { EVENT_KIND_LABEL, eventsModel } from '../../collectors/views/events';
import { toQueryString } from '../../collectors/views/query';
import { HealthBadge, SeverityBadge } from '../components/badges';
import { FilterForm } from '../components/filter-form';
import { LiveRefresh } from '../components/live-refresh';
import { EmptyState, ErrorState, NoRuntime } from '../components/states';
import { TableNav } from '../components/table-nav';
import { Time } from '../components/time';
import { eventsUnavailable, fleetInput, type SearchParams } from '../lib/fleet';
import { getRuntime } from '../lib/runtime';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Events' };

export default async function EventsPage({ searchParams }: { searchParams: SearchParams }) {
  const rt = getRuntime();
  if (!rt) return <NoRuntime />;
  const input = fleetInput(rt);
  const m = eventsModel(input, await searchParams, eventsUnavailable(rt));
  const f = m.filter;
  const params = { cluster: f.cluster, node: f.node, kind: f.kind, range: f.range === '24h' ? undefined : f.range };
  return (
    <>
      <div className="page-head">
        <h1>Events</h1>
        <p className="meta">
          <span>State changes across the fleet, newest first: HA state, service status, replication state, node reachability, certificate thresholds.</span>
        </p>
      </div>
      <section aria-label="Filters">
        <FilterForm action="/events" label="Event filters">
          <label>
            Cluster
            <select name="cluster" defaultValue={f.cluster ?? ''}>
              <option value="">All clusters</option>
              {m.clusters.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <label>
            Node
            <select name="node" defaultValue={f.node ?? ''}>
              <option value="">All nodes</option>
              {m.nodes.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <label>
            Kind
            <select name="kind" defaultValue={f.kind ?? ''}>
              <option value="">All kinds</option>
              {EVENT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {EVENT_KIND_LABEL[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            In the last
            <select name="range" defaultValue={f.range}>
              {RANGES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <p className="actions">
            <Link href={`/events${toQueryString({ ...params, range: '1h' })}`} prefetch={false}>
              What changed in the last hour
            </Link>
            <Link href="/events" prefetch={false}>
              Clear filters
            </Link>
          </p>
        </FilterForm>
      </section>
      <section aria-label="Event list">
        {!m.available ? (
          <ErrorState title="No event log">
            <p data-testid="events-unavailable">{m.reason}</p>
          </ErrorState>
        ) : m.rows.length === 0 ? (
          <EmptyState title={`No state change in the last ${f.range}`}>
            <p>{f.cluster || f.node || f.kind ? 'Nothing matches these filters; widen the range or clear a filter.' : 'The fleet has been steady.'}</p>
          </EmptyState>
        ) : (
          <>
            <p className="hint" data-testid="event-count">
              {m.total} change{m.total === 1 ? '' : 's'} in the last {f.range}
              {f.before ? ' (older page)' : ''}.
            </p>
            <TableNav label="Events">
              <table data-testid="events">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Cluster</th>
                    <th scope="col">Node</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Subject</th>
                    <th scope="col">Change</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {m.rows.map((e) => (
                    <tr key={e.id} data-kind={e.kind} data-node={e.node} data-severity={e.severity}>
                      <td className="nowrap">
                        <Time ms={e.at} />
                      </td>
                      <td>{e.cluster}</td>
                      <td className="nowrap">
                        <Link href={e.nodeHref} prefetch={false}>
                          {e.node}
                        </Link>
                      </td>
                      <td>{EVENT_KIND_LABEL[e.kind] ?? e.kind}</td>
                      <td>{e.subject}</td>
                      <td>
                        {e.severity === 'ok' ? <HealthBadge health="ok" /> : <SeverityBadge severity={e.severity} />} {e.from ?? '(first seen)'} → <strong>{e.to}</strong>
                      </td>
                      <td className="muted">{e.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableNav>
            {m.nextBefore !== undefined && (
              <p>
                <Link href={`/events${toQueryString({ ...params, before: m.nextBefore })}`} prefetch={false}>
                  Older events
                </Link>
              </p>
            )}
          </>
        )}
      </section>
      <LiveRefresh />
    </>
  );
}

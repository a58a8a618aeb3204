// Events (/events): state changes across the fleet, newest first — HA state, service status,
// replication, reachability, certificate thresholds — filterable by cluster, node, kind and range.
import type { Metadata } from 'next';
import Link from 'next/link';
import { EVENT_KINDS, RANGES } from '../../collectors/history/types';
import { EVENT_KIND_LABEL, eventsModel } from '../../collectors/views/events';
import { toQueryString } from '../../collectors/views/query';
import { EventTable } from '../components/event-table';
import { FilterForm } from '../components/filter-form';
import { ScopeFilters } from '../components/scope-filters';
import { LiveRefresh } from '../components/live-refresh';
import { EmptyState, ErrorState, NoRuntime } from '../components/states';
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
          <ScopeFilters clusters={m.clusters} nodes={m.nodes} cluster={f.cluster} node={f.node} />
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
            <EventTable rows={m.rows} label="Events" testId="events" />
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

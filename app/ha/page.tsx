// High availability (/ha): every presence redundancy group as a pair — both nodes' state and
// reason verbatim, HA enabled, time in state, JSM sessions per node — with Cisco's cause and
// recommended actions for the pair of states (collectors/ha-pairs.ts). Worst first.
import type { Metadata } from 'next';
import { haModel } from '../../collectors/views/ha';
import { HEALTH_LABEL, HEALTH_ORDER } from '../../collectors/views/health';
import { DataAge } from '../components/data-age';
import { FilterForm } from '../components/filter-form';
import { HaPairCard } from '../components/ha-pair';
import { LiveRefresh } from '../components/live-refresh';
import { SinceNote } from '../components/problem-table';
import { EmptyState, NoRuntime } from '../components/states';
import { fleetInput, type SearchParams } from '../lib/fleet';
import { getRuntime } from '../lib/runtime';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'High availability' };

export default async function HaPage({ searchParams }: { searchParams: SearchParams }) {
  const rt = getRuntime();
  if (!rt) return <NoRuntime />;
  const input = fleetInput(rt);
  const m = haModel(input, await searchParams);
  const total = HEALTH_ORDER.reduce((n, h) => n + m.counts[h], 0);
  return (
    <>
      <div className="page-head">
        <h1>High availability</h1>
        <p className="meta">
          <span>Presence redundancy groups as <code>utils ha status</code> prints them, with Cisco&apos;s cause and recommended actions for each pair of states.</span>
        </p>
        <DataAge freshness={m.freshness} collecting={input.collecting} />
      </div>
      <section aria-label="Filters">
        <FilterForm action="/ha" label="HA filters">
          <label>
            Cluster
            <select name="cluster" defaultValue={m.filter.cluster ?? ''}>
              <option value="">All IM&amp;P clusters</option>
              {m.clusters.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label>
            Show
            <select name="show" defaultValue={m.filter.show}>
              <option value="all">All groups</option>
              <option value="problems">Groups not Normal</option>
            </select>
          </label>
          <p className="actions" data-testid="ha-counts">
            {total} groups:{' '}
            {HEALTH_ORDER.filter((h) => m.counts[h] > 0)
              .map((h) => `${m.counts[h]} ${HEALTH_LABEL[h].toLowerCase()}`)
              .join(' · ')}
          </p>
        </FilterForm>
        <SinceNote basis={m.sinceBasis} />
      </section>
      {m.pairs.length === 0 ? (
        <EmptyState title={total === 0 ? 'No presence redundancy groups' : 'Every group is Normal'}>
          <p>{total === 0 ? 'No IM&P cluster of the configuration has a presence redundancy group.' : 'Choose "All groups" to see them.'}</p>
        </EmptyState>
      ) : (
        <div className="ha-pairs" data-testid="ha-pairs">
          {m.pairs.map((p) => (
            <HaPairCard key={p.id} id={p.id} group={p} nodes={p.nodes} health={p.health} now={input.now} showCluster />
          ))}
        </div>
      )}
      <LiveRefresh />
    </>
  );
}

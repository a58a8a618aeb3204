// Overview (/): fleet health at a glance — a verdict per cluster, the problems of the whole
// fleet worst first (cluster, node, what, since when), and a compact strip of every node.
import Link from 'next/link';
import { overviewModel } from '../collectors/views/overview';
import { queueTrends } from '../collectors/views/replication';
import { HEALTH_ORDER, HEALTH_LABEL } from '../collectors/views/health';
import { HealthBadge, ProductBadge } from './components/badges';
import { DataAge } from './components/data-age';
import { LiveRefresh } from './components/live-refresh';
import { ProblemTable, SinceNote } from './components/problem-table';
import { EmptyState, NoRuntime } from './components/states';
import { fleetInput, model, type SearchParams } from './lib/fleet';
import { getRuntime } from './lib/runtime';
import styles from './overview.module.css';

export const dynamic = 'force-dynamic';

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const rt = getRuntime();
  if (!rt) return <NoRuntime />;
  const q = await searchParams;
  const all = q.problems === 'all';
  const trends = await queueTrends(rt.history, fleetInput(rt));
  // Shared by the requests of the same second (many open dashboards) unless a queue trend is in play.
  const { input, model: m } = trends?.size ? { input: fleetInput(rt), model: overviewModel(fleetInput(rt), { allProblems: all, queueTrends: trends }) } : model(rt, `overview:${all}`, (i) => overviewModel(i, { allProblems: all }));
  const alerts = rt.alerts?.firingCounts();
  const { byHealth } = m.totals;
  return (
    <>
      <div className="page-head">
        <h1>Overview</h1>
        <DataAge freshness={m.freshness} collecting={m.collecting} />
      </div>
      <section className={styles.summary} aria-label="Fleet summary">
        <div className={styles.tile}>
          <span className={styles.figure} data-testid="cluster-count">
            {m.totals.clusters}
          </span>
          <span className={styles.caption}>clusters</span>
        </div>
        <div className={styles.tile}>
          <span className={styles.figure} data-testid="node-count">
            {m.totals.nodes}
          </span>
          <span className={styles.caption}>
            nodes:{' '}
            {HEALTH_ORDER.filter((h) => byHealth[h] > 0).map((h, i) => (
              <span key={h} className={`health-text-${h}`} data-health-count={h}>
                {i > 0 ? ' · ' : ''}
                {byHealth[h]} {HEALTH_LABEL[h].toLowerCase()}
              </span>
            ))}
          </span>
        </div>
        <div className={styles.tile}>
          <span className={styles.figure} data-testid="problem-count">
            {m.problems.length}
          </span>
          <span className={styles.caption}>
            problems: <span className="health-text-critical">{m.problemCounts.critical} critical</span> · <span className="health-text-warning">{m.problemCounts.warning} warning</span>
            {m.problemCounts.info ? ` · ${m.problemCounts.info} notice` : ''}
          </span>
        </div>
        {alerts && (
          <Link href="/alerts" className={styles.tile} data-testid="alerts-firing">
            <span className={styles.figure}>{alerts.critical + alerts.warning + alerts.info}</span>
            <span className={styles.caption}>
              alerts firing: <span className="health-text-critical">{alerts.critical} critical</span> · <span className="health-text-warning">{alerts.warning} warning</span> · {alerts.info} info
            </span>
          </Link>
        )}
      </section>

      <section aria-labelledby="problems-title" data-testid="problems">
        <h2 id="problems-title">Wrong now</h2>
        {m.problems.length === 0 ? (
          <EmptyState title={m.totals.byHealth.unknown === m.totals.nodes ? 'Nothing collected yet' : `Nothing is wrong: ${m.totals.byHealth.ok} of ${m.totals.nodes} nodes report healthy`}>
            {byHealth.unknown > 0 && byHealth.unknown < m.totals.nodes && <p>{byHealth.unknown} nodes have not been polled yet.</p>}
          </EmptyState>
        ) : (
          <>
            <SinceNote basis={m.sinceBasis} />
            <ProblemTable problems={m.problems.slice(0, m.shown)} now={input.now} />
            {m.shown < m.problems.length && (
              <p>
                <Link href="/?problems=all" prefetch={false}>
                  Show all {m.problems.length} problems
                </Link>
              </p>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="clusters-title" id="clusters">
        <h2 id="clusters-title">Clusters</h2>
        <ul className={styles.strips}>
          {m.clusters.map((c) => (
            <li key={c.name} className={styles.strip} data-cluster={c.name} data-verdict={c.verdict}>
              <div className={styles.stripHead}>
                <a href={c.href} className={styles.clusterName}>
                  {c.name}
                </a>
                <ProductBadge product={c.product} />
                <HealthBadge health={c.verdict} />
                <span className={styles.counts}>
                  {HEALTH_ORDER.filter((h) => c.counts[h] > 0).map((h) => (
                    <span key={h} className={`health-text-${h}`}>
                      {c.counts[h]} {HEALTH_LABEL[h].toLowerCase()}
                    </span>
                  ))}
                </span>
              </div>
              <ul className={styles.chips} aria-label={`Nodes of ${c.name}`}>
                {c.nodes.map((n) => (
                  <li key={n.name}>
                    {/* Plain links: 210 of them as client components would weigh on every live refresh. */}
                    <a href={n.href} className={`${styles.chip} chip-${n.health}`} title={n.label} aria-label={n.label} data-node={n.name} data-health={n.health}>
                      {n.short}
                    </a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>
      <p className="meta" data-testid="runtime-facts">
        <span>
          Configuration <code data-testid="config-path">{rt.configPath}</code>
        </span>
        <span>Collector {m.collecting ? 'running' : 'not running (inventory only)'}</span>
        {rt.lab && <span>Built-in lab running (see the Lab panel)</span>}
      </p>
      <LiveRefresh />
    </>
  );
}

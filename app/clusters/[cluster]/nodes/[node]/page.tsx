// Node (/clusters/[cluster]/nodes/[node]): every curated series as a chart over a selectable
// range, services with status/reason/uptime, the node's certificates, the last error of every
// source (and the rows a parser could not read), its presence redundancy group and its events.
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { nodeCharts, parseRange } from '../../../../../collectors/views/charts';
import { RANGES } from '../../../../../collectors/history/types';
import { commonName, duration, formatTime, formatValue } from '../../../../../collectors/views/format';
import { nodeModel } from '../../../../../collectors/views/node';
import { queueTrends } from '../../../../../collectors/views/replication';
import { HealthBadge, ProductBadge, SourceBadge } from '../../../../components/badges';
import { DataAge } from '../../../../components/data-age';
import { EventTable } from '../../../../components/event-table';
import { HaPairCard } from '../../../../components/ha-pair';
import { LiveRefresh } from '../../../../components/live-refresh';
import { ProblemTable, SinceNote } from '../../../../components/problem-table';
import { ReadingValue } from '../../../../components/reading';
import { EmptyState, ErrorState, NoRuntime } from '../../../../components/states';
import { TableNav } from '../../../../components/table-nav';
import { Time } from '../../../../components/time';
import { CHART_GROUPS, chartMetas } from '../../../../lib/chart-series';
import { eventsUnavailable, fleetInput, type SearchParams } from '../../../../lib/fleet';
import { getRuntime } from '../../../../lib/runtime';
import { NodeCharts } from './node-charts';
import styles from './node.module.css';

export const dynamic = 'force-dynamic';

type Params = Promise<{ cluster: string; node: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const p = await params;
  return { title: `${decodeURIComponent(p.node)} (${decodeURIComponent(p.cluster)})` };
}

export default async function NodePage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const rt = getRuntime();
  if (!rt) return <NoRuntime />;
  const p = await params;
  const clusterName = decodeURIComponent(p.cluster);
  const nodeName = decodeURIComponent(p.node);
  const input = fleetInput(rt);
  const m = nodeModel(input, clusterName, nodeName, { queueTrends: await queueTrends(rt.history, input) });
  if (!m) notFound();
  const range = parseRange(await searchParams);
  const charts = await nodeCharts(rt.history, { cluster: clusterName, node: nodeName, range, now: input.now, metas: chartMetas(m.summary.product) });
  const s = m.summary;
  const base = `/clusters/${encodeURIComponent(clusterName)}/nodes/${encodeURIComponent(nodeName)}`;
  return (
    <>
      <div className="page-head">
        <div className="crumbs">
          <Link href="/">Overview</Link> / <Link href={m.cluster.href}>{m.cluster.name}</Link> / node
        </div>
        <h1>
          {s.name} <ProductBadge product={s.product} /> <HealthBadge health={s.health} />
        </h1>
        <p className="meta">
          <span>
            Address <code>{s.host}</code>
          </span>
          <span>{s.role === 'publisher' ? 'Publisher' : 'Subscriber'}</span>
          <span>
            Version <ReadingValue r={s.version}>{(v) => v}</ReadingValue>
          </span>
          <span>
            Uptime <ReadingValue r={s.uptimeSeconds}>{(v) => duration(v)}</ReadingValue>
          </span>
          {s.group && <span>Presence redundancy group {s.group}</span>}
        </p>
        <DataAge freshness={m.freshness} collecting={input.collecting} />
      </div>

      {s.problems.length > 0 && (
        <section aria-labelledby="node-problems">
          <h2 id="node-problems">Wrong now ({s.problems.length})</h2>
          <SinceNote basis={m.sinceBasis} />
          <ProblemTable problems={s.problems} now={input.now} showCluster={false} label={`Problems of ${s.name}`} />
        </section>
      )}

      <section aria-labelledby="figures-title">
        <h2 id="figures-title">Now</h2>
        <dl className={styles.figures}>
          <div>
            <dt>CPU</dt>
            <dd>
              <ReadingValue r={s.cpu}>{(v) => formatValue(v, 'percent')}</ReadingValue>
            </dd>
          </div>
          <div>
            <dt>Memory used</dt>
            <dd>
              <ReadingValue r={s.memory}>{(v) => formatValue(v, 'percent')}</ReadingValue>
            </dd>
          </div>
          <div>
            <dt>Partitions (% used)</dt>
            <dd>
              <ReadingValue r={s.partitions}>{(v) => v.slice(0, 3).map((x) => `${x.name} ${formatValue(x.used, 'percent')}`).join(', ') || '—'}</ReadingValue>
            </dd>
          </div>
          {s.jsm && (
            <div>
              <dt>JSM sessions (of capacity)</dt>
              <dd>
                <ReadingValue r={s.jsm}>
                  {(v) => (
                    <>
                      {formatValue(v.sessions, '')} ({formatValue(v.ratio, 'ratio')}){v.exceeds ? ' · JSMSessionsExceedsThreshold' : ''}
                    </>
                  )}
                </ReadingValue>
              </dd>
            </div>
          )}
          <div>
            <dt>Replication (publisher&apos;s view)</dt>
            <dd>
              <ReadingValue r={s.replication}>{(v) => `(${v.setupState ?? '?'}) ${v.meaning}${v.queue ? ` · queue ${v.queue}` : ''}`}</ReadingValue>
            </dd>
          </div>
          <div>
            <dt>Replicate_State (node&apos;s counter)</dt>
            <dd>
              <ReadingValue r={s.replicateStateCounter}>{(v) => String(v)}</ReadingValue>
            </dd>
          </div>
          {s.ha && (
            <div>
              <dt>HA state</dt>
              <dd>
                <ReadingValue r={s.ha}>{(v) => `${v.state}${v.reason && v.state.toLowerCase() !== 'normal' ? ` (${v.reason})` : ''}`}</ReadingValue>
              </dd>
            </div>
          )}
        </dl>
      </section>

      <section aria-labelledby="history-title" id="history">
        <h2 id="history-title">
          History
          <span className="range-links" role="group" aria-label="Range">
            {RANGES.map((r) => (
              <Link key={r} href={`${base}?range=${r}#history`} aria-current={r === range ? 'true' : undefined} prefetch={false} scroll={false} replace>
                {r}
              </Link>
            ))}
          </span>
        </h2>
        {charts.unavailable ? (
          <EmptyState title="No charts">
            <p data-testid="history-unavailable">{charts.unavailable}</p>
          </EmptyState>
        ) : charts.charts.length === 0 ? (
          <EmptyState title={`No history in the last ${range}`}>
            <p>Nothing was recorded for this node in this range yet.</p>
          </EmptyState>
        ) : (
          <>
            <p className="hint">
              {charts.backend === 'prometheus' ? 'From Prometheus (query_range).' : 'From the embedded history database.'}
              {charts.empty.length > 0 && ` No points in this range for: ${charts.empty.map((e) => e.title).join(', ')}.`}
            </p>
            <NodeCharts sections={charts.sections} titles={CHART_GROUPS} />
          </>
        )}
      </section>

      {m.group && (
        <section aria-labelledby="group-title">
          <h2 id="group-title">Presence redundancy group</h2>
          <HaPairCard group={m.group} nodes={m.group.nodes.map((n) => ({ ...n, href: `/clusters/${encodeURIComponent(clusterName)}/nodes/${encodeURIComponent(n.node)}` }))} health={m.group.health} now={input.now} />
        </section>
      )}

      <section aria-labelledby="services-title" id="services">
        <h2 id="services-title">
          Services
          {m.services.via === 'cli' && <span className="badge health-warning">read through the CLI: Control Center unavailable</span>}
        </h2>
        {m.services.fallbackReason && <p className="hint">Control Center: {m.services.fallbackReason}</p>}
        {m.services.state !== 'fresh' ? (
          <ServicesUnavailable state={m.services.state} at={m.services.at} />
        ) : m.services.rows.length === 0 ? (
          <EmptyState title="No services reported" />
        ) : (
          <TableNav label={`Services of ${s.name}`}>
            <table data-testid="node-services">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reason</th>
                  <th scope="col" className="num">Up for</th>
                </tr>
              </thead>
              <tbody>
                {m.services.rows.map((r) => (
                  <tr key={r.name} data-service={r.name} data-status={r.status} className={r.problem ? styles.problemRow : undefined}>
                    <th scope="row">
                      <Link href={`/services?cluster=${encodeURIComponent(clusterName)}&q=${encodeURIComponent(r.name)}`} prefetch={false}>
                        {r.name}
                      </Link>
                      {r.critical && <span className="badge health-info" style={{ marginLeft: '0.4rem' }}>HA critical</span>}
                    </th>
                    <td className={r.problem ? 'health-text-critical' : r.status === 'Started' ? undefined : 'muted'}>{r.status}</td>
                    <td className={r.notActivated ? 'muted' : undefined}>{r.reason ?? ''}</td>
                    <td className="num">{r.uptimeSeconds === null ? '' : duration(r.uptimeSeconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableNav>
        )}
      </section>

      <section aria-labelledby="certs-title" id="certificates">
        <h2 id="certs-title">
          Certificates{' '}
          <Link className="button" href={`/certificates?cluster=${encodeURIComponent(clusterName)}&node=${encodeURIComponent(nodeName)}`} prefetch={false}>
            Open in certificates
          </Link>
        </h2>
        {m.certificates.state !== 'fresh' ? (
          <ServicesUnavailable state={m.certificates.state} at={m.certificates.at} what="certificates" />
        ) : (
          <TableNav label={`Certificates of ${s.name}`}>
            <table data-testid="node-certificates">
              <thead>
                <tr>
                  <th scope="col">Unit</th>
                  <th scope="col">Seen</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Not after</th>
                  <th scope="col" className="num">Days left</th>
                  <th scope="col">Signed</th>
                  <th scope="col">Verification</th>
                </tr>
              </thead>
              <tbody>
                {m.certificates.rows.map((c) => (
                  <tr key={c.id} data-unit={c.unit} data-status={c.status}>
                    <th scope="row">
                      <Link href={`/certificates?cluster=${encodeURIComponent(clusterName)}&node=${encodeURIComponent(nodeName)}&unit=${encodeURIComponent(c.unit)}`} prefetch={false}>
                        {c.unit}
                      </Link>
                    </th>
                    <td>{c.seen.map((x) => (x.source === 'tls' ? `TLS :${x.port}` : `CLI ${x.file ?? ''}`)).join(', ')}</td>
                    <td>{commonName(c.subject)}</td>
                    <td className="nowrap">{formatTime(c.notAfter).slice(0, 10)}</td>
                    <td className={`num ${c.status === 'ok' ? '' : `health-text-${c.status === 'expired' ? 'critical' : c.status}`}`}>{c.daysLeft}</td>
                    <td>{c.selfSigned ? 'self-signed' : 'CA-signed'}</td>
                    <td>{c.verification}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableNav>
        )}
      </section>

      <section aria-labelledby="sources-title" id="collection">
        <h2 id="sources-title">Collection</h2>
        <TableNav label="Sources">
          <table data-testid="node-sources">
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">State</th>
                <th scope="col">Last success</th>
                <th scope="col">Last attempt</th>
                <th scope="col">Last error</th>
                <th scope="col">Rows not read</th>
              </tr>
            </thead>
            <tbody>
              {m.sources.map((src) => (
                <tr key={src.source} data-source={src.source} data-state={src.state}>
                  <th scope="row">{src.source}</th>
                  <td>
                    <SourceBadge state={src.state} />
                    <div className="muted" style={{ fontSize: '0.78rem' }}>
                      every {duration(src.intervalMs / 1000)}
                      {src.failures > 0 ? ` · ${src.failures} failed in a row` : ''}
                    </div>
                  </td>
                  <td>
                    <Time ms={src.at} now={input.now} relative />
                  </td>
                  <td>
                    <Time ms={src.lastAttemptAt} now={input.now} relative />
                    {src.durationMs !== undefined && <span className="muted"> ({Math.round(src.durationMs)} ms)</span>}
                  </td>
                  <td data-field="error">
                    {src.error ? (
                      <>
                        <strong>{src.error.kind}</strong> at <Time ms={src.error.at} />
                        <div className="muted">{src.error.message}</div>
                      </>
                    ) : (
                      <span className="muted">none</span>
                    )}
                    {src.partialErrors.map((e) => (
                      <div key={e.what} className="health-text-warning">
                        {e.what}: {e.kind} — {e.message}
                      </div>
                    ))}
                  </td>
                  <td data-field="parse-problems">
                    {src.parseProblems.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      src.parseProblems.map((pp) => (
                        <div key={`${pp.command ?? ''}:${pp.line}`}>
                          {pp.command && <code>{pp.command}</code>} line {pp.line}: {pp.reason}
                          <pre className={styles.parse}>{pp.raw}</pre>
                        </div>
                      ))
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableNav>
      </section>

      <section aria-labelledby="events-title" id="events">
        <h2 id="events-title">
          Events{' '}
          {m.events.available && (
            <Link className="button" href={`/events?cluster=${encodeURIComponent(clusterName)}&node=${encodeURIComponent(nodeName)}`} prefetch={false}>
              All events of this node
            </Link>
          )}
        </h2>
        {!m.events.available ? (
          <ErrorState title="No event log">
            <p>{input.events ? m.events.reason : eventsUnavailable(rt)}</p>
          </ErrorState>
        ) : m.events.rows.length === 0 ? (
          <EmptyState title="No state changes recorded for this node yet" />
        ) : (
          <EventTable rows={m.events.rows} label={`Events of ${s.name}`} showNode={false} testId="node-events" />
        )}
      </section>
      <LiveRefresh />
    </>
  );
}

function ServicesUnavailable({ state, at, what = 'services' }: { state: string; at?: number; what?: string }) {
  if (state === 'pending' || state === 'absent') return <EmptyState title={state === 'pending' ? `The ${what} of this node have not been polled yet` : `The ${what} of this node are not collected`} />;
  return (
    <ErrorState title={state === 'pending' ? `The ${what} of this node have not been polled yet` : `The ${what} of this node are ${state === 'absent' ? 'not collected' : state}`}>
      {at !== undefined && <p>Last successful poll: {formatTime(at)}. Older values are not shown as current.</p>}
    </ErrorState>
  );
}

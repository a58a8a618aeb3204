// /alerts: firing and pending alerts across the fleet grouped by cluster (since when, severity,
// summary, runbook, node page), maintenance windows and silences with the form to open and cancel
// them, resolved alerts from the database, the rules' health and where notifications go.
// Everything shown is computed by alerts/model.ts from the alerting service.
import Link from 'next/link';
import { FORM_DURATIONS } from '../../alerts/forms';
import type { AlertView, WindowView } from '../../alerts/handle';
import { alertsPage, formatDuration, formatTime, nodeHref, parseQuery, withQuery, type AlertsPage } from '../../alerts/model';
import { duration as promDuration } from '../../alerts/promql';
import { LiveRefresh } from '../components/live-refresh';
import { getRuntime } from '../lib/runtime';
import { cancelWindowAction } from './actions';
import { MaintenanceForm } from './maintenance-form';
import styles from './page.module.css';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AlertsPage({ searchParams }: { searchParams: SearchParams }) {
  const rt = getRuntime();
  if (!rt) {
    return (
      <section className="notice">
        <h1>Alerts</h1>
        <p>
          The dashboard runs inside <code>impulse start</code>: run <code>npm start</code> (the built-in lab) or <code>npm start -- --config impulse.config.yaml</code>.
        </p>
      </section>
    );
  }
  if (!rt.alerts) {
    return (
      <section className="notice">
        <h1>Alerts</h1>
        <p>Alerting is not running in this process; the log of impulse start says why (an unreadable alerting.*.tls.caBundle, for example).</p>
      </section>
    );
  }
  const sp = await searchParams;
  const view = alertsPage(rt.alerts, rt.inventory, parseQuery(sp));
  const now = Date.now();
  const preset = { cluster: first(sp.silenceCluster), node: first(sp.silenceNode), alertname: first(sp.silence) };
  return (
    <>
      <LiveRefresh />
      <Summary view={view} now={now} />
      <Filters view={view} />
      {view.groups.length === 0 ? (
        <section className="notice" data-testid="no-alerts">
          <h2>No alert is firing or pending</h2>
          <p>
            {view.total > 0
              ? `${view.total} alert${view.total === 1 ? ' is' : 's are'} hidden by the filter.`
              : view.unavailable
                ? 'Alerts cannot be evaluated right now (see above).'
                : `All ${view.rules.length} rules are quiet.`}
          </p>
        </section>
      ) : (
        view.groups.map((g) => (
          <section key={g.cluster || '-'} data-cluster={g.cluster} className={styles.cluster}>
            <h2>
              {g.cluster ? `Cluster ${g.cluster}` : 'IMPulse itself'}
              <Counts counts={g.counts} />
            </h2>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">State</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Alert</th>
                    <th scope="col">Node</th>
                    <th scope="col">Summary</th>
                    <th scope="col">Since</th>
                    <th scope="col">Runbook</th>
                    <th scope="col" aria-label="Actions" />
                  </tr>
                </thead>
                <tbody>
                  {g.alerts.map((a) => (
                    <AlertRowView key={a.fingerprint} a={a} now={now} />
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ))
      )}
      <Maintenance view={view} now={now} preset={preset} />
      <History view={view} />
      <Rules view={view} />
    </>
  );
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function Summary({ view, now }: { view: AlertsPage; now: number }) {
  return (
    <section className="summary" data-testid="alerts-summary">
      <h1>Alerts</h1>
      <p className={styles.counts}>
        <span className={`${styles.sev} ${styles.critical}`} data-count="critical">
          {view.counts.critical} critical
        </span>
        <span className={`${styles.sev} ${styles.warning}`} data-count="warning">
          {view.counts.warning} warning
        </span>
        <span className={`${styles.sev} ${styles.info}`} data-count="info">
          {view.counts.info} info
        </span>
        <span className={styles.sev} data-count="pending">
          {view.counts.pending} pending
        </span>
        {view.counts.suppressed > 0 && (
          <span className={styles.sev} data-count="suppressed">
            {view.counts.suppressed} in maintenance
          </span>
        )}
      </p>
      <dl>
        <dt>Evaluation</dt>
        <dd>
          {view.mode === 'embedded'
            ? `IMPulse evaluates ${view.rules.length} rules every ${formatDuration(view.intervalMs)} and as new observations arrive`
            : `Prometheus evaluates the rules; IMPulse reads its alerts every ${formatDuration(view.intervalMs)}`}
          {view.evaluatedAt !== undefined && (
            <>
              {' '}
              (latest <time dateTime={new Date(view.evaluatedAt).toISOString()}>{formatDuration(now - view.evaluatedAt)} ago</time>
              {view.lastCycleMs !== undefined && `, ${view.lastCycleMs.toFixed(1)} ms`})
            </>
          )}
        </dd>
        <dt>Notifications</dt>
        <dd>
          {view.targets.length === 0 ? (
            <span className="hint">none configured (alerting.alertmanagers, alerting.webhooks): alerts show here only</span>
          ) : (
            <ul className={styles.plain}>
              {view.targets.map((t) => (
                <li key={`${t.kind} ${t.url}`} data-target={t.kind}>
                  {t.kind === 'alertmanager' ? 'Alertmanager' : 'Webhook'} <code>{t.url}</code>:{' '}
                  {t.lastErrorAt !== undefined && (t.lastSuccessAt ?? 0) < t.lastErrorAt ? (
                    <span className={styles.bad}>failing ({t.lastError})</span>
                  ) : t.lastSuccessAt !== undefined ? (
                    <span>delivered {t.sent}, latest {formatDuration(now - t.lastSuccessAt)} ago</span>
                  ) : (
                    <span className="hint">nothing sent yet</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      {view.unavailable && (
        <p className={styles.bad} role="alert">
          {view.unavailable}
        </p>
      )}
      {view.problems.map((p) => (
        <p key={p} className={styles.bad}>
          {p}
        </p>
      ))}
    </section>
  );
}

function Counts({ counts }: { counts: { critical: number; warning: number; info: number; pending: number } }) {
  return (
    <span className={styles.counts}>
      {counts.critical > 0 && <span className={`${styles.sev} ${styles.critical}`}>{counts.critical} critical</span>}
      {counts.warning > 0 && <span className={`${styles.sev} ${styles.warning}`}>{counts.warning} warning</span>}
      {counts.info > 0 && <span className={`${styles.sev} ${styles.info}`}>{counts.info} info</span>}
      {counts.pending > 0 && <span className={styles.sev}>{counts.pending} pending</span>}
    </span>
  );
}

function Filters({ view }: { view: AlertsPage }) {
  const q = view.query;
  return (
    <section className={styles.filters}>
      <form method="get" action="/alerts">
        <label>
          Cluster
          <select name="cluster" defaultValue={q.cluster ?? ''}>
            <option value="">all</option>
            {view.choices.clusters.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        <label>
          Severity
          <select name="severity" defaultValue={q.severity ?? ''}>
            <option value="">all</option>
            {view.choices.severities.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          State
          <select name="state" defaultValue={q.state ?? ''}>
            <option value="">firing and pending</option>
            <option value="firing">firing</option>
            <option value="pending">pending</option>
          </select>
        </label>
        <label>
          Alert
          <select name="alertname" defaultValue={q.alertname ?? ''}>
            <option value="">all</option>
            {view.choices.alertnames.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
        {(q.cluster || q.severity || q.state || q.alertname) && <Link href="/alerts">Clear</Link>}
      </form>
    </section>
  );
}

function AlertRowView({ a, now }: { a: AlertView; now: number }) {
  const silenceHref = `/alerts?${new URLSearchParams({ silence: a.alertname, ...(a.cluster ? { silenceCluster: a.cluster } : {}), ...(a.node ? { silenceNode: a.node } : {}) })}#maintenance`;
  const extra = Object.entries(a.labels).filter(([k]) => !['alertname', 'severity', 'cluster', 'node'].includes(k));
  return (
    <tr data-alert={a.alertname} data-state={a.state} data-node={a.node ?? ''} className={a.suppressedBy ? styles.suppressed : undefined}>
      <td>
        <span className={`${styles.state} ${a.state === 'firing' ? styles.firing : styles.pending}`} data-field="state">
          {a.state === 'firing' ? 'Firing' : 'Pending'}
        </span>
      </td>
      <td>
        <span className={`${styles.sev} ${styles[a.severity] ?? ''}`} data-field="severity">
          {a.severity}
        </span>
      </td>
      <th scope="row" data-field="alertname">
        <Link href={a.runbookPath}>{a.alertname}</Link>
        {extra.length > 0 && <div className={styles.labels}>{extra.map(([k, v]) => `${k}=${v}`).join(' · ')}</div>}
      </th>
      <td data-field="node">{a.node && a.cluster ? <Link href={nodeHref(a.cluster, a.node)}>{a.node}</Link> : <span className="hint">—</span>}</td>
      <td data-field="summary">
        {a.summary}
        <details className={styles.description}>
          <summary>details</summary>
          <p>{a.description}</p>
        </details>
        {a.suppressedBy && (
          <div className={styles.maint} data-field="maintenance">
            in maintenance: {a.suppressedBy.scope} (#{a.suppressedBy.id}, {a.suppressedBy.reason})
          </div>
        )}
      </td>
      <td data-field="since">
        <time dateTime={new Date(a.activeAt).toISOString()} title={formatTime(a.activeAt)}>
          {formatTime(a.activeAt)}
        </time>
        <div className="hint">for {formatDuration(now - a.activeAt)}</div>
      </td>
      <td>
        <Link href={a.runbookPath} data-field="runbook">
          runbook
        </Link>
      </td>
      <td>{!a.suppressedBy && <Link href={silenceHref}>silence…</Link>}</td>
    </tr>
  );
}

function Maintenance({ view, now, preset }: { view: AlertsPage; now: number; preset: { cluster?: string; node?: string; alertname?: string } }) {
  const { current, past, persistent } = view.windows;
  return (
    <section id="maintenance" data-testid="maintenance">
      <h2>Maintenance windows and silences</h2>
      <p className="hint">
        A maintenance window keeps a cluster's or a node's alerts quiet during an upgrade or a reboot (Cisco: suspend cluster-wide or node-wide alerts); with one alert chosen it is a silence.
        {view.silences.alertmanagers > 0 ? ' Each one is also a silence on every configured Alertmanager.' : ' Alerts still show here, marked "in maintenance", but are not notified.'}
        {!persistent && ' The database is not available: windows last until IMPulse restarts.'}
      </p>
      {current.length === 0 ? (
        <p data-testid="no-windows">No maintenance window is open or scheduled.</p>
      ) : (
        <WindowsTable windows={current} now={now} testId="windows" />
      )}
      <h3>Open a maintenance window or a silence</h3>
      <MaintenanceForm clusters={view.choices.clusters} alertnames={view.choices.alertnames} durations={FORM_DURATIONS} preset={preset} />
      {view.silences.alertmanagers > 0 && (
        <>
          <h3>Alertmanager silences</h3>
          {view.silences.errors.map((e) => (
            <p key={e} className={styles.bad}>
              {e}
            </p>
          ))}
          {view.silences.list.length === 0 ? (
            <p className="hint">No active or pending silence{view.silences.fetchedAt ? ` (read ${formatDuration(now - view.silences.fetchedAt)} ago)` : ''}.</p>
          ) : (
            <div className="table-wrap">
              <table data-testid="silences">
                <thead>
                  <tr>
                    <th scope="col">Alertmanager</th>
                    <th scope="col">Matchers</th>
                    <th scope="col">State</th>
                    <th scope="col">Until</th>
                    <th scope="col">By</th>
                    <th scope="col">Comment</th>
                  </tr>
                </thead>
                <tbody>
                  {view.silences.list.map((s) => (
                    <tr key={`${s.alertmanager} ${s.id}`} data-silence={s.id}>
                      <td>
                        <code>{s.alertmanager}</code>
                      </td>
                      <td>
                        <code>{s.matchers}</code>
                      </td>
                      <td>{s.state}</td>
                      <td>{formatTime(Date.parse(s.endsAt))}</td>
                      <td>{s.createdBy}</td>
                      <td>
                        {s.comment}
                        {s.windowId !== undefined && <span className="hint"> (window #{s.windowId})</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {past.length > 0 && (
        <details className={styles.past}>
          <summary>Recent windows ({past.length})</summary>
          <WindowsTable windows={past} now={now} />
        </details>
      )}
    </section>
  );
}

function WindowsTable({ windows, now, testId }: { windows: WindowView[]; now: number; testId?: string }) {
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Scope</th>
            <th scope="col">Status</th>
            <th scope="col">From</th>
            <th scope="col">Until</th>
            <th scope="col">Reason</th>
            <th scope="col">Opened by</th>
            <th scope="col" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {windows.map((w) => (
            <WindowRow key={w.id} w={w} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WindowRow({ w, now }: { w: WindowView; now: number }) {
  const open = w.status === 'active' || w.status === 'scheduled';
  return (
    <tr data-window={w.id} data-status={w.status}>
      <td>{w.id}</td>
      <td>{w.scope}</td>
      <td>
        <span className={`${styles.state} ${w.status === 'active' ? styles.firing : ''}`}>{w.status}</span>
        {w.status === 'active' && w.suppressing > 0 && <div className="hint">{w.suppressing} alert(s) kept quiet</div>}
        {w.pendingSilences.length > 0 && <div className={styles.bad}>silence not yet on {w.pendingSilences.join(', ')}</div>}
        {w.status === 'cancelled' && w.cancelledBy && <div className="hint">by {w.cancelledBy}</div>}
      </td>
      <td>{formatTime(w.startsAt)}</td>
      <td>
        {formatTime(w.endsAt)}
        {w.status === 'active' && <div className="hint">{formatDuration(w.endsAt - now)} left</div>}
      </td>
      <td>{w.reason}</td>
      <td>
        {w.createdBy} <span className="hint">({w.createdFrom})</span>
      </td>
      <td>
        {open && (
          <form action={cancelWindowAction} className={styles.cancel}>
            <input type="hidden" name="id" value={w.id} />
            <button type="submit">Cancel</button>
          </form>
        )}
      </td>
    </tr>
  );
}

function History({ view }: { view: AlertsPage }) {
  const h = view.history;
  return (
    <section id="history" data-testid="history">
      <h2>Resolved alerts</h2>
      {!h.available ? (
        <p className="hint">History unavailable: {h.reason}</p>
      ) : h.rows.length === 0 ? (
        <p className="hint">No resolved alert{view.query.cluster || view.query.alertname || view.query.severity ? ' matches the filter' : ' yet'}.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Alert</th>
                <th scope="col">Cluster</th>
                <th scope="col">Node</th>
                <th scope="col">Summary</th>
                <th scope="col">Fired</th>
                <th scope="col">Resolved</th>
                <th scope="col">Lasted</th>
              </tr>
            </thead>
            <tbody>
              {h.rows.map((r) => (
                <tr key={r.id} data-history={r.alertname}>
                  <td>
                    <span className={`${styles.sev} ${styles[r.severity] ?? ''}`}>{r.severity}</span>
                  </td>
                  <td>
                    <Link href={`/alerts/runbooks/${r.alertname}`}>{r.alertname}</Link>
                  </td>
                  <td>{r.cluster ?? '—'}</td>
                  <td>{r.node && r.cluster ? <Link href={nodeHref(r.cluster, r.node)}>{r.node}</Link> : (r.node ?? '—')}</td>
                  <td>{r.summary}</td>
                  <td>{formatTime(r.firedAt ?? r.activeAt)}</td>
                  <td>{r.resolvedAt ? formatTime(r.resolvedAt) : '—'}</td>
                  <td>{r.resolvedAt ? formatDuration(r.resolvedAt - (r.firedAt ?? r.activeAt)) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {h.next !== undefined && (
        <p>
          <Link href={`${withQuery(view.query, { before: h.next })}#history`}>Older…</Link>
        </p>
      )}
    </section>
  );
}

function Rules({ view }: { view: AlertsPage }) {
  const unhealthy = view.rules.filter((r) => r.health === 'err');
  return (
    <section id="rules" className={styles.rules}>
      <details open={unhealthy.length > 0}>
        <summary>
          <h2 className={styles.inline}>Rules ({view.rules.length})</h2>
          {unhealthy.length > 0 && <span className={styles.bad}> {unhealthy.length} failing</span>}
        </summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Alert</th>
                <th scope="col">Severity</th>
                <th scope="col">For</th>
                <th scope="col">Name from</th>
                <th scope="col">Now</th>
                <th scope="col">Health</th>
                <th scope="col">Condition (PromQL)</th>
              </tr>
            </thead>
            <tbody>
              {view.rules.map((r) => (
                <tr key={r.name} data-rule={r.name}>
                  <th scope="row">
                    <Link href={r.runbookPath}>{r.name}</Link>
                  </th>
                  <td>{r.severity}</td>
                  <td>{promDuration(r.for)}</td>
                  <td>{r.origin === 'impulse' ? 'IMPulse' : r.origin === 'cisco' ? 'Cisco' : 'Cisco (closest signal)'}</td>
                  <td>
                    {r.firing > 0 && <Link href={withQuery({}, { alertname: r.name })}>{r.firing} firing</Link>} {r.pending > 0 && `${r.pending} pending`}
                  </td>
                  <td className={r.health === 'err' ? styles.bad : undefined}>{r.health === 'err' ? `error: ${r.lastError}` : r.health}</td>
                  <td>
                    <code className={styles.promql}>{r.promql}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

// Lab (/lab, built-in lab only): the fault kinds the simulated deployment accepts, the active
// faults, and forms to inject and clear them (and to run the HA operations an administrator would),
// so a first-time user sees the dashboard react. Forms post to /lab/actions (server-side).
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { labPanel, type LabPanel } from '../../server/lab-control';
import { LiveRefresh } from '../components/live-refresh';
import { EmptyState, ErrorState, NoRuntime } from '../components/states';
import { TableNav } from '../components/table-nav';
import { type SearchParams } from '../lib/fleet';
import { getRuntime } from '../lib/runtime';
import styles from './lab.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Lab' };

export default async function LabPage({ searchParams }: { searchParams: SearchParams }) {
  const rt = getRuntime();
  if (!rt) return <NoRuntime />;
  if (!rt.lab) notFound();
  const q = await searchParams;
  const done = typeof q.done === 'string' ? q.done : undefined;
  const error = typeof q.error === 'string' ? q.error : undefined;
  let panel: LabPanel | undefined;
  let failure: string | undefined;
  try {
    panel = await labPanel(rt.lab.controlUrl);
  } catch (err) {
    failure = (err as Error).message;
  }
  return (
    <>
      <div className="page-head">
        <h1>Lab</h1>
        <p className="meta">
          <span>
            The built-in lab simulates the deployment this dashboard watches. Inject a fault and watch the overview, <a href="/ha">/ha</a> and <a href="/events">/events</a> react within
            a collection interval or two.
          </span>
          {panel && (
            <span data-testid="lab-clock">
              Simulated clock {panel.clock.now.slice(0, 19).replace('T', ' ')} UTC{panel.clock.timeScale !== 1 ? `, running ${panel.clock.timeScale}× real time` : ''}
            </span>
          )}
        </p>
      </div>
      {done && (
        <p className={styles.done} role="status" data-testid="lab-result">
          {done}
        </p>
      )}
      {error && (
        <p className={styles.error} role="alert" data-testid="lab-error">
          The lab refused: {error}
        </p>
      )}
      {failure || !panel ? (
        <ErrorState title="The lab's control API does not answer">
          <p>{failure}</p>
        </ErrorState>
      ) : (
        <>
          <section aria-labelledby="inject-title">
            <h2 id="inject-title">Inject a fault</h2>
            <form method="post" action="/lab/actions" className="filters" data-testid="inject-form">
              <input type="hidden" name="action" value="inject" />
              <label>
                Fault
                <select name="kind" required defaultValue="critical-service-down">
                  {panel.kinds.map((k) => (
                    <option key={k.kind} value={k.kind}>
                      {k.kind}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Target
                <select name="target" required>
                  {panel.clusters.map((c) => (
                    <optgroup key={c.name} label={`${c.name} (${c.product === 'imp' ? 'IM&P' : 'CUCM'})`}>
                      <option value={c.name}>{c.name} — whole cluster</option>
                      {c.nodes.map((n) => (
                        <option key={n.name} value={n.name}>
                          {n.name} ({n.role})
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              </label>
              <label>
                Parameters (optional)
                <input type="text" name="params" placeholder="e.g. service=Cisco XCP Router days=3" className={styles.params} />
              </label>
              <p className="actions">
                <button type="submit" className="primary">
                  Inject
                </button>
              </p>
            </form>
            <TableNav label="Fault kinds">
              <table className={styles.kinds}>
                <thead>
                  <tr>
                    <th scope="col">Fault</th>
                    <th scope="col">Applies to</th>
                    <th scope="col">What it does</th>
                  </tr>
                </thead>
                <tbody>
                  {panel.kinds.map((k) => (
                    <tr key={k.kind} data-kind={k.kind}>
                      <th scope="row">{k.kind}</th>
                      <td>{k.scope === 'node' ? 'a node (or every node of a cluster)' : 'a cluster'}</td>
                      <td>{k.summary}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableNav>
          </section>

          <section aria-labelledby="active-title">
            <h2 id="active-title">
              Active faults ({panel.faults.length})
              {panel.faults.length > 0 && (
                <form method="post" action="/lab/actions">
                  <input type="hidden" name="action" value="clear-all" />
                  <button type="submit" className="danger">
                    Clear all
                  </button>
                </form>
              )}
            </h2>
            {panel.faults.length === 0 ? (
              <EmptyState title="No fault is active: the lab behaves like a healthy deployment" />
            ) : (
              <TableNav label="Active faults">
                <table data-testid="active-faults">
                  <thead>
                    <tr>
                      <th scope="col">Id</th>
                      <th scope="col">Fault</th>
                      <th scope="col">Target</th>
                      <th scope="col">What it did</th>
                      <th scope="col">Applied (simulated time)</th>
                      <th scope="col">
                        <span className="visually-hidden">Clear</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {panel.faults.map((f) => (
                      <tr key={f.id} data-fault={f.id} data-kind={f.kind} data-target={f.target}>
                        <th scope="row">{f.id}</th>
                        <td>{f.kind}</td>
                        <td>
                          {f.target}
                          {f.nodes.length > 1 && <div className="muted">{f.nodes.join(', ')}</div>}
                        </td>
                        <td>{f.detail}</td>
                        <td className="nowrap">{f.appliedAt.slice(0, 19).replace('T', ' ')} UTC</td>
                        <td>
                          <form method="post" action="/lab/actions">
                            <input type="hidden" name="action" value="clear" />
                            <input type="hidden" name="id" value={f.id} />
                            <button type="submit" aria-label={`Clear ${f.id} (${f.kind} on ${f.target})`}>
                              Clear
                            </button>
                          </form>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableNav>
            )}
          </section>

          <section aria-labelledby="groups-title">
            <h2 id="groups-title">Presence redundancy groups (administrator operations)</h2>
            <p className="hint">What an administrator does in the Presence Redundancy Group Configuration window: manual failover, manual fallback, Recovery.</p>
            <TableNav label="Lab presence redundancy groups">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Group</th>
                    <th scope="col">Cluster</th>
                    <th scope="col">Nodes</th>
                    <th scope="col">HA</th>
                    <th scope="col">Phase</th>
                    <th scope="col">Operations</th>
                  </tr>
                </thead>
                <tbody>
                  {panel.groups.map((g) => (
                    <tr key={g.name} data-group={g.name}>
                      <th scope="row">{g.name}</th>
                      <td>{g.cluster}</td>
                      <td>{g.nodes.join(', ')}</td>
                      <td>{g.haEnabled ? 'enabled' : 'not enabled'}</td>
                      <td>{g.phase ?? ''}</td>
                      <td className={styles.ops}>
                        {(['failover', 'fallback', 'recover'] as const).map((op) => (
                          <form key={op} method="post" action="/lab/actions">
                            <input type="hidden" name="action" value="group" />
                            <input type="hidden" name="group" value={g.name} />
                            <input type="hidden" name="op" value={op} />
                            <button type="submit" disabled={!g.haEnabled || g.nodes.length < 2}>
                              {op === 'failover' ? 'Manual failover' : op === 'fallback' ? 'Manual fallback' : 'Recovery'}
                            </button>
                          </form>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableNav>
          </section>
        </>
      )}
      <LiveRefresh />
    </>
  );
}

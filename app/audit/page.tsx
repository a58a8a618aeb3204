// /audit: who did what, when, from where, and how it ended — filters in the query string (deep
// links), newest first, 100 per page, CSV export of the filtered log. Admin only.
import { auditPage, parseAuditQuery } from '../../server/security/audit-view';
import { getRuntime } from '../lib/runtime';
import styles from './audit.module.css';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Audit log · IMPulse' };

type Search = Promise<Record<string, string | string[] | undefined>>;

function when(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}`;
}

export default async function AuditPage({ searchParams }: { searchParams: Search }) {
  const q = parseAuditQuery(await searchParams);
  const view = auditPage(getRuntime(), q);
  const keep = new URLSearchParams(Object.entries(q.values).filter(([, v]) => v !== ''));
  const exportHref = `/api/audit/export${keep.size ? `?${keep}` : ''}`;
  const olderHref = view.older !== undefined ? `/audit?${new URLSearchParams({ ...Object.fromEntries(keep), before: String(view.older) })}` : undefined;
  const prefixes = [...new Set(view.actions.map((a) => `${a.split('.')[0]}.`))];
  return (
    <section>
      <h1>Audit log</h1>
      <p className={styles.count}>
        Sign-ins, account and role changes, configuration reloads, lab faults, troubleshooter runs, readiness reports, maintenance windows and silences. Kept {view.retentionDays} days. Times in UTC.
      </p>
      <form className={styles.filters} method="get" action="/audit">
        <label>
          Actor
          <input name="actor" list="audit-actors" defaultValue={q.values.actor} />
          <datalist id="audit-actors">
            {view.actors.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label>
          Action
          <select name="action" defaultValue={q.values.action}>
            <option value="">any</option>
            {prefixes.map((p) => (
              <option key={p} value={p}>
                {p}*
              </option>
            ))}
            {view.actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select name="outcome" defaultValue={q.values.outcome}>
            <option value="">any</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
            <option value="denied">denied</option>
          </select>
        </label>
        <label>
          Target or detail contains
          <input name="q" defaultValue={q.values.q} />
        </label>
        <label>
          From (UTC day)
          <input name="from" type="date" defaultValue={q.values.from} />
        </label>
        <label>
          To (UTC day, inclusive)
          <input name="to" type="date" defaultValue={q.values.to} />
        </label>
        <div className={styles.actions}>
          <button className={styles.button} type="submit">
            Filter
          </button>
          <a className={styles.link} href="/audit">
            Clear
          </a>
          <a className={styles.link} href={exportHref} data-testid="audit-export">
            Export CSV
          </a>
        </div>
      </form>
      {q.problems.length > 0 && <p className={styles.problem}>Ignored: {q.problems.join('; ')}.</p>}
      {view.state === 'unavailable' ? (
        <p className={styles.problem} data-testid="audit-unavailable">
          The audit log is unavailable: {view.message}
        </p>
      ) : (
        <>
          {view.message && <p className={styles.problem}>{view.message}</p>}
          <p className={styles.count} data-testid="audit-count">
            {view.total} entr{view.total === 1 ? 'y' : 'ies'}
            {q.before !== undefined ? ' (older page)' : ''}
          </p>
          {view.rows.length === 0 ? (
            <p className="hint">No entries match these filters.</p>
          ) : (
            <div className="table-wrap">
              <table data-testid="audit-table">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Actor</th>
                    <th scope="col">From</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {view.rows.map((r) => (
                    <tr key={r.id} data-action={r.action} data-actor={r.actor} data-outcome={r.outcome}>
                      <td className={styles.when}>{when(r.at)}</td>
                      <th scope="row">{r.actor}</th>
                      <td>
                        <code>{r.address}</code>
                      </td>
                      <td>
                        <code>{r.action}</code>
                      </td>
                      <td>{r.target}</td>
                      <td className={styles[r.outcome]}>{r.outcome}</td>
                      <td className={styles.detail}>{r.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {olderHref && (
            <p className={styles.pager}>
              <a href={olderHref}>Older entries →</a>
            </p>
          )}
        </>
      )}
    </section>
  );
}

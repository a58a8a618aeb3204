// /users: user ID and directory URI validation across every cluster (U1–U6): every flagged user,
// searchable and filtered by check, cluster and node (deep links in the query string), paged without
// a 10-user cap, with CSV, JSON and Cisco-layout text downloads of the same view.
import { getRuntime } from '../lib/runtime';
import { PageIntro } from '../troubleshooter/_components/page-intro';
import { usersView } from '../../diagnostics/models/users';
import type { SearchParams } from '../../diagnostics/models/common';
import { History, Notice } from '../troubleshooter/_components/history';
import { RunForm } from '../troubleshooter/_components/run-form';
import { RunProgress } from '../troubleshooter/_components/run-progress';
import { StatusMark } from '../troubleshooter/_components/status-mark';
import styles from '../troubleshooter/_components/diagnostics.module.css';

export const dynamic = 'force-dynamic';

export default async function UsersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const view = usersView(getRuntime(), await searchParams);
  if (!view.ok) return <Notice title={view.title} message={view.message} />;
  const run = view.run;
  return (
    <>
      <PageIntro
        title="Users"
        intro="User IDs, directory URIs and mail IDs of every IM&P cluster, read through AXL and validated across the fleet (Cisco's User Troubleshooter, without its 10-user cap)."
        historyUnavailable={view.historyUnavailable}
        form={<RunForm kind="users" path="/users" label="Validate users" clusters={view.clusters.map((name) => ({ name, product: 'IM&P' }))} activeId={view.active?.id} />}
        hasRun={Boolean(run)}
        emptyTitle="No user validation yet"
        emptyHint="Validate the users above, or from a shell: impulse validate-users."
      />
      {run && (
        <section data-testid="run" data-run={run.id} data-run-status={run.status}>
          <h2>
            Run #{run.id} ({run.kind === 'users' ? 'user validation' : 'troubleshooter'})
          </h2>
          <p className="meta">
            <span>Started {run.startedAt}</span>
            <span>
              by {run.actor} ({run.origin})
            </span>
            {view.users && (
              <span>
                {view.users.users.toLocaleString('en-US')} users of {view.users.clusters} clusters
              </span>
            )}
            {view.ldap?.map((l) => (
              <span key={l.name}>
                LDAP {l.name}: {l.ok ? `${l.found} of ${l.lookedUp} flagged users found` : `not read (${l.error})`}
              </span>
            ))}
          </p>
          {view.progress && <RunProgress runId={run.id} initial={view.progress} />}
          <div className={styles.checkCards}>
            {view.checks.map((c) => (
              <a key={c.id} className={styles.checkCard} href={c.href} aria-current={c.selected ? 'true' : undefined} data-check={c.id} data-status={c.status}>
                <StatusMark status={c.status} label={c.statusLabel} /> <span className={styles.checkId}>{c.id}</span>
                {c.title}
                <div className={styles.summaryLine}>{c.summary}</div>
              </a>
            ))}
          </div>
          {view.checks
            .filter((c) => c.selected && c.problem)
            .map((c) => (
              <div key={c.id}>
                <p>
                  <strong>Problem:</strong> {c.problem}
                </p>
                <p>
                  <strong>Solution:</strong> {c.solution}
                </p>
              </div>
            ))}
          <form className={styles.filters} method="get">
            <input type="hidden" name="run" value={run.id} />
            <label>
              Check
              <select name="check" defaultValue={view.filters.check ?? ''}>
                <option value="">All user checks</option>
                {view.checks.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.id} ({c.count})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Cluster
              <select name="cluster" defaultValue={view.filters.cluster ?? ''}>
                <option value="">All</option>
                {view.clusters.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label>
              Node
              <select name="node" defaultValue={view.filters.node ?? ''}>
                <option value="">All</option>
                {view.nodes.map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </select>
            </label>
            <label>
              Search
              <input type="search" name="q" defaultValue={view.filters.q ?? ''} placeholder="user ID, URI, mail" />
            </label>
            <button type="submit">Filter</button>
          </form>
          <div className={styles.downloads}>
            <a href={view.csvHref}>CSV</a>
            <a href={view.textHref}>Text (utils users validate all layout)</a>
            <a href={view.jsonHref}>JSON</a>
          </div>
          <p className="meta" data-testid="users-total">
            {view.total.toLocaleString('en-US')} flagged user{view.total === 1 ? '' : 's'}
            {view.total > 0 && ` — page ${view.page} of ${view.pages}`}
          </p>
          {view.rows.length > 0 && (
            <div className="table-wrap">
              <table data-testid="users-table">
                <thead>
                  <tr>
                    <th scope="col">Check</th>
                    <th scope="col">User ID</th>
                    <th scope="col">Cluster</th>
                    <th scope="col">Node</th>
                    <th scope="col">Directory URI</th>
                    <th scope="col">Mail ID</th>
                    <th scope="col">Shared value</th>
                    <th scope="col">Detail</th>
                    <th scope="col">Fix</th>
                  </tr>
                </thead>
                <tbody>
                  {view.rows.map((r, k) => (
                    <tr key={k} data-user={r.userId} data-cluster={r.cluster} data-check={r.checkId}>
                      <td>{r.checkId}</td>
                      <td>{r.userId}</td>
                      <td>{r.cluster}</td>
                      <td>{r.node}</td>
                      <td>{r.directoryUri}</td>
                      <td>{r.mail}</td>
                      <td>{r.shared}</td>
                      <td>
                        {r.detail}
                        {r.ldap && <div className={styles.ldap}>From LDAP: {r.ldap}</div>}
                      </td>
                      <td>{r.fix && <a href={r.fix}>fix</a>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className={styles.pager}>
            {view.prevHref ? <a href={view.prevHref}>← Previous</a> : <span />}
            {view.nextHref && <a href={view.nextHref}>Next →</a>}
          </div>
        </section>
      )}
      <History rows={view.history} current={run?.id} showKind />
    </>
  );
}

// /troubleshooter: the System Troubleshooter for the whole fleet — run it (all checks across all
// clusters by default), follow it live, read the results section by section like Cisco's page, every
// affected item, the diff with an earlier run, and the history.
import { getRuntime } from '../lib/runtime';
import { PageIntro } from './_components/page-intro';
import { troubleshooterView } from '../../diagnostics/models/troubleshooter';
import type { SearchParams } from '../../diagnostics/models/common';
import { History, Notice } from './_components/history';
import { ItemsTable, ResultsTable } from './_components/results';
import { RunForm } from './_components/run-form';
import { RunProgress } from './_components/run-progress';
import { StatusMark } from './_components/status-mark';
import styles from './_components/diagnostics.module.css';

export const dynamic = 'force-dynamic';

export default async function TroubleshooterPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const view = troubleshooterView(getRuntime(), await searchParams);
  if (!view.ok) return <Notice title={view.title} message={view.message} />;
  const run = view.run;
  return (
    <>
      <PageIntro
        title="System Troubleshooter"
        intro="Every check across every cluster: users, intercluster peering, High Availability, replication, certificates, services and platform."
        historyUnavailable={view.historyUnavailable}
        form={<RunForm kind="troubleshooter" path="/troubleshooter" label="Run troubleshooter" clusters={view.clusters} checks={view.checks} activeId={view.active?.id} />}
        hasRun={Boolean(run)}
        emptyTitle="No troubleshooter run yet"
        emptyHint="Run the troubleshooter above, or from a shell: impulse troubleshoot."
      />
      {run && (
        <section data-testid="run" data-run={run.id} data-run-status={run.status}>
          <h2>
            Run #{run.id} <StatusMark status={run.status === 'running' ? 'running' : run.status === 'completed' ? 'passed' : 'failed'} label={run.statusLabel} />
          </h2>
          <p className="meta">
            <span>Started {run.startedAt}</span>
            {run.duration && <span>took {run.duration}</span>}
            <span>
              by {run.actor}
              {run.address ? ` from ${run.address}` : ''} ({run.origin})
            </span>
            <span>{run.scope}</span>
            {run.countsText && <span data-testid="run-counts">{run.countsText}</span>}
            {run.requests && <span>{run.requests}</span>}
            {view.csvHref && <a href={view.csvHref}>Download CSV</a>}
          </p>
          {run.error && <p className={styles.message}>{run.error}</p>}
          {view.progress && <RunProgress runId={run.id} initial={view.progress} />}
        </section>
      )}
      {view.sections.map((s) => (
        <section key={s.section} data-section={s.section}>
          <h2>{s.section}</h2>
          <ResultsTable results={s.results} />
        </section>
      ))}
      {view.focus && (
        <section data-testid="focus" data-check={view.focus.result.checkId}>
          <h2>
            {view.focus.result.checkId}: every affected item ({view.focus.total.toLocaleString('en-US')})
          </h2>
          <p className="meta">{view.focus.result.title}</p>
          <ItemsTable items={view.focus.items} />
          <div className={styles.pager}>
            {view.focus.prevHref ? <a href={view.focus.prevHref}>← Previous</a> : <span />}
            <span>
              Page {view.focus.page} of {view.focus.pages}
            </span>
            {view.focus.nextHref && <a href={view.focus.nextHref}>Next →</a>}
          </div>
        </section>
      )}
      {view.diff && (
        <section data-testid="diff">
          <h2>
            Compared with run #{view.diff.previous.id} ({view.diff.previous.startedAt})
          </h2>
          <form className={styles.filters} method="get">
            <input type="hidden" name="run" value={run?.id} />
            <label>
              Compare with
              <select name="compare" defaultValue={view.diff.previous.id}>
                {view.diff.compareOptions.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">Compare</button>
          </form>
          <p className={styles.diffCounts}>
            <span className={styles.newProblem} data-testid="diff-new">
              {view.diff.newCount} new problem{view.diff.newCount === 1 ? '' : 's'}
            </span>
            <span className={styles.fixedProblem} data-testid="diff-fixed">
              {view.diff.fixedCount} fixed
            </span>
            <span data-testid="diff-unchanged">{view.diff.unchanged} unchanged</span>
          </p>
          {view.diff.changed.length > 0 && (
            <ul>
              {view.diff.changed.map((c) => (
                <li key={c.checkId} data-changed={c.checkId}>
                  <span className={styles.checkId}>{c.checkId}</span>
                  {c.title}: {c.before} → {c.after}
                </li>
              ))}
            </ul>
          )}
          {view.diff.newProblems.length > 0 && (
            <details open>
              <summary>New problems</summary>
              <ItemsTable items={view.diff.newProblems} testId="diff-new-items" />
            </details>
          )}
          {view.diff.fixed.length > 0 && (
            <details open>
              <summary>Fixed since run #{view.diff.previous.id}</summary>
              <ItemsTable items={view.diff.fixed} testId="diff-fixed-items" />
            </details>
          )}
        </section>
      )}
      <History rows={view.history} current={run?.id} />
    </>
  );
}

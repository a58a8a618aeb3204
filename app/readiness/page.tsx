// /readiness: the pre-upgrade readiness report — Go / No-Go per cluster with the reasons, the manual
// checklist the engineer ticks (saved with the run), the checks behind the verdicts, the history, and
// the report as one self-contained HTML file to attach to a change ticket.
import { getRuntime } from '../lib/runtime';
import { PageIntro } from '../troubleshooter/_components/page-intro';
import { readinessView } from '../../diagnostics/models/readiness';
import type { SearchParams } from '../../diagnostics/models/common';
import { ChecklistBox } from '../troubleshooter/_components/checklist-box';
import { History, Notice } from '../troubleshooter/_components/history';
import { ResultsTable } from '../troubleshooter/_components/results';
import { RunForm } from '../troubleshooter/_components/run-form';
import { RunProgress } from '../troubleshooter/_components/run-progress';
import styles from '../troubleshooter/_components/diagnostics.module.css';

export const dynamic = 'force-dynamic';

const verdictClass = (v: string) => (v === 'Go' ? styles.go : v === 'No-Go' ? styles.nogo : styles.pending);

export default async function ReadinessPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const view = readinessView(getRuntime(), await searchParams);
  if (!view.ok) return <Notice title={view.title} message={view.message} />;
  const run = view.run;
  return (
    <>
      <PageIntro
        title="Pre-upgrade readiness"
        intro={`Replication, High Availability, critical services, disk space, certificates valid through the ${view.upgradeWindowDays}-day upgrade window, versions, NTP, core dumps, utils diagnose test and users — then Cisco's manual checklist.`}
        historyUnavailable={view.historyUnavailable}
        form={<RunForm kind="readiness" path="/readiness" label="Check readiness" clusters={view.clusters} activeId={view.active?.id} />}
        hasRun={Boolean(run)}
        emptyTitle="No readiness report yet"
        emptyHint="Check readiness above, or from a shell: impulse readiness."
      />
      {run && (
        <section data-testid="run" data-run={run.id} data-run-status={run.status}>
          <h2>
            Report #{run.id}{' '}
            {view.overall && (
              <span className={verdictClass(view.overall.verdict)} data-testid="overall">
                {view.overall.verdict}
              </span>
            )}
          </h2>
          <p className="meta">
            <span>Started {run.startedAt}</span>
            <span>
              by {run.actor} ({run.origin})
            </span>
            {view.overall && (
              <span>
                checklist {view.overall.confirmed} of {view.overall.total} confirmed
              </span>
            )}
            {view.htmlHref && <a href={view.htmlHref}>Download HTML report</a>}
          </p>
          {run.error && <p className={styles.message}>{run.error}</p>}
          {view.progress && <RunProgress runId={run.id} initial={view.progress} />}
          {view.report && (
            <div className={styles.verdicts}>
              {view.report.clusters.map((c) => (
                <div key={c.cluster} className={styles.verdict} data-cluster={c.cluster} data-verdict={c.verdict}>
                  <h3>
                    <span>
                      {c.cluster} <small>({c.product === 'imp' ? 'IM&P' : 'CUCM'})</small>
                    </span>
                    <span className={verdictClass(c.verdict)}>{c.verdict}</span>
                  </h3>
                  {c.reasons.length === 0 ? (
                    <p className="hint">Every readiness check passed.</p>
                  ) : (
                    <ul>
                      {c.reasons.map((r) => (
                        <li key={r.checkId} className={r.status === 'warning' ? styles.textWarning : styles.textFailed}>
                          <span className={styles.checkId}>{r.checkId}</span>
                          {r.title} ({r.count})
                          <ul>
                            {r.examples.map((e, k) => (
                              <li key={k}>{e}</li>
                            ))}
                            {r.count > r.examples.length && <li>… and {r.count - r.examples.length} more</li>}
                          </ul>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              ))}
            </div>
          )}
        </section>
      )}
      {run && view.report && (
        <section data-testid="checklist">
          <h2>Manual checklist</h2>
          <p className="meta">What Cisco lists before an upgrade and no API shows: tick each item once done; ticks are saved with this report.</p>
          <ul className={styles.checklist}>
            {view.checklist.map((i) => (
              <li key={i.id}>
                <ChecklistBox runId={run.id} itemId={i.id} label={i.label} checked={i.checked} by={i.by} at={i.at} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {view.results.length > 0 && (
        <section>
          <h2>Checks</h2>
          <ResultsTable results={view.results} />
        </section>
      )}
      <History rows={view.history} current={run?.id} />
    </>
  );
}

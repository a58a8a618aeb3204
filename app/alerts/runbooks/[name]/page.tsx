// /alerts/runbooks/<AlertName>: the alert's runbook (docs/runbooks/<AlertName>.md) with the rule as
// this deployment runs it and the instances of the alert active now. Each rule's runbook_url points here.
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatDuration, formatTime, nodeHref, runbookPage } from '../../../../alerts/model';
import { duration } from '../../../../alerts/promql';
import { LiveRefresh } from '../../../components/live-refresh';
import { getRuntime } from '../../../lib/runtime';
import styles from '../../page.module.css';
import { Markdown } from './markdown';

export const dynamic = 'force-dynamic';

export default async function RunbookPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const alerts = getRuntime()?.alerts;
  if (!alerts) {
    return (
      <section className="notice">
        <h1>{name}</h1>
        <p>
          Runbooks are served by <code>impulse start</code>; the same text is in <code>docs/runbooks/{name}.md</code> of the IMPulse repository.
        </p>
      </section>
    );
  }
  const page = runbookPage(alerts, name);
  if (!page) notFound();
  const now = Date.now();
  return (
    <>
      <LiveRefresh />
      <p className="meta">
        <Link href="/alerts">Alerts</Link> › Runbook
      </p>
      {page.rule && (
        <section className="summary" data-testid="rule">
          <dl>
            <dt>Alert</dt>
            <dd>
              <strong>{page.name}</strong> ({page.rule.origin})
            </dd>
            <dt>Severity</dt>
            <dd>{page.rule.severity}</dd>
            <dt>Fires after</dt>
            <dd>{page.rule.for === 0 ? 'at once' : `${duration(page.rule.for)} of the condition holding`}</dd>
            <dt>Condition</dt>
            <dd>
              <code className={styles.promql}>{page.rule.promql}</code>
            </dd>
            <dt>Health</dt>
            <dd>{page.rule.health === 'err' ? <span className={styles.bad}>error: {page.rule.lastError}</span> : page.rule.health}</dd>
          </dl>
        </section>
      )}
      {page.active.length > 0 && (
        <section data-testid="active">
          <h2>Active now</h2>
          <ul>
            {page.active.map((a) => (
              <li key={a.fingerprint}>
                <strong>{a.state === 'firing' ? 'Firing' : 'Pending'}</strong> since {formatTime(a.activeAt)} ({formatDuration(now - a.activeAt)}):{' '}
                {a.node && a.cluster ? <Link href={nodeHref(a.cluster, a.node)}>{a.node}</Link> : a.cluster} — {a.summary}
                {a.suppressedBy && <em> (in maintenance #{a.suppressedBy.id})</em>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className={styles.runbook} data-testid="runbook">
        <Markdown blocks={page.blocks} />
      </section>
    </>
  );
}

'use client';
// A running run, live: progress per section and per dataset, and the checks appearing as they
// finish (polls /api/diagnostics/runs/<id> every second). When the run ends the page's server
// components render its stored results.
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { RunProgress as Progress } from '../../../diagnostics/run';
import styles from './diagnostics.module.css';

const LABEL: Record<string, string> = { passed: 'Passed', warning: 'Warning', failed: 'Failed', skipped: 'Skipped', error: 'Error' };

export function RunProgress({ runId, initial }: { runId: number; initial: Progress }) {
  const router = useRouter();
  const [p, setP] = useState<Progress>(initial);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const res = await fetch(`/api/diagnostics/runs/${runId}`, { cache: 'no-store' });
        if (res.ok) {
          const body = (await res.json()) as { status: string; progress: Progress | null };
          if (body.progress) setP(body.progress);
          if (body.status !== 'running') {
            router.refresh();
            return;
          }
        }
      } catch {
        // The next tick tries again.
      }
      if (!stopped) timer = setTimeout(tick, 1000);
    };
    timer = setTimeout(tick, 1000);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [runId, router]);

  const pct = (done: number, total: number) => (total ? Math.round((100 * done) / total) : 100);
  return (
    <div className={styles.progress} data-testid="run-progress" data-status={p.status}>
      {p.sections.map((s) => (
        <div className={styles.bar} key={s.section} data-section={s.section}>
          <span>{s.section}</span>
          <span className={styles.track}>
            <span className={styles.fill} style={{ width: `${pct(s.done, s.total)}%` }} />
          </span>
          <span>
            {s.done}/{s.total} checks
          </span>
        </div>
      ))}
      <details>
        <summary>Data being read</summary>
        {p.datasets.map((d) => (
          <div className={styles.bar} key={d.name}>
            <span>{d.label}</span>
            <span className={styles.track}>
              <span className={styles.fill} style={{ width: `${pct(d.done, d.total)}%` }} />
            </span>
            <span>
              {d.done}/{d.total}
              {d.errors ? `, ${d.errors} failed` : ''}
            </span>
          </div>
        ))}
      </details>
      <ul className={styles.finished} aria-live="polite">
        {p.finished.map((f) => (
          <li key={f.checkId} data-check={f.checkId}>
            <span className={`${styles.mark} ${styles[f.status] ?? ''}`}>{LABEL[f.status] ?? f.status}</span> <span className={styles.checkId}>{f.checkId}</span>
            {f.title} — {f.summary}
          </li>
        ))}
      </ul>
    </div>
  );
}

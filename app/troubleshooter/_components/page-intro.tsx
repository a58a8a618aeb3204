// The top of each diagnostics page: title, what the page checks, the form that starts a run, and
// what to do when there is no run yet. Re-rendered live while the page is visible.
import type { ReactNode } from 'react';
import { LiveRefresh } from '../../components/live-refresh';
import styles from './diagnostics.module.css';

export function PageIntro(props: { title: string; intro: ReactNode; historyUnavailable?: string; form: ReactNode; hasRun: boolean; emptyTitle: string; emptyHint: string }) {
  return (
    <>
      <LiveRefresh />
      <section>
        <h1>{props.title}</h1>
        <p className="meta">
          {props.intro}
          {props.historyUnavailable && <span className={styles.unavailable}> History unavailable: {props.historyUnavailable}</span>}
        </p>
        {props.form}
      </section>
      {!props.hasRun && (
        <section className="notice" data-testid="no-runs">
          <h2>{props.emptyTitle}</h2>
          <p>{props.emptyHint}</p>
        </section>
      )}
    </>
  );
}

'use client';
// Starts a run: the clusters (all by default) and, for the troubleshooter, the checks (all by
// default). Posts to /api/diagnostics/runs and opens the run's page, which shows its live progress.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import styles from './diagnostics.module.css';

export interface RunFormProps {
  kind: 'troubleshooter' | 'users' | 'readiness';
  path: string;
  label: string;
  clusters: Array<{ name: string; product: string }>;
  checks?: Array<{ section: string; checks: Array<{ id: string; title: string }> }>;
  activeId?: number;
}

export function RunForm({ kind, path, label, clusters, checks, activeId }: RunFormProps) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; runId?: number } | undefined>();

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const chosenClusters = form.getAll('cluster').map(String);
    const chosenChecks = form.getAll('check').map(String);
    setBusy(true);
    setMessage(undefined);
    try {
      const res = await fetch('/api/diagnostics/runs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          kind,
          clusters: chosenClusters.length === clusters.length ? undefined : chosenClusters,
          checks: !checks || chosenChecks.length === checks.flatMap((s) => s.checks).length ? undefined : chosenChecks,
        }),
      });
      const body = (await res.json().catch(() => ({}))) as { id?: number; error?: string; activeId?: number };
      if (res.status === 202 && body.id) {
        router.push(`${path}?run=${body.id}`);
        router.refresh();
        return;
      }
      setMessage({ text: body.error ?? `the run could not start (HTTP ${res.status})`, runId: body.activeId });
    } catch (err) {
      setMessage({ text: `the run could not start: ${(err as Error).message}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={submit} data-testid="run-form">
      <fieldset>
        <legend>Clusters</legend>
        <div className={styles.choices}>
          {clusters.map((c) => (
            <label key={c.name}>
              <input type="checkbox" name="cluster" value={c.name} defaultChecked /> {c.name} <small>({c.product})</small>
            </label>
          ))}
        </div>
      </fieldset>
      {checks && (
        <details>
          <summary>Checks (all by default)</summary>
          <fieldset>
            <legend>Checks</legend>
            {checks.map((s) => (
              <div key={s.section} className={styles.sectionChecks}>
                <strong>{s.section}</strong>
                <div className={styles.choices}>
                  {s.checks.map((c) => (
                    <label key={c.id} title={c.title}>
                      <input type="checkbox" name="check" value={c.id} defaultChecked /> {c.id}
                    </label>
                  ))}
                </div>
              </div>
            ))}
          </fieldset>
        </details>
      )}
      <button className={styles.button} type="submit" disabled={busy || activeId !== undefined} data-testid="run-button">
        {busy ? 'Starting…' : label}
      </button>
      {activeId !== undefined && (
        <p>
          Run <a href={`${path}?run=${activeId}`}>#{activeId}</a> is in progress; one run at a time.
        </p>
      )}
      {message && (
        <p className={styles.message} role="alert">
          {message.text} {message.runId && <a href={`${path}?run=${message.runId}`}>Follow run #{message.runId}</a>}
        </p>
      )}
    </form>
  );
}

'use client';
// The form that opens a maintenance window (or, with an alert chosen, a silence): cluster, node
// (the cluster's nodes only), optional alert, start (empty = now, in the browser's time zone),
// end or duration, and a reason. The server action validates; errors show here and keep the input.
import { useActionState, useEffect, useState } from 'react';
import { openWindowAction, type WindowFormState } from './actions';
import styles from './page.module.css';

export interface FormChoices {
  clusters: Array<{ name: string; nodes: string[] }>;
  alertnames: string[];
  durations: readonly string[];
  /** Prefill from the query string (the "Silence" link of an alert). */
  preset?: { cluster?: string; node?: string; alertname?: string };
}

const initial: WindowFormState = { errors: [] };

export function MaintenanceForm({ clusters, alertnames, durations, preset }: FormChoices) {
  const [state, action, pending] = useActionState(openWindowAction, initial);
  const v = state.values ?? {};
  const [cluster, setCluster] = useState(v.cluster ?? preset?.cluster ?? clusters[0]?.name ?? '');
  const [offset, setOffset] = useState('0');
  const [zone, setZone] = useState('UTC');
  const [ready, setReady] = useState(false);
  useEffect(() => {
    setOffset(String(new Date().getTimezoneOffset()));
    setZone(Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time');
    setReady(true);
  }, []);
  useEffect(() => {
    if (state.values?.cluster) setCluster(state.values.cluster);
  }, [state.values]);
  const nodes = clusters.find((c) => c.name === cluster)?.nodes ?? [];
  return (
    <form action={action} className={styles.form} data-testid="maintenance-form" data-ready={ready ? 'true' : undefined}>
      <input type="hidden" name="tzOffset" value={offset} />
      <label>
        Cluster
        <select name="cluster" value={cluster} onChange={(e) => setCluster(e.target.value)} required>
          {clusters.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Node
        <select name="node" defaultValue={v.node ?? preset?.node ?? ''} key={cluster}>
          <option value="">whole cluster</option>
          {nodes.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label>
        Alert
        <select name="alertname" defaultValue={v.alertname ?? preset?.alertname ?? ''}>
          <option value="">every alert (maintenance window)</option>
          {alertnames.map((a) => (
            <option key={a} value={a}>
              {a} only (silence)
            </option>
          ))}
        </select>
      </label>
      <label>
        Start <span className={styles.zone}>({zone})</span>
        <input type="datetime-local" name="start" defaultValue={v.start ?? ''} />
        <small>empty: now</small>
      </label>
      <label>
        Duration
        <select name="duration" defaultValue={v.duration ?? '2h'}>
          {durations.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <label>
        or end <span className={styles.zone}>({zone})</span>
        <input type="datetime-local" name="end" defaultValue={v.end ?? ''} />
      </label>
      <label className={styles.reason}>
        Reason
        <input type="text" name="reason" required maxLength={500} placeholder="e.g. upgrade to 15 SU3, change 4711" defaultValue={v.reason ?? ''} />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? 'Opening…' : 'Open'}
      </button>
      {state.ok && state.message && (
        <p className={styles.ok} role="status">
          {state.message}
        </p>
      )}
      {state.errors.length > 0 && (
        <ul className={styles.errors} role="alert">
          {state.errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
    </form>
  );
}

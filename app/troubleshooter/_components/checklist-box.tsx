'use client';
// One manual readiness item the engineer ticks; recorded with who and when.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import styles from './diagnostics.module.css';

export function ChecklistBox({ runId, itemId, label, checked, by, at }: { runId: number; itemId: string; label: string; checked: boolean; by: string | null; at: string | null }) {
  const router = useRouter();
  const [value, setValue] = useState(checked);
  const [error, setError] = useState<string | undefined>();
  async function toggle(next: boolean) {
    setValue(next);
    setError(undefined);
    const res = await fetch(`/api/diagnostics/runs/${runId}/checklist`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ itemId, checked: next }) });
    if (!res.ok) {
      setValue(!next);
      setError(((await res.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${res.status}`);
    }
    router.refresh();
  }
  return (
    <label data-item={itemId}>
      <input type="checkbox" checked={value} onChange={(e) => void toggle(e.currentTarget.checked)} />
      <span>
        {label}
        {checked && by && (
          <span className={styles.tickedBy}>
            {' '}
            — confirmed by {by}
            {at ? `, ${at}` : ''}
          </span>
        )}
        {error && <span className={styles.message}> {error}</span>}
      </span>
    </label>
  );
}

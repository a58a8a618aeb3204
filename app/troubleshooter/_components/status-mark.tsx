// A result as Cisco's System Troubleshooter marks it (a check mark for Passed), with the word.
import styles from './diagnostics.module.css';

export function StatusMark({ status, label }: { status: string; label: string }) {
  return (
    <span className={`${styles.mark} ${styles[status] ?? ''}`} data-status={status}>
      {label}
    </span>
  );
}

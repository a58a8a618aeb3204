// A banner on every page while the database is not saving (see app/lib/storage.ts).
import { storageStatus } from '../lib/storage';
import { getRuntime } from '../lib/runtime';
import styles from './storage-banner.module.css';

export function StorageBanner() {
  const s = storageStatus(getRuntime());
  if (s.state === 'ok') return null;
  return (
    <p className={styles.banner} role="alert" data-testid="storage-banner">
      {s.message}
    </p>
  );
}

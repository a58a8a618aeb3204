// /admin/config: the running configuration, every secret replaced by its reference (never its
// value), where it was loaded from, and how sign-in is set up. Admin only.
import { getRuntime } from '../../lib/runtime';
import styles from '../admin.module.css';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Configuration · IMPulse' };

export default async function ConfigPage() {
  const rt = getRuntime();
  const security = rt?.security;
  return (
    <section>
      <h1>Configuration</h1>
      <p className={styles.tabs}>
        <a href="/admin">Accounts</a>
        <strong>Configuration</strong>
        <a href="/audit">Audit log</a>
      </p>
      {!rt ? (
        <p>No configuration is loaded.</p>
      ) : (
        <>
          <dl className="summary">
            <dt>File</dt>
            <dd>
              <code data-testid="config-file">{rt.configPath}</code>
            </dd>
            <dt>Sign-in</dt>
            <dd data-testid="auth-mode">{security?.mode ?? 'not running'}</dd>
            <dt>Reload</dt>
            <dd>edit the file (it is watched) or send SIGHUP; an invalid file is refused and the running configuration stays</dd>
          </dl>
          <p className={styles.muted}>Secrets are shown as their references (env:NAME, file:/path); their values never leave the server.</p>
          <pre className={styles.yaml} data-testid="config-yaml">
            {security?.redactedConfig() ?? ''}
          </pre>
        </>
      )}
    </section>
  );
}

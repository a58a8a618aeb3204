// /account: who you are signed in as, your role, and (local accounts) a new password.
import { PASSWORD_MIN } from '../../server/security/policy';
import { ROLE_LABEL } from '../../server/security/roles';
import { getRuntime } from '../lib/runtime';
import { getViewer } from '../lib/viewer';
import styles from '../signin/auth.module.css';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Your account · IMPulse' };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const ROLE_TEXT = {
  viewer: 'You can open every page.',
  operator: 'You can open every page, run the troubleshooter, open maintenance windows, silence alerts and inject lab faults.',
  admin: 'You can do everything, including managing accounts and reading the audit log.',
} as const;

export default async function AccountPage({ searchParams }: { searchParams: Search }) {
  const sp = await searchParams;
  const viewer = await getViewer();
  const security = getRuntime()?.security;
  const error = one(sp.error);
  const done = one(sp.done);
  const how = { session: security?.mode === 'ldap' ? 'directory (LDAP) sign-in' : 'local account', proxy: 'single sign-on proxy', none: 'no sign-in (this machine only)' };
  return (
    <section className={styles.card}>
      <h1>Your account</h1>
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
      {done === 'password' && (
        <p className={styles.ok} role="status">
          Password changed. Your other sessions have ended.
        </p>
      )}
      <dl className={styles.facts}>
        <dt>Name</dt>
        <dd data-testid="account-name">{viewer.name}</dd>
        <dt>Role</dt>
        <dd data-testid="account-role">{viewer.role ? ROLE_LABEL[viewer.role] : '—'}</dd>
        <dt>Signed in with</dt>
        <dd>{viewer.via ? how[viewer.via] : '—'}</dd>
        <dt>From</dt>
        <dd>
          <code>{viewer.address}</code>
        </dd>
        {security?.session && viewer.via === 'session' && (
          <>
            <dt>Session</dt>
            <dd>
              ends after {Math.round(security.session.idleSeconds / 60)} min without activity, {Math.round(security.session.absoluteSeconds / 3600)} h after signing in at the latest
            </dd>
          </>
        )}
      </dl>
      {viewer.role && <p>{ROLE_TEXT[viewer.role]}</p>}
      {security?.accounts && viewer.via === 'session' && (
        <form className={styles.form} method="post" action="/api/account/password">
          <h2>Change your password</h2>
          <label>
            Current password
            <input name="current" type="password" required autoComplete="current-password" />
          </label>
          <label>
            New password (at least {PASSWORD_MIN} characters)
            <input name="password" type="password" required minLength={PASSWORD_MIN} autoComplete="new-password" />
          </label>
          <label>
            New password again
            <input name="confirm" type="password" required minLength={PASSWORD_MIN} autoComplete="new-password" />
          </label>
          <button className={styles.primary} type="submit">
            Change password
          </button>
        </form>
      )}
      {viewer.via === 'session' && (
        <form method="post" action="/api/auth/signout" className={styles.note}>
          <button className={styles.primary} type="submit">
            Sign out
          </button>
        </form>
      )}
    </section>
  );
}

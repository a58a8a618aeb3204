// /admin: accounts (local sign-in): who may sign in and with which role; create, change role,
// reset password, delete. Admin only (server/security/routes.ts). Every change is audited.
import { PASSWORD_MIN } from '../../server/security/policy';
import { ROLE_LABEL, ROLES } from '../../server/security/roles';
import { getRuntime } from '../lib/runtime';
import { getViewer } from '../lib/viewer';
import styles from './admin.module.css';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Accounts · IMPulse' };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function when(ms: number | null): string {
  return ms === null ? 'never' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export default async function AdminPage({ searchParams }: { searchParams: Search }) {
  const sp = await searchParams;
  const viewer = await getViewer();
  const rt = getRuntime();
  const security = rt?.security;
  const error = one(sp.error);
  const done = one(sp.done);
  const nav = (
    <p className={styles.tabs}>
      <strong>Accounts</strong>
      <a href="/admin/config">Configuration</a>
      <a href="/audit">Audit log</a>
    </p>
  );
  if (!security?.accounts) {
    const where = { ldap: 'your directory: roles come from the groups in auth.ldap.roles', proxy: 'your single sign-on proxy: roles come from the groups in auth.proxy.roles', none: 'nobody: sign-in is off (auth.mode: none, this machine only)', local: 'the database, which is not available' } as const;
    return (
      <section>
        <h1>Accounts</h1>
        {nav}
        <p>
          Sign-in is <code>{security?.mode ?? 'not running'}</code>. Accounts are managed by {security ? where[security.mode] : 'nobody'}
          {rt?.dbError ? ` (${rt.dbError})` : ''}.
        </p>
      </section>
    );
  }
  const accounts = security.accounts.list();
  return (
    <>
      <section>
        <h1>Accounts</h1>
        {nav}
        {error && (
          <p className={styles.error} role="alert" data-testid="admin-error">
            {error}
          </p>
        )}
        {done && (
          <p className={styles.ok} role="status" data-testid="admin-done">
            {done === 'setup' ? 'You are the first administrator. Add the other accounts here.' : `Done: ${done}.`}
          </p>
        )}
        <div className="table-wrap">
          <table data-testid="accounts">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Role</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Password set</th>
                <th scope="col">New password</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.name} data-account={a.name}>
                  <th scope="row">
                    {a.name}
                    {a.name.toLowerCase() === viewer.name.toLowerCase() && <span className={styles.muted}> (you)</span>}
                  </th>
                  <td>
                    <form className={styles.inline} method="post" action={`/api/admin/accounts/${encodeURIComponent(a.name)}`}>
                      <input type="hidden" name="op" value="role" />
                      <select name="role" defaultValue={a.role} aria-label={`Role of ${a.name}`}>
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABEL[r]}
                          </option>
                        ))}
                      </select>
                      <button className={styles.button} type="submit">
                        Set role
                      </button>
                    </form>
                  </td>
                  <td>{when(a.lastSignInAt)}</td>
                  <td>{when(a.passwordChangedAt)}</td>
                  <td>
                    <form className={styles.inline} method="post" action={`/api/admin/accounts/${encodeURIComponent(a.name)}`}>
                      <input type="hidden" name="op" value="password" />
                      <input type="password" name="password" required minLength={PASSWORD_MIN} autoComplete="new-password" aria-label={`New password for ${a.name}`} placeholder="new password" />
                      <input type="password" name="confirm" required minLength={PASSWORD_MIN} autoComplete="new-password" aria-label={`New password for ${a.name}, again`} placeholder="again" />
                      <button className={styles.button} type="submit">
                        Reset
                      </button>
                    </form>
                  </td>
                  <td>
                    <form className={styles.inline} method="post" action={`/api/admin/accounts/${encodeURIComponent(a.name)}`}>
                      <input type="hidden" name="op" value="delete" />
                      <button className={styles.danger} type="submit" aria-label={`Delete ${a.name}`}>
                        Delete
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className={styles.muted}>A password reset ends that account's sessions. The last admin cannot be deleted or demoted.</p>
      </section>
      <section>
        <h2>Add an account</h2>
        <form className={styles.create} method="post" action="/api/admin/accounts">
          <label>
            Name
            <input name="name" required maxLength={64} pattern="[A-Za-z0-9][A-Za-z0-9._@\-]{0,63}" autoComplete="off" />
          </label>
          <label>
            Role
            <select name="role" defaultValue="viewer">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Password (≥ {PASSWORD_MIN} characters)
            <input name="password" type="password" required minLength={PASSWORD_MIN} autoComplete="new-password" />
          </label>
          <label>
            Password again
            <input name="confirm" type="password" required minLength={PASSWORD_MIN} autoComplete="new-password" />
          </label>
          <button className={styles.primary} type="submit">
            Add account
          </button>
        </form>
        <p className={styles.muted}>Viewer: every page. Operator: also runs the troubleshooter, opens maintenance windows, silences alerts, injects lab faults. Admin: also accounts, the audit log and the configuration.</p>
      </section>
    </>
  );
}

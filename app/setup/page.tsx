// /setup: the first administrator, created with the one-time token `impulse start` prints when
// local sign-in has no account yet. Once an account exists this page only says so.
import { PASSWORD_MIN } from '../../server/security/policy';
import { getRuntime } from '../lib/runtime';
import styles from '../signin/auth.module.css';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Set up · IMPulse' };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const ERRORS: Record<string, string> = {
  token: 'That setup token is not right. Copy it from the output of `impulse start`.',
  confirm: 'The password and its confirmation differ.',
  form: 'Fill in every field.',
  done: 'An account exists already.',
};

export default async function SetupPage({ searchParams }: { searchParams: Search }) {
  const sp = await searchParams;
  const security = getRuntime()?.security;
  const e = one(sp.e);
  if (!security?.setupPending()) {
    return (
      <section className={styles.card}>
        <h1>Set up</h1>
        <p>IMPulse is set up: {security?.mode === 'local' ? 'accounts exist.' : `sign-in is ${security?.mode ?? 'not running'}, which uses no local accounts.`}</p>
        <p>
          <a href="/signin">Sign in</a>
        </p>
      </section>
    );
  }
  const err = e ? (e === 'password' ? one(sp.m) : ERRORS[e]) : undefined;
  return (
    <section className={styles.card}>
      <h1>Create the first administrator</h1>
      {err && (
        <p className={styles.error} role="alert">
          {err}
        </p>
      )}
      <form className={styles.form} method="post" action="/api/auth/setup">
        <label>
          Setup token (printed by <code>impulse start</code>)
          <input name="token" required autoComplete="off" spellCheck={false} />
        </label>
        <label>
          Account name
          <input name="username" required autoComplete="username" maxLength={64} pattern="[A-Za-z0-9][A-Za-z0-9._@\-]{0,63}" />
        </label>
        <label>
          Password (at least {PASSWORD_MIN} characters)
          <input name="password" type="password" required minLength={PASSWORD_MIN} autoComplete="new-password" />
        </label>
        <label>
          Password again
          <input name="confirm" type="password" required minLength={PASSWORD_MIN} autoComplete="new-password" />
        </label>
        <button className={styles.primary} type="submit">
          Create and sign in
        </button>
      </form>
      <p className={styles.note}>
        Or from a shell on this server: <code>impulse user add &lt;name&gt; --role admin</code>.
      </p>
    </section>
  );
}

// /signin: the sign-in form (local accounts, LDAP). With a sign-in proxy or no sign-in it says
// how people get in instead. Public: the gate sends signed-out visitors here.
import { safeNext } from '../../server/security/paths';
import { getRuntime } from '../lib/runtime';
import { getViewer } from '../lib/viewer';
import styles from './auth.module.css';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in · IMPulse' };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function message(e: string | undefined, retry: string | undefined): { kind: 'error' | 'ok'; text: string } | undefined {
  switch (e) {
    case 'invalid':
      return { kind: 'error', text: 'The user name or password is not right.' };
    case 'throttled':
      return { kind: 'error', text: `Too many failed sign-ins. Try again in ${Number(retry) > 0 ? `${Number(retry)} s` : 'a moment'}.` };
    case 'norole':
      return { kind: 'error', text: 'Your account is in no group that gives an IMPulse role. Ask an administrator to add you.' };
    case 'unavailable':
      return { kind: 'error', text: 'Your password cannot be checked right now (the account store or the directory cannot be reached). Try again shortly.' };
    case 'form':
      return { kind: 'error', text: 'Enter your user name and password.' };
    case 'signedout':
      return { kind: 'ok', text: 'You are signed out.' };
    default:
      return undefined;
  }
}

export default async function SignInPage({ searchParams }: { searchParams: Search }) {
  const sp = await searchParams;
  const viewer = await getViewer();
  const security = getRuntime()?.security;
  const next = safeNext(one(sp.next));
  const msg = message(one(sp.e), one(sp.retry));
  if (viewer.role && security?.mode !== 'none') {
    return (
      <section className={styles.card}>
        <h1>Signed in</h1>
        <p>
          You are signed in as <strong data-testid="signed-in-user">{viewer.name}</strong> ({viewer.role}).
        </p>
        <p>
          <a href={next}>Continue</a>
        </p>
      </section>
    );
  }
  if (!security || security.mode === 'none' || security.mode === 'proxy') {
    return (
      <section className={styles.card}>
        <h1>Sign in</h1>
        <p>
          {security?.mode === 'proxy'
            ? "Sign-in is handled by your organisation's single sign-on in front of IMPulse. Open IMPulse through it."
            : security?.mode === 'none'
              ? 'Sign-in is off: IMPulse serves this machine only (auth.mode: none).'
              : 'IMPulse is not running here.'}
        </p>
        <p>
          <a href="/">Overview</a>
        </p>
      </section>
    );
  }
  return (
    <section className={styles.card}>
      <h1>Sign in to IMPulse</h1>
      {msg && (
        <p className={msg.kind === 'error' ? styles.error : styles.ok} role={msg.kind === 'error' ? 'alert' : 'status'} data-testid="signin-message">
          {msg.text}
        </p>
      )}
      <form className={styles.form} method="post" action="/api/auth/signin">
        <input type="hidden" name="next" value={next} />
        <label>
          User name
          <input name="username" autoComplete="username" required autoFocus maxLength={256} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required maxLength={1024} />
        </label>
        <button className={styles.primary} type="submit">
          Sign in
        </button>
      </form>
      <p className={styles.note}>
        {security.mode === 'ldap' ? 'Use your directory account.' : 'Accounts are created by an IMPulse administrator.'}
        {security.setupPending() && (
          <>
            {' '}
            No account exists yet: <a href="/setup">create the first administrator</a>.
          </>
        )}
      </p>
    </section>
  );
}

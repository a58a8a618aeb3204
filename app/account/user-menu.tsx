// The signed-in user in the top bar: name (to /account), role, and sign-out. Nothing when sign-in
// is off (auth.mode: none) or nobody is signed in.
import type { Viewer } from '../lib/viewer';
import styles from './user-menu.module.css';

export function UserMenu({ viewer }: { viewer: Viewer }) {
  if (!viewer.role || viewer.via === 'none') return null;
  return (
    <div className={styles.menu} data-testid="user-menu">
      <a href="/account" data-testid="user-name">
        {viewer.name}
      </a>
      <span className={styles.role} data-testid="user-role">
        {viewer.role}
      </span>
      {viewer.via === 'session' && (
        <form method="post" action="/api/auth/signout">
          <button className={styles.signout} type="submit">
            Sign out
          </button>
        </form>
      )}
    </div>
  );
}

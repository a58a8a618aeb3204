// Designed empty and error states, and the page shown when no runtime is loaded.
import type { ReactNode } from 'react';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state" role="note">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

export function ErrorState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="error-state" role="alert">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

export function NoRuntime() {
  return (
    <section className="notice">
      <h1>No configuration loaded</h1>
      <p>
        The dashboard runs inside <code>impulse start</code>: run <code>npm start</code> (the built-in lab) or{' '}
        <code>npm start -- --config impulse.config.yaml</code>.
      </p>
    </section>
  );
}

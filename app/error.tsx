'use client';
// A page that throws while rendering: say so plainly and offer a retry (the rest of the dashboard works).
import { useEffect } from 'react';

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    // Logged once on the server already; the digest ties the two together.
  }, [error]);
  return (
    <section className="error-state" role="alert">
      <h1>This page could not be shown</h1>
      <p>
        {error.message || 'An unexpected error occurred while rendering.'}
        {error.digest ? <span className="muted"> (reference {error.digest})</span> : null}
      </p>
      <button type="button" onClick={() => reset()}>
        Try again
      </button>
    </section>
  );
}

'use client';
// Shown when the root layout itself fails. Plain markup with no inline <style> (the
// Content-Security-Policy allows none without a nonce), and nothing of the error but its digest:
// details stay in the server log.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main>
          <h1>Something went wrong</h1>
          <p>IMPulse could not show this page. The server log has the details{error.digest ? ` (reference ${error.digest})` : ''}.</p>
          <p>
            <button type="button" onClick={() => reset()}>
              Try again
            </button>{' '}
            <a href="/">Overview</a>
          </p>
        </main>
      </body>
    </html>
  );
}

// The page for an address that is no page of IMPulse (replaces Next.js's default, whose inline
// <style> the Content-Security-Policy would block).
export const metadata = { title: 'Not found · IMPulse' };

export default function NotFound() {
  return (
    <section className="notice" data-testid="not-found">
      <h1>Not found</h1>
      <p>There is no page at this address.</p>
      <p>
        <a href="/">Overview</a>
      </p>
    </section>
  );
}

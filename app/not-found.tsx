// The page for an address that is no page of IMPulse (replaces Next.js's default, whose inline
// <style> the Content-Security-Policy would block).
import Link from 'next/link';

export const metadata = { title: 'Not found · IMPulse' };

export default function NotFound() {
  return (
    <section className="notice" data-testid="not-found">
      <h1>Not found</h1>
      <p>
        No such page, cluster or node in the running configuration. Start from the <Link href="/">overview</Link>.
      </p>
    </section>
  );
}

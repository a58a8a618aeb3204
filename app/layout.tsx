import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { StorageBanner } from './account/storage-banner';
import { UserMenu } from './account/user-menu';
import { NavLinks } from './components/nav-links';
import { navFor } from './lib/nav';
import { getRuntime } from './lib/runtime';
import { getViewer } from './lib/viewer';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'IMPulse', template: '%s · IMPulse' },
  description: 'Monitoring and diagnostics for Cisco Unified CM IM and Presence Service',
};

// Every page is rendered per request: the navigation depends on who is signed in, and the
// Content-Security-Policy nonce (server/security/headers.ts) is new on every response.
export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  const items = navFor(viewer.role, getRuntime()?.lab !== undefined).map(({ href, label, group }) => ({ href, label, group }));
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#content">
          Skip to content
        </a>
        <header className="topbar">
          <a className="brand" href="/">
            IMPulse
          </a>
          <nav aria-label="Main">
            <NavLinks items={items} />
          </nav>
          <UserMenu viewer={viewer} />
        </header>
        <StorageBanner />
        <main id="content">{children}</main>
      </body>
    </html>
  );
}

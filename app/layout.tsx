import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { StorageBanner } from './account/storage-banner';
import { UserMenu } from './account/user-menu';
import { navFor } from './lib/nav';
import { getRuntime } from './lib/runtime';
import { getViewer } from './lib/viewer';
import './globals.css';

export const metadata: Metadata = {
  title: 'IMPulse',
  description: 'Monitoring and diagnostics for Cisco Unified CM IM and Presence Service',
};

// Every page is rendered per request: the navigation depends on who is signed in, and the
// Content-Security-Policy nonce (server/security/headers.ts) is new on every response.
export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  const items = navFor(viewer.role, getRuntime()?.lab !== undefined);
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <a className="brand" href="/">
            IMPulse
          </a>
          <nav aria-label="Main">
            {items.map((item) => (
              <a key={item.href} href={item.href}>
                {item.label}
              </a>
            ))}
          </nav>
          <UserMenu viewer={viewer} />
        </header>
        <StorageBanner />
        <main>{children}</main>
      </body>
    </html>
  );
}

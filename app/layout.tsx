import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { NavLinks } from './components/nav-links';
import { NAV } from './lib/nav';
import { getRuntime } from './lib/runtime';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'IMPulse', template: '%s · IMPulse' },
  description: 'Monitoring and diagnostics for Cisco Unified CM IM and Presence Service',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  const lab = getRuntime()?.lab !== undefined;
  const items = NAV.filter((i) => lab || !i.labOnly).map(({ href, label, group }) => ({ href, label, group }));
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
        </header>
        <main id="content">{children}</main>
      </body>
    </html>
  );
}

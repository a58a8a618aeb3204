import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'IMPulse',
  description: 'Monitoring and diagnostics for Cisco Unified CM IM and Presence Service',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <a className="brand" href="/">
            IMPulse
          </a>
          <nav aria-label="Main">
            <a href="/">Clusters</a>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}

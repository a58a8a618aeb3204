/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and protocol modules stay server-side and unbundled.
  serverExternalPackages: ['ssh2', 'prom-client', 'ldapts', 'better-sqlite3'],
  poweredByHeader: false,
  // Type-check only the app (and what it imports) at build time; `tsc --noEmit -p .` checks the rest.
  typescript: { tsconfigPath: 'app/tsconfig.json' },
};
export default nextConfig;

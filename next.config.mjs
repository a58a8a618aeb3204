/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and protocol modules stay server-side and unbundled.
  serverExternalPackages: ['ssh2', 'prom-client', 'ldapts', 'better-sqlite3'],
  poweredByHeader: false,
};
export default nextConfig;

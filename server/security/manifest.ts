// The routes of the built dashboard, read from Next.js's build manifests (or, in development
// mode, from the app directory): every page and route handler, and which pages each server
// action belongs to. The gate uses them to refuse routes that have no access rule; the route
// test (tests/e2e/security-routes.test.ts) uses them to fail when a route has none.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface BuiltRoute {
  /** As Next.js names it: '/', '/clusters/[cluster]', '/api/lab/faults/[id]'. */
  route: string;
  kind: 'page' | 'route';
  /** Matches request paths (decoded, without trailing slash). */
  pattern: RegExp;
}

export interface BuiltApp {
  routes: BuiltRoute[];
  /** Server action id → the routes of the pages that contain it. */
  actions: Map<string, string[]>;
  /** Where it came from, for messages. */
  source: string;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** '/clusters/[cluster]/[[...rest]]' → a RegExp over request paths. */
export function routePattern(route: string): RegExp {
  let re = '';
  for (const seg of route.split('/').filter(Boolean)) {
    if (/^\[\[\.\.\..+\]\]$/.test(seg)) re += '(?:/.+)?';
    else if (/^\[\.\.\..+\]$/.test(seg)) re += '/.+';
    else if (/^\[.+\]$/.test(seg)) re += '/[^/]+';
    else re += `/${escapeRe(seg)}`;
  }
  return new RegExp(`^${re || '/'}$`, 'i');
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** From `.next` after `next build`. */
export function readBuildManifests(root: string): BuiltApp {
  const dir = path.join(root, '.next');
  const routesFile = path.join(dir, 'app-path-routes-manifest.json');
  const entries = readJson(routesFile) as Record<string, string>;
  const routes: BuiltRoute[] = [];
  const byEntry = new Map<string, string>();
  for (const [entry, route] of Object.entries(entries)) {
    byEntry.set(entry, route);
    routes.push({ route, kind: entry.endsWith('/route') ? 'route' : 'page', pattern: routePattern(route) });
  }
  // Pages-router fallbacks Next.js generates (/404, /500) are rendered, never routed to.
  const actions = new Map<string, string[]>();
  const refFile = path.join(dir, 'server', 'server-reference-manifest.json');
  if (existsSync(refFile)) {
    const refs = readJson(refFile) as { node?: Record<string, { workers?: Record<string, unknown> }>; edge?: Record<string, { workers?: Record<string, unknown> }> };
    for (const table of [refs.node ?? {}, refs.edge ?? {}]) {
      for (const [id, info] of Object.entries(table)) {
        const owners = Object.keys(info.workers ?? {}).map((w) => byEntry.get(w.replace(/^app/, '')) ?? workerRoute(w));
        actions.set(id, [...new Set([...(actions.get(id) ?? []), ...owners])]);
      }
    }
  }
  return { routes: dedupe(routes), actions, source: routesFile };
}

/** 'app/admin/page' → '/admin' (route groups and parallel slots removed). */
function workerRoute(worker: string): string {
  const parts = worker.replace(/^app\//, '').split('/').slice(0, -1).filter((p) => !/^\(.*\)$/.test(p) && !p.startsWith('@'));
  return `/${parts.join('/')}`;
}

/** In development (no build): every page.tsx / route.ts under app/. */
export function scanAppDir(root: string): BuiltApp {
  const appDir = path.join(root, 'app');
  const routes: BuiltRoute[] = [];
  const visit = (dir: string, parts: string[]) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name.startsWith('_') || name === 'node_modules') continue;
        const seg = /^\(.*\)$/.test(name) || name.startsWith('@') ? [] : [name];
        visit(full, [...parts, ...seg]);
        continue;
      }
      const m = /^(page|route)\.(tsx?|jsx?)$/.exec(name);
      if (!m) continue;
      const route = `/${parts.join('/')}`;
      routes.push({ route, kind: m[1] as 'page' | 'route', pattern: routePattern(route) });
    }
  };
  visit(appDir, []);
  routes.push({ route: '/_not-found', kind: 'page', pattern: routePattern('/_not-found') });
  return { routes: dedupe(routes), actions: new Map(), source: appDir };
}

function dedupe(routes: BuiltRoute[]): BuiltRoute[] {
  const seen = new Set<string>();
  return routes.filter((r) => (seen.has(r.route) ? false : (seen.add(r.route), true)));
}

export function loadBuiltApp(root: string, dev: boolean): BuiltApp {
  if (!dev && existsSync(path.join(root, '.next', 'app-path-routes-manifest.json'))) return readBuildManifests(root);
  return scanAppDir(root);
}

// `impulse parse` end to end: spawns the real CLI on fixture files and on stdin.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capturesDir, fixture } from './fixture';

const root = path.resolve(capturesDir, '../../..');
const impulse = (args: string[], input?: string) =>
  spawnSync(process.execPath, [path.join(root, 'bin/impulse.mjs'), 'parse', ...args], { cwd: root, input, encoding: 'utf8', timeout: 30_000 });

describe('impulse parse', () => {
  it('prints the parsed JSON of a fixture file', () => {
    const file = path.join(capturesDir, 'ha-status', 'guide-critical-service-down.txt');
    const r = impulse(['ha-status', file]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.subclusters[0].nodes[0]).toMatchObject({ name: 'kal-cup1', reason: 'Critical Service Down' });
  });

  it('reads stdin and auto-detects the PerfMon operation', () => {
    const r = impulse(['perfmon', '--compact'], fixture('perfmon', 'open-session.reconstructed.xml'));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ operation: 'perfmonOpenSession', result: 'b3592ef4-5451-11ec-8000-005056b71e52' });
  });

  it('nothing readable: names the file and line and exits 2', () => {
    const file = path.join(capturesDir, 'garbage', 'http-401.html');
    const r = impulse(['controlcenter', file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`(${file}), line 1:`);
  });

  it('some rows unreadable: prints the others as JSON, lists the bad lines on stderr with file and line, exits 1', () => {
    const s = impulse(['ha-status', '--compact'], 'Subcluster Name: D\nNode 1 Name : a State: Normal\nNode 2 Name : b\n');
    expect(s.status).toBe(1);
    const out = JSON.parse(s.stdout);
    expect(out.subclusters[0].nodes.map((n: { name: string }) => n.name)).toEqual(['a']);
    expect(out.unparsed).toHaveLength(1);
    expect(s.stderr).toMatch(/^<stdin>:3: node entry without "State:"/m);
    expect(s.stderr).toContain('    Node 2 Name : b');
    expect(s.stderr).toMatch(/1 row\(s\) of <stdin> could not be parsed/);
  });

  it('lists the kinds in --help and rejects an unknown kind with usage exit 2', () => {
    const h = impulse(['--help']);
    expect(h.status).toBe(0);
    for (const k of ['dbreplication-runtimestate', 'ha-status', 'users-validate', 'perfmon', 'axl-sql', 'core-active-list']) expect(h.stdout).toContain(k);
    const u = impulse(['nope']);
    expect(u.status).toBe(2);
    expect(u.stderr).toMatch(/unknown kind 'nope'/);
  });
});

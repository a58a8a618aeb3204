// Generated end users: deterministic by seed, 75,000 per cluster without materialising them,
// and anomalies (duplicates across clusters, invalid or missing URIs) exactly where injected.
import { describe, expect, it } from 'vitest';
import { UserDirectory } from '../../lab/state/users';
import { frozenLab } from './lab-helpers';

const dir = (seed: number, ordinal = 1, count = 75_000) => new UserDirectory({ seed, ordinal, count, homeNodes: ['imp01-pub', 'imp01-sub1', 'imp01-sub2'], imDomain: 'example.com' });

describe('lab users', () => {
  it('is a pure function of the seed', () => {
    expect(dir(7).user(41_237)).toEqual(dir(7).user(41_237));
    const a = Array.from({ length: 50 }, (_, i) => dir(7).user(i).userid);
    const b = Array.from({ length: 50 }, (_, i) => dir(8).user(i).userid);
    expect(a.filter((u, i) => u === b[i]).length).toBeLessThan(5);
  });

  it('serves 75,000 realistic users and finds them by user ID without scanning', () => {
    const d = dir(3);
    expect(d.count).toBe(75_000);
    const u = d.user(74_999);
    expect(u.userid).toMatch(/^[a-z]+75000$/);
    expect(u.directoryuri).toMatch(/^[a-z]+\.[a-z]+75000@example\.com$/);
    expect(u.pkid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(u.homeNode).toBe(['imp01-pub', 'imp01-sub1', 'imp01-sub2'][74_999 % 3]);
    const t0 = performance.now();
    for (let i = 0; i < 75_000; i += 997) expect(d.indexOf(d.user(i).userid)).toBe(i);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(d.indexOf('jsmith999999')).toBe(-1);
    expect(d.indexOf('nobody')).toBe(-1);
    expect(d.homedOn('imp01-pub') + d.homedOn('imp01-sub1') + d.homedOn('imp01-sub2')).toBe(75_000);
    expect(() => d.user(75_000)).toThrow(RangeError);
  });

  it('has no duplicate user IDs or directory URIs, within or across clusters, until a fault adds them', () => {
    const ids = new Set<string>();
    const uris = new Set<string>();
    for (const d of [dir(5, 1, 20_000), dir(5, 2, 20_000)]) {
      for (let i = 0; i < d.count; i++) {
        const u = d.user(i);
        ids.add(u.userid);
        uris.add(u.directoryuri.toLowerCase());
      }
    }
    expect(ids.size).toBe(40_000);
    expect(uris.size).toBe(40_000);
  });

  it('duplicate-users puts exactly the requested duplicates across the two clusters, and clearing removes them', async () => {
    const { lab, faults } = await frozenLab({ clusters: 2, usersPerCluster: 3000 });
    const imp1 = lab.cluster('imp01')!.users;
    const imp2 = lab.cluster('imp02')!.users;
    const f = faults.inject({ kind: 'duplicate-users', target: 'imp02', params: { count: '8', from: 'imp01' } });
    const scan = () => {
      const byId = new Map<string, string[]>();
      const byUri = new Map<string, string[]>();
      for (const [name, d] of [['imp01', imp1], ['imp02', imp2]] as const) {
        for (let i = 0; i < d.count; i++) {
          const u = d.user(i);
          byId.set(u.userid, [...(byId.get(u.userid) ?? []), `${name}:${i}`]);
          const k = u.directoryuri.toLowerCase();
          byUri.set(k, [...(byUri.get(k) ?? []), `${name}:${i}`]);
        }
      }
      const dups = (m: Map<string, string[]>) => [...m.values()].filter((v) => v.length > 1);
      return { ids: dups(byId), uris: dups(byUri) };
    };
    const { ids, uris } = scan();
    expect(ids.length + uris.length).toBe(8);
    expect(ids.length).toBe(4);
    // Each duplicate pairs one imp01 user with one of the altered imp02 users — never two in one cluster.
    const altered = imp2.alteredIndices().map((i) => `imp02:${i}`);
    expect(altered).toHaveLength(8);
    for (const pair of [...ids, ...uris]) {
      expect(pair).toHaveLength(2);
      expect(pair[0].startsWith('imp01:')).toBe(true);
      expect(altered).toContain(pair[1]);
    }
    // Case-only differences still count (directory URIs compare case-insensitively).
    expect(altered.some((a) => /[A-Z]/.test(imp2.user(Number(a.split(':')[1])).directoryuri))).toBe(true);
    // The duplicated user ID resolves to the imp02 user in imp02.
    const dupIndex = Number(ids[0][1].split(':')[1]);
    expect(imp2.indexOf(imp2.user(dupIndex).userid)).toBe(dupIndex);
    faults.clear(f.id);
    expect(scan()).toEqual({ ids: [], uris: [] });
    expect(imp2.alteredIndices()).toEqual([]);
  });

  it('duplicate-users needs a second IM&P cluster', async () => {
    const { faults } = await frozenLab({ clusters: 1 });
    expect(() => faults.inject({ kind: 'duplicate-users', target: 'imp01' })).toThrow(/two IM&P clusters/);
  });

  it('invalid-uris gives invalid (several @, spaces) and missing directory URIs, deterministically', async () => {
    const a = await frozenLab({ usersPerCluster: 5000 });
    const b = await frozenLab({ usersPerCluster: 5000 });
    for (const l of [a, b]) l.faults.inject({ kind: 'invalid-uris', target: 'imp01', params: { count: 9 } });
    const users = (l: typeof a) => l.lab.cluster('imp01')!.users.alteredIndices().map((i) => l.lab.cluster('imp01')!.users.user(i));
    const ua = users(a);
    expect(ua).toEqual(users(b));
    expect(ua).toHaveLength(9);
    expect(ua.filter((u) => u.directoryuri === '')).toHaveLength(3);
    expect(ua.filter((u) => (u.directoryuri.match(/@/g) ?? []).length > 1)).toHaveLength(3);
    expect(ua.filter((u) => u.directoryuri.includes(' '))).toHaveLength(3);
    // The CUCM cluster answers from the same directory (IM&P syncs CUCM's users).
    expect(a.lab.cluster('cucm01')!.users).toBe(a.lab.cluster('imp01')!.users);
  });
});

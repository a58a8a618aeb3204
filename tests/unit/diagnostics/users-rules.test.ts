// The user rules at the heart of U1–U6: case-insensitive grouping over packed hashes, Cisco's
// user@domain and IM domain rules, the IM address collision rule, and the scheme inference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonHashes, equalGroups, foldedHash, sortedU32, validUriHash } from '../../../diagnostics/users/duplicates';
import { IM_AS_URI, IM_AS_USERID, IM_OTHER, UserTable } from '../../../diagnostics/users/table';
import { domainProblem, uriProblem, userIdImAddress } from '../../../diagnostics/users/syntax';
import { findUserProblems } from '../../../diagnostics/users/findings';
import { users } from './fixtures';

describe('equalGroups', () => {
  it('groups values equal ignoring case, leaves out empty ones, orders by first entry', () => {
    const v = ['a@x.com', 'B@x.com', '', 'A@X.COM', 'b@x.com', 'c', undefined, 'a@x.com'];
    expect(equalGroups(v.length, (i) => v[i])).toEqual([
      [0, 3, 7],
      [1, 4],
    ]);
  });

  it('finds the one repeat among thousands, ignoring case (also beyond ASCII)', () => {
    const v = Array.from({ length: 5000 }, (_, i) => `user${i}@example.com`);
    v.push('USER42@example.com');
    expect(equalGroups(v.length, (i) => v[i])).toEqual([[42, 5000]]);
    expect(foldedHash('Ä@x')).toBe(foldedHash('ä@x'));
  });

  it('a hash continues from another: hash(a + b) = foldedHash(b, foldedHash(a))', () => {
    expect(foldedHash('example.com', foldedHash('@', foldedHash('JSmith')))).toBe(foldedHash('jsmith@example.com'));
  });

  it('the radix sort sorts; common hashes are the intersection without 0', () => {
    const a = Uint32Array.from({ length: 10_000 }, (_, i) => (Math.imul(i + 1, 2654435761) >>> 0) % 1_000_003);
    expect([...sortedU32(a)]).toEqual([...a].sort((x, y) => x - y));
    expect([...commonHashes(Uint32Array.from([0, 1, 3, 5, 9]), Uint32Array.from([0, 3, 4, 9]))].sort()).toEqual([3, 9]);
  });

  it('the table shares a mail ID equal to the URI and keeps the IM address as its form', () => {
    const t = new UserTable();
    const c = t.clusterOf('imp01');
    const nd = t.nodeOf(c, 'imp01-pub');
    t.add({ pkid: 'p1', userid: 'jsmith', directoryUri: 'john.smith@example.com', mail: 'john.smith@example.com', imAddress: 'jsmith@example.com' }, c, nd);
    t.add({ pkid: 'p2', userid: 'kim', directoryUri: 'kim@example.com', mail: 'other@example.com', imAddress: 'kim@example.com' }, c, nd);
    t.add({ pkid: 'p3', userid: 'alice@cisco.com', directoryUri: '', mail: '', imAddress: 'alice%20%cisco.com@cisco.com' }, c, nd);
    expect(t.imKind).toEqual([IM_AS_USERID, IM_AS_URI, IM_OTHER]);
    expect([0, 1, 2].map((r) => t.imAddress(r))).toEqual(['jsmith@example.com', 'kim@example.com', 'alice%20%cisco.com@cisco.com']);
    expect(t.row(0)).toEqual({ pkid: 'p1', userid: 'jsmith', directoryUri: 'john.smith@example.com', mail: 'john.smith@example.com', imAddress: 'jsmith@example.com' });
  });
});

describe("Cisco's syntax rules", () => {
  it('user@domain', () => {
    expect(uriProblem('john.smith@example.com')).toBeUndefined();
    expect(uriProblem('asdf@ASDF@asdf@ADSF@cisco')).toMatch(/4 @ characters/);
    expect(uriProblem('john smith@example.com')).toMatch(/blank/);
    expect(uriProblem('nobody')).toMatch(/no @/);
    expect(uriProblem('@example.com')).toMatch(/empty/);
    expect(uriProblem('a@Abc.1om')).toMatch(/last label '1om' starts with a number/);
  });

  it('IM domains', () => {
    expect(domainProblem('example.com')).toBeUndefined();
    expect(domainProblem('Abc.1om')).toMatch(/starts with a number/);
    expect(domainProblem('-sales.example.com')).toMatch(/hyphen/);
    expect(domainProblem('sales_example.com')).toMatch(/'_'/);
    expect(domainProblem('a..com')).toMatch(/empty label/);
    expect(domainProblem(`${'a'.repeat(252)}.com`)).toMatch(/256 characters/);
  });

  it('the one-pass URI scan accepts only what the full rules accept, with the same hash', () => {
    const chars = fc.constantFrom(...'aZ09.-@ _xé\t'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 24 }).map((a) => a.join('')), (s) => {
        const h = validUriHash(s);
        if (h !== 0) {
          expect(uriProblem(s)).toBeUndefined();
          expect(h).toBe(foldedHash(s) || 1);
        }
      }),
      { numRuns: 5000 },
    );
    for (const ok of ['john.smith@example.com', 'a@b', 'x_y+z@sales-1.example.com']) expect(validUriHash(ok), ok).not.toBe(0);
    for (const bad of ['a@Abc.1om', 'a@-x.com', 'a@x..com', 'a b@x.com', '@x.com', 'a@', 'asdf@ASDF@asdf@ADSF@cisco']) expect(validUriHash(bad), bad).toBe(0);
  });

  it('UPN user IDs have their first @ escaped in the UserID@[Default_Domain] IM address', () => {
    expect(userIdImAddress('alice@cisco.com', 'cisco.com')).toBe('alice%20%cisco.com@cisco.com');
    expect(userIdImAddress('js12345', 'cisco.com')).toBe('js12345@cisco.com');
  });
});

describe('findUserProblems', () => {
  it('finds every kind of problem and nothing in healthy users', () => {
    const ds = users([
      { cluster: 'imp01', userid: 'alice', uri: 'alice.a@example.com' },
      { cluster: 'imp02', userid: 'ALICE', uri: 'alice2@example.com', mail: 'alice2@example.com' },
      { cluster: 'imp01', userid: 'bob', uri: 'Carol@Example.com', mail: 'bob@example.com' },
      { cluster: 'imp02', userid: 'carol', uri: 'carol@example.com' },
      { cluster: 'imp01', userid: 'dave', uri: '', mail: 'dave@example.com' },
      { cluster: 'imp02', userid: 'erin', uri: 'asdf@ASDF@asdf@ADSF@cisco', mail: 'erin@example.com' },
      { cluster: 'imp01', userid: 'frank', uri: 'frank@example.com', mail: 'shared@example.com' },
      { cluster: 'imp02', userid: 'grace', uri: 'grace@example.com', mail: 'SHARED@example.com' },
      // heidi's URI is ivan's UserID@Default_Domain IM address.
      { cluster: 'imp01', userid: 'heidi', uri: 'ivan@example.com', mail: 'heidi@example.com' },
      { cluster: 'imp02', userid: 'ivan', uri: 'ivan.i@example.com' },
      { cluster: 'imp01', userid: 'judy', uri: 'judy@example.com' },
    ]);
    const f = findUserProblems(ds.table, () => false);
    const ids = (rows: number[]) => rows.map((r) => ds.table.userid[r]);
    expect(f.duplicateUserIds.map(ids)).toEqual([['alice', 'ALICE']]);
    expect(f.duplicateUris.map(ids)).toEqual([['bob', 'carol']]);
    expect(ids(f.noUri)).toEqual(['dave']);
    expect(f.invalidUri.map((x) => ds.table.userid[x.row])).toEqual(['erin']);
    expect(f.duplicateMail.map(ids)).toEqual([['frank', 'grace']]);
    expect(f.collisions).toHaveLength(1);
    expect(f.collisions[0].value.toLowerCase()).toBe('ivan@example.com');
    expect(f.collisions[0].entries.map((e) => [ds.table.userid[e.row], e.field]).sort()).toEqual([
      ['heidi', 'Directory URI'],
      ['ivan', 'IM address'],
    ]);
    const healthy = users([
      { cluster: 'imp01', userid: 'a1', uri: 'a.one@example.com' },
      { cluster: 'imp02', userid: 'b1', uri: 'b.one@example.com' },
    ]);
    const h = findUserProblems(healthy.table, () => false);
    expect([h.duplicateUserIds, h.duplicateUris, h.noUri, h.invalidUri, h.duplicateMail, h.collisions].every((x) => x.length === 0)).toBe(true);
  });

  it('under the Directory URI scheme a UPN user ID equal to its own URI collides; the IM address is the URI itself', () => {
    const ds = users([
      { cluster: 'imp01', userid: 'alice@example.com', uri: 'alice@example.com', im: 'alice@example.com' },
      { cluster: 'imp01', userid: 'bob', uri: 'bob@example.com', im: 'bob@example.com' },
    ]);
    expect(findUserProblems(ds.table, () => true).collisions.map((c) => c.value)).toEqual(['alice@example.com']);
    expect(findUserProblems(ds.table, () => false).collisions).toEqual([]);
  });
});

describe('inferAddressing', () => {
  it('reads the scheme and the default domain from the IM addresses', () => {
    const uid = users([
      { cluster: 'imp01', userid: 'a', uri: 'a.x@example.com' },
      { cluster: 'imp01', userid: 'b', uri: 'b.x@example.com' },
    ]);
    expect(uid.clusters.get('imp01')!.addressing).toMatchObject({ scheme: 'UserID@[Default_Domain]', defaultDomain: 'example.com' });
    const dir = users([
      { cluster: 'imp01', userid: 'a', uri: 'a.x@sales.example.com', im: 'a.x@sales.example.com' },
      { cluster: 'imp01', userid: 'b', uri: 'b.x@example.com', im: 'b.x@example.com' },
    ]);
    const a = dir.clusters.get('imp01')!.addressing!;
    expect(a.scheme).toBe('Directory URI');
    expect(a.defaultDomain).toBeNull();
    expect(a.imDomains.map((d) => d.domain).sort()).toEqual(['example.com', 'sales.example.com']);
    const notSet = users([{ cluster: 'imp01', userid: 'a', uri: 'a.x@example.com', im: 'a@DOMAIN.NOT.SET' }]);
    expect(notSet.clusters.get('imp01')!.addressing!.defaultDomain).toBe('DOMAIN.NOT.SET');
  });
});

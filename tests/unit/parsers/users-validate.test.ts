import { describe, expect, it } from 'vitest';
import { parseUsersValidate } from '../../../collectors/parsers/users-validate';
import { expectParseError, expectUnparsed, fixture } from './fixture';

const K = 'users-validate';

describe('utils users validate all', () => {
  it('reads the guide duplicate-user-ID section with node names', () => {
    const r = parseUsersValidate(fixture(K, 'guide-duplicate-user-ids.txt'));
    expect(r.printedNothing).toBe(false);
    expect(r.duplicateUserIds).toEqual([{ userId: 'user3', nodes: ['cucm-imp-1', 'cucm-imp-2'], line: 3 }]);
  });

  it('reads the guide URI sections', () => {
    const r = parseUsersValidate(fixture(K, 'guide-uri-sections.txt'));
    expect(r.noDirectoryUri).toEqual([{ node: 'cucm-imp-2', userId: 'user4', line: 5 }]);
    expect(r.invalidDirectoryUri).toEqual([{ node: 'cucm-imp-2', userId: 'user1', directoryUri: 'asdf@ASDF@asdf@ADSF@cisco', line: 11 }]);
    expect(r.duplicateDirectoryUris).toEqual([
      { directoryUri: 'user1@cisco.com', users: [{ node: 'cucm-imp-1', userId: 'user4' }, { node: 'cucm-imp-2', userId: 'user3' }], line: 15 },
    ]);
  });

  it('reads all four sections with several nodes, and an invalid URI containing a space (by the header column)', () => {
    const r = parseUsersValidate(fixture(K, 'all-sections-two-nodes.reconstructed.txt'));
    expect(r.sections).toHaveLength(4);
    expect(r.duplicateUserIds.map((d) => [d.userId, d.nodes])).toEqual([
      ['jdoe', ['imp01-pub', 'imp02-pub']],
      ['asmith', ['imp01-sub1', 'imp02-sub1']],
    ]);
    expect(r.noDirectoryUri.map((u) => [u.node, u.userId])).toEqual([
      ['imp01-pub', 'user4'],
      ['imp01-pub', 'user17'],
      ['imp02-pub', 'kbrown'],
    ]);
    expect(r.invalidDirectoryUri[1]).toMatchObject({ userId: 'mgarcia', directoryUri: 'm garcia@example.com' });
  });

  it('reports empty output as printedNothing (TechNote 217518), not as a clean result', () => {
    const r = parseUsersValidate(fixture(K, 'empty-output.txt'));
    expect(r).toMatchObject({ printedNothing: true, duplicateUserIds: [], duplicateDirectoryUris: [] });
  });

  it('rejects output with no section, and names a duplicate entry cut before its nodes while keeping the others', () => {
    expectParseError(() => parseUsersValidate('Something else\n'), /utils users validate all/, 1);
    const r = expectUnparsed(parseUsersValidate('Users with Duplicate User IDs\n------\n User ID: user1\n  cucm-imp-1\n User ID: user3\n'), [5], /lists no node/);
    expect(r.duplicateUserIds.map((d) => d.userId)).toEqual(['user1']);
  });
});

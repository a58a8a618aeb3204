import { describe, expect, it } from 'vitest';
import { parseHaStatus } from '../../../collectors/parsers/ha-status';
import { expectParseError, expectUnparsed, fixture } from './fixture';

const K = 'ha-status';
const nodes = (file: string) => parseHaStatus(fixture(K, file)).subclusters.flatMap((s) => s.nodes.map((n) => [s.name, n.name, n.state, n.reason]));

describe('utils ha status', () => {
  it('reads the guide examples (no "utils", optional Reason)', () => {
    expect(nodes('guide-not-enabled.txt')).toEqual([
      ['DefaultCluster', 'kal-cup1', 'Unknown', 'High Availability Not Enabled'],
      ['DefaultCluster', 'shorty-cups', 'Unknown', 'High Availability Not Enabled'],
    ]);
    expect(nodes('guide-normal.txt')).toEqual([
      ['DefaultCluster', 'kal-cup1', 'Normal', null],
      ['DefaultCluster', 'shorty-cups', 'Normal', null],
    ]);
    expect(nodes('guide-both-failed.reconstructed.txt').map((n) => n[2])).toEqual(['Failed', 'Failed']);
  });

  it('joins a Reason wrapped onto the next line and keeps case verbatim with a normalised key', () => {
    const r = parseHaStatus(fixture(K, 'guide-critical-service-down.txt'));
    const [n1, n2] = r.subclusters[0].nodes;
    expect(n1).toMatchObject({
      index: 1,
      name: 'kal-cup1',
      state: 'Failed Over with Critical Services not Running',
      stateKey: 'failed-over-with-critical-services-not-running',
      knownState: true,
      reason: 'Critical Service Down',
      line: 3,
    });
    expect(n2).toMatchObject({ name: 'shorty-cups', state: 'Running in Backup Mode', reason: 'Critical Service Down', line: 5 });
    // The documentation's other capitalisation gives the same key.
    const other = parseHaStatus(fixture(K, 'guide-critical-service-down.txt').replace('not Running', 'Not Running'));
    expect(other.subclusters[0].nodes[0].stateKey).toBe(n1.stateKey);
    expect(other.subclusters[0].nodes[0].state).toBe('Failed Over with Critical Services Not Running');
  });

  it('reads the tab-indented layout with several subclusters and CRLF', () => {
    expect(nodes('tab-layout-two-groups.reconstructed.txt')).toEqual([
      ['imp01-sc1', 'imp01-pub', 'Normal', 'Normal'],
      ['imp01-sc1', 'imp01-sub1', 'Normal', 'Normal'],
      ['imp01-sc2', 'imp01-sub2', 'Failed Over', 'On Admin Request'],
      ['imp01-sc2', 'imp01-sub3', 'Running in Backup Mode', 'On Admin Request'],
    ]);
  });

  it('flags states outside the documented vocabulary', () => {
    const r = parseHaStatus('Subcluster Name: A\nNode 1 Name : x State: Sleeping Reason: Normal\n');
    expect(r.subclusters[0].nodes[0]).toMatchObject({ state: 'Sleeping', knownState: false });
  });

  it('a node line without State or with an empty Reason costs that node only', () => {
    const a = expectUnparsed(parseHaStatus('Subcluster Name: D\nNode 1 Name : kal-cup1 State: Normal\nNode 2 Name : shorty-cups'), [3], /without "State:"/);
    expect(a.subclusters[0].nodes.map((n) => n.name)).toEqual(['kal-cup1']);
    const b = expectUnparsed(parseHaStatus('Subcluster Name: D\nNode 1 Name : kal-cup1 State: Normal Reason:\nNode 2 Name : b State: Normal'), [2], /Reason:" with no text/);
    expect(b.subclusters[0].nodes.map((n) => n.name)).toEqual(['b']);
    // Text before the first subcluster is named, the subclusters kept.
    expectUnparsed(parseHaStatus('High Availability is starting\nSubcluster Name: D\nNode 1 Name : a State: Normal\n'), [1]);
  });

  it('rejects output with nothing readable, naming the line', () => {
    expectParseError(() => parseHaStatus('admin:utils ha status\nSubcluster Name: DefaultCluster\n\nadmin:', 'x.txt'), /utils ha status \(x\.txt\)/, 2);
    expectParseError(() => parseHaStatus('Subcluster Name: D\nNode 1 Name : kal-cup1 State: Normal Reason:'), /utils ha status/, 2);
    expectParseError(() => parseHaStatus('High Availability is starting\n'), /utils ha status/, 1);
    expectParseError(() => parseHaStatus(''), /utils ha status/);
  });
});

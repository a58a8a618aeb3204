// Cisco's pair-state table: each row is found from either node order, the node whose users moved
// is named, a dead node reads as P16/P17, and a pair outside the table is said to be so.
import { describe, expect, it } from 'vitest';
import { pairVerdict, PAIR_ROWS } from '../../collectors/ha-pairs';

const n = (node: string, state: string | null, reason: string | null = null) => ({ node, state, reason });

describe('pairVerdict', () => {
  it('finds every row of the table with node 1 first or second', () => {
    for (const r of PAIR_ROWS) {
      const side = (s: (typeof r)['node2']) => ({ state: s.states[0], reason: s.reasons[0] ?? 'Unknown' });
      const one = r.node1 === 'down' ? { state: null, reason: null } : side(r.node1);
      const two = side(r.node2);
      for (const [a, b] of [
        [n('imp-a', one.state, one.reason), n('imp-b', two.state, two.reason)],
        [n('imp-b', two.state, two.reason), n('imp-a', one.state, one.reason)],
      ]) {
        const v = pairVerdict(a, b);
        expect(v.row, `${r.row} from ${a.node}`).toBe(r.row);
        // Symmetric rows (both nodes in the same state and reason) name no node 1.
        const symmetric = r.node1 !== 'down' && JSON.stringify(r.node1) === JSON.stringify(r.node2);
        expect(v.node1).toBe(symmetric ? undefined : 'imp-a');
      }
    }
  });

  it('reads P12 with the definition table\'s capitalisation, and gives Cisco\'s actions', () => {
    const v = pairVerdict(n('b', 'Running in Backup Mode', 'Critical Service Down'), n('a', 'Failed Over with Critical Services Not Running', 'Critical Service Down'));
    expect(v).toMatchObject({ row: 'P12', severity: 'critical', node1: 'a', node2: 'b' });
    expect(v.actions[0]).toBe('Check node 1 for any critical services that are down and try to manually start those services.');
  });

  it('a bare "State: Normal" pair is P1', () => {
    expect(pairVerdict(n('a', 'Normal'), n('b', 'Normal'))).toMatchObject({ row: 'P1', severity: 'ok' });
  });

  it('an unreachable peer with Peer Down is P16', () => {
    expect(pairVerdict(n('a', null), n('b', 'Running in Backup Mode', 'Peer Down'))).toMatchObject({ row: 'P16', node1: 'a', severity: 'critical' });
  });

  it('HA not enabled is a warning outside the table', () => {
    const v = pairVerdict(n('a', 'Unknown', 'High Availability Not Enabled'), n('b', 'Unknown', 'High Availability Not Enabled'));
    expect(v).toMatchObject({ row: null, severity: 'warning' });
    expect(v.cause).toMatch(/not enabled/);
  });

  it('a pair Cisco does not list is reported as such, with a severity from its worst state', () => {
    const v = pairVerdict(n('a', 'Normal', 'Normal'), n('b', 'Running in Failed Mode', 'Critical Service Down'));
    expect(v.row).toBeNull();
    expect(v.severity).toBe('critical');
    expect(v.cause).toMatch(/not in Cisco's table/);
  });
});

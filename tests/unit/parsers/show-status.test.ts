import { describe, expect, it } from 'vitest';
import { parseShowStatus } from '../../../collectors/parsers/show-status';
import { expectParseError, expectUnparsed, fixture } from './fixture';

const K = 'show-status';
const expected = {
  hostName: 'xxxxxxxx-cucm1',
  date: 'Fri Sep 29, 2023 17:20:40',
  timeZone: 'Central Daylight Time (America/Mexico_City)',
  locale: 'en_US.UTF-8',
  productVersion: '12.5.1.16900-48',
  osVersion: '7.0.0.0-4',
  uptime: { seconds: 141 * 86400 + 72 * 60, users: 1, loadAverage: [2.22, 0.98, 0.82] },
  cpu: { idle: 85.86, system: 7.58, user: 5.56, iowait: 0.51, irq: 0, soft: 0.51 },
  memory: { totalKB: 7990056, freeKB: 130848, usedKB: 3963172, cachedKB: 3232656, sharedKB: 484376, buffersKB: 3896036 },
};
const disks = [
  ['active', 19805412, 6240536, 13345948, 69],
  ['inactive', 19805412, 6601928, 12984556, 67],
  ['logging', 69234984, 5315340, 60379628, 92],
];

describe('show status', () => {
  it('reads the TechNote one-line layout and the line layout to the same values', () => {
    for (const f of ['technote-221038-one-line.txt', 'line-layout.reconstructed.txt']) {
      const r = parseShowStatus(fixture(K, f));
      expect(r).toMatchObject(expected);
      expect(r.disks.map((d) => [d.name, d.totalKB, d.freeKB, d.usedKB, d.usedPercent])).toEqual(disks);
    }
    expect(parseShowStatus(fixture(K, 'line-layout.reconstructed.txt')).disks[2].line).toBe(26);
  });

  it('reads a CUCM 15 output with CRLF and an uptime under a day', () => {
    const r = parseShowStatus(fixture(K, 'cucm15-crlf.reconstructed.txt'));
    expect(r.productVersion).toBe('15.0.1.10000-32');
    expect(r.uptime?.seconds).toBe(10 * 3600 + 47 * 60);
    expect(r.disks.find((d) => d.name === 'inactive')?.usedPercent).toBe(1);
  });

  it('reads disk columns by the header, not by position', () => {
    const text = fixture(K, 'line-layout.reconstructed.txt')
      .replace('Total            Free            Used', 'Used             Total           Free')
      .replace('Disk/active         19805412K        6240536K       13345948K', 'Disk/active         13345948K       19805412K        6240536K');
    const d = parseShowStatus(text).disks[0];
    expect([d.totalKB, d.freeKB, d.usedKB]).toEqual([19805412, 6240536, 13345948]);
  });

  it('a truncated disk row, an unreadable version or a missing CPU section cost those fields only', () => {
    const cut = fixture(K, 'line-layout.reconstructed.txt').replace('Disk/logging        69234984K        5315340K       60379628K (92%)', 'Disk/logging        69234984K        53');
    const r = expectUnparsed(parseShowStatus(cut, 'cut.txt'), [26], /truncated/);
    expect(r.disks.map((d) => d.name)).toEqual(['active', 'inactive']);
    expect(r.productVersion).toBe('12.5.1.16900-48');
    const v = expectUnparsed(parseShowStatus(fixture(K, 'line-layout.reconstructed.txt').replace('12.5.1.16900-48', 'twelve')), [7], /Product Ver/);
    expect(v.productVersion).toBeNull();
    expect(v.hostName).toBe('xxxxxxxx-cucm1');
    const c = parseShowStatus(fixture(K, 'line-layout.reconstructed.txt').replace('CPU Idle', 'CPU Busy'));
    expect(c.cpu.idle).toBeNull();
    expect(c.unparsed[0].reason).toMatch(/CPU Idle/);
    expectParseError(() => parseShowStatus('Something else entirely\n'), /show status/);
  });
});

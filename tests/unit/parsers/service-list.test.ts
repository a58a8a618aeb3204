import { describe, expect, it } from 'vitest';
import { parseServiceList } from '../../../collectors/parsers/service-list';
import { expectParseError, expectUnparsed, fixture, withoutElisions } from './fixture';

const K = 'service-list';

describe('utils service list', () => {
  it('reads the VVB CLI guide excerpt (application group, stopped reasons, Primary Node)', () => {
    const r = parseServiceList(withoutElisions(fixture(K, 'vvb-cli-guide.excerpt.txt')));
    expect(r.serviceManagerRunning).toBe(true);
    expect(r.returnCode).toBe(0);
    expect(r.primaryNode).toBe(true);
    expect(r.commandSuccessful).toBe(true);
    expect(r.truncated).toBe(false);
    expect(r.services.find((s) => s.name === 'Cisco Tomcat')).toMatchObject({ status: 'STARTED', reason: null, group: 'application' });
    expect(r.services.find((s) => s.name === 'Cisco DirSync')).toMatchObject({ status: 'STOPPED', reason: 'Service Not Activated' });
    expect(r.services.find((s) => s.name === 'SOAP -Performance Monitoring APIs')?.status).toBe('STARTED');
  });

  it('reads the platform group with a space before the bracket', () => {
    const r = parseServiceList(fixture(K, 'platform-header.excerpt.txt'));
    expect(r.services.map((s) => [s.name, s.status, s.reason])).toEqual([
      ['System SSH', 'STARTED', null],
      ['Cluster Manager', 'STARTED', null],
      ['Password Reset', 'STOPPED', 'Service Activated'],
      ['Name Service Cache', 'STOPPED', 'Service Not Activated'],
      ['Entropy Monitoring Daemon', 'STARTED', null],
      ['Cisco SCSI Watchdog', 'STARTED', null],
      ['Service Manager', 'STARTED', null],
    ]);
    expect(r.truncated).toBe(true);
  });

  it('reads inner spaces in the brackets and Commanded Out of Service', () => {
    expect(parseServiceList(fixture(K, 'hcmf-inner-spaces.excerpt.txt')).services[0]).toMatchObject({
      name: 'Cisco HCS Admin UI',
      status: 'STOPPED',
      reason: 'Component is not running',
    });
    expect(parseServiceList(fixture(K, 'subscriber-commanded-out.excerpt.txt')).services.map((s) => s.reason)).toEqual([
      'Commanded Out of Service',
      'Commanded Out of Service',
    ]);
  });

  it('reads a paged IM&P subscriber output with CRLF, both groups and Primary Node =false', () => {
    const r = parseServiceList(fixture(K, 'imp-subscriber-paged.reconstructed.txt'));
    expect(r.primaryNode).toBe(false);
    expect(r.services.filter((s) => s.group === 'platform')).toHaveLength(7);
    expect(r.services.find((s) => s.name === 'Cisco Presence Engine')).toMatchObject({ status: 'STOPPED', reason: 'Component is not running', group: 'application' });
    expect(r.services.find((s) => s.name === 'Cisco XCP Router')?.status).toBe('STARTED');
    expect(r.services.some((s) => s.name.includes('Press'))).toBe(false);
    expect(r.services).toHaveLength(44);
  });

  it('a cut-off service line or unknown text costs that line only', () => {
    const r = expectUnparsed(parseServiceList('admin:utils service list\nCisco Tomcat[STARTED]\nCisco XCP Rou\nCisco XCP Router[STARTED]\n', 'n.txt'), [3], /not a service status line/);
    expect(r.services.map((s) => s.name)).toEqual(['Cisco Tomcat', 'Cisco XCP Router']);
    expectUnparsed(parseServiceList('Cisco Tomcat[RUNNING]\nCisco AXL Web Service[STARTED]\n'), [1], /not a known status/);
  });

  it('rejects output with no service line at all', () => {
    expectParseError(() => parseServiceList('Cisco Tomcat[RUNNING]\n'), /utils service list/, 1);
    expectParseError(() => parseServiceList('admin:utils service list\r\nadmin:'), /utils service list/);
  });
});

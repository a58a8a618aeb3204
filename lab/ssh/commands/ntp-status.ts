// `utils ntp status` — wire-formats.md §4.10 (TechNote 215537): the ntpd line, an `ntpq -p` peers
// table, the ntpstat verdict and the current time. The verdict follows the time source's reachability.
import { stableHash, unixDate } from './format';
import { EXTERNAL_NTP, ntpSource } from './ntp-source';
import { immediate, type CliCommandSpec, type CliContext } from './types';

const HEADER = '     remote           refid      st t when poll reach   delay   offset  jitter';

function peerLine(tally: string, remote: string, refid: string, st: number, when: string, poll: number, reach: number, d: number[]): string {
  return (
    `${tally}${remote.padEnd(15)} ${refid.padEnd(15)} ${String(st).padStart(2)} u ${when.padStart(4)} ${String(poll).padStart(4)} ` +
    `${reach.toString(8).padStart(4)} ${d[0].toFixed(3).padStart(8)} ${d[1].toFixed(3).padStart(8)} ${d[2].toFixed(3).padStart(7)}`
  );
}

export function renderNtpStatus(ctx: CliContext): string {
  const { node, lab, now } = ctx;
  const src = ntpSource(lab, node);
  const h = stableHash(node.name);
  const refid = src.address === EXTERNAL_NTP ? '.GPS.' : EXTERNAL_NTP;
  const lines = [`ntpd (pid ${1000 + (h % 30000)}) is running...`, '', HEADER, '='.repeat(78)];
  if (src.reachable) {
    const delay = 0.2 + (h % 400) / 1000;
    lines.push(
      peerLine('*', src.address, refid, src.stratum, String(Math.floor(now.getTime() / 1000) % 64), 64, 0o377, [delay, ((h % 50) - 25) / 1000, (h % 20) / 1000]),
      '',
      `synchronised to NTP server (${src.address}) at stratum ${src.stratum + 1}`,
      `   time correct to within ${Math.round(delay * 10 + 20)} ms`,
      '   polling server every 64 s',
    );
  } else {
    lines.push(
      peerLine(' ', src.address, '.INIT.', 16, '-', 64, 0, [0, 0, 0]),
      '',
      'unsynchronised',
      '  time server re-starting',
      '   polling server every 8 s',
    );
  }
  lines.push('', `Current time in UTC is : ${unixDate(now)}`, `Current time in Etc/UTC is : ${unixDate(now)}`);
  return lines.join('\n') + '\n';
}

export const ntpStatus: CliCommandSpec = {
  words: ['utils', 'ntp', 'status'],
  run: (ctx, args) => (args.length === 0 ? immediate(renderNtpStatus(ctx)) : undefined),
};

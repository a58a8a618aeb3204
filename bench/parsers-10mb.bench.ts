// Every text parser on a ~10 MB output (a capture or lab output grown by repeating its records),
// as MB/s. Linear time is shown by the ratio to the same parser's throughput on ~1 MB measured in
// the same run (≈ 1 when the cost grows linearly; well below 1 would mean super-linear).
import { buildDeployment } from '../lab/state/deployment';
import { COMMANDS } from '../lab/ssh/commands/index';
import { parsers, type ParserKind } from '../collectors/parsers/index';
import { best, report } from './report';

const MB = 1024 * 1024;

/** A clean output and the slice of it that holds repeatable records (between head and tail). */
function grow(head: string, records: string[], tail: string, bytes: number): string {
  let body = '';
  const all: string[] = [];
  for (let i = 0; body.length < bytes; i++) {
    const r = records[i % records.length].replace(/\b(imp01|cucm01)-(pub|sub\d)\b/g, `$1-$2x${i}`);
    all.push(r);
    body += `${r}\n`;
  }
  return `${head}${all.join('\n')}\n${tail}`;
}

async function inputs(bytes: number): Promise<Array<[ParserKind, string]>> {
  const lab = await buildDeployment({ clusters: 1, nodes: 2, usersPerCluster: 200, addressBase: '127.100' });
  const node = lab.node('imp01-pub')!;
  const run = async (words: string, args: string[] = []) => {
    const spec = COMMANDS.find((c) => c.words.join(' ') === words)!;
    const steps = spec.run({ node, lab, now: new Date() }, args)!;
    return (await Promise.all(steps.map((s) => (typeof s.text === 'function' ? s.text() : s.text)))).join('');
  };
  const lines = (t: string) => t.split('\n');
  const out: Array<[ParserKind, string]> = [];
  {
    const t = lines(await run('utils dbreplication runtimestate'));
    const rule = t.findIndex((l) => l.startsWith('-----------'));
    out.push(['dbreplication-runtimestate', grow(`admin:utils dbreplication runtimestate\n${t.slice(0, rule + 1).join('\n').replace(/\((\d+) Servers\)/, '(SERVERS Servers)')}\n`, t.slice(rule + 1).filter(Boolean), 'admin:', bytes)]);
    const n = out[out.length - 1][1].split('\n').length - (rule + 3);
    out[out.length - 1][1] = out[out.length - 1][1].replace('(SERVERS Servers)', `(${n} Servers)`);
  }
  {
    const t = lines(await run('utils service list'));
    const start = t.findIndex((l) => l.startsWith('>> Return code'));
    const end = t.findIndex((l) => l.startsWith('Primary Node'));
    out.push(['service-list', grow(`${t.slice(0, start + 1).join('\n')}\n`, t.slice(start + 1, end), t.slice(end).join('\n'), bytes)]);
  }
  {
    const t = lines(await run('utils ha status')).filter(Boolean);
    out.push(['ha-status', grow('', [t.join('\n')], '', bytes)]);
  }
  {
    const t = lines(await run('show cert list own')).filter(Boolean);
    out.push(['cert-list', grow('', t, '', bytes)]);
  }
  {
    const t = lines(await run('show perf query class', ['Memory']));
    const first = t.findIndex((l) => l.includes('->'));
    out.push(['perf-query', grow(`${t.slice(0, first).join('\n')}\n`, t.slice(first).filter(Boolean), '', bytes)]);
  }
  {
    const t = lines(await run('show network cluster'));
    const rows = t.filter((l) => /Publisher|Subscriber/.test(l));
    out.push(['network-cluster', grow('', rows, '', bytes)]);
  }
  {
    const t = lines(await run('utils diagnose test'));
    const first = t.findIndex((l) => /^(test|skip) - /.test(l));
    const last = t.findIndex((l) => l.startsWith('Diagnostics Completed'));
    out.push(['diagnose-test', grow(`${t.slice(0, first).join('\n')}\n`, t.slice(first, last).filter(Boolean), t.slice(last).join('\n'), bytes)]);
  }
  {
    const t = lines(await run('utils core active list'));
    const head = t.findIndex((l) => /^=+$/.test(l.trim()));
    const row = '292616 KB   2022-02-20 00:02:37   core.62556.6.ccm.1645336926';
    out.push(['core-active-list', grow(`${t.slice(0, Math.max(0, head + 1)).join('\n') || 'Size         Date            Core File Name\n==============================================='}\n`, [row], '', bytes)]);
  }
  {
    const t = lines(await run('show status'));
    const first = t.findIndex((l) => l.startsWith('Disk/'));
    out.push(['show-status', grow(`${t.slice(0, first).join('\n')}\n`, t.slice(first).filter(Boolean), '', bytes)]);
  }
  {
    const t = lines(await run('utils ntp status'));
    const rule = t.findIndex((l) => /^=+$/.test(l.trim()));
    const peers = t.slice(rule + 1).filter((l) => /^\s*[*+\-x#o. ]?\d/.test(l));
    const rest = t.slice(rule + 1 + peers.length);
    out.push(['ntp-status', grow(`${t.slice(0, rule + 1).join('\n')}\n`, peers, rest.join('\n'), bytes)]);
  }
  {
    const dup = ' User ID: user3\n  Node Name\n  cucm-imp-1\n  cucm-imp-2';
    out.push(['users-validate', grow('Users with Duplicate User IDs\n---------------------------------------------\n', [dup], '', bytes)]);
  }
  return out;
}

async function main(): Promise<void> {
  const big = await inputs(10 * MB);
  const small = new Map(await inputs(MB));
  for (const [kind, text] of big) {
    const r = parsers[kind].parse(text, kind) as { unparsed?: unknown[] };
    if ((r.unparsed ?? []).length) throw new Error(`${kind}: ${(r.unparsed ?? []).length} unparsed rows in the bench input`);
    const s = small.get(kind)!;
    const mbps1 = s.length / MB / (best(() => parsers[kind].parse(s, kind), 3) / 1000);
    const mbps10 = text.length / MB / (best(() => parsers[kind].parse(text, kind), 2) / 1000);
    report({ label: `${kind} on ${(text.length / MB).toFixed(1)} MB`, value: mbps10, unit: 'MB/s', baseline: { label: `${kind} on 1 MB (MB/s)`, value: Number(mbps1.toFixed(1)) } });
  }
}

await main();

// `npm run soak -- --minutes N`: the soak benchmark (bench/soak/run.ts). Defaults are the issue's:
// the 210-node lab (30 IM&P clusters × 6 nodes + 30 CUCM publishers) on 127.158, a tenth of the
// nodes cycling through every fault kind, Prometheus scraping every 15 s, 50 dashboard viewers.
// Prints the report; --json <file> also writes it as JSON (the test suite's short soak reads it).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { printReport, runSoak } from './soak/run';
import { report } from './report';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    clusters: { type: 'string', default: '30' },
    nodes: { type: 'string', default: '6' },
    clients: { type: 'string', default: '50' },
    'fault-fraction': { type: 'string', default: '0.1' },
    'fault-seconds': { type: 'string', default: '60' },
    interval: { type: 'string' },
    'sample-seconds': { type: 'string', default: '15' },
    'warmup-seconds': { type: 'string', default: '120' },
    'settle-seconds': { type: 'string', default: '75' },
    'address-base': { type: 'string', default: '127.158' },
    users: { type: 'string', default: '5000' },
    'no-prometheus': { type: 'boolean' },
    json: { type: 'string' },
  },
});

const num = (k: keyof typeof values) => Number(values[k]);
const started = Date.now();
const r = await runSoak({
  minutes: num('minutes'),
  clusters: num('clusters'),
  nodes: num('nodes'),
  clients: num('clients'),
  faultFraction: num('fault-fraction'),
  faultSeconds: num('fault-seconds'),
  intervalSeconds: values.interval ? Number(values.interval) : undefined,
  sampleSeconds: num('sample-seconds'),
  warmupSeconds: num('warmup-seconds'),
  settleSeconds: num('settle-seconds'),
  addressBase: String(values['address-base']),
  users: num('users'),
  prometheus: values['no-prometheus'] !== true,
  log: (line) => console.log(line),
});
printReport(r, (l) => console.log(l));
console.log('');
report({ label: 'healthy-node freshness', value: Number((r.freshness.ratio * 100).toFixed(3)), unit: '%', target: { op: '>=', value: 100 } });
report({ label: 'missed intervals, healthy nodes', value: r.missedIntervals.healthy, unit: 'polls', target: { op: '==', value: 0 } });
report({ label: 'page p99, 50 viewers refreshing every 5 s', value: r.pages.p99, unit: 'ms', target: { op: '<=', value: 500 } });
report({ label: 'RSS slope after warm-up', value: r.slopes.rssMbPer10Min, unit: 'MB per 10 min', target: { op: '<=', value: 1 } });
report({ label: 'event-loop lag p99', value: r.eventLoopLagP99Ms, unit: 'ms' });
report({ label: 'leaks (PerfMon sessions, SSH sessions and channels, fds, sockets)', value: r.leaks.length, unit: '', target: { op: '==', value: 0 } });
if (values.json) writeFileSync(values.json, JSON.stringify(r, null, 2));
console.log(`soak finished in ${((Date.now() - started) / 60_000).toFixed(1)} min`);
process.exit(0);

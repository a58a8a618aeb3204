// Parser throughput on the hot path: a perfmonCollectSessionData response with 5,000 counters (one
// IM&P node's session) must parse in ≤ 20 ms. Baseline: the same document through fast-xml-parser
// alone (no validation, no typing), measured in the same run.
import { XMLParser } from 'fast-xml-parser';
import { parsePerfmonCollect } from '../collectors/parsers/perfmon';
import { report } from './report';

const COUNTERS = 5000;
const RUNS = 41;

function document(): string {
  const objects = ['Process', 'Processor', 'Partition', 'Cisco XCP JSM Session Counters', 'Network Interface'];
  let body = '';
  for (let i = 0; i < COUNTERS; i++) {
    const obj = objects[i % objects.length];
    body +=
      `<ns1:perfmonCollectSessionDataReturn><ns1:Name>\\\\imp01-pub.example.com\\${obj}(inst-${i} (x))\\% CPU Time</ns1:Name>` +
      `<ns1:Value>${(i * 7919) % 100000}</ns1:Value><ns1:CStatus>${i % 7 === 0 ? 1 : 0}</ns1:CStatus></ns1:perfmonCollectSessionDataReturn>`;
  }
  return (
    `<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>` +
    `<ns1:perfmonCollectSessionDataResponse xmlns:ns1="http://schemas.cisco.com/ast/soap">${body}</ns1:perfmonCollectSessionDataResponse></soapenv:Body></soapenv:Envelope>`
  );
}

function median(f: () => unknown): number {
  for (let i = 0; i < 5; i++) f(); // warm-up (JIT)
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

const xml = document();
const samples = parsePerfmonCollect(xml);
if (samples.length !== COUNTERS) {
  console.error(`parsers bench: expected ${COUNTERS} samples, got ${samples.length}`);
  process.exit(1);
}
const fxp = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, parseTagValue: false });
const baseline = median(() => fxp.parse(xml));
const ours = median(() => parsePerfmonCollect(xml));
console.log(`document: ${COUNTERS} counters, ${(xml.length / 1024).toFixed(0)} KiB, median of ${RUNS} runs`);
report({
  label: 'parsePerfmonCollect 5000 counters (median)',
  value: ours,
  unit: 'ms',
  target: { op: '<=', value: 20 },
  baseline: { label: 'fast-xml-parser alone', value: Number(baseline.toFixed(2)) },
});

// The SSH CLI output buffer (collectors/clients/cli-buffer.ts) on a 10 MB `utils service list`-sized
// stream in 32 KB chunks (an SSH channel's window packets), with the prompt check after every chunk.
// Baseline, measured in the same run: the previous buffer, which appended each chunk to one string
// and sliced its last 400 characters per chunk (quadratic: the slice flattens the whole string).
import { OutputBuffer } from '../collectors/clients/cli-buffer';
import { best, report } from './report';

const TOTAL = 10 * 1024 * 1024;
const CHUNK = 32 * 1024;
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>NOM78c]/g;
const PROMPT = /(?:^|\n)(?:admin):\s*$/;
const visible = (raw: string) => raw.replace(ANSI, '').replace(/\r\n?/g, '\n');

function stream(): string[] {
  const names = ['Cisco XCP Router', 'Cisco Presence Engine', 'Cisco SIP Proxy', 'Cisco Tomcat', 'A Cisco DB', 'Cisco Client Profile Agent'];
  let text = 'Requesting service status, please wait...\r\n';
  for (let i = 0; text.length < TOTAL; i++) text += `${names[i % names.length]} ${i}[STARTED]\r\n`;
  text += 'Primary Node =true\r\nCommand successful\r\n\r\n\x1b[?1h\x1b=\radmin:';
  const chunks: string[] = [];
  for (let k = 0; k < text.length; k += CHUNK) chunks.push(text.slice(k, k + CHUNK));
  return chunks;
}

function before(chunks: string[]): number {
  let buffer = '';
  let found = false;
  for (const c of chunks) {
    buffer += c;
    found = PROMPT.test(visible(buffer.slice(Math.max(0, buffer.length - 400))));
  }
  if (!found) throw new Error('baseline missed the prompt');
  return buffer.length;
}

function after(chunks: string[]): number {
  const b = new OutputBuffer(400);
  let found = false;
  for (const c of chunks) {
    b.push(c);
    found = PROMPT.test(visible(b.tailSinceMark()));
  }
  if (!found) throw new Error('buffer missed the prompt');
  return b.text().length;
}

const chunks = stream();
if (before(chunks) !== after(chunks)) throw new Error('the two buffers disagree');
const old = best(() => before(chunks), 3);
const now = best(() => after(chunks), 5);
console.log(`stream: ${(TOTAL / 1048576).toFixed(0)} MB in ${chunks.length} chunks of ${CHUNK / 1024} KB, best of runs`);
report({ label: 'previous buffer (string += chunk, slice(-400) per chunk)', value: old, unit: 'ms' });
report({ label: 'OutputBuffer (chunk list, bounded tail)', value: now, unit: 'ms', baseline: { label: 'previous', value: Number(old.toFixed(1)) } });
report({ label: 'OutputBuffer throughput', value: TOTAL / 1048576 / (now / 1000), unit: 'MB/s' });

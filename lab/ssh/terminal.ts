// What the VOS CLI's terminal layer puts around text: CRLF line ends, the VT100 keypad sequence
// and a bare CR ahead of every prompt (cisco-cucm-mcp CHANGELOG 0.5.0: "CRLF and stray CR plus
// VT100 escape sequences"), the pager prompt and its erase, and the banner (wire-formats.md §4.1).
import type { LabNode } from '../model';

export const CRLF = '\r\n';

/** DECCKM on + DECKPAM: the Java CLI switches the keypad to application mode before each prompt. */
export const KEYPAD_APPLICATION = '\x1b[?1h\x1b=';

/** Erase-to-end-of-line after a carriage return: how the pager removes its own prompt. */
export const ERASE_LINE = '\r\x1b[K';

/** Pager prompt, quoted verbatim in a public netmiko VOS script (wire-formats.md §4.1). */
export const PAGER_PROMPT = 'Press <enter> for 1 line, <space> for one page, or <q> to quit';

/** `admin:` prompt (the OS administrator's name and a colon, no trailing space). */
export function prompt(username: string): string {
  return `${KEYPAD_APPLICATION}\r${username}:`;
}

/**
 * `unexpand -a`: a run of two or more blanks that reaches a tab stop (every 8 columns) becomes a
 * tab, as when aligned output is saved or pasted from a terminal that keeps tabs.
 */
export function unexpand(line: string): string {
  let out = '';
  for (let start = 0; start < line.length; start += 8) {
    const block = line.slice(start, start + 8);
    const trailing = block.length === 8 ? /( {2,})$/.exec(block) : null;
    out += trailing ? `${block.slice(0, 8 - trailing[1].length)}\t` : block;
  }
  return out;
}

export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, CRLF);
}

/** First banner line, printed as soon as the shell opens. */
export const BANNER_START = 'Command Line Interface is starting up, please wait ...';

/** The rest of the banner, after the CLI's start-up delay (TechNote 217581 layout). */
export function bannerRest(node: LabNode, memoryKBytes: number | undefined): string {
  const ramMb = memoryKBytes !== undefined ? Math.round(memoryKBytes / 1024) : 8192;
  const vcpus = node.counters.instances('Processor').filter((i) => i !== '_Total').length || 2;
  const disk = node.product === 'cucm' ? 110 : 80;
  return [
    '',
    '   Welcome to the Platform Command Line Interface',
    '',
    'VMware Installation:',
    `        ${vcpus} vCPU: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz`,
    `        Disk 1: ${disk}GB, Partitions aligned`,
    `        ${ramMb} Mbytes RAM`,
    '',
  ].join('\n');
}

/**
 * Garbled replacement for one output line (the `garbage` fault): the same length of noise bytes,
 * printable and high-bit mixed, never a colon (so nothing looks like a prompt) nor CR/LF.
 */
export function garble(line: string, seed: number): Buffer {
  const n = Math.max(8, line.length);
  const out = Buffer.alloc(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    let b = s % 2 === 0 ? 0x21 + (s % 94) : 0x80 + (s % 127);
    if (b === 0x3a) b = 0x3b;
    out[i] = b;
  }
  return out;
}

// `impulse config check`: the output an operator reads, and the exit code scripts rely on.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { command } from '../../cli/commands/config';

const dir = mkdtempSync(path.join(tmpdir(), 'impulse-config-cli-'));

async function run(argv: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string }> {
  let out = '';
  const write = (chunk: string | Uint8Array) => ((out += String(chunk)), true);
  vi.spyOn(process.stdout, 'write').mockImplementation(write);
  vi.spyOn(process.stderr, 'write').mockImplementation(write);
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v as string);
  const code = await command.run(argv);
  vi.restoreAllMocks();
  return { code, out };
}
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const good = path.join(dir, 'good.yaml');
writeFileSync(
  good,
  `clusters:
  - name: imp01
    product: imp
    publisher: imp01-pub
    nodes: [{ name: imp01-pub, host: 127.50.2.10 }, { name: imp01-sub1, host: 127.50.2.11 }]
    presenceRedundancyGroups: [{ name: g1, nodes: [imp01-pub, imp01-sub1] }]
    credentials: { axl: { username: axl, password: env:H5_TEST_AXL } }
`,
);

describe('impulse config check', () => {
  it('prints a one-line summary and exits 0 for a valid config with its secrets present', async () => {
    const { code, out } = await run(['check', good], { H5_TEST_AXL: 'pw-value' });
    expect(code).toBe(0);
    expect(out).toMatch(/^ok: 1 cluster \(0 CUCM, 1 IM&P\), 2 nodes, 1 presence redundancy group, 1 secret resolved/);
    expect(out).not.toContain('pw-value');
  });

  it('exits 1 naming the missing variable (never a value)', async () => {
    const { code, out } = await run(['check', good], { H5_TEST_AXL: undefined });
    expect(code).toBe(1);
    expect(out).toContain(`${good}:7:52: clusters[0].credentials.axl.password: environment variable H5_TEST_AXL (from env:H5_TEST_AXL) is not set`);
    const skipped = await run(['check', good, '--skip-secrets'], { H5_TEST_AXL: undefined });
    expect(skipped.code).toBe(0);
    expect(skipped.out).toContain('secrets not checked');
  });

  it('prints every issue as file:line:col: field: message and exits 1', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'clusters:\n  - name: imp01\n    product: imp\n    publisher: nobody\n    nodez: []\n');
    const { code, out } = await run(['check', bad]);
    expect(code).toBe(1);
    const lines = out.trim().split('\n');
    expect(lines).toContain(`${bad}:5:5: clusters[0].nodez: unknown field 'nodez'; did you mean 'nodes'?`);
    expect(lines.at(-1)).toMatch(/^\d+ issues in /);
  });

  it('uses $IMPULSE_CONFIG when no file is given', async () => {
    const { code, out } = await run(['check'], { IMPULSE_CONFIG: good, H5_TEST_AXL: 'x' });
    expect(code).toBe(0);
    expect(out).toContain(`(${good})`);
  });

  it('prints help, and rejects an unknown subcommand', async () => {
    expect((await run(['--help'])).out).toMatch(/Usage: impulse config check \[file\]/);
    await expect(command.run(['lint'])).rejects.toThrow(/unknown subcommand 'lint'/);
  });
});

// `impulse collect`: runs the collector engine alone and serves /metrics — the scaled-out mode,
// one process per shard (`--shard i/n`), scraped by Prometheus. `--once` polls every source of
// every node once, prints a table per node and exits 1 if any poll failed.
import { ConfigError, formatIssue, loadConfigFile } from '../../config/load';
import { readSecret, resolveLoaded, type Inventory } from '../../config/resolve';
import { createCollector, startMetricsServer } from '../../collectors/index';
import type { ObservationView } from '../../collectors/engine/store';
import { parse, parseListen, parseShard, wantsHelp } from '../args';
import { UsageError, type CliCommand } from '../command';

const help = `Usage: impulse collect --config <file> [--listen host:port] [--shard i/n] [--once]

Polls every node of the configuration (PerfMon, Control Center, AXL, the admin CLI over SSH and
TLS probes) and serves the results as Prometheus metrics on /metrics.

  --config <file>     the configuration (impulse.config.yaml)
  --listen host:port  where /metrics is served (default 127.0.0.1:9461)
  --shard i/n         poll only this shard's nodes (1 ≤ i ≤ n; every node belongs to exactly one
                      shard, by stable hashing of cluster and node name)
  --once              poll every source of every node once, print a table per node, and exit:
                      0 when every poll succeeded, 1 otherwise
  -h, --help          this text

/metrics requires "Authorization: Bearer <token>" when server.metricsToken is set.
`;

export const command: CliCommand = {
  name: 'collect',
  summary: 'Run the collector and serve /metrics (scaled out: --shard i/n); --once for a one-shot check',
  help,
  async run(argv) {
    if (wantsHelp(argv)) {
      process.stdout.write(help);
      return 0;
    }
    const { values, positionals } = parse(
      argv,
      { config: { type: 'string', short: 'c' }, listen: { type: 'string' }, shard: { type: 'string' }, once: { type: 'boolean' } },
      true,
    );
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (!values.config) throw new UsageError('--config <file> is required');
    const shard = values.shard ? parseShard(values.shard) : undefined;
    let inventory: Inventory;
    try {
      inventory = resolveLoaded(loadConfigFile(values.config));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const issue of err.issues) process.stderr.write(`${formatIssue(issue)}\n`);
      return 1;
    }
    const collector = createCollector(inventory, { shard });
    const polled = collector.engine.polledNodes().length;
    if (values.once) {
      await collector.runOnce();
      await collector.stop();
      const failed = printTable(collector.store.snapshot());
      process.stdout.write(`${polled} node${polled === 1 ? '' : 's'}${shard ? ` (shard ${shard.index}/${shard.count})` : ''}; ${failed === 0 ? 'every poll succeeded' : `${failed} failed poll${failed === 1 ? '' : 's'}`}\n`);
      return failed === 0 ? 0 : 1;
    }

    const listen = parseListen(values.listen ?? '127.0.0.1:9461');
    const token = inventory.server.metricsToken ? readSecret(inventory.server.metricsToken) : undefined;
    const server = await startMetricsServer(collector, { ...listen, token });
    await collector.start();
    process.stdout.write(`impulse collect: polling ${polled} node${polled === 1 ? '' : 's'}${shard ? ` (shard ${shard.index}/${shard.count})` : ''}; metrics: ${server.url}/metrics${token ? ' (bearer token required)' : ''}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await collector.stop();
    return 0;
  },
};

/** One block per node: source, result, age, and the error when it failed. Returns the failure count. */
function printTable(views: ObservationView[]): number {
  let failed = 0;
  let node = '';
  const width = Math.max(12, ...views.map((v) => v.source.length));
  for (const v of views) {
    const key = `${v.cluster}/${v.node}`;
    if (key !== node) {
      node = key;
      process.stdout.write(`\n${key}\n`);
    }
    if (!v.ok) failed++;
    const result = v.ok ? 'ok' : v.error ? `FAILED ${v.error.kind}` : 'not polled';
    const took = v.durationMs !== undefined ? `${(v.durationMs / 1000).toFixed(2)} s` : '';
    const detail = !v.ok && v.error ? `  ${v.error.message}` : '';
    process.stdout.write(`  ${v.source.padEnd(width)}  ${result.padEnd(22)}${took.padStart(9)}${detail}\n`);
  }
  process.stdout.write('\n');
  return failed;
}

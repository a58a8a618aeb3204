// Alerting in the embedded product: the rule catalogue evaluated on the collector's samples (or
// Prometheus' alerts read back), notifications, alert history and maintenance windows, as
// runtime.alerts (alerts/handle.ts) for the /alerts page and the overview.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlertingService } from '../../alerts/service';
import { AlertingConfigError, configDirOf, resolveAlerting } from '../../alerts/settings';
import type { ImpulseRuntime } from '../runtime';
import type { RuntimeService } from '../services';

const runbookDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/runbooks');

export function alertsService(rt: ImpulseRuntime): RuntimeService {
  // The runtime's log line (impulse start prints it) where the runtime has one, else stderr.
  const log = (line: string) => {
    const runtimeLog = (rt as { log?: (l: string) => void }).log;
    if (runtimeLog) runtimeLog(line);
    else process.stderr.write(`impulse start: ${line}\n`);
  };
  let service: AlertingService | undefined;
  return {
    name: 'alerting',
    start(runtime) {
      let settings;
      try {
        settings = resolveAlerting(runtime.config, { dir: configDirOf(runtime.inventory.configFile ?? runtime.configPath), thresholds: runtime.inventory.thresholds });
      } catch (err) {
        if (!(err instanceof AlertingConfigError)) throw err;
        log(`alerting is off: ${err.message}`);
        return;
      }
      const collector = runtime.collector;
      service = new AlertingService({
        settings,
        inventory: runtime.inventory,
        reader: collector?.engine.metrics,
        updates: collector?.store,
        db: runtime.db,
        audit: () => rt.audit,
        log: (line) => log(`alerting: ${line}`),
        runbookDir,
      });
      service.start();
      runtime.alerts = service;
    },
    async stop() {
      await service?.stop();
    },
  };
}

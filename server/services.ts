// The services of the embedded product that run beside the collector: each one starts on the
// runtime (after the database and the collector), may hang its handle on the runtime for pages
// to read, and stops in reverse order. Add a service by writing server/services/<name>.ts and
// listing its factory here.
import type { ImpulseRuntime } from './runtime';
import { historyService } from './services/history';
import { AuditService } from './services/audit';
import { SecurityService } from './services/security';
import { secretScrubber } from './security/scrub';
import { alertsService } from './services/alerts';
import { createDiagnosticsService } from './services/diagnostics';

export interface RuntimeService {
  readonly name: string;
  start(rt: ImpulseRuntime): Promise<void> | void;
  stop?(): Promise<void> | void;
}

/** Returns the service, or undefined when it does not apply to this runtime (e.g. no database). */
export type ServiceFactory = (rt: ImpulseRuntime) => RuntimeService | undefined;

export const serviceFactories: readonly ServiceFactory[] = [
  (rt) => new AuditService({ log: rt.log ?? (() => {}), scrubber: secretScrubber }),
  () => new SecurityService(),
  historyService,
  alertsService,
  () => createDiagnosticsService(),
];

// The running product, shared between `impulse start` (which builds it) and the Next.js server
// components and route handlers (which read it). Both run in one process; the object lives on
// globalThis because Next bundles app code separately from the CLI's modules.
import type { ObservationView } from '../../collectors/engine/store';
import type { Inventory } from '../../config/resolve';
import type { ImpulseConfig } from '../../config/schema';

/** What the app needs from a running collector (collectors/index.ts createCollector result). */
export interface RuntimeCollector {
  store: { snapshot(filter?: { cluster?: string; node?: string }): ObservationView[] };
}

export interface ImpulseRuntime {
  /** The configuration file in use (as given, or the lab's generated file). */
  configPath: string;
  config: ImpulseConfig;
  inventory: Inventory;
  /** Present while the collector engine runs. */
  collector?: RuntimeCollector;
  /** Present when `impulse start` runs the built-in lab. */
  lab?: { controlUrl: string };
  /** Epoch ms. */
  startedAt: number;
}

const KEY = Symbol.for('impulse.runtime');
type Holder = { [KEY]?: ImpulseRuntime };

export function setRuntime(runtime: ImpulseRuntime | undefined): void {
  (globalThis as Holder)[KEY] = runtime;
}

export function getRuntime(): ImpulseRuntime | undefined {
  return (globalThis as Holder)[KEY];
}

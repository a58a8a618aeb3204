// The contract every source implements. A source declares its name, default interval (from
// config/schema.ts defaultIntervals, overridable per cluster), where it runs (scope), which
// protocol lane it uses, the zod schema of its observation, how to poll, and how an
// observation becomes metrics.
import type { z } from 'zod';
import type { Inventory, InventoryCluster, InventoryNode } from '../../config/resolve';
import type { SourceName } from '../../config/schema';
import type { AxlClient } from '../clients/axl';
import type { ControlCenterClient } from '../clients/controlcenter';
import type { PerfmonClient, PerfmonSession } from '../clients/perfmon';
import type { Lane } from '../engine/scheduler';
import type { Observation, ParseProblem } from '../engine/store';
import type { MetricSink } from '../metrics/sink';

/** The admin CLI of one node: one command at a time, output cleaned (no echo, prompt, CRLF, VT100). */
export interface CliRunner {
  run(command: string, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<string>;
}

/** What a TLS probe of one port reports about the leaf certificate served there. */
export interface TlsLeaf {
  subject: string;
  issuer: string;
  serialHex: string;
  sans: string[];
  notBefore: Date;
  notAfter: Date;
  selfSigned: boolean;
  /** Whether it verified against the cluster's trust (a probe still reports an untrusted leaf). */
  trusted: boolean;
  fingerprint256?: string;
}

/** The clients of one node, created once per node and reused for every poll. */
export interface SourceClients {
  readonly perfmon: PerfmonClient;
  readonly perfmonSession: PerfmonSession;
  readonly controlCenter: ControlCenterClient;
  readonly axl: AxlClient;
  readonly cli: CliRunner;
  probeTls(port: number, signal?: AbortSignal): Promise<TlsLeaf>;
}

export interface SourceContext {
  readonly inventory: Inventory;
  readonly cluster: InventoryCluster;
  readonly node: InventoryNode;
  readonly clients: SourceClients;
  /** Clients of any other node in the inventory (e.g. a peer cluster's publisher). */
  clientsOf(cluster: string, node: string): SourceClients | undefined;
  readonly signal: AbortSignal;
  readonly intervalMs: number;
  /** Timeouts, ms. */
  readonly requestTimeoutMs: number;
  readonly cliTimeoutMs: number;
  /**
   * Hands the engine the rows a parser could not read (degrade per row): they are stored with the
   * observation (`problems`), counted in impulse_parse_problems_total and logged. `command` names
   * the CLI command or SOAP operation.
   */
  reportProblems(command: string, unparsed: readonly Omit<ParseProblem, 'command'>[]): void;
}

/** Where a source runs. */
export type Scope =
  /** every node of the clusters whose product is listed */
  | 'node'
  /** once per cluster, on its publisher */
  | 'publisher';

export interface Source<T = unknown> {
  readonly name: SourceName;
  readonly scope: Scope;
  readonly products: readonly ('cucm' | 'imp')[];
  readonly lane: Lane;
  /** SOAP sources back off after a RateControl fault on their node. */
  readonly backsOff: boolean;
  readonly schema: z.ZodType<T>;
  /** Extra condition on a node within scope (e.g. ha: only nodes in a presence redundancy group). */
  appliesTo?(node: InventoryNode, cluster: InventoryCluster): boolean;
  /** Longest a poll may take, ms. */
  timeoutMs(ctx: { requestTimeoutMs: number; cliTimeoutMs: number; intervalMs: number }): number;
  poll(ctx: SourceContext): Promise<T>;
  emit(obs: Observation<T>, out: MetricSink): void;
  /** Releases per-node state when the collector stops (e.g. closes PerfMon sessions). */
  close?(clients: SourceClients): Promise<void>;
}

export function nodeLabels(obs: Observation): { cluster: string; node: string } {
  return { cluster: obs.cluster, node: obs.node };
}

// Every parser of the collectors, and the registry `impulse parse <kind>` uses. Each parser takes the
// raw text (CLI output or SOAP body) and an optional source name for error messages.
import { parseAxlSqlResponseDetailed } from './axl-sql';
import { parseCertList } from './cert-list';
import { parseCertOwn } from './cert-own';
import { parseServiceStatus } from './controlcenter';
import { parseCoreActiveList } from './core-active-list';
import { parseDbreplicationRuntimestate } from './dbreplication-runtimestate';
import { parseDiagnoseTest } from './diagnose-test';
import { parseHaStatus } from './ha-status';
import { parseNetworkCluster } from './network-cluster';
import { parseNtpStatus } from './ntp-status';
import { parsePerfQuery } from './perf-query';
import { parsePerfmonResponse } from './perfmon';
import { parseServiceList } from './service-list';
import { parseShowStatus } from './show-status';
import { parseUsersValidate } from './users-validate';

export * from './axl-sql';
export * from './cert-list';
export * from './cert-own';
export * from './cli-text';
export * from './controlcenter';
export * from './core-active-list';
export * from './dbreplication-runtimestate';
export * from './diagnose-test';
export * from './ha-status';
export * from './network-cluster';
export * from './ntp-status';
export * from './perf-query';
export * from './perfmon';
export * from './service-list';
export * from './show-status';
export * from './soap';
export * from './users-validate';

export interface ParserEntry {
  /** The CLI command or SOAP operation the parser reads. */
  reads: string;
  parse(text: string, source?: string): unknown;
}

export const parsers = {
  'dbreplication-runtimestate': { reads: 'utils dbreplication runtimestate', parse: parseDbreplicationRuntimestate },
  'ha-status': { reads: 'utils ha status', parse: parseHaStatus },
  'service-list': { reads: 'utils service list', parse: parseServiceList },
  'show-status': { reads: 'show status', parse: parseShowStatus },
  'cert-list': { reads: 'show cert list own|trust', parse: parseCertList },
  'cert-own': { reads: 'show cert own <unit>[/<file>.pem]', parse: parseCertOwn },
  'users-validate': { reads: 'utils users validate all', parse: parseUsersValidate },
  'network-cluster': { reads: 'show network cluster', parse: parseNetworkCluster },
  'perf-query': { reads: 'show perf query class|counter …', parse: parsePerfQuery },
  'diagnose-test': { reads: 'utils diagnose test', parse: parseDiagnoseTest },
  'ntp-status': { reads: 'utils ntp status', parse: parseNtpStatus },
  'core-active-list': { reads: 'utils core active list', parse: parseCoreActiveList },
  perfmon: { reads: 'any PerfmonService response (operation detected from the response element)', parse: parsePerfmonResponse },
  controlcenter: { reads: 'ControlCenterServices soapGetServiceStatus response', parse: parseServiceStatus },
  'axl-sql': { reads: 'AXL executeSQLQuery response', parse: parseAxlSqlResponseDetailed },
} satisfies Record<string, ParserEntry>;

export type ParserKind = keyof typeof parsers;
export const parserKinds = Object.keys(parsers) as ParserKind[];

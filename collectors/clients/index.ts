// Clients that talk to Cisco nodes, one file per wire protocol (ARCHITECTURE.md "clients/").
// Most callers want createNodeClients (node-clients.ts); the classes are exported for tools and tests.
export { createNodeClients, trustFromInventory, AxlQueues, type NodeClients, type NodeClientsOptions, type CertUnit } from './node-clients';
export { SoapTransport, type SoapTransportOptions, type SoapRequest, type Credentials } from './http';
export { PerfmonClient, PerfmonSession, counterPath, defaultIsRateOrPercent, PERFMON_PATH } from './perfmon';
export type { CounterSample, PerfmonObjectInfo, SessionSample, EnsureResult, SessionCollectResult, RequestCost, PerfmonSessionOptions, AddCountersResult } from './perfmon';
export { ControlCenterClient, CONTROLCENTER_PATH, type ServiceStatusResult } from './controlcenter';
export { AxlClient, SerialQueue, AXL_PATH, DEFAULT_AXL_VERSION, type AxlRow, type AxlClientOptions, type PageInfo, type QueryPagedOptions } from './axl';
export { CliPool, type CliPoolOptions, type RunOptions } from './cli';
export { KnownHosts, appendKnownHost, knownHostsName, type HostKeyVerdict } from './known-hosts';
export { probeTls, type TlsProbeOptions, type TlsProbeResult, type CertificateInfo } from './tls';
export { LdapDirectory, type LdapDirectoryOptions, type DirectoryUser } from './ldap';
export { resolveTrust, normaliseFingerprint, type Trust, type TrustConfig } from './trust';
export type { Protocol, RequestInfo, RequestEvent, RequestHooks } from './hooks';

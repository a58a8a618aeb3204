// The lab's internal contract: the simulated deployment's state (owned by lab/state, lab/faults)
// and what its protocol front-ends (lab/https, lab/ssh, lab/tls) read from it.
//
// Rules:
// - lab/ never imports product code (collectors, diagnostics, alerts, app, dashboards, config, cli).
// - Front-ends only read state through these types and report activity in `node.stats`;
//   state changes (faults, HA transitions, service stops) happen in lab/state and lab/faults.
// - Every value a front-end reads is current at the moment it is read (the state advances
//   lazily on read or by its own timers; front-ends never call a tick function).
import type { EventEmitter } from 'node:events';

export type Product = 'cucm' | 'imp';
export type NodeRole = 'publisher' | 'subscriber';

/** Certificate units with a listening port (reference/counters-certs-replication.md §3.2, §6). */
export type CertPortName = 'tomcat' | 'cup-xmpp' | 'cup-xmpp-s2s' | 'cup';

export interface NodePorts {
  /** HTTPS: PerfMon, Control Center, AXL. 8443 on a real node. */
  https: number;
  /** SSH admin CLI. 22 on a real node; configurable when the lab is not root or 22 is taken. */
  ssh: number;
  /** TLS listener per certificate unit that has a port (tomcat shares `https`). */
  certs: Partial<Record<CertPortName, number>>;
}

/** Simulated clock: HA and service timings run `timeScale` times faster than real time. */
export interface LabClock {
  readonly timeScale: number;
  /** Simulated wall-clock time in epoch milliseconds. */
  now(): number;
  /** Converts a simulated duration (ms) to the real duration (ms) it takes here. */
  toReal(simulatedMs: number): number;
}

export interface LabCredentials {
  /** Application user with the AXL and Serviceability roles (HTTPS Basic). */
  axl: { username: string; password: string };
  /** OS administrator for the SSH admin CLI (keyboard-interactive). */
  os: { username: string; password: string };
}

/** Control Center service status (ControlCenterServices ServiceStatus enum, wire-formats §2.2). */
export type ServiceStatus = 'Started' | 'Stopped' | 'Starting' | 'Stopping' | 'Unknown';

export interface LabService {
  /** Verbatim Cisco service name, e.g. "Cisco XCP Router". */
  readonly name: string;
  /** "platform" services print before "Service Manager is running" in `utils service list`. */
  readonly group: 'platform' | 'network' | 'feature';
  /** Critical for IM&P HA (reference/ha.md §3.1). */
  readonly critical: boolean;
  status: ServiceStatus;
  /** ReasonCode (-1 "Successful" when running; -1068 "Service Not Activated"; -1069 "Commanded Out of Service"; …). */
  reasonCode: number;
  /** Simulated epoch ms of the last start, or undefined while not started. */
  startedAt?: number;
  /** False for services that are not activated on this node (ReasonCode -1068). */
  activated: boolean;
}

/** `utils dbreplication runtimestate` row for one node, and its Replicate_State counter. */
export interface LabReplication {
  /** 0 not started, 1 replicates created but count incorrect, 2 good, 3 bad, 4 setup failed. */
  setupState: 0 | 1 | 2 | 3 | 4;
  /** Replication queue depth. */
  queue: number;
  /** Round-trip from the publisher, ms. */
  pingMs: number;
  /** DB/RPC/DbMon flags, e.g. "Y/Y/Y". */
  dbRpcDbMon: string;
  /** Replication group id as printed, e.g. "(g_3)". */
  groupId: string;
  /** Details text after the state, e.g. "Setup Completed". */
  detail: string;
  /** Number of replicates (the `Number of Replicates Created` counter). */
  replicates: number;
}

/** One node's side of its presence redundancy group (verbatim Cisco strings, reference/ha.md §1). */
export interface LabHaView {
  state: string; // e.g. "Normal", "Running in Backup Mode", "Failed Over with Critical Services not Running"
  reason: string; // e.g. "Normal", "Critical Service Down", "Peer Down"
}

export interface LabPresenceGroup {
  readonly name: string;
  readonly cluster: LabCluster;
  /** One or two IM&P nodes; the first is the primary ("node 1"). */
  readonly nodes: readonly LabNode[];
  haEnabled: boolean;
}

export interface LabCertificate {
  /** Unit as in `show cert list own`, e.g. "tomcat", "cup-xmpp", "ipsec". */
  readonly unit: string;
  /** File name, e.g. "tomcat.pem". */
  readonly file: string;
  /** Port it is served on, if the unit has a listener. */
  readonly port?: CertPortName;
  /** PEM of the leaf certificate; chain PEMs (issuer first) in `chainPem`. */
  pem: string;
  chainPem: string[];
  keyPem: string;
  subject: string;
  issuer: string;
  /** Issuer CN when CA-signed; undefined when self-signed. */
  signedBy?: string;
  sans: string[];
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  keyAlgorithm: 'RSA' | 'EC';
  signatureAlgorithm: string;
}

/** Active faults on one node (lab/faults sets them; front-ends obey them). */
export interface NodeFaults {
  /** Node down: no listener accepts connections (front-ends close their listeners while set). */
  down: boolean;
  /** Accept TCP, never answer (HTTPS, SSH, TLS). */
  hang: boolean;
  /** Extra latency added before every response, ms (0 = none). */
  slowMs: number;
  /** Malformed responses: truncated/invalid XML on HTTPS, garbled CLI output on SSH. */
  garbage: boolean;
  /** Credentials rejected: 401 on HTTPS, auth failure on SSH. */
  authFail: boolean;
  /** SSH connections cut in the middle of command output. */
  sshDrop: boolean;
  /** PerfMon per-minute limit override while set (e.g. 0 or 5); undefined = the node's normal limit. */
  rateLimit?: number;
}

/** Activity counters front-ends keep up to date; the control API reports them (leak checks). */
export interface NodeStats {
  perfmonSessionsOpen: number;
  /** perfmonOpenSession requests refused because the node held its maximum of sessions. */
  perfmonSessionsRefused: number;
  perfmonRequests: number;
  perfmonRateLimited: number;
  controlCenterRequests: number;
  axlRequests: number;
  httpUnauthorized: number;
  sshSessionsOpen: number;
  sshChannelsOpen: number;
  sshCommands: number;
  tlsHandshakes: number;
}

export interface CounterDefinition {
  /** Verbatim counter name, e.g. "% CPU Time", "ActiveJsmSessions". */
  readonly name: string;
  /** rate/percent counters need two samples in a session (first sample CStatus 1, value 0). */
  readonly kind: 'gauge' | 'counter' | 'rate' | 'percent';
  readonly description: string;
}

export interface CounterObject {
  /** Verbatim object name, e.g. "Cisco Presence Engine", "Processor". */
  readonly name: string;
  readonly multiInstance: boolean;
  readonly counters: readonly CounterDefinition[];
}

/** PerfMon view of one node: its objects, their current instances and values. */
export interface LabCounterSource {
  objects(): readonly CounterObject[];
  object(name: string): CounterObject | undefined;
  /** Current instances of a multi-instance object ([] for single-instance objects). */
  instances(object: string): string[];
  /**
   * Raw value at simulated time `at` (ms). For `counter`/`rate` kinds this is the cumulative raw
   * count; a front-end computes rates and percentages from two samples. Undefined when the
   * object/instance/counter does not exist (front-ends answer Error=101 or a bad CStatus).
   */
  raw(object: string, instance: string | undefined, counter: string, at: number): number | undefined;
  /**
   * Convenience: the value a single sample shows (gauges, and rates/percents as if a previous
   * sample had been taken one interval earlier). Used by `show perf query` and one-shot collects.
   */
  value(object: string, instance: string | undefined, counter: string, at: number): number | undefined;
}

export interface LabUser {
  /** Lower-case UUID without braces, as SQL returns it. */
  pkid: string;
  userid: string;
  firstname: string;
  lastname: string;
  mailid: string;
  /** Empty string when no directory URI is configured. */
  directoryuri: string;
  department: string;
  /** 1 = active. */
  status: number;
  /** Home IM&P node name (IM&P enduser.primarynodeid is its nodeid); undefined when unassigned. */
  homeNode?: string;
}

/** A core file `utils core active list` prints (a crashed process). */
export interface LabCoreFile {
  /** Process name in the file name, e.g. "ccm", "jabberd". */
  readonly process: string;
  readonly pid: number;
  /** Simulated epoch ms of the crash. */
  readonly at: number;
  readonly sizeKB: number;
}

/** IM address scheme of an IM&P cluster (Presence > Settings > Advanced Configuration). */
export type ImAddressScheme = 'userid' | 'directoryuri';

/** Users generated on demand from the seed: index → user, nothing held that nobody asks for. */
export interface LabUserDirectory {
  readonly count: number;
  user(index: number): LabUser;
  /** Index of a user by userid, or -1 (used by `where userid = '…'` queries). */
  indexOf(userid: string): number;
}

export interface LabNode {
  readonly name: string; // hostname as CUCM knows it, e.g. "imp01-sub1"
  readonly fqdn: string;
  readonly host: string; // loopback address, e.g. "127.10.1.11"
  readonly product: Product;
  readonly role: NodeRole;
  readonly cluster: LabCluster;
  /** processnode.nodeid (2, 3, …; 1 is the cluster-wide pseudo node). */
  readonly nodeId: number;
  /** MAC used in PerfMon session handles (v1 UUID node field), "005056xxxxxx". */
  readonly mac: string;
  readonly ports: NodePorts;
  /** SSH host key (OpenSSH private key PEM) and its public line for known_hosts. */
  readonly sshHostKey: { privatePem: string; publicLine: string };
  readonly group?: LabPresenceGroup;
  readonly services: LabService[];
  service(name: string): LabService | undefined;
  readonly replication: LabReplication;
  /** HA view; undefined for CUCM nodes. */
  readonly ha?: LabHaView;
  readonly certificates: LabCertificate[];
  readonly counters: LabCounterSource;
  readonly faults: NodeFaults;
  readonly stats: NodeStats;
  /** PerfMon allowed requests per fixed 60 s window (default 50), before any rateLimit fault. */
  readonly perfmonRateLimit: number;
  /** Emits 'faults' after faults change, 'certificates' after certificates are replaced. */
  readonly events: EventEmitter;
  /** CLI faults on one command (cli-stuck, cli-flood, cli-damage), by fault id. */
  readonly cliFaults: Map<string, CliFault>;
  /** Trust-store certificates (`show cert list trust`): the CA and the peers' self-signed certificates. */
  readonly trustCertificates: LabCertificate[];
  /** Active software version (`show status` Product Ver): the cluster's unless an upgrade left it behind. */
  readonly version: string;
  /** Whether the node's NTP server answers it (besides the server itself being up). */
  readonly ntpReachable: boolean;
  /** Core files left by crashes other than the stopped services'. */
  readonly cores: readonly LabCoreFile[];
}

/** A fault on one admin-CLI command of a node: the shell consults these before running a command. */
export interface CliFault {
  /** Lower-case command prefix it applies to, e.g. "utils ha status". */
  command: string;
  /** stuck: never returns to the prompt; flood: prints without end; damage: spoils one output line. */
  effect: 'stuck' | 'flood' | 'damage';
  /** damage: 1-based line of the command's output (after the echoed command). */
  line?: number;
  /** damage: cut the line short, shift its columns, or replace it with noise. */
  mode?: 'truncate' | 'misalign' | 'garble';
}

export interface LabCluster {
  readonly name: string; // e.g. "imp01", "cucm01"
  readonly product: Product;
  readonly version: string; // e.g. "15.0.1.12900-15"
  /** DNS domain of the nodes, e.g. "uc01.example.com". */
  readonly domain: string;
  /** Presence/IM domain of the users, e.g. "example.com". */
  readonly imDomain: string;
  readonly publisher: LabNode;
  readonly nodes: readonly LabNode[];
  /** Presence redundancy groups (IM&P only). */
  readonly groups: readonly LabPresenceGroup[];
  /** For IM&P: the CUCM cluster it belongs to. */
  readonly cucmCluster?: string;
  /** Intercluster peers (IM&P cluster names). */
  readonly peers: readonly string[];
  /** End users of this cluster (IM&P reads CUCM's users through sync; both answer from here). */
  readonly users: LabUserDirectory;
  /** IM&P: the IM address scheme (default UserID@[Default_Domain]). */
  readonly imAddressScheme: ImAddressScheme;
  /** IM&P: the default domain (the IM domain unless changed; DOMAIN.NOT.SET when install could not read it). */
  readonly defaultDomain: string;
}

export interface LabDeployment {
  readonly seed: number;
  readonly clock: LabClock;
  readonly credentials: LabCredentials;
  readonly clusters: readonly LabCluster[];
  readonly nodes: readonly LabNode[];
  cluster(name: string): LabCluster | undefined;
  /** By node name, FQDN or host address. */
  node(nameOrHost: string): LabNode | undefined;
  /** Settings front-ends need. */
  readonly settings: {
    /** Idle PerfMon session expiry, real ms (default 30 min). */
    perfmonSessionIdleMs: number;
    /** Open PerfMon sessions a node holds at most; perfmonOpenSession beyond it faults (default 20). */
    perfmonMaxSessions: number;
    /** JSESSIONIDSSO idle expiry, real ms (default 30 min). */
    ssoCookieIdleMs: number;
    /** AXL executeSQLQuery response size limit, bytes (8 MB). */
    axlMaxResponseBytes: number;
    /**
     * The admin CLI's bytes: line ends ('crlf' as VOS prints them through its PTY; 'cr-crlf' as a
     * terminal log that doubles the CR, e.g. a PuTTY capture; 'lf') and, with `tabs`, the aligned
     * columns of command output written with tabs (as `unexpand` would) instead of spaces.
     */
    cli: { lineEnd: 'crlf' | 'cr-crlf' | 'lf'; tabs: boolean };
  };
}

/** A running protocol front-end for one node (HTTPS server, SSH server, TLS listeners). */
export interface FrontEnd {
  close(): Promise<void>;
}

/** Signature each front-end module exports (lab/https/server.ts, lab/ssh/server.ts, lab/tls/listeners.ts). */
export type StartFrontEnd = (node: LabNode, lab: LabDeployment) => Promise<FrontEnd>;

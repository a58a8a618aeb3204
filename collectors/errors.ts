// Typed errors for everything that talks to or parses a Cisco node. `kind` is the reason label
// the engine stores and exports (impulse_poll_errors_total{reason}); messages name the input.

export type CollectErrorKind =
  | 'timeout' // no answer within the request or command timeout (includes a node that accepts TCP and hangs)
  | 'connection' // refused, reset, unreachable, closed mid-response
  | 'tls' // certificate verification or handshake failure
  | 'auth' // HTTP 401/403, SSH authentication failure
  | 'rate-limit' // PerfMon/ControlCenter "Exceeded allowed rate" (RateControl) fault
  | 'fault' // any other SOAP fault or AXL error
  | 'http' // unexpected HTTP status without a SOAP fault
  | 'parse' // response or CLI output that the parser does not understand
  | 'ssh-host-key' // host key not in known_hosts or mismatched
  | 'config' // missing credential, bad trust settings
  | 'budget'; // request budget for this node exhausted this window (never sent)

export class CollectError extends Error {
  override name = 'CollectError';
  constructor(
    readonly kind: CollectErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A parser's rejection: names the input (command/operation and source) and the line. */
export class ParseError extends CollectError {
  override name = 'ParseError';
  constructor(
    /** What was being parsed, e.g. "utils ha status" or "perfmonCollectSessionData response". */
    readonly input: string,
    /** 1-based line of the offending text, when it has lines. */
    readonly line: number | undefined,
    /** The reason alone, without input and line (what an unparsed row records). */
    readonly detail: string,
  ) {
    super('parse', `${input}${line !== undefined ? `, line ${line}` : ''}: ${detail}`);
  }
}

/** A SOAP fault as returned (HTTP 500 with a Fault body). */
export class SoapFaultError extends CollectError {
  override name = 'SoapFaultError';
  constructor(
    kind: 'fault' | 'rate-limit',
    readonly faultcode: string,
    readonly faultstring: string,
    readonly operation: string,
  ) {
    super(kind, `${operation}: SOAP fault ${faultcode}: ${faultstring}`);
  }
}

export function errorKind(err: unknown): CollectErrorKind | 'internal' {
  return err instanceof CollectError ? err.kind : 'internal';
}

// The lab's HTTPS front-end: one Tomcat-like server per node on node.host:node.ports.https,
// serving the node's tomcat certificate, with PerfmonService, ControlCenterServices and (on
// publishers) AXL. Obeys node.faults (down, hang, slowMs, garbage, authFail, rateLimit) and
// keeps node.stats current. Spec: reference/wire-formats.md §0–§3, §7.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { FrontEnd, LabDeployment, LabNode, StartFrontEnd } from '../model';
import { SsoSessions } from './auth';
import { axlFault, AxlService } from './axl/axl-service';
import { ControlCenterService } from './controlcenter';
import { PerfmonService } from './perfmon';
import { FixedWindow } from './rate-window';
import {
  sendMethodNotAllowed,
  sendNotFound,
  sendPayloadTooLarge,
  sendRedirect,
  sendServiceUnavailable,
  sendUnauthorized,
  sendXml,
} from './respond';
import { AST_NS, clientFault, faultReply, serverFault, type SoapReply } from './soap';
import { AXL_OPERATIONS, CONTROL_CENTER_OPERATIONS, PERFMON_OPERATIONS, renderWsdl } from './wsdl';
import { parseSoapRequest, SoapRequestError } from './xml';

export const PERFMON_PATH = '/perfmonservice2/services/PerfmonService';
export const CONTROL_CENTER_PATH = '/controlcenterservice2/services/ControlCenterServices';
export const AXL_PATH = '/axl/';

/** Fixed rate window (wire-formats §1.8): 60 s. */
export const RATE_WINDOW_MS = 60_000;
/**
 * Control Center requests per node per window. Cisco documents no number (§2.5 says only that
 * it answers with the same "Exceeded allowed rate" wording); the lab uses the PerfMon mechanism
 * with a budget four times the PerfMon default, enough for a status poll per node every few seconds.
 */
export const CONTROL_CENTER_RATE_LIMIT = 200;
/** Largest request body accepted (SOAP requests are small; AXL SQL is a few KB). */
const MAX_BODY_BYTES = 1 << 20;

export interface HttpsFrontEndOptions {
  /** Rate-limit window length, real ms. Tests shorten it; everything else keeps the 60 s default. */
  rateWindowMs?: number;
}

type Service = 'perfmon' | 'controlcenter' | 'axl';

function serviceFor(pathname: string): Service | 'axl-root' | undefined {
  if (pathname === PERFMON_PATH || pathname === `${PERFMON_PATH}/`) return 'perfmon';
  if (pathname === CONTROL_CENTER_PATH || pathname === `${CONTROL_CENTER_PATH}/`) return 'controlcenter';
  if (pathname === AXL_PATH) return 'axl';
  if (pathname === '/axl') return 'axl-root';
  return undefined;
}

function rateFault(limit: number, what: 'Perfmon' | 'ControlCenter'): SoapReply {
  // faultcode per §1.7 ([RECONSTRUCTED] ns1:Server.RateControl); faultstring verbatim for PerfMon.
  const faultstring =
    what === 'Perfmon'
      ? `Exceeded allowed rate for Perfmon information. Current allowed rate for perfmon information is ${limit} requests per minute.`
      : `Exceeded allowed rate for ControlCenter information. Current allowed rate for controlcenter information is ${limit} requests per minute.`;
  return faultReply({
    faultcode: 'ns1:Server.RateControl',
    faultcodeAttrs: `xmlns:ns1="${AST_NS}"`,
    faultstring,
    detailXml: `<ns1:hostname xmlns:ns1="${AST_NS}">${what === 'Perfmon' ? 'PerfmonService' : 'ControlCenterServices'}</ns1:hostname>`,
  });
}

/** Truncated, malformed XML as the `garbage` fault serves it (HTTP 200). */
export function garble(body: string): string {
  const cut = Math.max(1, Math.floor(body.length * 0.6));
  return `${body.slice(0, cut)}<<\u0000garbage`;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function createHttpsFrontEnd(node: LabNode, lab: LabDeployment, opts: HttpsFrontEndOptions = {}): Promise<FrontEnd> {
  const windowMs = opts.rateWindowMs ?? RATE_WINDOW_MS;
  const perfmon = new PerfmonService(node, lab);
  const controlCenter = new ControlCenterService(node, lab);
  const axl = new AxlService(node, lab);
  const perfmonWindow = new FixedWindow(windowMs);
  const ccWindow = new FixedWindow(windowMs);
  const sso = new SsoSessions(
    () => lab.credentials.axl,
    () => lab.settings.ssoCookieIdleMs,
  );
  const ssoSweep = setInterval(() => sso.sweep(), Math.max(1000, Math.min(60_000, lab.settings.ssoCookieIdleMs)));
  ssoSweep.unref();

  const sockets = new Set<Socket>();
  let closed = false;

  function tlsContext() {
    const cert = node.certificates.find((c) => c.unit === 'tomcat');
    if (!cert) throw new Error(`node ${node.name} has no tomcat certificate`);
    return { key: cert.keyPem, cert: [cert.pem, ...cert.chainPem].join('\n') };
  }

  const server: Server = createServer({ ...tlsContext() }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the lab must not take the node down: answer like Axis2 does for internal errors.
      if (!res.headersSent && !res.destroyed) sendXml(res, 500, faultReply(serverFault(String((err as Error)?.message ?? err))).body);
    });
  });
  server.keepAliveTimeout = 20_000;
  // TCP is accepted by a plain listener that hands sockets to the HTTPS server, so `hang` can
  // hold a new connection before the TLS handshake (a hung Tomcat completes no handshake either).
  const tcp = createTcpServer((s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    if (node.faults.hang) return;
    server.emit('connection', s);
  });
  server.on('secureConnection', () => {
    node.stats.tlsHandshakes += 1;
  });
  server.on('tlsClientError', () => {
    /* probes and clients that reject our certificate: nothing to do */
  });

  async function send(res: ServerResponse, fn: () => void): Promise<void> {
    const slow = node.faults.slowMs;
    if (slow > 0) await sleep(slow);
    if (res.destroyed || res.headersSent) return;
    fn();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // `hang`: the connection is accepted and TLS completes, but no answer ever comes.
    if (node.faults.hang) return;
    // Cisco Tomcat stopped: nothing serves HTTPS; the connection is cut (state is read live).
    const tomcat = node.service('Cisco Tomcat');
    if (tomcat && tomcat.status !== 'Started') {
      req.socket.destroy();
      return;
    }
    const body = await readBody(req);
    if (body === undefined) return send(res, () => sendPayloadTooLarge(res));
    const url = new URL(req.url ?? '/', 'https://lab');
    const service = serviceFor(url.pathname);
    if (service === undefined) return send(res, () => sendNotFound(res));
    // Tomcat redirects a context root without its trailing slash before any authentication
    // (mapperContextRootRedirectEnabled); AXL clients must use /axl/ (wire-formats §3.1).
    if (service === 'axl-root') return send(res, () => sendRedirect(res, AXL_PATH));

    const auth = sso.authenticate(req, node.faults.authFail, (id) =>
      service === 'controlcenter' ? [`JSESSIONID=${id}; Path=/controlcenterservice2; Secure; HttpOnly`] : [],
    );
    if (!auth.ok) {
      if (auth.status === 401) {
        node.stats.httpUnauthorized += 1;
        return send(res, () => sendUnauthorized(res));
      }
      return send(res, () => sendNotFound(res));
    }
    const cookies = auth.setCookies;
    const wantsWsdl = url.searchParams.has('wsdl') || url.search.toLowerCase() === '?wsdl';

    if (req.method === 'GET' || req.method === 'HEAD') {
      if (!wantsWsdl) return send(res, () => sendMethodNotAllowed(res, 'POST'));
      return send(res, () => sendXml(res, 200, wsdlFor(service, url.pathname), cookies));
    }
    if (req.method !== 'POST') return send(res, () => sendMethodNotAllowed(res, 'GET, POST'));

    let reply: SoapReply;
    if (service === 'perfmon') {
      node.stats.perfmonRequests += 1;
      const limit = node.faults.rateLimit ?? node.perfmonRateLimit;
      if (!perfmonWindow.take(limit)) {
        node.stats.perfmonRateLimited += 1;
        reply = rateFault(limit, 'Perfmon');
      } else reply = serviceability(body, (r) => perfmon.handle(r));
    } else if (service === 'controlcenter') {
      node.stats.controlCenterRequests += 1;
      if (!ccWindow.take(CONTROL_CENTER_RATE_LIMIT)) reply = rateFault(CONTROL_CENTER_RATE_LIMIT, 'ControlCenter');
      else reply = serviceability(body, (r) => controlCenter.handle(r));
    } else {
      node.stats.axlRequests += 1;
      // AXL is answered by the publisher only. A subscriber (or a publisher whose Cisco AXL Web
      // Service is not running) answers 503 Service Unavailable, the status CUCM gives while the
      // AXL application is not available (wire-formats §3.1, §3.6).
      const axlService = node.service('Cisco AXL Web Service');
      if (node.role !== 'publisher' || (axlService !== undefined && axlService.status !== 'Started')) {
        return send(res, () => sendServiceUnavailable(res));
      }
      if (axl.busy) {
        reply = axl.memoryFault(operationName(body) ?? 'executeSQLQuery');
      } else {
        axl.busy = true;
        const release = () => {
          axl.busy = false;
        };
        res.once('finish', release);
        res.once('close', release);
        reply = await axlReply(body, req.headers['soapaction']);
      }
    }
    if (node.faults.garbage) {
      const garbled = garble(reply.body);
      return send(res, () => sendXml(res, 200, garbled, cookies));
    }
    return send(res, () => sendXml(res, reply.status, reply.body, cookies));
  }

  function serviceability(body: string, fn: (r: ReturnType<typeof parseSoapRequest>) => SoapReply): SoapReply {
    try {
      return fn(parseSoapRequest(body));
    } catch (e) {
      if (e instanceof SoapRequestError) return faultReply(clientFault(e.message));
      throw e;
    }
  }

  async function axlReply(body: string, soapAction: string | string[] | undefined): Promise<SoapReply> {
    const action = Array.isArray(soapAction) ? soapAction[0] : soapAction;
    let request;
    try {
      request = parseSoapRequest(body);
      return await axl.handle(request, action);
    } catch (e) {
      if (e instanceof SoapRequestError) return axlFault(e.message, -1, request?.operation ?? 'unknown', 'soapenv:Client');
      throw e;
    }
  }

  function wsdlFor(service: Service, pathname: string): string {
    const location = `https://${node.fqdn}:8443${pathname.replace(/\/$/, service === 'axl' ? '/' : '')}`;
    if (service === 'perfmon') {
      return renderWsdl({ service: 'PerfmonService', port: 'PerfmonPort', targetNamespace: AST_NS, operations: PERFMON_OPERATIONS, location, soapAction: (op) => op });
    }
    if (service === 'controlcenter') {
      return renderWsdl({ service: 'ControlCenterServices', port: 'ControlCenterServicesPort', targetNamespace: AST_NS, operations: CONTROL_CENTER_OPERATIONS, location, soapAction: (op) => op });
    }
    const ver = node.cluster.version.split('.').slice(0, 2).join('.');
    return renderWsdl({
      service: 'AXLAPIService',
      port: 'AXLPort',
      targetNamespace: `http://www.cisco.com/AXL/API/${ver}`,
      operations: AXL_OPERATIONS,
      location,
      soapAction: (op) => `CUCM:DB ver=${ver} ${op}`,
    });
  }

  // Listener lifecycle: `down` closes the listener (connections refused) and cuts open
  // connections; clearing it listens again. Transitions are serialised.
  let listening = false;
  let transition: Promise<void> = Promise.resolve();

  function listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      tcp.once('error', onError);
      tcp.listen(node.ports.https, node.host, () => {
        tcp.off('error', onError);
        listening = true;
        resolve();
      });
    });
  }

  function unlisten(): Promise<void> {
    return new Promise((resolve) => {
      if (!listening) return resolve();
      listening = false;
      tcp.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  }

  function reconcile(): void {
    transition = transition
      .then(async () => {
        if (closed) return;
        if (node.faults.down && listening) await unlisten();
        else if (!node.faults.down && !listening) await listen();
        // `hang` set while requests are in flight: they are simply never answered.
      })
      .catch(() => {
        /* a failed re-listen leaves the node down; the next faults event retries */
      });
  }

  const onFaults = () => reconcile();
  const onCertificates = () => {
    server.setSecureContext(tlsContext());
  };
  node.events.on('faults', onFaults);
  node.events.on('certificates', onCertificates);

  if (!node.faults.down) await listen();

  return {
    async close() {
      if (closed) return;
      closed = true;
      node.events.off('faults', onFaults);
      node.events.off('certificates', onCertificates);
      clearInterval(ssoSweep);
      await transition;
      await unlisten();
      perfmon.close();
    },
  };
}

/** Best-effort operation name for a fault on a request we are refusing unread. */
function operationName(body: string): string | undefined {
  try {
    return parseSoapRequest(body).operation;
  } catch {
    return undefined;
  }
}

export const startHttpsFrontEnd: StartFrontEnd = (node, lab) => createHttpsFrontEnd(node, lab);


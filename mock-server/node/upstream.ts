/**
 * The proxy's network call (../core/proxy/upstream.ts's `Upstream`), with no dependency, so the
 * lean install stays lean: to a direct upstream over og-mock's own kept-alive HTTP/1.1
 * connections (./http1-client.ts), through a corporate proxy with node's http and https. What it
 * promises either way:
 *
 * - a connect timeout and an answer timeout (from the request sent to the answer's last byte);
 *   either one rejects with an UpstreamFailure of kind "timeout" (the core answers 504);
 * - TLS verified against node's CAs (plus NODE_EXTRA_CA_CERTS, which node reads at start);
 * - HTTPS_PROXY / HTTP_PROXY honoured (a CONNECT tunnel for https), with the Basic credentials
 *   their URL carries, except for hosts NO_PROXY names and for loopback addresses, which a
 *   corporate proxy could never reach;
 * - the answer read whole under a byte bound, its bytes untouched (no decompression).
 */
import http from "node:http";
import https from "node:https";
import tls from "node:tls";
import type { Duplex } from "node:stream";
import { type Upstream, type UpstreamAnswer, UpstreamFailure } from "../core/proxy/upstream.js";
import { AnswerTooLarge, MalformedAnswer } from "./http1-answer.js";
import { Http1Origin } from "./http1-client.js";

export interface UpstreamTimeouts {
  /** Milliseconds to get a connection (TCP and TLS). */
  connectMs?: number;
  /** Milliseconds from the request sent to the answer's last byte. */
  answerMs?: number;
  /** The largest answer read, in bytes; larger ones fail (502). */
  maxAnswerBytes?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_ANSWER_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** An upstream origin as requests to it are sent: its URL, and the corporate proxy on the way, if any. */
interface Route {
  url: URL;
  /** The host name as a request option takes it (an IPv6 address without its brackets). */
  hostname: string;
  via: URL | undefined;
  proxyCredentials: string | undefined;
  /** Kept-alive connections to the origin when no corporate proxy stands between (./http1-client.ts). */
  direct: Http1Origin | undefined;
}

/** The proxy's network call, with connections kept alive between requests. */
export function nodeUpstream(options: UpstreamTimeouts = {}, env: NodeJS.ProcessEnv = process.env): Upstream {
  const connectMs = options.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const answerMs = options.answerMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  const maxBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  // Kept-alive connections to a plain-HTTP corporate proxy (https goes through a tunnel per
  // request, and a direct upstream over ./http1-client.ts).
  const proxyAgent = new http.Agent({ keepAlive: true });
  const timeouts = { connectMs, answerMs };
  // Per origin (a run has one upstream): its URL and the corporate proxy to reach it by, worked
  // out once rather than parsing the URL and reading the environment on every request.
  const routes = new Map<string, Route>();
  const routeOf = (origin: string): Route => {
    let route = routes.get(origin);
    if (!route) {
      const url = new URL(origin);
      const via = proxyFor(url, env);
      const hostname = url.hostname.replace(/^\[|\]$/g, "");
      route = {
        url,
        hostname,
        via,
        proxyCredentials: via && proxyAuthorization(via),
        direct: via ? undefined : new Http1Origin(url, hostname, maxBytes),
      };
      if (routes.size >= 16) {
        for (const old of routes.values()) old.direct?.close();
        routes.clear();
      }
      routes.set(origin, route);
    }
    return route;
  };
  return (request) =>
    new Promise<UpstreamAnswer>((resolve, reject) => {
      const slash = request.url.indexOf("/", request.url.indexOf("//") + 2);
      const route = routeOf(slash < 0 ? request.url : request.url.slice(0, slash));
      const path = slash < 0 ? "/" : request.url.slice(slash);
      if (route.direct) return sendDirect(route.direct, request, path, timeouts, resolve, reject);
      const { url, hostname, via, proxyCredentials } = route;
      let settled = false;
      // Once a connection is made the request may reach the upstream: a failure after that is
      // "lost", never "connect", so the fake never answers (--upstream-fallback) a write that ran.
      let reached = false;
      // The CONNECT to a corporate proxy, while it is asked for: a failure ends it too, or a proxy
      // that never answers would keep one socket per timed-out request.
      let tunnelRequest: http.ClientRequest | undefined;
      const fail = (failure: UpstreamFailure) => {
        if (settled) return;
        settled = true;
        timer.clear();
        outgoing?.destroy();
        tunnelRequest?.destroy();
        reject(failure);
      };
      const timer = new ExchangeTimer(timeouts, fail);
      const send = (tunnel?: Duplex) => {
        const options: https.RequestOptions = {
          method: request.method,
          headers: request.headers,
          // Through a tunnel the connection is the TLS session over it (node uses createConnection only without an agent).
          ...(tunnel
            ? {
                createConnection: () =>
                  tls.connect({ socket: tunnel, servername: url.hostname }).once("secureConnect", () => {
                    reached = true;
                  }),
              }
            : { agent: proxyAgent }),
        };
        if (via && url.protocol === "http:") {
          // Through a plain-HTTP proxy an http: URL is sent in absolute form to the proxy itself.
          options.host = via.hostname;
          options.port = via.port || 80;
          if (proxyCredentials) options.headers = { ...request.headers, "proxy-authorization": proxyCredentials };
          options.path = request.url;
        } else {
          options.protocol = url.protocol;
          options.hostname = hostname;
          options.port = url.port;
          options.path = path;
        }
        outgoing = (url.protocol === "https:" ? https : http).request(options, onAnswer);
        outgoing.on("socket", (socket) => {
          const connected = () => {
            if (!tunnel) reached = true;
            timer.answering();
          };
          // A kept-alive socket is connected already. A tunnel's TLS session is not, though its
          // socket is not "connecting": its handshake stays under the connect timeout armed for
          // the CONNECT, or an upstream that never completed it would wait out the answer timeout.
          if (!tunnel && !socket.connecting) return connected();
          timer.connecting();
          socket.once(url.protocol === "https:" ? "secureConnect" : "connect", connected);
        });
        outgoing.on("error", (error: NodeJS.ErrnoException) => fail(describe(error, "", reached)));
        outgoing.end(request.body);
      };
      let outgoing: http.ClientRequest | undefined;
      const onAnswer = (answer: http.IncomingMessage) => {
        const chunks: Buffer[] = [];
        let received = 0;
        answer.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > maxBytes) {
            fail(new UpstreamFailure("too-large", `the answer is larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        answer.on("error", (error) => fail(describe(error, "", true)));
        answer.on("end", () => {
          if (settled) return;
          settled = true;
          timer.clear();
          resolve({
            status: answer.statusCode ?? 502,
            headers: answer.headers as Record<string, string | string[]>,
            body: Buffer.concat(chunks),
          });
        });
      };
      if (via && url.protocol === "https:") {
        timer.connecting();
        const connect = (tunnelRequest = http.request({
          host: via.hostname,
          port: via.port || 80,
          method: "CONNECT",
          path: `${url.hostname}:${url.port || 443}`,
          headers: {
            host: `${url.hostname}:${url.port || 443}`,
            ...(proxyCredentials ? { "proxy-authorization": proxyCredentials } : {}),
          },
        }));
        connect.on("connect", (answer, socket) => {
          if (answer.statusCode !== 200) {
            socket.destroy();
            fail(new UpstreamFailure("connect", `the proxy ${via.host} refused the tunnel (${answer.statusCode})`));
            return;
          }
          send(socket);
        });
        connect.on("error", (error: NodeJS.ErrnoException) => fail(describe(error, `the proxy ${via.host}: `)));
        connect.end();
      } else send();
    });
}

/**
 * The one timer an exchange runs at a time: the connect timeout while a connection is being made
 * (armed only then: a kept-alive connection needs none), then the answer timeout, from the
 * connection to the answer's last byte. Either one fails the exchange with a "timeout".
 */
class ExchangeTimer {
  #timer: NodeJS.Timeout | undefined;
  #answering = false;

  constructor(
    readonly timeouts: { connectMs: number; answerMs: number },
    readonly fail: (failure: UpstreamFailure) => void,
  ) {}

  /** A connection is being made (a new socket, a tunnel, a TLS handshake): the connect timeout runs, once. */
  connecting(): void {
    if (this.#answering) return;
    const { connectMs } = this.timeouts;
    this.#timer ??= setTimeout(
      () => this.fail(new UpstreamFailure("timeout", `no connection within ${connectMs} ms`)),
      connectMs,
    );
  }

  /** The connection is made: the answer timeout runs from now. */
  answering(): void {
    if (this.#answering) return;
    this.#answering = true;
    clearTimeout(this.#timer);
    const { answerMs } = this.timeouts;
    this.#timer = setTimeout(
      () => this.fail(new UpstreamFailure("timeout", `no complete answer within ${answerMs} ms`)),
      answerMs,
    );
  }

  clear(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * One exchange on a direct connection (./http1-client.ts), under the same promises as the
 * corporate-proxy path above: the connect timeout until the connection is made (a kept-alive one
 * is made already), then the answer timeout; a failure once connected is "lost", never "connect".
 */
function sendDirect(
  origin: Http1Origin,
  request: { method: string; headers: Record<string, string>; body?: Uint8Array | undefined },
  path: string,
  timeouts: { connectMs: number; answerMs: number },
  resolve: (answer: UpstreamAnswer) => void,
  reject: (failure: UpstreamFailure) => void,
): void {
  let settled = false;
  const fail = (failure: UpstreamFailure) => {
    if (settled) return;
    settled = true;
    timer.clear();
    connection.destroy();
    reject(failure);
  };
  const timer = new ExchangeTimer(timeouts, fail);
  const connection = origin.send(
    { method: request.method, path, headers: request.headers, body: request.body },
    {
      connected: () => {
        if (!settled) timer.answering();
      },
      answer: (answer) => {
        if (settled) return;
        settled = true;
        timer.clear();
        resolve({ status: answer.status, headers: answer.headers, body: answer.body });
      },
      fail: (error, reached) => {
        if (error instanceof AnswerTooLarge) return fail(new UpstreamFailure("too-large", error.message));
        if (error instanceof MalformedAnswer) return fail(new UpstreamFailure("lost", error.message));
        fail(describe(error, "", reached));
      },
    },
  );
  // A kept-alive connection is made already (its answer timer runs); a new one has this long.
  if (!settled) timer.connecting();
}

/**
 * The failure's cause in words that name the host's problem, never a header or a body; `reached`:
 * the connection had been made, so the request may have reached the upstream.
 */
function describe(error: NodeJS.ErrnoException, prefix = "", reached = false): UpstreamFailure {
  const code = error.code ?? "";
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return new UpstreamFailure(
      "connect",
      `${prefix}TLS certificate not trusted: ${code}; for a corporate CA, start og-mock with NODE_EXTRA_CA_CERTS=FILE`,
    );
  }
  if (reached)
    return new UpstreamFailure("lost", `the connection was lost after the request was sent: ${code || error.message}`);
  return new UpstreamFailure("connect", `${prefix}${code || error.message}`);
}

/**
 * The Basic credentials a proxy URL carries (http://user:password@proxy:3128), as its
 * Proxy-Authorization; undefined without. Only ever sent to that proxy: messages name the proxy by
 * its host alone.
 */
function proxyAuthorization(via: URL): string | undefined {
  if (!via.username && !via.password) return undefined;
  const decoded = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part; // a stray "%": taken as written
    }
  };
  const pair = `${decoded(via.username)}:${decoded(via.password)}`;
  return `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
}

/** The proxy to use for a URL from HTTPS_PROXY/HTTP_PROXY (either case), unless NO_PROXY or loopback exempts it. */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host === "::1" || /^127\./.test(host)) return undefined;
  const raw = url.protocol === "https:" ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!raw) return undefined;
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? "")
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  const exempt = noProxy.some(
    (entry) =>
      entry === "*" || host === entry.replace(/^\./, "") || host.endsWith(entry.startsWith(".") ? entry : `.${entry}`),
  );
  if (exempt) return undefined;
  try {
    // "proxy.corp:3128", as curl takes it, is an http:// proxy: read as a URL it would have the
    // scheme "proxy.corp:" and no host (or, for an IP address, not parse and be no proxy at all).
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
}

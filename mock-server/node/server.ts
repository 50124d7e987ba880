/** Starts the fake Ordergroove as an HTTP server: `startMockServer()` → { url, mock, close }. */
import { createServer, type RequestListener, STATUS_CODES, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { createMerchants, type MerchantsOptions, type OrdergrooveMerchants } from "../core/merchants/merchants.js";
import type { OrdergrooveMock } from "../core/mock.js";
import type { MockLogger } from "../core/settings.js";
import { answerClientError } from "./client-error.js";
import { createHost, type HostOptions } from "./host.js";
import { refuseOpenProxy } from "../core/proxy/proxy.js";
import type { Duplex } from "node:stream";

export interface ServerOptions extends Omit<MerchantsOptions, "logger"> {
  /** 0 picks a free port. Default 8787. */
  port?: number;
  /** The bind address (the interface to listen on). Default 127.0.0.1: the fake is for this machine unless told otherwise. */
  host?: string;
  adminToken?: string | undefined;
  /**
   * Host names (without port) the admin API, stream and dashboard accept besides loopback names,
   * IP addresses and `host` itself, e.g. a docker-compose service name; "*" any.
   */
  allowedHosts?: readonly string[] | undefined;
  /**
   * A pino logger (requests at info, the fake's warnings, unexpected errors) or, like the core's
   * option, any `{ warn(message) }` sink (then only the fake's warnings go there). Default: warnings
   * to the console, no request log.
   */
  logger?: Logger | MockLogger | undefined;
  /**
   * What answers the requests (default: og-mock's node:http host, ./host.ts). Another listener
   * over the same merchants, e.g. `(merchants) => createApp(merchants)` for the Express app, gets
   * the same server around it (timeouts, the JSON answer to unreadable requests).
   */
  listener?: ((merchants: OrdergrooveMerchants, options: HostOptions) => RequestListener) | undefined;
  /** Forward products-API requests to an upstream (og-mock --upstream; docs/proxy.md). */
  proxy?: HostOptions["proxy"];
}

/** pino, as opposed to a bare `{ warn }` sink: only pino can take the request log. */
function isPino(logger: Logger | MockLogger | undefined): logger is Logger {
  return typeof (logger as Partial<Logger> | undefined)?.isLevelEnabled === "function";
}

export interface RunningMockServer {
  url: string;
  port: number;
  /** The bind address it listens on. */
  host: string;
  /** The first (by default the only) merchant's mock: catalog, journal, faults, settings. */
  mock: OrdergrooveMock;
  /** Every merchant, and the per-IP limit in front of them. */
  merchants: OrdergrooveMerchants;
  server: Server;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = "127.0.0.1";

export async function startMockServer(options: ServerOptions = {}): Promise<RunningMockServer> {
  const { logger } = options;
  // The core's warnings (an unknown item field, once per name) go to the same place as the rest.
  const merchants = createMerchants({ ...options, logger: logger && { warn: (message) => logger.warn(message) } });
  const bindAddress = options.host ?? DEFAULT_HOST;
  const listener = (options.listener ?? createHost)(merchants, {
    adminToken: options.adminToken,
    // The name the fake was bound to is one its users type (e.g. --host og-mock in a container).
    allowedHosts: [...(options.allowedHosts ?? []), bindAddress],
    logger: isPino(logger) ? logger : undefined,
    proxy: options.proxy,
  });
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, listener);
  // Requests Node's parser refuses still get the spec's {detail} shape, and CORS (./client-error.ts);
  // when forwarding, marked as og-mock's own answers.
  server.on(
    "clientError",
    options.proxy
      ? (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, true)
      : answerClientError,
  );
  // Never an open proxy: a CONNECT gets a JSON refusal marked `proxy`, and the tunnel is not opened.
  if (options.proxy) server.on("connect", refuseConnect);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, bindAddress, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = bindAddress.includes(":") ? `[${bindAddress}]` : bindAddress;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host: bindAddress,
    mock: merchants.default,
    merchants,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Whether a bind address is this machine's own (loopback). */
export function isLoopback(bindAddress: string): boolean {
  return (
    bindAddress === "localhost" ||
    bindAddress === "::1" ||
    bindAddress === "[::1]" ||
    /^127\.\d+\.\d+\.\d+$/.test(bindAddress)
  );
}

function refuseConnect(_req: unknown, socket: Duplex): void {
  const answer = refuseOpenProxy("CONNECT");
  const body = JSON.stringify(answer.body);
  const headers = Object.entries(answer.headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  socket.end(
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n${headers}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

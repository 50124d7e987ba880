/**
 * What `og-mock` answers a connection with: every request goes straight from node:http's
 * `request` event to the dispatcher (./dispatch.ts), the same one `createApp()`'s Express app
 * uses, so the two answer byte for byte the same (test/mock/hosts-agree.test.ts).
 *
 * Why not Express here: Express 5 swaps the prototypes of `req` and `res` on every request it
 * handles, which measured as most of the fake's CPU per request on a 1-item batch, and importing
 * it was most of the fake's start-up time. og-mock does not load Express at all.
 */
import type { RequestListener } from "node:http";
import type { Logger } from "pino";
import { Front } from "../core/front.js";
import type { OrdergrooveMerchants } from "../core/merchants/merchants.js";
import { type ProxyOptions, UpstreamProxy } from "../core/proxy/proxy.js";
import type { Upstream } from "../core/proxy/upstream.js";
import { type Answerer, createDispatcher, logErrors } from "./dispatch.js";
import { nodeUpstream, type UpstreamTimeouts } from "./upstream.js";

/** What a node:http host (og-mock's listener, `createApp()`) is told besides what it serves. */
export interface HostOptions {
  /** Protects /__admin/ (API, stream and dashboard) with `x-admin-token`, or the dashboard's sign-in cookie. */
  adminToken?: string | undefined;
  /**
   * Host names (without port) the admin API, stream and dashboard accept besides loopback names
   * and IP addresses, e.g. a docker-compose service name; ".example.test" allows subdomains, "*" any.
   */
  allowedHosts?: readonly string[] | undefined;
  /** Request lines at info, refusals of unread bodies at warn, unexpected errors at error. */
  logger?: Logger | undefined;
  /** Forward products-API requests to an upstream (og-mock --upstream): ../core/proxy/proxy.ts. */
  proxy?: Omit<ProxyOptions, "upstream"> & { upstream?: Upstream | undefined; timeouts?: UpstreamTimeouts };
}

/** The listener for merchants (one merchant is merchants of one). */
export function createHost(merchants: OrdergrooveMerchants, options: HostOptions = {}): RequestListener {
  const { logger, proxy, ...admin } = options;
  const front = new Front(merchants, { ...admin, report: logErrors(logger) });
  let answerer: Answerer | undefined;
  if (proxy) {
    const upstream = proxy.upstream ?? nodeUpstream(proxy.timeouts);
    const forwarder = new UpstreamProxy(front, { ...proxy, upstream });
    answerer = forwarder;
  }
  const dispatch = createDispatcher(front, logger, answerer);
  return (req, res) => dispatch(req, res, req.url ?? "/");
}

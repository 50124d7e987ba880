/**
 * The fake as an Express app, for users who mount it in their own server:
 * `app.use("/og", createApp(mock))`. Everything is answered by the same dispatcher as og-mock's
 * node:http host (../node/dispatch.ts), so both answer byte for byte the same
 * (test/mock/hosts-agree.test.ts); Express only hands over the request and the mount point.
 */
import { createRequire } from "node:module";
import type { ErrorRequestHandler, Express } from "express";
import { loggedPath } from "../core/answer-safely.js";
import { Front } from "../core/front.js";
import type { IpLimitSettings, OrdergrooveMerchants } from "../core/merchants/merchants.js";
import type { OrdergrooveMock } from "../core/mock.js";
import { createDispatcher, logErrors } from "../node/dispatch.js";
import type { HostOptions } from "../node/host.js";
import { sendServerError } from "../node/exchange.js";
import { loadPeer } from "../node/optional-peer.js";

const require = createRequire(import.meta.url);

/** createApp's options: a host's, and the per-IP limit for one merchant's mock. */
export interface AppOptions extends HostOptions {
  /** The per-IP limit when `createApp` is given one merchant's mock (default 6,000/min; `false` off). */
  ipLimit?: Partial<IpLimitSettings> | false | undefined;
}

/** An Express app serving one merchant's mock, or many merchants. */
export function createApp(served: OrdergrooveMock | OrdergrooveMerchants, options: AppOptions = {}): Express {
  // Loaded here, not imported: express is an optional peer, installed only by users of createApp().
  const express = loadPeer<typeof import("express")>(require, {
    name: "express",
    neededTo: "create the Express app (createApp)",
    install: "npm install express@5 (and @types/express@5 for TypeScript)",
  });
  const { logger, ...rest } = options;
  const front = new Front(served, { ...rest, report: logErrors(logger) });
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  const dispatch = createDispatcher(front, logger);
  // req.url, not originalUrl: mounted under a prefix (app.use("/og", createApp(mock))), the core
  // sees the path below the mount point; links it builds (list pages) start at the mount point.
  app.use((req, res) => dispatch(req, res, req.url, req.protocol, req.baseUrl));

  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    logger?.error({ err: error, method: req.method, path: loggedPath(req.originalUrl) }, "unexpected error");
    sendServerError(req, res);
  };
  app.use(onError);
  return app;
}

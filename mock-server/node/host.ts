/**
 * What `og-mock` answers a connection with: product routes go straight from node:http's
 * `request` event into the merchants' front (../core/merchants.ts: the per-IP limit, then the one
 * merchant the request authenticates to); everything else (the admin API, the dashboard, unknown
 * paths) goes to the Express app of ./app.ts, imported only when the first such request arrives.
 *
 * Why: Express 5 swaps the prototypes of `req` and `res` on every request it handles, which
 * measured as most of the fake's CPU per request on a 1-item batch; importing Express is also
 * most of the fake's start-up time. The lean path keeps every protection of the Express host
 * (the shared ./exchange.ts: body limit before reading, one write, latency and dropped-connection
 * faults, refusals journaled) and answers byte for byte the same (test/mock/hosts-agree.test.ts).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { isAdminPath } from "../core/admin/admin-path.js";
import { elapsedMs } from "../core/clock.js";
import type { CoreResponse } from "../core/messages.js";
import type { OrdergrooveMerchants } from "../core/merchants/merchants.js";
import { matchRoute } from "../core/products/routes.js";
import { answerSafely, type ErrorReporter } from "../core/answer-safely.js";
import { type Engine, readBody, refuseTooLarge, round, send, sendServerError, toCore } from "./exchange.js";
import { RequestLog } from "./request-log.js";

export interface HostOptions {
  adminToken?: string | undefined;
  logger?: Logger | undefined;
  /** false sends every request through the Express app, as `createApp()` users get. Default true. */
  leanRoutes?: boolean | undefined;
}

/** True for a request the core's routes know (an operation, or a known path with another method). */
export function isProductRoute(method: string | undefined, url: string): boolean {
  if (isAdminPath(url)) return false;
  const query = url.indexOf("?");
  return matchRoute(method ?? "GET", query < 0 ? url : url.slice(0, query)).kind !== "none";
}

/** The listener for one front of merchants (one merchant is a front of one). */
export function createHost(merchants: OrdergrooveMerchants, options: HostOptions = {}): RequestListener {
  const engine: Engine = merchants;
  const logger = options.logger;
  const log = new RequestLog(logger);
  const lean = options.leanRoutes ?? true;
  let app: Promise<RequestListener> | undefined;

  const viaExpress = (req: IncomingMessage, res: ServerResponse) => {
    app ??= import("../express/app.js").then(({ createApp }) =>
      createApp(merchants, { adminToken: options.adminToken, logger }),
    );
    app.then(
      (handler) => handler(req, res),
      (error: unknown) => {
        logger?.error({ err: error }, "failed to load the Express app");
        sendServerError(req, res);
      },
    );
  };

  // Never let one request take the fake down: log it (the error only, no headers or bodies),
  // answer a JSON 500, keep serving. answerSafely is the same net the Express app uses.
  const reportError: ErrorReporter = (error, where) => logger?.error({ err: error, ...where }, "unexpected error");
  const fail = (req: IncomingMessage, res: ServerResponse, path: string, error: unknown) => {
    reportError(error, { method: req.method ?? "GET", path: path.split("?")[0]!.slice(0, 200) });
    sendServerError(req, res);
  };

  const answer = (req: IncomingMessage, res: ServerResponse, path: string, text: string | undefined) => {
    try {
      const core = toCore(req, path, text);
      if (!log.on)
        return send(
          req,
          res,
          answerSafely(() => engine.handle(core), core, reportError),
          false,
        );
      const started = elapsedMs();
      const response: CoreResponse = answerSafely(() => engine.handle(core), core, reportError);
      send(req, res, response, false, () =>
        log.write({
          method: req.method,
          path,
          status: response.drop ? "dropped" : response.status,
          ms: round(elapsedMs() - started),
          admin: false,
        }),
      );
    } catch (error) {
      fail(req, res, path, error);
    }
  };

  const tooLarge = (req: IncomingMessage, res: ServerResponse, path: string, bytes: number) => {
    try {
      refuseTooLarge(engine, req, res, path, bytes, false, logger);
    } catch (error) {
      fail(req, res, path, error);
    }
  };

  return (req, res) => {
    const path = req.url ?? "/";
    // An exception here would escape into node:http's event loop and end the process.
    try {
      if (!lean || !isProductRoute(req.method, path)) return viaExpress(req, res);
      readBody(
        req,
        engine.options.maxBodyBytes,
        (text) => answer(req, res, path, text),
        (bytes) => tooLarge(req, res, path, bytes),
      );
    } catch (error) {
      fail(req, res, path, error);
    }
  };
}

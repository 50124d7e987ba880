/**
 * The Express host of the fake: reads the raw body, hands a plain request to the core, writes
 * the plain response back. Everything Ordergroove-like happens in ../core; the node:http side
 * (body limit, one write per answer) is shared with og-mock's lean path in ./exchange.ts.
 *
 * `og-mock` serves the product routes on that lean path (./host.ts) and this app serves the rest
 * (admin API, dashboard, unknown paths); users who mount `createApp()` in their own server get
 * every route here, with byte-identical answers (test/mock/hosts-agree.test.ts).
 */
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from "express";
import type { Logger } from "pino";
import { ADMIN_UNAUTHORIZED, adminAuthorized, isAdminPath } from "../core/admin/admin-api.js";
import { type CoreRequest, detail } from "../core/messages.js";
import { type IpLimitSettings, OrdergrooveMerchants } from "../core/merchants/merchants.js";
import { handleMerchantsAdmin, selectedMerchant } from "../core/admin/merchants-admin.js";
import type { OrdergrooveMock } from "../core/mock.js";
import { answerSafely, type ErrorReporter } from "../core/answer-safely.js";
import { handleUi, isUiPath } from "../ui/serve.js";
import { readBody, refuseTooLarge, round, send, sendServerError, toCore } from "../node/exchange.js";
import { streamJournal } from "../node/journal-stream.js";
import { RequestLog } from "../node/request-log.js";

export interface AppOptions {
  /** Protects /__admin/ (API and dashboard) with `x-admin-token`, or the dashboard's sign-in cookie. */
  adminToken?: string | undefined;
  logger?: Logger | undefined;
  /** The per-IP limit when `createApp` is given one merchant's engine (default 6,000/min; `false` off). */
  ipLimit?: Partial<IpLimitSettings> | false | undefined;
}

/** An Express app serving one merchant's engine, or many merchants behind their front. */
export function createApp(target: OrdergrooveMock | OrdergrooveMerchants, options: AppOptions = {}): Express {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  const mock =
    target instanceof OrdergrooveMerchants ? target : new OrdergrooveMerchants([target], { ipLimit: options.ipLimit });
  const logger = options.logger;
  const log = new RequestLog(logger);
  // Only the error and where it happened: headers and bodies may carry secrets.
  const reportError: ErrorReporter = (error, where) => logger?.error({ err: error, ...where }, "unexpected error");

  app.use((req, res) => {
    // req.url, not originalUrl: mounted under a prefix (app.use("/og", createApp(mock))), the core
    // sees the path below the mount point; links it builds (list pages) start at the mount point.
    const path = req.url;
    const admin = isAdminPath(path);
    readBody(
      req,
      mock.options.maxBodyBytes,
      (text) => {
        // Runs in a stream callback, outside Express's own error handling: nothing may escape.
        try {
          const started = log.on ? performance.now() : 0;
          const core = toCore(req, path, text, req.protocol, req.baseUrl);
          if (admin && serveDashboard(mock, core, req, res, options.adminToken)) {
            if (log.on)
              // The path without its query: a sign-in link carries the admin token there.
              log.write({ method: core.method, path: core.path.split("?")[0], status: res.statusCode, admin });
            return;
          }
          const response = answerSafely(
            () => (admin ? handleMerchantsAdmin(mock, core, { token: options.adminToken }) : mock.handle(core)),
            core,
            reportError,
          );
          if (!log.on) return send(req, res, response, false);
          send(req, res, response, false, () =>
            log.write({
              method: core.method,
              path: core.path,
              status: response.drop ? "dropped" : response.status,
              ms: round(performance.now() - started),
              admin,
            }),
          );
        } catch (error) {
          reportError(error, { method: req.method, path: path.split("?")[0]!.slice(0, 200) });
          sendServerError(req, res);
        }
      },
      (bytes) => refuseTooLarge(mock, req, res, path, bytes, admin, logger),
    );
  });

  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    reportError(error, { method: req.method, path: req.originalUrl.split("?")[0]!.slice(0, 200) });
    sendServerError(req, res);
  };
  app.use(onError);
  return app;
}

/**
 * The admin paths that are not plain JSON answers: the dashboard's files and the journal's live
 * stream. Returns false for every other admin path (the core answers those).
 */
function serveDashboard(
  mock: OrdergrooveMerchants,
  core: CoreRequest,
  req: Request,
  res: Response,
  token: string | undefined,
): boolean {
  const url = new URL(core.path, "http://admin.invalid");
  if (isUiPath(url.pathname)) {
    const answer = handleUi(core, token);
    res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
    res.end(core.method === "HEAD" ? undefined : answer.body);
    return true;
  }
  if (url.pathname.replace(/\/$/, "") !== "/__admin/journal/stream") return false;
  if (!adminAuthorized(core.headers, token)) send(req, res, detail(401, ADMIN_UNAUTHORIZED), false);
  else if (core.method !== "GET")
    send(
      req,
      res,
      detail(405, `Method "${core.method}" not allowed on ${url.pathname}; allowed: GET.`, { allow: "GET" }),
      false,
    );
  else {
    const since = url.searchParams.get("since") ?? core.headers["last-event-id"] ?? "0";
    if (!/^\d{1,9}$/.test(since))
      send(req, res, detail(400, `Admin API: since must be a whole number; got ${JSON.stringify(since)}.`), false);
    else {
      // The journal of the merchant the stream's URL names (?merchant=), like every admin route.
      const merchant = selectedMerchant(mock, core, url.searchParams);
      if ("status" in merchant) send(req, res, merchant, false);
      else streamJournal(merchant, res, Number(since));
    }
  }
  return true;
}

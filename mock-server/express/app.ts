/**
 * The Express host of the fake: reads the raw body, hands a plain request to the core, writes
 * the plain response back. Everything Ordergroove-like happens in ../core.
 *
 * Why the body is read here and not by express.raw(): body-parser waits for a refused body to
 * arrive in full before answering (a 500 MB content-length would hold the connection), and
 * profiling showed it among the largest costs per request. The response is written with one
 * writeHead/end and a content-length, so it leaves in a single segment instead of a chunked
 * stream.
 */
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from "express";
import type { Logger } from "pino";
import { ADMIN_UNAUTHORIZED, adminAuthorized, isAdminPath } from "../core/admin.js";
import { type CoreRequest, type CoreResponse, detail } from "../core/http.js";
import { type IpLimitSettings, OrdergrooveMerchants } from "../core/merchants.js";
import { handleMerchantsAdmin, selectedMerchant } from "../core/merchants-admin.js";
import { type OrdergrooveMock, tooLarge } from "../core/mock.js";
import { handleUi, isUiPath } from "../ui/serve.js";
import { streamJournal } from "./journal-stream.js";
import { answerSafely, type ErrorReporter, unexpectedError } from "../core/safe.js";

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
  const limit = mock.options.maxBodyBytes;
  const logger = options.logger;
  const logRequests = logger?.isLevelEnabled("info") ?? false;
  // Only the error and where it happened: headers and bodies may carry secrets.
  const reportError: ErrorReporter = (error, where) => logger?.error({ err: error, ...where }, "unexpected error");

  const refuseTooLarge = (req: Request, res: Response, bytes: number) => {
    const response = tooLarge(bytes, limit);
    if (!isAdminPath(req.url)) mock.recordRefusal(toCore(req, undefined), response, "body too large");
    logger?.warn({ method: req.method, path: req.url.split("?")[0], status: 413 }, "refused");
    send(req, res, response, true);
  };

  app.use((req, res) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    // A declared body over the limit is refused before a byte of it is read.
    if (declared > limit) return refuseTooLarge(req, res, declared);
    const chunks: Buffer[] = [];
    let received = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      received += chunk.length;
      if (received > limit) {
        // A chunked body that grows past the limit: stop reading, answer, close.
        refused = true;
        req.pause();
        refuseTooLarge(req, res, received);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (refused) return;
      const started = logRequests ? performance.now() : 0;
      const text =
        received === 0
          ? undefined
          : chunks.length === 1
            ? chunks[0]!.toString("utf8")
            : Buffer.concat(chunks).toString("utf8");
      const core = toCore(req, text);
      const admin = isAdminPath(core.path);
      let dashboard: boolean;
      try {
        dashboard = admin && serveDashboard(mock, core, req, res, options.adminToken);
      } catch (error) {
        reportError(error, core);
        if (res.headersSent) res.destroy();
        else send(req, res, unexpectedError(), true);
        return;
      }
      if (dashboard) {
        if (logRequests)
          // The path without its query: a sign-in link carries the admin token there.
          logger!.info(
            { method: core.method, path: core.path.split("?")[0], status: res.statusCode, admin },
            "request",
          );
        return;
      }
      const response = answerSafely(
        () => (admin ? handleMerchantsAdmin(mock, core, { token: options.adminToken }) : mock.handle(core)),
        core,
        reportError,
      );
      send(req, res, response, false, () => {
        if (!logRequests) return;
        logger!.info(
          {
            method: core.method,
            path: core.path,
            status: response.drop ? "dropped" : response.status,
            ms: round(performance.now() - started),
            admin,
          },
          "request",
        );
      });
    });
    req.on("error", () => req.socket.destroy());
  });

  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    reportError(error, { method: req.method, path: req.originalUrl.split("?")[0]!.slice(0, 200) });
    send(req, res, unexpectedError(), true);
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
      const merchant = selectedMerchant(mock, core, url);
      if ("status" in merchant) send(req, res, merchant, false);
      else streamJournal(merchant, res, Number(since));
    }
  }
  return true;
}

function toCore(req: Request, body: string | undefined): CoreRequest {
  const headers: Record<string, string | undefined> = {};
  for (const name in req.headers) {
    const value = req.headers[name];
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  // req.url, not originalUrl: mounted under a prefix (app.use("/og", createApp(mock))), the core
  // sees the path below the mount point; links it builds (list pages) start at the mount point.
  return {
    method: req.method,
    path: req.url,
    headers,
    body,
    origin: `${req.protocol}://${req.headers.host}${req.baseUrl}`,
    remoteAddress: req.socket.remoteAddress,
  };
}

function send(req: Request, res: Response, response: CoreResponse, close: boolean, done?: () => void): void {
  const write = () => {
    if (response.drop) {
      // Fault injection: the client sees the connection close with no answer.
      req.socket.destroy();
      done?.();
      return;
    }
    const text = response.body === undefined ? "" : JSON.stringify(response.body);
    const headers: Record<string, string | number> = { ...response.headers, "content-length": Buffer.byteLength(text) };
    if (response.body !== undefined) headers["content-type"] = "application/json";
    if (close) headers.connection = "close";
    res.writeHead(response.status, headers);
    res.end(text);
    done?.();
  };
  if (response.delayMs) setTimeout(write, response.delayMs);
  else write();
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/**
 * One node:http request, answered: the only place that decides what a connection gets, used by
 * both hosts (og-mock's node:http server in ./host.ts and `createApp()`'s Express app), so they
 * cannot answer differently.
 *
 * - product routes and unknown paths: the merchants' front (../core/merchants/merchants.ts);
 * - the admin API: ../core/admin/ (token, routes, 405s, query parameters, merchant selection);
 * - the journal's live stream: decided by the core like any admin route, streamed here;
 * - the dashboard's files: ../ui/serve.ts.
 *
 * Never throws: an exception becomes a JSON 500 and a log line with the error only (headers and
 * bodies may carry secrets), and the fake keeps serving.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { adminGuard } from "../core/admin/admin-guard.js";
import { isAdminPath } from "../core/admin/admin-path.js";
import { handleMerchantsAdmin, isJournalStream, journalStreamRequest } from "../core/admin/merchants-admin.js";
import { answerSafely, type ErrorReporter, loggedPath } from "../core/answer-safely.js";
import { elapsedMs } from "../core/clock.js";
import { withCors } from "../core/cors.js";
import type { OrdergrooveMerchants } from "../core/merchants/merchants.js";
import type { CoreRequest, CoreResponse } from "../core/messages.js";
import { handleUi, isUiPath } from "../ui/serve.js";
import { readBody, refuseTooLarge, round, send, sendServerError, toCore } from "./exchange.js";
import { JournalStreams } from "./journal-stream.js";
import { RequestLog } from "./request-log.js";
import { HINT_HEADER } from "../core/hint.js";
import { maskSecretQuery } from "../core/secret-query.js";

export interface DispatchOptions {
  /** Protects /__admin/ (API, stream and dashboard) with `x-admin-token` or the dashboard's cookie. */
  adminToken?: string | undefined;
  /** Host names accepted on /__admin/ besides loopback names and IP addresses (../core/admin/admin-guard.ts). */
  allowedHosts?: readonly string[] | undefined;
  /** Request lines at info, unexpected errors at error. */
  logger?: Logger | undefined;
}

/**
 * Answers one request. `path` is the path as the client sent it below any mount point;
 * `protocol` and `base` (the mount point) make the origin of list pages' absolute links.
 */
export type Dispatch = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  protocol?: string,
  base?: string,
) => void;

export function createDispatcher(front: OrdergrooveMerchants, options: DispatchOptions = {}): Dispatch {
  const { logger, adminToken } = options;
  // An empty token would silently mean "no protection": refuse it where it is given.
  if (adminToken === "") throw new RangeError("adminToken must not be empty: leave it out for an open admin API.");
  const guard = { allowedHosts: options.allowedHosts };
  const streams = new JournalStreams();
  const admin = { token: adminToken };
  const log = new RequestLog(logger);
  const reportError: ErrorReporter = (error, where) => logger?.error({ err: error, ...where }, "unexpected error");
  const fail = (req: IncomingMessage, res: ServerResponse, path: string, error: unknown) => {
    reportError(error, { method: req.method ?? "GET", path: loggedPath(path) });
    sendServerError(req, res);
  };

  const respond = (
    req: IncomingMessage,
    res: ServerResponse,
    core: CoreRequest,
    isAdmin: boolean,
    response: CoreResponse,
    started: number,
  ): void => {
    if (!log.on) return send(req, res, response, false);
    send(req, res, response, false, () =>
      log.write({
        method: core.method,
        // Admin paths without their query: a dashboard sign-in link carries the admin token there.
        // Other paths with it, a token pasted there masked.
        path: isAdmin ? loggedPath(core.path) : maskSecretQuery(core.path),
        status: response.drop ? "dropped" : response.status,
        ms: round(elapsedMs() - started),
        admin: isAdmin,
        // The fake's explanation of a refusal or redirect (never a secret: see core/hint.ts).
        ...(response.headers[HINT_HEADER] ? { hint: response.headers[HINT_HEADER] } : {}),
      }),
    );
  };

  /** The admin side: the dashboard's files, the journal's live stream, or a JSON answer of the admin API. */
  const answerAdmin = (req: IncomingMessage, res: ServerResponse, core: CoreRequest, started: number): void => {
    // Cross-site use first, for the dashboard, the stream and the API alike (before the token).
    const refused = adminGuard(core, guard);
    if (refused) return respond(req, res, core, true, refused, started);
    if (isUiPath(loggedPath(core.path))) {
      const answer = handleUi(core, adminToken);
      res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
      res.end(core.method === "HEAD" ? undefined : answer.body);
      if (log.on) log.write({ method: core.method, path: loggedPath(core.path), status: answer.status, admin: true });
      return;
    }
    if (isJournalStream(core.path)) {
      const stream = journalStreamRequest(front, core, admin);
      if ("status" in stream) return respond(req, res, core, true, stream, started);
      const full = streams.refusal();
      if (full) return respond(req, res, core, true, full, started);
      streams.stream(stream.journalOf, res, stream.since);
      if (log.on) log.write({ method: core.method, path: loggedPath(core.path), status: 200, admin: true });
      return;
    }
    respond(
      req,
      res,
      core,
      true,
      answerSafely(() => handleMerchantsAdmin(front, core, admin), core, reportError),
      started,
    );
  };

  return (req, res, path, protocol, base) => {
    // An exception here would escape into node:http's event loop and end the process.
    try {
      const isAdmin = isAdminPath(path);
      readBody(
        req,
        front.options.maxBodyBytes,
        (text) => {
          // Runs in a stream callback: nothing may escape.
          try {
            const started = log.on ? elapsedMs() : 0;
            const core = toCore(req, path, text, protocol, base);
            if (isAdmin) answerAdmin(req, res, core, started);
            else
              respond(
                req,
                res,
                core,
                false,
                // Even an unexpected 500 carries CORS, so a browser client can read it.
                withCors(answerSafely(() => front.handle(core), core, reportError)),
                started,
              );
          } catch (error) {
            fail(req, res, path, error);
          }
        },
        (bytes) => {
          try {
            refuseTooLarge(front, req, res, path, bytes, isAdmin, logger);
          } catch (error) {
            fail(req, res, path, error);
          }
        },
      );
    } catch (error) {
      fail(req, res, path, error);
    }
  };
}

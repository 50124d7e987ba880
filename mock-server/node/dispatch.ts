/**
 * One node:http request, translated: the body read under the front's limit, the `CoreRequest`
 * made, the front's answer written back (../core/front.ts decides what every request gets). Used
 * by both node:http hosts (og-mock's listener in ./host.ts and `createApp()`'s Express app), so
 * they cannot answer differently.
 *
 * Beyond translation it serves what needs a socket or files, as the front allows: the journal's
 * live stream (./journal-stream.ts) and the dashboard's files (../ui/serve.ts); and it writes the
 * request log. Never throws: an exception in this translation becomes a JSON 500 and a log line
 * with the error only (headers and bodies may carry secrets), and the fake keeps serving.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { isJournalStream } from "../core/admin/admin-api.js";
import { type ErrorReporter, loggedPath } from "../core/answer-safely.js";
import { elapsedMs } from "../core/clock.js";
import type { Front } from "../core/front.js";
import type { CoreRequest, CoreResponse } from "../core/messages.js";
import { handleUi, isUiPath } from "../ui/serve.js";
import { readBody, round, send, sendServerError, toCore } from "./exchange.js";
import { JournalStreams } from "./journal-stream.js";
import { RequestLog } from "./request-log.js";
import { HINT_HEADER } from "../core/hint.js";
import { maskSecretQuery } from "../core/secret-query.js";

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

/** The reporter of unexpected errors a node:http host gives its front: the error and where, at error. */
export function logErrors(logger: Logger | undefined): ErrorReporter {
  return (error, where) => logger?.error({ err: error, ...where }, "unexpected error");
}

/**
 * Who answers a request the front would: the front itself, or another source of answers behind it
 * that may take its time (the proxy, ../core/proxy/proxy.ts).
 */
export interface Answerer {
  answer(req: CoreRequest): CoreResponse | Promise<CoreResponse>;
  /** The answer to a request whose body is over the limit, before a byte of it is read. */
  tooLarge(req: CoreRequest, bytes: number): CoreResponse;
}

/**
 * `logger`: request lines at info, refusals of unread bodies at warn, unexpected errors at error.
 * `answerer`: what answers instead of `front.answer` (the proxy); the front still serves the rest.
 */
export function createDispatcher(front: Front, logger?: Logger, answerer?: Answerer): Dispatch {
  const streams = new JournalStreams();
  const log = new RequestLog(logger);
  const reportError = logErrors(logger);
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

  /** The admin side that needs a socket or files: the dashboard, the journal's live stream; false for the rest. */
  const servedHere = (req: IncomingMessage, res: ServerResponse, core: CoreRequest, started: number): boolean => {
    const pathname = loggedPath(core.path);
    if (isUiPath(pathname)) {
      const refused = front.adminGate(core);
      if (refused) {
        respond(req, res, core, true, refused, started);
        return true;
      }
      const answer = handleUi(core, front.adminToken);
      res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
      res.end(core.method === "HEAD" ? undefined : answer.body);
      if (log.on) log.write({ method: core.method, path: pathname, status: answer.status, admin: true });
      return true;
    }
    if (!isJournalStream(core.path)) return false;
    const stream = front.journalStream(core);
    if ("status" in stream) {
      respond(req, res, core, true, stream, started);
      return true;
    }
    const full = streams.refusal();
    if (full) {
      respond(req, res, core, true, full, started);
      return true;
    }
    streams.stream(stream.journalOf, res, stream.since);
    if (log.on) log.write({ method: core.method, path: pathname, status: 200, admin: true });
    return true;
  };

  return (req, res, path, protocol, base) => {
    // An exception here would escape into node:http's event loop and end the process.
    try {
      const isAdmin = front.isAdmin(path);
      readBody(
        req,
        front.maxBodyBytes,
        (text, bytes) => {
          // Runs in a stream callback: nothing may escape.
          try {
            const started = log.on ? elapsedMs() : 0;
            const core = toCore(req, path, text, protocol, base, bytes);
            if (isAdmin && servedHere(req, res, core, started)) return;
            if (!answerer) return respond(req, res, core, isAdmin, front.answer(core), started);
            const answer = answerer.answer(core);
            if (!(answer instanceof Promise)) return respond(req, res, core, isAdmin, answer, started);
            answer.then(
              (response) => respond(req, res, core, isAdmin, response, started),
              (error: unknown) => fail(req, res, path, error),
            );
          } catch (error) {
            fail(req, res, path, error);
          }
        },
        (bytes) => {
          try {
            // Answered without reading the body, so the connection is closed after it.
            const refused = toCore(req, path, undefined);
            const response = answerer ? answerer.tooLarge(refused, bytes) : front.tooLarge(refused, bytes);
            logger?.warn({ method: req.method, path: loggedPath(path), status: 413 }, "refused");
            send(req, res, response, true);
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

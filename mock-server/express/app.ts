/**
 * The Express host of the fake: reads the raw body, hands a plain request to the core, writes
 * the plain response back. Everything Ordergroove-like happens in ../core.
 */
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from "express";
import type { Logger } from "pino";
import { handleAdmin, isAdminPath } from "../core/admin.js";
import type { CoreRequest, CoreResponse } from "../core/http.js";
import { type OrdergrooveMock, tooLarge } from "../core/mock.js";

export interface AppOptions {
  /** Protects /__admin/ with `x-admin-token`. */
  adminToken?: string | undefined;
  logger?: Logger | undefined;
}

export function createApp(mock: OrdergrooveMock, options: AppOptions = {}): Express {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  // A declared body over the limit is refused before a byte of it is read, and the connection
  // closed: body-parser would otherwise wait for the whole body to arrive before answering.
  app.use((req, res, next) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared <= mock.options.maxBodyBytes) return next();
    res.setHeader("connection", "close");
    const response = tooLarge(declared, mock.options.maxBodyBytes);
    if (!isAdminPath(req.originalUrl)) mock.recordRefusal(toCore(req), response, "body too large");
    send(req, res, response, () => {
      options.logger?.warn({ method: req.method, path: req.originalUrl, status: 413 }, "refused");
    });
  });
  // Raw bytes for every content type: the core decides what is JSON, so both hosts agree.
  app.use(express.raw({ type: () => true, limit: mock.options.maxBodyBytes }));
  app.use((req, res) => {
    const started = performance.now();
    const core = toCore(req);
    const admin = isAdminPath(core.path);
    const response = admin ? handleAdmin(mock, core, { token: options.adminToken }) : mock.handle(core);
    send(req, res, response, () => {
      options.logger?.info(
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
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const status = (error as { status?: number }).status ?? 500;
    const type = (error as { type?: string }).type;
    let response: CoreResponse;
    if (type === "entity.too.large") {
      const length = Number(req.headers["content-length"] ?? (error as { length?: number }).length ?? 0);
      response = tooLarge(length, mock.options.maxBodyBytes);
      if (!isAdminPath(req.originalUrl)) mock.recordRefusal(toCore(req), response, "body too large");
    } else if (type === "encoding.unsupported" || type === "charset.unsupported") {
      response = {
        status: 415,
        headers: {},
        body: { detail: `Unsupported content encoding or charset: ${(error as Error).message}.` },
      };
    } else if (status >= 400 && status < 500) {
      response = { status, headers: {}, body: { detail: `Could not read the request: ${(error as Error).message}.` } };
    } else {
      options.logger?.error({ err: error }, "unexpected error");
      response = { status: 500, headers: {}, body: { detail: "A server error occurred in the fake." } };
    }
    send(req, res, response, () =>
      options.logger?.warn({ method: req.method, path: req.originalUrl, status: response.status }, "refused"),
    );
  };
  app.use(onError);
  return app;
}

function toCore(req: Request): CoreRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body.toString("utf8") : undefined;
  return { method: req.method, path: req.originalUrl, headers, body };
}

function send(req: Request, res: Response, response: CoreResponse, done: () => void): void {
  const write = () => {
    if (response.drop) {
      // Fault injection: the client sees the connection close with no answer.
      req.socket.destroy();
      done();
      return;
    }
    res.status(response.status);
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    if (response.body === undefined) res.end();
    else {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(response.body));
    }
    done();
  };
  if (response.delayMs) setTimeout(write, response.delayMs);
  else write();
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

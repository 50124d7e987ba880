/**
 * The node:http side of one exchange, shared by both node:http hosts through ./dispatch.ts (og-mock's
 * listener, ./host.ts, and the Express app, ../express/app.ts), so they cannot answer
 * differently: the body is read under a size limit, the plain request is built, and the plain
 * answer leaves in one write.
 *
 * Why the body is read here and not by express.raw(): body-parser waits for a refused body to
 * arrive in full before answering (a 500 MB content-length would hold the connection), and
 * profiling showed it among the largest costs per request. The response is written with one
 * writeHead/end and a content-length, so it leaves in a single segment instead of a chunked
 * stream.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CoreRequest, CoreResponse } from "../core/messages.js";
import { unexpectedError } from "../core/answer-safely.js";

/**
 * Reads the body and calls `onBody` with it as UTF-8 text and as the bytes sent (both undefined
 * when empty); or, when the body is larger than `limit`, calls `onTooLarge` instead, before
 * reading a byte of a declared body and as soon as a chunked one grows past the limit.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  onBody: (text: string | undefined, bytes: Buffer | undefined) => void,
  onTooLarge: (bytes: number) => void,
): void {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    onTooLarge(declared);
    return;
  }
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let received = 0;
  let refused = false;
  req.on("data", (chunk: Buffer) => {
    if (refused) return;
    received += chunk.length;
    if (received > limit) {
      // A chunked body that grows past the limit: stop reading, answer, close.
      refused = true;
      req.pause();
      onTooLarge(received);
      return;
    }
    if (first === undefined) first = chunk;
    else (more ??= [first]).push(chunk);
  });
  req.on("end", () => {
    if (refused) return;
    if (received === 0) return onBody(undefined, undefined);
    const bytes = more ? Buffer.concat(more) : (first as Buffer);
    onBody(bytes.toString("utf8"), bytes);
  });
  req.on("error", () => req.socket.destroy());
}

/**
 * The plain request of the core, with the body's bytes as sent when there is a body (the proxy
 * forwards those, not their UTF-8 reading). Node joins repeated headers already; only `set-cookie` is a list.
 * `protocol` and `base` (a mount prefix) make the origin of list pages' absolute links; without a
 * Host header there is no origin and the core uses its default.
 */
export function toCore(
  req: IncomingMessage,
  path: string,
  body: string | undefined,
  protocol = (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http",
  base = "",
  bytes?: Uint8Array,
): CoreRequest {
  const raw = req.headers;
  let headers = raw as Record<string, string | undefined>;
  if (raw["set-cookie"] !== undefined) {
    headers = {};
    for (const name in raw) {
      const value = raw[name];
      headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  const hostHeader = raw.host;
  return {
    method: req.method ?? "GET",
    path,
    headers,
    body,
    // Always present, undefined or not: every request object has the same shape.
    bytes,
    origin: hostHeader === undefined ? undefined : `${protocol}://${hostHeader}${base}`,
    remoteAddress: req.socket.remoteAddress,
  };
}

/**
 * Writes the core's answer: after its injected latency, with one writeHead/end, or by dropping the
 * connection when a fault says so. `close` asks the client to close the connection (after a
 * refused body that was not read). `done` runs once the answer is written or dropped.
 */
export function send(
  req: IncomingMessage,
  res: ServerResponse,
  response: CoreResponse,
  close: boolean,
  done?: () => void,
): void {
  if (response.delayMs) setTimeout(write, response.delayMs, req, res, response, close, done);
  else write(req, res, response, close, done);
}

function write(
  req: IncomingMessage,
  res: ServerResponse,
  response: CoreResponse,
  close: boolean,
  done: (() => void) | undefined,
): void {
  if (response.drop) {
    // Fault injection: the client sees the connection close with no answer.
    req.socket.destroy();
    done?.();
    return;
  }
  // The socket may have gone while a latency fault held the answer back.
  if (res.destroyed) {
    done?.();
    return;
  }
  // The answer's own headers (CoreResponse), completed in place: no copy per request.
  const headers: Record<string, string | number | string[]> = response.headers;
  if (response.bytes) {
    // A proxied answer: its bytes and headers as the upstream sent them (set-cookie, the one
    // header that cannot be joined, comes as lines: ../core/proxy/headers.ts). Its length is the
    // bytes' own where it has content; an answer that cannot have any keeps what the upstream said.
    const cookies = response.headers["set-cookie"];
    if (cookies?.includes("\n")) headers["set-cookie"] = cookies.split("\n");
    if (req.method !== "HEAD" && !withoutContent(response.status))
      headers["content-length"] = response.bytes.byteLength;
    if (close) headers.connection = "close";
    res.writeHead(response.status, headers);
    res.end(response.bytes);
    done?.();
    return;
  }
  const text = response.body === undefined ? "" : (response.text ?? JSON.stringify(response.body));
  // A 204 (the CORS preflight) carries no content-length (RFC 9110 §8.6).
  if (!withoutContent(response.status)) headers["content-length"] = Buffer.byteLength(text);
  if (response.body !== undefined) headers["content-type"] = "application/json";
  if (close) headers.connection = "close";
  res.writeHead(response.status, headers);
  res.end(text);
  done?.();
}

/**
 * Statuses whose answers never carry content (RFC 9110 §6.4.1): their headers pass as the upstream
 * sent them. A 204 (or 1xx) must carry no content-length at all (§8.6); a 304's content-length,
 * like a HEAD answer's, is the upstream's word on a body it did not send.
 */
function withoutContent(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}

/** Answers the JSON 500 of ../core/answer-safely.ts if nothing has been sent yet, else ends the connection. Never throws. */
export function sendServerError(req: IncomingMessage, res: ServerResponse): void {
  try {
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    write(req, res, unexpectedError(), true, undefined);
  } catch {
    req.socket.destroy();
  }
}

export function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

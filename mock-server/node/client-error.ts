/**
 * The answer to a request Node's parser refuses before any host sees it (headers over 16 KiB,
 * malformed HTTP, a header or request timeout): the spec's `{detail}` shape instead of a bare
 * status line, and, like every other products answer, the core's CORS headers (issue 39: a
 * storefront in a browser could not read these answers, though the docs say every products answer
 * carries them). The admin API answers no CORS, so a request line that names an admin path gets
 * none; a request whose line Node does not hand over (a timeout, or a line it could not read)
 * gets them, since the answer says nothing but that the request could not be read.
 *
 * When og-mock forwards (--upstream), the same answers carry `x-og-mock-source: proxy`, as every
 * products answer says who gave it: og-mock refused the request itself, and nothing of it reached
 * the upstream. The admin API's never do (no admin answer does).
 */
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { isAdminPath } from "../core/admin/admin-path.js";
import { withCors } from "../core/cors.js";
import { SOURCE_HEADER } from "../core/proxy/source.js";

/** For `server.on("clientError", ...)`; `proxying`: og-mock forwards to an upstream, so the answer says it was og-mock's. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, proxying = false): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const raw = (error as { rawPacket?: Buffer }).rawPacket;
  const line = requestLine(raw);
  // An answer to HEAD carries no body, even an error.
  const body =
    raw?.subarray(0, 5).toString("latin1") === "HEAD "
      ? ""
      : JSON.stringify({
          detail: `${STATUS_CODES[status]}: the request could not be read (${error.code ?? "parse error"}).`,
        });
  const admin = line !== undefined && isAdminPath(line.path);
  const headers: Record<string, string | number> = admin ? {} : withCors({ status, headers: {} }).headers;
  if (proxying && !admin) headers[SOURCE_HEADER] = "proxy";
  headers["content-type"] = "application/json";
  headers["content-length"] = Buffer.byteLength(body);
  headers.connection = "close";
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n`;
  for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
  socket.end(`${head}\r\n${body}`);
}

/** The path of the request line at the start of what Node had read, if it is there. */
function requestLine(raw: Buffer | undefined): { path: string } | undefined {
  if (raw === undefined) return undefined;
  const match = /^[A-Z]+ (\S+) HTTP\//.exec(raw.toString("latin1", 0, Math.min(raw.length, 16 * 1024)));
  return match ? { path: match[1]! } : undefined;
}

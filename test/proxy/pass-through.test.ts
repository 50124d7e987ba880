/**
 * og-mock --upstream passes the exchange through as it was, byte for byte and header for header
 * (issue 37, point 2), over real HTTP against a local upstream written here: the request body's
 * bytes as the client sent them (not their UTF-8 reading), an answer without a body with the
 * upstream's own headers (a 204 has no content-length), node's own refusals of unreadable
 * requests marked `proxy`, and the upstream's `x-og-mock-*` headers never taken for this og-mock's.
 */
import { createServer, type IncomingHttpHeaders, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";

const quiet = pino({ level: "silent" });
const API_KEY = { "x-api-key": "og-mock-api-key" };

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bytes: Buffer;
}

/** What reached the upstream, in order. */
const seen: Seen[] = [];
let upstream: Server;
let upstreamUrl: string;
let proxy: RunningMockServer; // og-mock --upstream upstreamUrl
let lenient: RunningMockServer; // the same, with --forward-invalid
let plain: RunningMockServer; // og-mock without --upstream

/**
 * The upstream: answers GET /products/no-content/ 204 and GET /products/not-modified/ 304, each
 * with headers of its own and no content-length; GET /products/chained/ as an upstream that is
 * itself an og-mock would, with x-og-mock-* headers of its own; anything else 200 with a JSON echo.
 */
function answer(req: { method?: string; url?: string }, res: import("node:http").ServerResponse): void {
  if (req.url === "/products/no-content/") {
    res.writeHead(204, { "x-upstream": "kept", etag: '"v1"' });
    res.end();
    return;
  }
  if (req.url === "/products/not-modified/") {
    res.writeHead(304, { etag: '"v1"', "cache-control": "max-age=60" });
    res.end();
    return;
  }
  if (req.url === "/products/chained/") {
    const body = JSON.stringify({ detail: "Not found." });
    res.writeHead(404, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "x-og-mock-source": "fake",
      "x-og-mock-hint": "the upstream og-mock's own words",
      "x-og-mock-violations": "3 violations (journal entry 99); /x: made up",
      "x-og-mock-trace": "upstream-7",
    });
    res.end(body);
    return;
  }
  const body = JSON.stringify({ echoed: req.method });
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, bytes: Buffer.concat(chunks) });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const target = { origin: upstreamUrl, production: false };
  proxy = await startMockServer({ port: 0, logger: quiet, proxy: { target } });
  lenient = await startMockServer({ port: 0, logger: quiet, proxy: { target, forwardInvalid: true } });
  plain = await startMockServer({ port: 0, logger: quiet });
});
afterAll(async () => {
  await Promise.all([proxy, lenient, plain].map((s) => s.close()));
  await new Promise<void>((resolve) => {
    upstream.close(() => resolve());
    upstream.closeAllConnections();
  });
});

/** One request over node:http, the body sent as these bytes (chunked when `chunked`), the answer's bytes back. */
function exchange(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
  chunked = false,
): Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const sent = { ...headers };
    if (body && !chunked) sent["content-length"] = String(body.length);
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers: sent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, bytes: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    if (body && chunked) {
      // Two writes without a length: node sends the body chunked.
      req.write(body.subarray(0, 3));
      req.end(body.subarray(3));
    } else req.end(body);
  });
}

/** Raw bytes on a fresh socket, and the answer's status line and headers as node wrote them. */
function rawExchange(port: number, bytes: string): Promise<{ status: number; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = ""] = Buffer.concat(chunks).toString("latin1").split("\r\n\r\n");
      const [line = "", ...fields] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const field of fields) {
        const colon = field.indexOf(":");
        headers[field.slice(0, colon).toLowerCase()] = field.slice(colon + 1).trim();
      }
      resolve({ status: Number(line.split(" ")[1]), headers });
    });
  });
}

const JSON_WRITE = { ...API_KEY, "content-type": "application/json" };

describe("the request body reaches the upstream as the bytes the client sent", () => {
  it("forwards bytes that are not UTF-8 unchanged (a lone 0xff, a latin-1 é), framed by their own length", async () => {
    // Valid JSON once read as UTF-8 (each bad byte becomes U+FFFD inside a string), so og-mock's
    // checks let it go; the upstream must still get the client's bytes, not og-mock's reading of them.
    const body = Buffer.concat([
      Buffer.from('[{"product_id": "caf'),
      Buffer.from([0xe9]),
      Buffer.from("-"),
      Buffer.from([0xff]),
      Buffer.from('", "live": false}]'),
    ]);
    const before = seen.length;
    const res = await exchange(proxy.port, "PATCH", "/products-batch/update/", JSON_WRITE, body);
    expect(res.headers["x-og-mock-source"]).toBe("real");
    const reached = seen.slice(before);
    expect(reached).toHaveLength(1);
    expect(reached[0]!.bytes.equals(body)).toBe(true);
    expect(reached[0]!.headers["content-length"]).toBe(String(body.length));
  });

  it("forwards an invalid body's bytes unchanged with --forward-invalid", async () => {
    // Not JSON at all (a raw 0xff outside any string): refused before forwarding unless asked.
    const body = Buffer.from([0x5b, 0xff, 0xe9, 0x5d]); // "[", 0xff, latin-1 "é", "]"
    const before = seen.length;
    const refused = await exchange(proxy.port, "PATCH", "/products-batch/update/", JSON_WRITE, body);
    expect(refused.status).toBe(400);
    expect(refused.headers["x-og-mock-source"]).toBe("proxy");
    expect(seen.length).toBe(before);

    const forwarded = await exchange(lenient.port, "PATCH", "/products-batch/update/", JSON_WRITE, body);
    expect(forwarded.headers["x-og-mock-source"]).toBe("real");
    expect(forwarded.headers["x-og-mock-hint"]).toMatch(/^Forwarded although invalid: JSON parse error/);
    expect(seen.at(-1)!.bytes.equals(body)).toBe(true);
    expect(seen.at(-1)!.headers["content-length"]).toBe(String(body.length));
  });

  it("forwards a valid UTF-8 batch byte-identical, sent chunked or with a length", async () => {
    const body = Buffer.from(
      '[ {"product_id": "é-☕-🍩", "live": true},\n {"product_id": "x", "live": false} ]',
      "utf8",
    );
    for (const chunked of [false, true]) {
      const res = await exchange(proxy.port, "PATCH", "/products-batch/update/", JSON_WRITE, body, chunked);
      expect(res.headers["x-og-mock-source"]).toBe("real");
      const last = seen.at(-1)!;
      expect(last.bytes.equals(body)).toBe(true);
      // A chunked body is forwarded with its length: one framing, the one og-mock knows is right.
      expect(last.headers["content-length"]).toBe(String(body.length));
      expect(last.headers["transfer-encoding"]).toBeUndefined();
    }
  });
});

describe("an answer without a body keeps the upstream's headers", () => {
  it("passes a 204 as the upstream sent it: its own headers, and no content-length (RFC 9110 §8.6)", async () => {
    const res = await rawExchange(
      proxy.port,
      "GET /products/no-content/ HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: og-mock-api-key\r\nconnection: close\r\n\r\n",
    );
    expect(res.status).toBe(204);
    expect(res.headers["x-og-mock-source"]).toBe("real");
    expect(res.headers["x-upstream"]).toBe("kept");
    expect(res.headers.etag).toBe('"v1"');
    expect(res.headers["content-length"]).toBeUndefined();
    expect(res.headers["transfer-encoding"]).toBeUndefined();
  });

  it("passes a 304 as the upstream sent it", async () => {
    const res = await rawExchange(
      proxy.port,
      'GET /products/not-modified/ HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: og-mock-api-key\r\nif-none-match: "v1"\r\nconnection: close\r\n\r\n',
    );
    expect(res.status).toBe(304);
    expect(res.headers["x-og-mock-source"]).toBe("real");
    expect(res.headers.etag).toBe('"v1"');
    expect(res.headers["cache-control"]).toBe("max-age=60");
    expect(res.headers["content-length"]).toBeUndefined();
  });

  it("answers the fake's own 204 (a CORS preflight) without a content-length too (RFC 9110 §8.6)", async () => {
    const res = await rawExchange(
      plain.port,
      "OPTIONS /products/ HTTP/1.1\r\nHost: 127.0.0.1\r\norigin: https://shop.example\r\naccess-control-request-method: GET\r\nconnection: close\r\n\r\n",
    );
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBeDefined();
    expect(res.headers["content-length"]).toBeUndefined();
  });
});

describe("node's own refusals of unreadable requests say who answered", () => {
  const big = `x-big: ${"a".repeat(20 * 1024)}\r\n`;

  it("marks them proxy on products paths when og-mock forwards, and none of them reaches the upstream", async () => {
    const before = seen.length;
    const tooBig = await rawExchange(proxy.port, `GET /products/ HTTP/1.1\r\nHost: localhost\r\n${big}\r\n`);
    expect(tooBig.status).toBe(431);
    expect(tooBig.headers["x-og-mock-source"]).toBe("proxy");
    const malformed = await rawExchange(
      proxy.port,
      "PATCH /products-batch/update/ HTTP/1.1\r\nHost: localhost\r\nno colon\r\n\r\n",
    );
    expect(malformed.status).toBe(400);
    expect(malformed.headers["x-og-mock-source"]).toBe("proxy");
    // A request line node could not read names no path: still og-mock's own answer.
    const unreadable = await rawExchange(proxy.port, "\u0001\u0002 nonsense\r\n\r\n");
    expect(unreadable.status).toBe(400);
    expect(unreadable.headers["x-og-mock-source"]).toBe("proxy");
    expect(seen.length).toBe(before);
  });

  it("marks the 408 of a request that does not arrive in time", async () => {
    const answer = new Promise<string>((resolve, reject) => {
      const socket = connect(proxy.port, "127.0.0.1", () => socket.write("GET /products/ HTTP/1.1\r\nHost: local"));
      // Node checks its timeouts every 30 s: its error is handed over as node hands it, on the real socket.
      proxy.server.once("connection", (serverSide) => {
        setImmediate(() =>
          proxy.server.emit(
            "clientError",
            Object.assign(new Error("Request timeout"), { code: "ERR_HTTP_REQUEST_TIMEOUT" }),
            serverSide,
          ),
        );
      });
      const chunks: Buffer[] = [];
      socket.on("data", (c: Buffer) => chunks.push(c));
      socket.on("error", reject);
      socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    });
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toContain("\r\nx-og-mock-source: proxy\r\n");
  });

  it("marks none on an admin path, and none without --upstream", async () => {
    const admin = await rawExchange(proxy.port, `GET /__admin/health HTTP/1.1\r\nHost: localhost\r\n${big}\r\n`);
    expect(admin.status).toBe(431);
    expect(admin.headers["x-og-mock-source"]).toBeUndefined();
    const unproxied = await rawExchange(plain.port, `GET /products/ HTTP/1.1\r\nHost: localhost\r\n${big}\r\n`);
    expect(unproxied.status).toBe(431);
    expect(unproxied.headers["x-og-mock-source"]).toBeUndefined();
  });
});

describe("the upstream's x-og-mock-* headers are never taken for this og-mock's", () => {
  it("passes them renamed x-og-mock-upstream-*, so x-og-mock-* on the answer are this og-mock's words alone", async () => {
    const res = await exchange(proxy.port, "GET", "/products/chained/", API_KEY);
    expect(res.status).toBe(404);
    expect(res.headers["x-og-mock-source"]).toBe("real");
    // The 404 with its {detail} body is what the spec documents: this og-mock found nothing to say.
    expect(res.headers["x-og-mock-hint"]).toBeUndefined();
    expect(res.headers["x-og-mock-violations"]).toBeUndefined();
    expect(res.headers["x-og-mock-trace"]).toBeUndefined();
    expect(res.headers["x-og-mock-upstream-source"]).toBe("fake");
    expect(res.headers["x-og-mock-upstream-hint"]).toBe("the upstream og-mock's own words");
    expect(res.headers["x-og-mock-upstream-violations"]).toBe("3 violations (journal entry 99); /x: made up");
    expect(res.headers["x-og-mock-upstream-trace"]).toBe("upstream-7");
    expect(JSON.parse(res.bytes.toString())).toEqual({ detail: "Not found." });
  });
});

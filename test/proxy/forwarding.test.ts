/**
 * og-mock --upstream over real HTTP (issue 37, points 1, 2 and 9): products-API requests reach the
 * upstream and its answer comes back unchanged and marked `real`; the admin side stays local;
 * og-mock is never an open proxy; a failed or slow upstream gets a 502/504 marked `proxy`, or the
 * fake when the user asked for it.
 */
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { connect } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { PROFILE } from "../calibration/profile-fixture.js";
import { ROGUE_LISTING, type RogueUpstream, startRogueUpstream } from "./upstreams.js";
import { closedPort } from "../helpers/closed-port.js";
import { OrdergrooveClient } from "../../src/index.js";

const quiet = pino({ level: "silent" });
const API_KEY = { "x-api-key": "og-mock-api-key" };
const started: Array<{ close(): Promise<void> }> = [];
let upstream: RunningMockServer; // a second og-mock, made to differ by a profile
let rogue: RogueUpstream;
let toFake: RunningMockServer; // proxies to `upstream`
let toRogue: RunningMockServer; // proxies to `rogue`, with a short answer timeout

async function proxyTo(origin: string, extra: Record<string, unknown> = {}): Promise<RunningMockServer> {
  const running = await startMockServer({
    port: 0,
    logger: quiet,
    proxy: { target: { origin, production: false }, ...extra },
  });
  started.push(running);
  return running;
}

beforeAll(async () => {
  upstream = await startMockServer({ port: 0, logger: quiet, profile: PROFILE, ipLimit: false });
  rogue = await startRogueUpstream();
  started.push(upstream, rogue);
  toFake = await proxyTo(upstream.url);
  toRogue = await proxyTo(rogue.url, { timeouts: { answerMs: 50 } });
});
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

async function send(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = API_KEY,
) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe("1. forwarding", () => {
  it("sends a products-API write to the upstream, which applies it; og-mock's own fake is untouched", async () => {
    const answer = await send(toFake.url, "PATCH", "/products-batch/update/", [
      { product_id: "og-coffee-beans-1kg", live: false },
    ]);
    // The profile makes the upstream answer 200 with the article's list: not og-mock's own default (207, object).
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([{ results: [{ product_id: "og-coffee-beans-1kg", status: 200 }] }]);
    expect(upstream.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
    expect(toFake.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
    // Journaled once, as the upstream's answer, in og-mock's journal (the fake did not answer it).
    expect(toFake.mock.journal.entries().map((e) => e.source)).toEqual(["real"]);
  });

  it("keeps the admin API local", async () => {
    const products = await send(toFake.url, "GET", "/__admin/products/og-coffee-beans-1kg");
    expect(products.status).toBe(200);
    expect((products.body as { live: boolean }).live).toBe(true);
    expect(products.headers.get("x-og-mock-source")).toBeNull();
  });

  it("works for the reference client, unmodified", async () => {
    const client = new OrdergrooveClient({
      environment: { baseUrl: toFake.url },
      credentials: { kind: "api-key", apiKey: "og-mock-api-key" },
    });
    const report = await client.setLive(["og-coffee-beans-1kg"], true);
    expect(report.failed).toEqual([]);
    expect(upstream.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
    expect((await client.getProduct("og-coffee-beans-1kg"))?.live).toBe(true);
  });

  it("refuses an absolute-form target (never an open proxy), and the upstream never hears of it", async () => {
    const before = rogue.received.length;
    const answer = await new Promise<{ status: number; source: string | undefined; text: string }>(
      (resolve, reject) => {
        const req = httpRequest(
          { host: "127.0.0.1", port: toRogue.port, method: "GET", path: "http://example.com/products/" },
          (res) => {
            let text = "";
            res.on("data", (c) => (text += c));
            res.on("end", () =>
              resolve({ status: res.statusCode!, source: res.headers["x-og-mock-source"] as string, text }),
            );
          },
        );
        req.on("error", reject);
        req.end();
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.source).toBe("proxy");
    expect(answer.text).toContain("not an open proxy");
    expect(rogue.received.length).toBe(before);
  });

  it("refuses CONNECT with a JSON 405 marked proxy", async () => {
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(toRogue.port, "127.0.0.1", () => {
        socket.write("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
      });
      let got = "";
      socket.on("data", (c) => (got += c));
      socket.on("end", () => resolve(got));
      socket.on("error", reject);
    });
    expect(text).toMatch(/^HTTP\/1\.1 405 /);
    expect(text).toContain("x-og-mock-source: proxy");
    expect(text).toContain("not an open proxy");
  });
});

describe("2. who answered, and an honest pass-through", () => {
  it("marks the upstream's answer real, and the fake's answer to a path outside the products API fake", async () => {
    expect((await send(toFake.url, "GET", "/products/og-coffee-beans-1kg/")).headers.get("x-og-mock-source")).toBe(
      "real",
    );
    const unknown = await send(toFake.url, "GET", "/subscriptions/");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("x-og-mock-source")).toBe("fake");
  });

  it("passes status, body bytes and end-to-end headers unchanged; drops hop-by-hop headers both ways; sets Host", async () => {
    const res = await rawBytes(toRogue.port, "/products/?page=1", {
      ...API_KEY,
      "x-custom": "sent",
      "x-gone": "1",
      "x-admin-token": "og-mock-admin-secret",
      connection: "keep-alive, x-gone",
      "accept-encoding": "gzip",
    });
    expect(res.status).toBe(299);
    expect(res.headers["x-og-mock-source"]).toBe("real");
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers["x-rogue"]).toBe("kept");
    expect(res.headers["x-hop"]).toBeUndefined();
    // og-mock's own connection has its own keep-alive; the upstream's one is not passed on.
    expect(res.headers["keep-alive"]).not.toBe("timeout=77");
    expect(res.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(Buffer.compare(res.body, ROGUE_LISTING)).toBe(0);
    const seen = rogue.received.at(-1)!;
    expect(seen.headers.host).toBe(new URL(rogue.url).host);
    expect(seen.headers["x-custom"]).toBe("sent");
    expect(seen.headers["x-api-key"]).toBe("og-mock-api-key");
    expect(seen.headers["x-gone"]).toBeUndefined();
    // og-mock's admin token is og-mock's secret: never sent on.
    expect(seen.headers["x-admin-token"]).toBeUndefined();
  });

  it("passes a HEAD answer's content-length unchanged: it is the length of the body a GET would get", async () => {
    const res = await fetch(`${toRogue.url}/products/?page=1`, { method: "HEAD", headers: API_KEY });
    expect(res.headers.get("x-og-mock-source")).toBe("real");
    expect(res.headers.get("content-length")).toBe(String(ROGUE_LISTING.length));
    expect(rogue.received.at(-1)!.method).toBe("HEAD");
  });

  it("frames the forwarded body by its own length: a body that is not UTF-8 cannot smuggle a second request upstream", async () => {
    // Each byte 0xff reads as U+FFFD, three bytes in UTF-8: had og-mock forwarded that reading
    // under the client's content-length, the body's last bytes would have reached the upstream as
    // a request of their own, past every check og-mock makes. The bytes sent go, framed by their length.
    const smuggled = "GET /products/smuggled/ HTTP/1.1\r\nHost: x\r\n\r\n";
    const body = Buffer.concat([Buffer.alloc(smuggled.length / 2, 0xff), Buffer.from(smuggled)]);
    const before = rogue.received.length;
    const status = await new Promise<string>((resolve, reject) => {
      const socket = connect(toRogue.port, "127.0.0.1", () => {
        socket.write(
          `GET /products/og-coffee-beans-1kg/ HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: og-mock-api-key\r\n` +
            `content-length: ${body.length}\r\nconnection: close\r\n\r\n`,
        );
        socket.write(body);
      });
      let got = "";
      socket.on("data", (c) => (got += c));
      socket.on("end", () => resolve(got.split("\r\n")[0]!));
      socket.on("error", reject);
    });
    expect(status).toBe("HTTP/1.1 200 OK");
    const reached = rogue.received.slice(before);
    expect(reached.map((r) => r.url)).toEqual(["/products/og-coffee-beans-1kg/"]);
    expect(reached[0]!.bytes.equals(body)).toBe(true);
    expect(reached[0]!.headers["content-length"]).toBe(String(body.length));
  });

  it("forwards the body as sent", async () => {
    const raw = '[ {"product_id": "é-1", "live": false} ]';
    await fetch(`${toRogue.url}/products-batch/update/`, {
      method: "PATCH",
      headers: { ...API_KEY, "content-type": "application/json" },
      body: raw,
    });
    expect(rogue.received.at(-1)!.body).toBe(raw);
  });
});

describe("9. honest transport", () => {
  it("answers 504 marked proxy, naming the upstream, when the answer does not come in time", async () => {
    const answer = await send(toRogue.url, "GET", "/products/slow/");
    expect(answer.status).toBe(504);
    expect(answer.headers.get("x-og-mock-source")).toBe("proxy");
    expect(answer.body).toMatchObject({ source: "proxy", upstream: rogue.url, cause: "timeout" });
  });

  it("answers 502 marked proxy when no connection can be made, and the fake only when asked (marked fake)", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const strict = await proxyTo(dead);
    const failed = await send(strict.url, "GET", "/products/og-coffee-beans-1kg/");
    expect(failed.status).toBe(502);
    expect(failed.headers.get("x-og-mock-source")).toBe("proxy");
    expect(failed.body).toMatchObject({ upstream: dead, cause: "connect" });
    expect((failed.body as { detail: string }).detail).toMatch(/^Failed to forward to .*ECONNREFUSED/);

    const lenient = await proxyTo(dead, { fallback: "fake" });
    const faked = await send(lenient.url, "GET", "/products/og-coffee-beans-1kg/");
    expect(faked.status).toBe(200);
    expect(faked.headers.get("x-og-mock-source")).toBe("fake");
    expect(faked.headers.get("x-og-mock-hint")).toContain("could not be reached");
  });

  it("never falls back to the fake once the request reached the upstream: a connection lost mid-answer is a 502", async () => {
    // An upstream that reads the whole write, then drops the connection before answering: it may
    // well have run the write, so the fake's answer would be a lie about what happened.
    let reached = 0;
    const hangUp = createServer((req) => {
      req.resume();
      req.on("end", () => {
        reached++;
        req.socket.destroy();
      });
    });
    await new Promise<void>((resolve) => hangUp.listen(0, "127.0.0.1", resolve));
    started.push({ close: () => new Promise<void>((resolve) => hangUp.close(() => resolve())) });
    const lenient = await proxyTo(`http://127.0.0.1:${(hangUp.address() as AddressInfo).port}`, { fallback: "fake" });
    const answer = await send(lenient.url, "PATCH", "/products-batch/update/", [
      { product_id: "og-coffee-beans-1kg", live: false },
    ]);
    expect(reached).toBe(1);
    expect(answer.status).toBe(502);
    expect(answer.headers.get("x-og-mock-source")).toBe("proxy");
    expect(answer.body).toMatchObject({ cause: "lost" });
    expect(lenient.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
  });

  it("never replaces a real error with the fake's answer, even with the fallback", async () => {
    const lenient = await proxyTo(upstream.url, { fallback: "fake" });
    const missing = await send(lenient.url, "GET", "/products/no-such-product/");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-og-mock-source")).toBe("real");
  });

  it("bounds the requests waiting on the upstream: one more is refused with a 503 marked proxy", async () => {
    const bounded = await proxyTo(rogue.url, { maxInFlight: 1, timeouts: { answerMs: 300 } });
    const slow = () => rogue.received.filter((r) => r.url === "/products/slow/").length;
    const before = slow();
    const waiting = send(bounded.url, "GET", "/products/slow/");
    // The first request holds the one slot once the upstream has received it.
    await expect.poll(slow).toBe(before + 1);
    const refused = await send(bounded.url, "GET", "/products/og-coffee-beans-1kg/");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("x-og-mock-source")).toBe("proxy");
    // Journaled, as every answer og-mock gives for itself is.
    expect(
      bounded.mock.journal.entries().map((e) => [e.source, "status" in e.response ? e.response.status : "dropped"]),
    ).toContainEqual(["proxy", 503]);
    expect((await waiting).status).toBe(504);
    // Once the slot is free again, requests are forwarded.
    expect((await send(bounded.url, "GET", "/products/og-coffee-beans-1kg/")).headers.get("x-og-mock-source")).toBe(
      "real",
    );
  });

  it("bounds what it reads of the upstream: an answer over the limit is a 502 marked proxy, and a compressed one is decoded only so far", async () => {
    // 70 MiB of zeros, gzipped to a few dozen kilobytes: passed on as it came, never decoded whole.
    const bomb = gzipSync(Buffer.alloc(70 * 1024 * 1024));
    const big = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        if (req.url === "/products/bomb/") {
          res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
          res.end(bomb);
        } else res.end("x".repeat(2 * 1024 * 1024));
      });
    });
    await new Promise<void>((resolve) => big.listen(0, "127.0.0.1", resolve));
    started.push({ close: () => new Promise<void>((resolve) => big.close(() => resolve())) });
    const bounded = await proxyTo(`http://127.0.0.1:${(big.address() as AddressInfo).port}`, {
      timeouts: { maxAnswerBytes: 1024 * 1024 },
    });

    const over = await send(bounded.url, "GET", "/products/big/");
    expect(over.status).toBe(502);
    expect(over.headers.get("x-og-mock-source")).toBe("proxy");
    expect(over.body).toMatchObject({ cause: "too-large" });

    const bombed = await rawBytes(bounded.port, "/products/bomb/", { ...API_KEY, "accept-encoding": "gzip" });
    expect(bombed.status).toBe(200);
    expect(bombed.headers["x-og-mock-source"]).toBe("real");
    expect(Buffer.compare(bombed.body, bomb)).toBe(0);
    expect(bombed.headers["x-og-mock-violations"]).toContain("which og-mock cannot read");
  });

  it("refuses a request body over the fake's limit before forwarding it", async () => {
    const before = rogue.received.length;
    const big = "x".repeat(toRogue.merchants.options.maxBodyBytes + 1);
    const res = await fetch(`${toRogue.url}/products-batch/update/`, {
      method: "PATCH",
      headers: { ...API_KEY, "content-type": "application/json" },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("x-og-mock-source")).toBe("proxy");
    expect(rogue.received.length).toBe(before);
  });
});

/** A GET over node:http, which (unlike fetch) sends a Connection header and hands back the bytes undecoded. */
function rawBytes(port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on("error", reject);
      req.end();
    },
  );
}

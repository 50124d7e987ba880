/**
 * The proxy's network call (issue 37, point 9): TLS is verified (a self-signed upstream is refused
 * with a 502 that says how to trust a corporate CA), and HTTPS_PROXY / HTTP_PROXY / NO_PROXY are
 * honoured, against local servers only.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamFailure } from "../../mock-server/core/proxy/upstream.js";
import { startMockServer, type RunningMockServer } from "../../mock-server/node/server.js";
import { nodeUpstream, proxyFor } from "../../mock-server/node/upstream.js";
import { selfSigned } from "../helpers/certs.js";
import { startProxy } from "./upstreams.js";

const servers: Server[] = [];
let httpsUrl: string;
let corporate: { url: string; seen: string[] };
let proxying: RunningMockServer;

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "og-proxy-tls-"));
  const { key, cert } = selfSigned(dir, "upstream", "/CN=127.0.0.1", "IP:127.0.0.1");
  const tlsServer = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) =>
    res.end("{}"),
  );
  httpsUrl = `https://127.0.0.1:${await listen(tlsServer)}`;

  // A corporate proxy: records what it is asked, tunnels CONNECT to 127.0.0.1, answers plain requests itself.
  const seen: string[] = [];
  const proxy = createHttpServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.end(JSON.stringify({ via: "corporate proxy" }));
  });
  proxy.on("connect", (req, socket) => {
    seen.push(`CONNECT ${req.url}`);
    tunnelTo(socket, Number(new URL(httpsUrl).port));
  });
  corporate = { url: `http://127.0.0.1:${await listen(proxy)}`, seen };

  proxying = await startProxy(httpsUrl);
});
afterAll(async () => {
  await proxying.close();
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

describe("TLS", () => {
  it("verifies the upstream's certificate: a self-signed one is a 502 marked proxy that names NODE_EXTRA_CA_CERTS", async () => {
    const res = await fetch(`${proxying.url}/products/`, { headers: { "x-api-key": "og-mock-api-key" } });
    expect(res.status).toBe(502);
    expect(res.headers.get("x-og-mock-source")).toBe("proxy");
    const body = (await res.json()) as { detail: string; cause: string };
    expect(body.cause).toBe("connect");
    expect(body.detail).toContain("TLS certificate not trusted");
    expect(body.detail).toContain("NODE_EXTRA_CA_CERTS");
  });
});

describe("HTTPS_PROXY, HTTP_PROXY and NO_PROXY", () => {
  it("tunnels https through HTTPS_PROXY with CONNECT, still verifying the upstream's certificate", async () => {
    const call = nodeUpstream({}, { HTTPS_PROXY: corporate.url });
    const failure = await call({ method: "GET", url: "https://og.example.test/products/", headers: {} }).catch(
      (e: unknown) => e,
    );
    expect(corporate.seen).toContain("CONNECT og.example.test:443");
    expect(failure).toBeInstanceOf(UpstreamFailure);
    expect((failure as UpstreamFailure).message).toContain("TLS certificate not trusted");
  });

  it("gives a corporate proxy the credentials HTTPS_PROXY carries, and names them nowhere", async () => {
    const asked: Array<string | undefined> = [];
    const guarded = createHttpServer();
    guarded.on("connect", (req, socket) => {
      asked.push(req.headers["proxy-authorization"]);
      if (req.headers["proxy-authorization"] !== `Basic ${Buffer.from("corp-user:p@ss word").toString("base64")}`) {
        socket.end("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n");
        return;
      }
      tunnelTo(socket, Number(new URL(httpsUrl).port));
    });
    const port = await listen(guarded);
    const call = nodeUpstream({}, { HTTPS_PROXY: `http://corp-user:p%40ss%20word@127.0.0.1:${port}` });
    const failure = await call({ method: "GET", url: "https://og.example.test/products/", headers: {} }).catch(
      (e: unknown) => e,
    );
    expect(asked).toHaveLength(1);
    // Through the tunnel, to the self-signed upstream: the proxy let it through.
    expect((failure as UpstreamFailure).message).toContain("TLS certificate not trusted");
    expect((failure as UpstreamFailure).message).not.toMatch(/p@ss|corp-user/);
  });

  it("closes its tunnel request when the corporate proxy does not answer CONNECT in time (no socket left behind)", async () => {
    const open = new Set<import("node:stream").Duplex>();
    const silent = createHttpServer();
    silent.on("connect", (_req, socket) => {
      open.add(socket);
      // The client's end of the tunnel closed (the server's end stays half-open until it ends it).
      socket.on("end", () => {
        open.delete(socket);
        socket.destroy();
      });
      socket.on("close", () => open.delete(socket));
    });
    const url = `http://127.0.0.1:${await listen(silent)}`;
    const call = nodeUpstream({ connectMs: 50 }, { HTTPS_PROXY: url });
    const failure = await call({ method: "GET", url: "https://og.example.test/products/", headers: {} }).catch(
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ kind: "timeout" });
    await expect.poll(() => open.size).toBe(0);
  });

  it("bounds the TLS handshake through the tunnel by the connect timeout: an upstream that never completes it is a 504 that says so", async () => {
    // An upstream that takes the connection and never answers the TLS handshake.
    const held = new Set<import("node:net").Socket>();
    const mute = createServer((socket) => {
      held.add(socket);
      socket.on("error", () => socket.destroy());
    });
    await new Promise<void>((resolve) => mute.listen(0, "127.0.0.1", resolve));
    const mutePort = (mute.address() as AddressInfo).port;
    const tunnelling = createHttpServer();
    tunnelling.on("connect", (_req, socket) => {
      tunnelTo(socket, mutePort);
    });
    const via = `http://127.0.0.1:${await listen(tunnelling)}`;
    const behind = await startMockServer({
      port: 0,
      logger: pino({ level: "silent" }),
      proxy: {
        target: { origin: "https://og.example.test", production: false },
        upstream: nodeUpstream({ connectMs: 200, answerMs: 8_000 }, { HTTPS_PROXY: via }),
      },
    });
    try {
      const started = Date.now();
      const res = await fetch(`${behind.url}/products/`, { headers: { "x-api-key": "og-mock-api-key" } });
      const body = (await res.json()) as { detail: string; cause: string };
      expect(res.status).toBe(504);
      expect(res.headers.get("x-og-mock-source")).toBe("proxy");
      expect(body.detail).toContain("no connection within 200 ms");
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await behind.close();
      for (const socket of held) socket.destroy();
      mute.close();
    }
  });

  it("reads a proxy given without a scheme (host:port, as curl takes it) as an http:// proxy, not as no proxy", async () => {
    const bare = corporate.url.replace(/^http:\/\//, "");
    expect(proxyFor(new URL("https://restapi.ordergroove.com/"), { HTTPS_PROXY: bare })?.href).toBe(
      `${corporate.url}/`,
    );
    expect(proxyFor(new URL("http://restapi.ordergroove.com/"), { HTTP_PROXY: "proxy.corp.test:3128" })?.href).toBe(
      "http://proxy.corp.test:3128/",
    );
  });

  it("sends http through HTTP_PROXY in absolute form", async () => {
    const call = nodeUpstream({}, { HTTP_PROXY: corporate.url });
    const answer = await call({
      method: "GET",
      url: "http://og.example.test/products/",
      headers: { host: "og.example.test" },
    });
    expect(Buffer.from(answer.body).toString()).toContain("corporate proxy");
    expect(corporate.seen).toContain("GET http://og.example.test/products/");
  });

  it("leaves out hosts NO_PROXY names, and loopback addresses", () => {
    const env = { HTTPS_PROXY: corporate.url, NO_PROXY: ".internal,og.example.test" };
    expect(proxyFor(new URL("https://og.example.test/"), env)).toBeUndefined();
    expect(proxyFor(new URL("https://api.internal/"), env)).toBeUndefined();
    expect(proxyFor(new URL("https://127.0.0.1:9/"), env)).toBeUndefined();
    expect(proxyFor(new URL("https://restapi.ordergroove.com/"), env)?.href).toBe(`${corporate.url}/`);
    expect(proxyFor(new URL("https://restapi.ordergroove.com/"), {})).toBeUndefined();
  });
});

/** What a corporate proxy does once it grants a CONNECT: says so, then pipes bytes both ways to `port`. */
function tunnelTo(socket: Duplex, port: number): void {
  const tunnel = connect(port, "127.0.0.1", () => {
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    tunnel.pipe(socket);
    socket.pipe(tunnel);
  });
  tunnel.on("error", () => socket.destroy());
  socket.on("error", () => tunnel.destroy());
}

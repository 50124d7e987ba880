/**
 * Local upstreams for the proxy's tests: a second og-mock made to differ with a calibration
 * profile, and a small server no one on the project wrote the fake for, which breaks the spec
 * on purpose and records what reached it; and a tap to put in front of an upstream the project
 * did not write (Prism, test/proxy/third-party-upstream.e2e.test.ts) to see what reached it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { type AddressInfo, connect, createServer as createTcpServer, type Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { pino } from "pino";
import { type RunningMockServer, type ServerOptions, startMockServer } from "../../mock-server/node/server.js";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The body read as UTF-8. */
  body: string;
  /** The body's bytes as they arrived. */
  bytes: Buffer;
}

export interface RogueUpstream {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** The gzipped body the rogue upstream answers GET /products/ with: bytes the proxy must not touch. */
export const ROGUE_LISTING = gzipSync(Buffer.from(JSON.stringify({ count: "lots", results: "not a list" })));

/**
 * Answers GET /products/ with a gzipped body that breaks the listing's schema, a status the spec
 * does not document for it (299), two cookies and hop-by-hop headers (among them one its
 * Connection header names); never answers GET /products/slow/ (a timeout); echoes other requests.
 */
export async function startRogueUpstream(): Promise<RogueUpstream> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const bytes = Buffer.concat(chunks);
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: bytes.toString(), bytes });
      if (req.url === "/products/slow/") return; // never answered
      if (req.url?.startsWith("/products/?")) {
        res.writeHead(299, "Odd", [
          ["content-type", "application/json"],
          ["content-encoding", "gzip"],
          ["set-cookie", "a=1"],
          ["set-cookie", "b=2"],
          ["x-rogue", "kept"],
          ["x-hop", "dropped"],
          ["connection", "keep-alive, x-hop"],
          ["keep-alive", "timeout=77"],
          ["content-length", String(ROGUE_LISTING.length)],
        ]);
        res.end(ROGUE_LISTING);
        return;
      }
      const body = JSON.stringify({ echoed: req.method });
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A signed 1-item batch PATCH through `base` with `hashKey` for `merchant`: who answered, its hint,
 * and whether `upstream` received it (the settings-file tests' question: refused before it left?).
 */
export async function signedPatchThrough(
  base: string,
  merchant: { publicId: string; sigField: string },
  hashKey: string,
  upstream: RogueUpstream,
): Promise<{ status: number; source: string | null; hint: string; forwarded: boolean }> {
  const before = upstream.received.length;
  const res = await fetch(`${base}/products-batch/update/`, {
    method: "PATCH",
    headers: {
      "content-type": "application/json",
      ...signedHeaders({ ...merchant, hashKey }, unixSeconds(Date.now())),
    },
    body: JSON.stringify([{ product_id: "p-1", live: false }]),
  });
  await res.text();
  return {
    status: res.status,
    source: res.headers.get("x-og-mock-source"),
    hint: res.headers.get("x-og-mock-hint") ?? "",
    forwarded: upstream.received.length > before,
  };
}

/** og-mock forwarding to `origin` (not a production target), logging nothing, with these proxy options. */
export function startProxy(
  origin: string,
  options: Omit<NonNullable<ServerOptions["proxy"]>, "target"> = {},
): Promise<RunningMockServer> {
  return startMockServer({
    port: 0,
    logger: pino({ level: "silent" }),
    proxy: { target: { origin, production: false }, ...options },
  });
}

export interface Tap {
  url: string;
  /** "METHOD /path?query" of each request that went through, in the order they arrived. */
  received: string[];
  close(): Promise<void>;
}

/**
 * A TCP relay to `origin` that passes every byte unchanged and notes each HTTP/1.1 request line
 * going by: what reached an upstream that cannot be asked (a third-party server). A line is noted
 * before its bytes go on, so once the proxy has the answer the request has been noted.
 */
export async function startTap(origin: string): Promise<Tap> {
  const { hostname, port } = new URL(origin);
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    const upstream = connect(Number(port), hostname);
    let text = "";
    let noted = 0;
    client.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      const lines = [...text.matchAll(/(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\/\S*) HTTP\/1\.1\r\n/g)];
      for (const m of lines.slice(noted)) received.push(`${m[1]} ${m[2]}`);
      noted = lines.length;
    });
    client.pipe(upstream).pipe(client);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
      socket.on("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

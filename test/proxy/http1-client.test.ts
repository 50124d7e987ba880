/**
 * og-mock's own HTTP/1.1 client for a direct upstream (mock-server/node/http1-client.ts, through
 * nodeUpstream), over real sockets against upstreams that write their answers byte by byte: the
 * request goes out as the client sent it, connections are kept alive and reused, and every way an
 * upstream can end a connection is a clear failure or a fresh connection, never a wrong answer.
 */
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { UpstreamFailure } from "../../mock-server/core/proxy/upstream.js";
import { nodeUpstream } from "../../mock-server/node/upstream.js";
import { closedUrl } from "../helpers/closed-port.js";

interface RawUpstream {
  url: string;
  /** Connections accepted so far. */
  connections: number;
  /** Every byte received, per connection. */
  received: Buffer[];
}

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  // og-mock keeps its connections alive: end them, or the servers would wait on them to close.
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/**
 * A TCP server that answers each request (each time a blank line ends a head; bodies here are
 * framed by content-length) with what `answer` returns for it: the bytes to write, in pieces.
 */
async function rawUpstream(answer: (head: string, socket: Socket, n: number) => void): Promise<RawUpstream> {
  const state: RawUpstream = { url: "", connections: 0, received: [] };
  const server = createServer((socket) => {
    sockets.push(socket);
    const index = state.connections++;
    state.received[index] = Buffer.alloc(0);
    let pending = Buffer.alloc(0);
    let n = 0;
    socket.on("data", (bytes) => {
      state.received[index] = Buffer.concat([state.received[index]!, bytes]);
      pending = Buffer.concat([pending, bytes]);
      for (;;) {
        const end = pending.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = pending.toString("latin1", 0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        pending = pending.subarray(end + 4 + length);
        answer(head, socket, n++);
      }
    });
    socket.on("error", () => {});
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** Writes `parts` one after another, each in its own turn of the event loop. */
async function writeSlowly(socket: Socket, parts: string[]): Promise<void> {
  for (const part of parts) {
    socket.write(Buffer.from(part, "latin1"));
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const OK = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";

describe("og-mock's client for a direct upstream", () => {
  it("sends the request as the client sent it: method, path and query, headers, body bytes (not UTF-8), framed by their length", async () => {
    const upstream = await rawUpstream((_head, socket) => socket.write(OK));
    const body = Buffer.from([0x5b, 0xff, 0xfe, 0x5d]);
    const call = nodeUpstream();
    const answer = await call({
      method: "PATCH",
      url: `${upstream.url}/products-batch/update/?a=1&b=%20`,
      headers: { host: "og.example.test", "x-latin": "caf\u00e9", "content-length": "4" },
      body,
    });
    expect(answer.status).toBe(200);
    const sent = upstream.received[0]!;
    const head = sent.toString("latin1", 0, sent.indexOf("\r\n\r\n"));
    expect(head.split("\r\n")).toEqual([
      "PATCH /products-batch/update/?a=1&b=%20 HTTP/1.1",
      "host: og.example.test",
      "x-latin: caf\u00e9",
      "content-length: 4",
    ]);
    expect(sent.subarray(sent.indexOf("\r\n\r\n") + 4)).toEqual(body);
  });

  it("reads an answer written in pieces, chunked, and keeps its headers", async () => {
    const upstream = await rawUpstream((_head, socket) => {
      void writeSlowly(socket, [
        "HTTP/1.1 207 Multi",
        "-Status\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\ntransfer-encoding: chunked\r\n\r\n",
        "6\r\n[1, 2",
        "]\r\n0\r\n\r\n",
      ]);
    });
    const answer = await nodeUpstream()({ method: "GET", url: `${upstream.url}/products/`, headers: {} });
    expect(answer.status).toBe(207);
    expect(Buffer.from(answer.body).toString()).toBe("[1, 2]");
    expect(answer.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
  });

  it("keeps the connection alive: requests one after another share one connection", async () => {
    const upstream = await rawUpstream((_head, socket) => socket.write(OK));
    const call = nodeUpstream();
    for (let i = 0; i < 5; i++) {
      const answer = await call({ method: "GET", url: `${upstream.url}/products/`, headers: {} });
      expect(Buffer.from(answer.body).toString()).toBe("{}");
    }
    expect(upstream.connections).toBe(1);
  });

  it("opens a new connection when the upstream closed the idle one, or said Connection: close", async () => {
    const upstream = await rawUpstream((head, socket, n) => {
      if (head.includes("/close-after/")) socket.end(OK);
      else if (head.includes("/say-close/")) socket.write(OK.replace("\r\n\r\n", "\r\nconnection: close\r\n\r\n"));
      else socket.write(OK);
      void n;
    });
    const call = nodeUpstream();
    const get = (path: string) => call({ method: "GET", url: `${upstream.url}${path}`, headers: {} });
    await get("/close-after/");
    await new Promise((resolve) => setTimeout(resolve, 20)); // the close reaches og-mock while the connection is idle
    expect((await get("/products/")).status).toBe(200);
    expect(upstream.connections).toBe(2);
    await get("/say-close/");
    expect((await get("/products/")).status).toBe(200);
    expect(upstream.connections).toBe(3);
  });

  it("drops a connection on which the upstream sent bytes nobody asked for, and answers the next request on a new one", async () => {
    const upstream = await rawUpstream((_head, socket, n) => {
      socket.write(OK);
      if (n === 0) setTimeout(() => socket.write("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nstale"), 5);
    });
    const call = nodeUpstream();
    await call({ method: "GET", url: `${upstream.url}/products/`, headers: {} });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const next = await call({ method: "GET", url: `${upstream.url}/products/`, headers: {} });
    expect(Buffer.from(next.body).toString()).toBe("{}");
    expect(upstream.connections).toBe(2);
  });

  it.each([
    [
      "closes the connection in the middle of the answer",
      (socket: Socket) => socket.end("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc"),
      /middle of the answer/,
    ],
    ["closes it before answering", (socket: Socket) => socket.end(), /before an answer/],
    ["resets it", (socket: Socket) => socket.resetAndDestroy(), /ECONNRESET|socket hang up/],
    [
      "answers something that is not HTTP/1.1",
      (socket: Socket) => socket.write("SSH-2.0-OpenSSH\r\n\r\n"),
      /status line/,
    ],
  ])("fails as lost (the request may have run) when the upstream %s", async (_, behave, why) => {
    const upstream = await rawUpstream((_head, socket) => behave(socket));
    const failure = await nodeUpstream()({ method: "PATCH", url: `${upstream.url}/products/x/`, headers: {} }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(UpstreamFailure);
    expect((failure as UpstreamFailure).kind).toBe("lost");
    expect((failure as UpstreamFailure).message).toMatch(why);
  });

  it("fails as too large past its bound, and as a timeout when the answer does not come in time", async () => {
    const upstream = await rawUpstream((head, socket) => {
      if (head.includes("/big/")) socket.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n");
      // /slow/: the head only, then nothing
      else socket.write("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc");
    });
    const call = nodeUpstream({ maxAnswerBytes: 50, answerMs: 100 });
    const big = await call({ method: "GET", url: `${upstream.url}/big/`, headers: {} }).catch((e: unknown) => e);
    expect((big as UpstreamFailure).kind).toBe("too-large");
    const slow = await call({ method: "GET", url: `${upstream.url}/slow/`, headers: {} }).catch((e: unknown) => e);
    expect((slow as UpstreamFailure).kind).toBe("timeout");
    expect((slow as UpstreamFailure).message).toContain("no complete answer within 100 ms");
  });

  it("fails as connect when nothing listens, and never as lost", async () => {
    const failure = await nodeUpstream()({
      method: "PATCH",
      url: `${await closedUrl()}/products/x/`,
      headers: {},
    }).catch((e: unknown) => e);
    expect((failure as UpstreamFailure).kind).toBe("connect");
    expect((failure as UpstreamFailure).message).toContain("ECONNREFUSED");
  });
});

/**
 * The proxy's HTTP/1.1 client for a direct upstream (no corporate proxy between): kept-alive
 * connections to one origin, plain or TLS, each carrying one exchange at a time. A request goes
 * out as one write (its head and body together), and its answer is read whole by ./http1-answer.ts.
 *
 * Why not node's http.request, which ./upstream.ts still uses through a corporate proxy: the proxy
 * sends a request it already holds whole and reads the whole answer, so the client's streams,
 * events and agent bookkeeping are work for nothing on every forwarded request; this client did
 * the same exchange for less CPU (bench figure 11, docs/performance.md).
 */
import net from "node:net";
import tls from "node:tls";
import { type Http1Answer, AnswerReader } from "./http1-answer.js";

/** What happens to one exchange; exactly one of `answer` and `fail` is called, once. */
export interface ExchangeEvents {
  /** The connection is made (TCP, and TLS for https): from now the request may reach the upstream. */
  connected(): void;
  answer(answer: Http1Answer): void;
  /** `reached`: the connection was made before the failure (the upstream may have run the request). */
  fail(error: Error, reached: boolean): void;
}

export interface Http1Request {
  method: string;
  /** The path and query, as the request line takes it. */
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | undefined;
}

/** Connections kept idle at most per origin: beyond it, a finished connection is closed. */
const MAX_IDLE = 256;

export class Http1Origin {
  readonly #idle: Http1Connection[] = [];

  constructor(
    readonly url: URL,
    /** The host name to connect to (an IPv6 address without its brackets). */
    readonly hostname: string,
    readonly maxAnswerBytes: number,
  ) {}

  /** Sends one request on an idle connection, or on a new one; `events` hears how it went. */
  send(request: Http1Request, events: ExchangeEvents): Http1Connection {
    let connection = this.#idle.pop();
    while (connection?.closed) connection = this.#idle.pop();
    connection ??= new Http1Connection(this.#connect(), (done) => this.#release(done));
    connection.send(request, this.maxAnswerBytes, events);
    return connection;
  }

  /** Closes every idle connection (og-mock stopping). */
  close(): void {
    for (const connection of this.#idle.splice(0)) connection.destroy();
  }

  #connect(): net.Socket {
    const port = Number(this.url.port) || (this.url.protocol === "https:" ? 443 : 80);
    if (this.url.protocol !== "https:") return net.connect({ host: this.hostname, port });
    // SNI is for names, never for an address (RFC 6066 §3).
    const servername = net.isIP(this.hostname) ? undefined : this.hostname;
    return tls.connect({
      host: this.hostname,
      port,
      ...(servername ? { servername } : {}),
      ALPNProtocols: ["http/1.1"],
    });
  }

  #release(connection: Http1Connection): void {
    if (this.#idle.length >= MAX_IDLE) return connection.destroy();
    this.#idle.push(connection);
  }
}

export class Http1Connection {
  readonly #socket: net.Socket;
  #connected = false;
  #closed = false;
  #reader: AnswerReader | undefined;
  #events: ExchangeEvents | undefined;
  readonly #onIdle: (connection: Http1Connection) => void;

  constructor(socket: net.Socket, onIdle: (connection: Http1Connection) => void) {
    this.#socket = socket;
    this.#onIdle = onIdle;
    socket.setNoDelay(true);
    // As node's keep-alive agent: notice a peer that went away while the connection sat idle.
    socket.setKeepAlive(true, 1000);
    socket.once(socket instanceof tls.TLSSocket ? "secureConnect" : "connect", () => {
      this.#connected = true;
      this.#events?.connected();
    });
    socket.on("data", (bytes: Buffer) => this.#read(bytes));
    socket.on("end", () => this.#ended());
    socket.on("error", (error) => this.#failed(error));
    socket.on("close", () => {
      this.#closed = true;
      this.#failed(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    });
  }

  /** The connection is gone (or going): it carries no further exchange. */
  get closed(): boolean {
    return this.#closed || this.#socket.destroyed;
  }

  send(request: Http1Request, maxAnswerBytes: number, events: ExchangeEvents): void {
    this.#reader = new AnswerReader(request.method, maxAnswerBytes);
    this.#events = events;
    this.#socket.ref();
    let head = `${request.method} ${request.path} HTTP/1.1\r\n`;
    for (const name in request.headers) head += `${name}: ${request.headers[name]}\r\n`;
    head += "\r\n";
    // Header values came in as latin1 (node's reading of their bytes): written back as the same bytes.
    const body = request.body;
    this.#socket.write(
      body === undefined || body.byteLength === 0
        ? Buffer.from(head, "latin1")
        : Buffer.concat([Buffer.from(head, "latin1"), body]),
    );
    if (this.#connected) events.connected();
  }

  /** Ends the connection; an exchange on it fails (its caller's timeout, or og-mock stopping). */
  destroy(): void {
    this.#events = undefined;
    this.#reader = undefined;
    this.#socket.destroy();
  }

  #read(bytes: Buffer): void {
    const reader = this.#reader;
    if (reader === undefined) {
      // Bytes nobody asked for: this connection can no longer be read in step.
      this.#socket.destroy();
      return;
    }
    let done: { answer: Http1Answer; extra: number } | undefined;
    try {
      done = reader.read(bytes);
    } catch (error) {
      this.#finish(error as Error);
      return;
    }
    if (done !== undefined) this.#answered(done.answer);
  }

  /** The upstream closed its side: an answer framed by the connection's end is complete now. */
  #ended(): void {
    const reader = this.#reader;
    if (reader === undefined) return void this.#socket.destroy();
    let answer: Http1Answer;
    try {
      answer = reader.end();
    } catch (error) {
      this.#finish(error as Error);
      return;
    }
    this.#answered(answer);
  }

  /** A whole answer: the connection waits for the next exchange if the answer allows it, else it goes. */
  #answered(answer: Http1Answer): void {
    const events = this.#events!;
    this.#reader = undefined;
    this.#events = undefined;
    if (answer.reusable) {
      this.#socket.unref();
      this.#onIdle(this);
    } else this.#socket.destroy();
    events.answer(answer);
  }

  #failed(error: Error): void {
    if (this.#events === undefined) return;
    this.#finish(error);
  }

  /** The exchange fails with `error`, and the connection goes with it (it is no longer in step). */
  #finish(error: Error): void {
    const events = this.#events;
    this.#reader = undefined;
    this.#events = undefined;
    this.#closed = true;
    this.#socket.destroy();
    events?.fail(error, this.#connected);
  }
}

/**
 * Reads one HTTP/1.1 answer from the bytes of a connection (RFC 9112): the status line, the
 * headers, and the body framed as the answer says (a length, chunks, or the connection's end).
 * The proxy's own upstream client (./http1-client.ts) feeds it what the socket reads.
 *
 * Strict where a lenient reading could pass on something the upstream did not send: a malformed
 * status line or header line, two different lengths, a length or chunk size that is not a number,
 * headers past their bound, all fail the answer (og-mock then answers 502, naming the cause, never
 * a header's value). Headers are kept as node's `IncomingMessage.headers` keeps them (lower-case
 * names; `set-cookie` a list; a repeated header of the kinds node keeps once, its first value;
 * other repeats joined with ", ", cookie's with "; "), so what the proxy passes on is what it
 * passed on when it read answers with node's own client.
 */

/** What one answer was, once read whole. */
export interface Http1Answer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** The connection may carry another exchange (HTTP/1.1, no `Connection: close`, framed by length or chunks). */
  reusable: boolean;
}

/** An answer that is not HTTP/1.1 as RFC 9112 writes it. Its message names no header value. */
export class MalformedAnswer extends Error {
  override name = "MalformedAnswer";
}

/** An answer (its headers or its body) over its byte bound. */
export class AnswerTooLarge extends Error {
  override name = "AnswerTooLarge";
}

/** Bytes the status line and headers may take (node's own default, --max-http-header-size). */
export const MAX_HEAD_BYTES = 16 * 1024;
/** Bytes a chunk-size line or a trailer section may take. */
const MAX_LINE_BYTES = 4 * 1024;

const CRLF = Buffer.from("\r\n");
const HEAD_END = Buffer.from("\r\n\r\n");
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: [^\r\n]*)?$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Field values: visible characters, spaces, tabs and obs-text; no other control character. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,12})[\t ]*(?:;.*)?$/;
/** Headers node's IncomingMessage keeps once (the first), discarding repeats. */
const KEPT_ONCE = new Set([
  "age",
  "authorization",
  "content-length",
  "content-type",
  "etag",
  "expires",
  "from",
  "host",
  "if-modified-since",
  "if-unmodified-since",
  "last-modified",
  "location",
  "max-forwards",
  "proxy-authorization",
  "referer",
  "retry-after",
  "server",
  "user-agent",
]);

type Framing = "none" | "length" | "chunked" | "close";
type State = "head" | "length" | "size" | "data" | "data-end" | "trailers" | "close" | "done";

export class AnswerReader {
  #state: State = "head";
  /** Bytes read and not yet consumed. */
  #pending: Buffer = Buffer.alloc(0);
  #status = 0;
  #headers: Record<string, string | string[]> = {};
  #reusable = false;
  #body: Buffer[] = [];
  #bodyBytes = 0;
  /** Bytes left in the body (length framing) or in the current chunk. */
  #left = 0;

  constructor(
    /** The request's method: the answer to a HEAD has no body, whatever its headers say. */
    readonly method: string,
    /** The largest body read. */
    readonly maxBodyBytes: number,
  ) {}

  /**
   * Reads the next bytes; returns the answer once it is whole, with any bytes that came after it
   * (an upstream that sends more than one answer per request), else undefined. Throws
   * MalformedAnswer or AnswerTooLarge.
   */
  read(bytes: Buffer): { answer: Http1Answer; extra: number } | undefined {
    this.#pending = this.#pending.length === 0 ? bytes : Buffer.concat([this.#pending, bytes]);
    for (;;) {
      const before = this.#state;
      if (!this.#step()) break;
      if (this.#state === "done") {
        const extra = this.#pending.length;
        return { answer: this.#answer(extra === 0 && this.#reusable), extra };
      }
      if (before === this.#state && this.#pending.length === 0) break;
    }
    return undefined;
  }

  /** The connection ended (no more bytes): the answer if its framing is "until the end", else why it is cut short. */
  end(): Http1Answer {
    if (this.#state === "close") return this.#answer(false);
    throw new MalformedAnswer(
      this.#state === "head" && this.#pending.length === 0
        ? "the connection closed before an answer"
        : "the connection closed in the middle of the answer",
    );
  }

  #answer(reusable: boolean): Http1Answer {
    const body = this.#body.length === 1 ? this.#body[0]! : Buffer.concat(this.#body, this.#bodyBytes);
    return { status: this.#status, headers: this.#headers, body, reusable };
  }

  /** One step of the state machine; false when it needs more bytes. */
  #step(): boolean {
    switch (this.#state) {
      case "head":
        return this.#readHead();
      case "length":
      case "data":
        return this.#readBody();
      case "size":
        return this.#readChunkSize();
      case "data-end":
        return this.#readChunkEnd();
      case "trailers":
        return this.#readTrailers();
      case "close":
        this.#keep(this.#pending);
        this.#pending = Buffer.alloc(0);
        return false;
      case "done":
        return false;
    }
  }

  #readHead(): boolean {
    const end = this.#pending.indexOf(HEAD_END);
    if (end < 0) {
      if (this.#pending.length > MAX_HEAD_BYTES)
        throw new AnswerTooLarge(`the answer's headers are larger than ${MAX_HEAD_BYTES} bytes`);
      return false;
    }
    if (end > MAX_HEAD_BYTES) throw new AnswerTooLarge(`the answer's headers are larger than ${MAX_HEAD_BYTES} bytes`);
    const head = this.#pending.toString("latin1", 0, end);
    this.#pending = this.#pending.subarray(end + HEAD_END.length);
    const lines = head.split("\r\n");
    const status = STATUS_LINE.exec(lines[0]!);
    if (!status) throw new MalformedAnswer("the answer's status line is not HTTP/1.x");
    const code = Number(status[2]);
    const headers: Record<string, string | string[]> = {};
    const lengths = new Set<string>();
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(":");
      const name = colon > 0 ? line.slice(0, colon) : "";
      if (!TOKEN.test(name)) throw new MalformedAnswer(`the answer's header line ${i} is not "name: value"`);
      const value = line.slice(colon + 1).trim();
      if (!FIELD_VALUE.test(value)) throw new MalformedAnswer(`the answer's header ${name} holds a control character`);
      const key = name.toLowerCase();
      if (key === "content-length") lengths.add(value);
      const had = headers[key];
      if (had === undefined) headers[key] = key === "set-cookie" ? [value] : value;
      else if (key === "set-cookie") (had as string[]).push(value);
      else if (!KEPT_ONCE.has(key)) headers[key] = `${had as string}${key === "cookie" ? "; " : ", "}${value}`;
    }
    // An informational answer (100 Continue, 103 Early Hints) comes before the answer itself.
    if (code >= 100 && code < 200) {
      if (code === 101)
        throw new MalformedAnswer("the upstream switched protocols (101), which og-mock does not proxy");
      return true;
    }
    this.#status = code;
    this.#headers = headers;
    if (lengths.size > 1) throw new MalformedAnswer("the answer gives two different content-lengths");
    const framing = this.#framing(code, headers);
    const close = tokens(headers.connection).includes("close");
    this.#reusable =
      status[1] === "1" && !close && (framing === "length" || framing === "chunked" || framing === "none");
    // A length beside chunked framing: the chunks frame it, and the connection is not reused (RFC 9112 §6.3).
    if (framing === "chunked" && headers["content-length"] !== undefined) this.#reusable = false;
    if (framing === "none") this.#state = "done";
    else if (framing === "chunked") this.#state = "size";
    else if (framing === "close") this.#state = "close";
    else {
      const length = headers["content-length"] as string;
      if (!/^\d{1,15}$/.test(length)) throw new MalformedAnswer("the answer's content-length is not a number");
      this.#left = Number(length);
      if (this.#left > this.maxBodyBytes)
        throw new AnswerTooLarge(`the answer is larger than ${this.maxBodyBytes} bytes`);
      this.#state = this.#left === 0 ? "done" : "length";
    }
    return true;
  }

  #framing(status: number, headers: Record<string, string | string[]>): Framing {
    if (this.method.toUpperCase() === "HEAD" || status === 204 || status === 304) return "none";
    const coding = headers["transfer-encoding"];
    if (coding !== undefined) return tokens(coding).at(-1) === "chunked" ? "chunked" : "close";
    return headers["content-length"] === undefined ? "close" : "length";
  }

  /** Length framing, or a chunk's data. */
  #readBody(): boolean {
    if (this.#pending.length === 0) return false;
    const take = Math.min(this.#left, this.#pending.length);
    this.#keep(this.#pending.subarray(0, take));
    this.#pending = this.#pending.subarray(take);
    this.#left -= take;
    if (this.#left > 0) return false;
    this.#state = this.#state === "length" ? "done" : "data-end";
    return true;
  }

  #readChunkSize(): boolean {
    const line = this.#line();
    if (line === undefined) return false;
    const size = CHUNK_SIZE.exec(line);
    if (!size) throw new MalformedAnswer("a chunk's size is not a hexadecimal number");
    this.#left = Number.parseInt(size[1]!, 16);
    if (this.#bodyBytes + this.#left > this.maxBodyBytes)
      throw new AnswerTooLarge(`the answer is larger than ${this.maxBodyBytes} bytes`);
    this.#state = this.#left === 0 ? "trailers" : "data";
    return true;
  }

  #readChunkEnd(): boolean {
    if (this.#pending.length < CRLF.length) return false;
    if (this.#pending[0] !== 13 || this.#pending[1] !== 10)
      throw new MalformedAnswer("a chunk does not end where its size says");
    this.#pending = this.#pending.subarray(CRLF.length);
    this.#state = "size";
    return true;
  }

  /** Trailer fields after the last chunk, up to an empty line; read and dropped (node's headers never held them). */
  #readTrailers(): boolean {
    for (;;) {
      const line = this.#line();
      if (line === undefined) return false;
      if (line === "") {
        this.#state = "done";
        return true;
      }
    }
  }

  /** The next CRLF-ended line (without it), or undefined until it has all come. */
  #line(): string | undefined {
    const end = this.#pending.indexOf(CRLF);
    if (end < 0) {
      if (this.#pending.length > MAX_LINE_BYTES)
        throw new MalformedAnswer("a chunk's size line or trailer is too long");
      return undefined;
    }
    const line = this.#pending.toString("latin1", 0, end);
    this.#pending = this.#pending.subarray(end + CRLF.length);
    return line;
  }

  #keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#bodyBytes += bytes.length;
    if (this.#bodyBytes > this.maxBodyBytes)
      throw new AnswerTooLarge(`the answer is larger than ${this.maxBodyBytes} bytes`);
    this.#body.push(bytes);
  }
}

/** A comma-separated header's tokens, lower case. */
function tokens(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value.join(",") : value;
  return list
    .split(",")
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
}

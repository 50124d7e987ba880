/** The plain request and response the core speaks; hosts (Express, MSW) translate to and from them. */
export interface CoreRequest {
  method: string;
  /** Path with optional query string, e.g. `/products-batch/update/`. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The raw body text, if any. */
  body?: string | undefined;
  /**
   * The body as the client sent it, byte for byte, where the host read bytes (node:http): what the
   * proxy forwards, since `body` is their UTF-8 reading (a byte that is not UTF-8 became U+FFFD).
   * Everything else (the fake's checks, the journal) reads `body`.
   */
  bytes?: Uint8Array | undefined;
  /**
   * Scheme, host and any mount prefix the client used (e.g. `https://restapi.ordergroove.com`),
   * for the absolute `next`/`previous` links of paginated answers; default `http://<Host header>`.
   */
  origin?: string | undefined;
  /**
   * The client's IP address, for Ordergroove's per-IP limit. Hosts pass the socket's address
   * (MSW: a fixed, configurable one); requests without one share a single window.
   */
  remoteAddress?: string | undefined;
}

export interface CoreResponse {
  status: number;
  /**
   * The answer's own object: the merchants (CORS) and the hosts (content length) add to it in place,
   * so an object of headers is never shared between answers.
   */
  headers: Record<string, string>;
  /** JSON body; undefined for none. */
  body?: unknown;
  /**
   * `JSON.stringify(body)`, when the core already has it (a batch answer writes its text directly,
   * ./products/results-text.ts, and the journal keeps texts, not objects): the hosts send it
   * instead of stringifying the body again. Whoever sets it keeps it equal to the body's text.
   */
  text?: string;
  /**
   * The answer's body as bytes, sent exactly as they are (instead of `body`): a proxied upstream
   * answer, whose encoding and bytes the proxy must not touch (./proxy/proxy.ts).
   */
  bytes?: Uint8Array;
  /** Fault injection: the host waits this long before answering. */
  delayMs?: number;
  /** Fault injection: the host drops the connection instead of answering. */
  drop?: boolean;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): CoreResponse {
  const own: Record<string, string> = { "content-type": "application/json" };
  if (headers) Object.assign(own, headers);
  return { status, headers: own, body };
}

export function detail(status: number, message: string, headers?: Record<string, string>): CoreResponse {
  return json(status, { detail: message }, headers);
}

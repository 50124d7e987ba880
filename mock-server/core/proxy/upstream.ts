/**
 * The upstream as the core sees it: one injected function, like the clock. The core decides what
 * to send and what to answer; the network call itself lives in a host (../../node/upstream.ts),
 * so the core stays framework-free and tests stand in a local upstream.
 */

/** What the core asks the upstream for: an absolute URL on the upstream, and the request to send as it is. */
export interface UpstreamRequest {
  method: string;
  /** The upstream's origin and the client's path with its query, e.g. `https://staging.restapi.ordergroove.com/products/`. */
  url: string;
  /** End-to-end headers only (hop-by-hop ones already dropped), Host already the upstream's. */
  headers: Record<string, string>;
  /** The body's bytes as the client sent them; `headers` carries their length. */
  body?: Uint8Array | undefined;
}

/** What the upstream answered, untouched: its status, headers (lower-case names) and the body's bytes. */
export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Uint8Array;
}

/**
 * Why no answer came: no connection could be made, the connection was lost once made (the
 * upstream may have received the request, and run it), an answer took too long, or it was larger
 * than allowed.
 */
export type UpstreamFailureKind = "connect" | "lost" | "timeout" | "too-large";

/** The upstream call's failure, with a reason that names no secret (never a header or a body). */
export class UpstreamFailure extends Error {
  constructor(
    readonly kind: UpstreamFailureKind,
    message: string,
  ) {
    super(message);
    this.name = "UpstreamFailure";
  }
}

/** Sends one request to the upstream; rejects with `UpstreamFailure` when no answer came. */
export type Upstream = (request: UpstreamRequest) => Promise<UpstreamAnswer>;

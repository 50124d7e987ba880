/**
 * Which headers cross the proxy. Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection,
 * not the exchange, so they are dropped both ways, with any header a Connection header names;
 * everything else (content-encoding included) passes unchanged.
 */

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

const NONE: ReadonlySet<string> = new Set();

function connectionNamed(connection: string | string[] | undefined): ReadonlySet<string> {
  // The usual values name no header beyond the hop-by-hop ones: no list to build.
  if (connection === undefined || connection === "keep-alive" || connection === "close") return NONE;
  const list = Array.isArray(connection) ? connection.join(",") : (connection ?? "");
  return new Set(
    list
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** The end-to-end headers of a request, with Host set to the upstream's and the length of the body forwarded. */
export function requestHeadersFor(
  headers: Record<string, string | undefined>,
  upstreamHost: string,
  body?: string | undefined,
): Record<string, string> {
  const named = connectionNamed(headers.connection);
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name) || name === "host") continue;
    // og-mock's own headers (its routing header, its admin token) are for og-mock, never for the upstream.
    if (name.startsWith("x-og-mock-") || name === "x-admin-token") continue;
    // The body forwarded is the text read, which is not the bytes sent when they were not UTF-8:
    // the client's length would frame it wrongly, and its tail would reach the upstream as a
    // request of its own. The forwarded body's own length is sent instead (below).
    if (name === "content-length") continue;
    out[name] = value;
  }
  out.host = upstreamHost;
  // Always given: node frames a GET's body by nothing at all when it has no length.
  if (body !== undefined) out["content-length"] = String(Buffer.byteLength(body, "utf8"));
  return out;
}

/**
 * The end-to-end headers of an answer, as the node host can write them: repeated headers stay
 * lists (set-cookie), others one value. content-length is kept for the writer, which replaces
 * it with the body's exact length where there is a body (an answer to HEAD, or a 304, has none:
 * its content-length is the upstream's word on a body it did not send).
 */
export function answerHeadersFrom(headers: Record<string, string | string[]>): Record<string, string> {
  const named = connectionNamed(headers.connection);
  const out: Record<string, string> = {};
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || named.has(name)) continue;
    const value = headers[name]!;
    // A CoreResponse holds one string per header; set-cookie is the one header that cannot be
    // joined with commas, so it is the one the writer splits back (see ../../node/exchange.ts).
    out[name] = Array.isArray(value) ? value.join(name === "set-cookie" ? "\n" : ", ") : value;
  }
  return out;
}

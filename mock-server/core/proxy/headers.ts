/**
 * Which headers cross the proxy. Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection,
 * not the exchange, so they are dropped both ways, with any header a Connection header names;
 * everything else (content-encoding included) passes unchanged, but for og-mock's own x-og-mock-*
 * namespace: never forwarded, and an upstream's passed back under another name (below).
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

/** What a Connection header names when it names no header: nearly every request and answer. */
const NONE: ReadonlySet<string> = new Set();

function connectionNamed(connection: string | string[] | undefined): ReadonlySet<string> {
  // keep-alive is hop-by-hop already, and close names no header.
  if (connection === undefined || connection === "keep-alive" || connection === "close") return NONE;
  const list = Array.isArray(connection) ? connection.join(",") : connection;
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
  body?: Uint8Array | undefined,
): Record<string, string> {
  const named = connectionNamed(headers.connection);
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name) || name === "host") continue;
    // og-mock's own headers (its routing header, its admin token) are for og-mock, never for the upstream.
    if (name.startsWith("x-og-mock-") || name === "x-admin-token") continue;
    // The forwarded body is framed by its own length (below), never by the client's word for it:
    // a chunked body has none, and a length that differed from the bytes forwarded would let
    // their tail reach the upstream as a request of its own.
    if (name === "content-length") continue;
    out[name] = value;
  }
  out.host = upstreamHost;
  // Always given: node frames a GET's body by nothing at all when it has no length.
  if (body !== undefined) out["content-length"] = String(body.byteLength);
  return out;
}

/**
 * The end-to-end headers of an answer, as the node host can write them: repeated headers stay
 * lists (set-cookie), others one value. content-length is kept for the writer, which replaces
 * it with the body's exact length where there is a body (an answer to HEAD, a 204 or a 304 has
 * none: its content-length, or the lack of one, is the upstream's own).
 */
export function answerHeadersFrom(headers: Record<string, string | string[]>): Record<string, string> {
  const named = connectionNamed(headers.connection);
  const out: Record<string, string> = {};
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || named.has(name)) continue;
    const value = headers[name]!;
    // A CoreResponse holds one string per header; set-cookie is the one header that cannot be
    // joined with commas, so it is the one the writer splits back (see ../../node/exchange.ts).
    out[upstreamsOwn(name)] = Array.isArray(value) ? value.join(name === "set-cookie" ? "\n" : ", ") : value;
  }
  return out;
}

const OWN_PREFIX = "x-og-mock-";
const UPSTREAMS_PREFIX = "x-og-mock-upstream-";

/**
 * The name an answer header passes under. x-og-mock-* on og-mock's answers are og-mock's own
 * words (who answered, its hint, the violations it found); an upstream that is itself an og-mock
 * sends its own, which would read as this og-mock's (a `fake` source on a real answer, violations
 * this og-mock never found). Theirs pass renamed x-og-mock-upstream-*, value untouched: nothing
 * the upstream said is lost, and nothing it said is put in this og-mock's mouth. Ordergroove's
 * service sends none, so its headers all pass under their own names.
 */
function upstreamsOwn(name: string): string {
  return name.startsWith(OWN_PREFIX) ? UPSTREAMS_PREFIX + name.slice(OWN_PREFIX.length) : name;
}

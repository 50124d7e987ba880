/**
 * Why a connection failed, in words a person acts on: fetch's own message is "fetch failed", and
 * the code under it (ECONNREFUSED) is only half the story for someone who has not met it before.
 * Shared by the client's NetworkError and og-contract's check that its target can be reached.
 */
const WORDS: Record<string, string> = {
  ECONNREFUSED: "nothing is listening there",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "the host name could not be looked up (no network, or no DNS?)",
  ETIMEDOUT: "no connection in time",
  UND_ERR_CONNECT_TIMEOUT: "no connection in time",
  ECONNRESET: "the connection was dropped",
  UND_ERR_SOCKET: "the connection was closed before an answer",
  EHOSTUNREACH: "the host cannot be reached from here",
  ENETUNREACH: "the network cannot be reached from here",
};

/** "ECONNREFUSED: nothing is listening there", or the cause's own words when its code is unknown. */
export function describeConnectionFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const code = cause?.code;
  if (code && WORDS[code]) return `${code}: ${WORDS[code]}`;
  if (code && /CERT|TLS|SSL/.test(code)) return `${code}: the server's TLS certificate was not accepted`;
  const words = code ?? cause?.message ?? (error as Error)?.message ?? String(error);
  // fetch quotes a URL it refuses, user name and password included: never repeat those.
  return words.replace(/\/\/[^/@\s]*@/g, "//");
}

/** A base URL as it may be shown: no user name or password, no query. */
export function shownUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.origin}${url.pathname === "/" ? "" : url.pathname}`;
  } catch {
    return "the base URL";
  }
}

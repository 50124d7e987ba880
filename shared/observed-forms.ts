/**
 * How an observation is read off a real answer, for the two places that keep one: og-contract
 * (contract-tests/, which provokes it) and og-mock --learn (mock-server/core/proxy/learn.ts, which
 * sees it in passing traffic). One reading, so a profile recorded either way says the same thing
 * for the same answer.
 */

/** Longest refusal text a profile keeps: enough for a service's sentence, not for a page. */
export const DETAIL_MAX_CHARS = 160;

/** The keys of a JSON error body, sorted ("detail"), or "not-json" / "empty": never its text. */
export function bodyShape(body: unknown): string {
  if (body === undefined || body === null || body === "") return "empty";
  if (typeof body !== "object") return "not-json";
  const keys = Object.keys(body).sort();
  // A body keyed by something else (ids, fields) is summarised: a profile keeps shapes, not data.
  if (keys.length > 4 || keys.some((k) => !/^[a-z_]{1,30}$/.test(k))) return "other";
  return keys.join(",") || "empty";
}

/**
 * The words of a refusal as a profile keeps them: every secret the caller knows removed, then
 * anything that looks like one (a long token), ids and numbers normalised (so the next run is not
 * drift), whitespace folded, and capped. Undefined when nothing is left to keep.
 */
export function refusalWords(text: string, secrets: readonly (string | undefined)[]): string | undefined {
  let out = text;
  // Longest first, so a secret that contains another is removed whole.
  for (const secret of [...secrets].sort((a, b) => (b?.length ?? 0) - (a?.length ?? 0))) {
    if (secret) out = out.split(secret).join("<secret>");
  }
  out = out
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<id>")
    .replace(/[A-Za-z0-9+/_-]{32,}={0,2}/g, "<redacted>")
    .replace(/\d+/g, "<n>")
    .replace(/\s+/g, " ")
    .trim();
  if (!out) return undefined;
  return out.length > DETAIL_MAX_CHARS ? `${out.slice(0, DETAIL_MAX_CHARS - 1)}…` : out;
}

/** "seconds", "http-date" or "absent", from a Retry-After header value. */
export function retryAfterForm(value: string | null | undefined): "seconds" | "http-date" | "absent" | "other" {
  if (value === null || value === undefined) return "absent";
  if (/^\d+$/.test(value.trim())) return "seconds";
  return Number.isNaN(Date.parse(value)) ? "other" : "http-date";
}

/** The JSON type of a product's price in an answer. */
export function priceType(price: unknown): "string" | "number" | "null" | "other" {
  if (price === null) return "null";
  if (typeof price === "string") return "string";
  return typeof price === "number" ? "number" : "other";
}

/** The format of a product's created / last_update in an answer. */
export function timestampFormat(value: unknown): "YYYY-MM-DD HH:MM:SS" | "ISO 8601" | "other" {
  if (typeof value !== "string") return "other";
  if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(value)) return "YYYY-MM-DD HH:MM:SS";
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value) ? "ISO 8601" : "other";
}

/**
 * Secrets masked before a journal entry is stored: the signature in `authorization` (only what
 * identifies the caller is kept), the `x-api-key`, the admin token, cookies. Long header values
 * are cut short.
 */

const MASK = "[redacted]";
const SECRET_HEADERS = new Set(["x-api-key", "cookie", "proxy-authorization", "x-admin-token"]);
const MAX_TEXT = 4096;

/** Masks the signature inside an authorization JSON; anything unparsable is masked whole. */
export function maskHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (SECRET_HEADERS.has(name)) out[name] = MASK;
    else if (name === "authorization") out[name] = maskAuthorization(value);
    else out[name] = value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  }
  return out;
}

// A client sends the same authorization header for a second or more: mask each value once.
const masked = new Map<string, string>();

function maskAuthorization(value: string): string {
  let out = masked.get(value);
  if (out === undefined) {
    if (masked.size >= 256) masked.clear();
    out = maskAuthorizationOnce(value);
    masked.set(value, out);
  }
  return out;
}

function maskAuthorizationOnce(value: string): string {
  try {
    const parsed = JSON.parse(value) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      const copy: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(parsed)) {
        // Keep only what identifies the caller; everything else could be a secret.
        copy[k] = k === "public_id" || k === "sig_field" || k === "ts" || k === "trust_level" ? short(v) : MASK;
      }
      return JSON.stringify(copy);
    }
  } catch {
    // not JSON: fall through
  }
  return MASK;
}

function short(v: unknown): unknown {
  return typeof v === "string" && v.length > 200 ? `${v.slice(0, 200)}…` : v;
}

/**
 * What the journal keeps of a proxied request's credentials: no secret, but enough to tell two
 * callers apart. An `x-api-key` becomes a keyed hash (HMAC-SHA256 with a key drawn at start and
 * never kept anywhere), so the same key reads the same within a run and cannot be guessed back
 * from a list of candidate keys by anyone without the run's key; a signature becomes a short
 * fingerprint (it is valid for two hours, so not even a hash of it in full is kept). Everything
 * else is masked as the fake's own journal masks it (../journal/masking.ts).
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { maskHeaders } from "../journal/masking.js";

/** This run's key for hashing API keys: in memory only, different at every start. */
const RUN_KEY = randomBytes(32);

/** The same API key gives the same value within a run; a different key, a different value. */
export function keyedHash(apiKey: string): string {
  return `keyed-hash:${createHmac("sha256", RUN_KEY).update(apiKey, "utf8").digest("hex").slice(0, 16)}`;
}

/** A short fingerprint of a signature: enough to see two requests carried the same one. */
export function signatureFingerprint(sig: string): string {
  return `fingerprint:${createHash("sha256").update(sig, "utf8").digest("hex").slice(0, 8)}`;
}

/** The request's headers as a proxied exchange's journal entry keeps them. */
export function proxiedHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out = maskHeaders(headers);
  const apiKey = headers["x-api-key"];
  if (apiKey !== undefined) out["x-api-key"] = keyedHash(apiKey);
  const authorization = headers.authorization;
  if (authorization !== undefined && out.authorization !== undefined) {
    out.authorization = withFingerprint(authorization, out.authorization);
  }
  return out;
}

// A client sends the same authorization header for a second or more (its signature is made over
// the second): work out each value's journal form once, as the fake's own masking does.
const fingerprinted = new Map<string, string>();

/** The masked authorization with the signature's fingerprint in place of its mask. */
function withFingerprint(authorization: string, masked: string): string {
  let out = fingerprinted.get(authorization);
  if (out === undefined) {
    if (fingerprinted.size >= 256) fingerprinted.clear();
    out = fingerprintedOnce(authorization, masked);
    fingerprinted.set(authorization, out);
  }
  return out;
}

function fingerprintedOnce(authorization: string, masked: string): string {
  const sig = signatureIn(authorization);
  if (sig === undefined) return masked;
  try {
    const parsed = JSON.parse(masked) as Record<string, unknown>;
    parsed.sig = signatureFingerprint(sig);
    return JSON.stringify(parsed);
  } catch {
    // Not the documented JSON: masked whole already.
    return masked;
  }
}

/** The signature inside an authorization header (a JSON object with `sig`), when there is one. */
export function signatureIn(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  try {
    const sig = (JSON.parse(authorization) as { sig?: unknown } | null)?.sig;
    return typeof sig === "string" ? sig : undefined;
  } catch {
    return undefined;
  }
}

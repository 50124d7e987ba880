/**
 * Authentication exactly as Ordergroove documents it (see spec/ "How to sign a request"):
 * the HMAC-signed `authorization` JSON with `og-authorization: True`, or an `x-api-key`.
 * Each failure has its own explanation, because "403" alone is what makes this integration
 * hard to debug. No explanation ever contains a hash key, an API key or a signature.
 */
import { computeSignature, constantTimeEqual, signaturesEqual, signedMessage } from "../../src/auth/signature.js";
import type { Clock } from "./clock.js";

export interface ApiUser {
  sigField: string;
  hashKey: string;
}

export interface MockCredentials {
  /** The merchant's public id (the `public_id` of the authorization JSON). */
  publicId: string;
  /** API users (`sig_field` and its hash key). */
  apiUsers: ApiUser[];
  /** Application API scope keys for `x-api-key`. */
  apiKeys: string[];
}

export interface AuthPolicy {
  /** Status of every refusal: the current reference documents 403; older pages 401. */
  failureStatus: 401 | 403;
  /** Oldest accepted `ts`, in seconds before now (Ordergroove: two hours). */
  maxAgeSeconds: number;
  /** How far in the future `ts` may be, for clock skew between machines. */
  futureSkewSeconds: number;
}

export type Principal = { scheme: "hmac"; publicId: string; sigField: string } | { scheme: "api-key"; key: number };

export type AuthResult = { ok: true; principal: Principal } | { ok: false; detail: string };

export function authenticate(
  headers: Record<string, string | undefined>,
  credentials: MockCredentials,
  policy: AuthPolicy,
  clock: Clock,
): AuthResult {
  const apiKey = headers["x-api-key"];
  const authorization = headers.authorization;
  let apiKeyProblem: string | undefined;
  if (apiKey !== undefined) {
    // Compare with every key (no early exit) so timing does not tell which key nearly matched.
    let found = -1;
    credentials.apiKeys.forEach((key, i) => {
      if (constantTimeEqual(key, apiKey) && found < 0) found = i;
    });
    if (found >= 0) return { ok: true, principal: { scheme: "api-key", key: found } };
    apiKeyProblem = "Invalid API key: the x-api-key header matches none of this merchant's keys.";
    if (authorization === undefined) return { ok: false, detail: apiKeyProblem };
  }
  if (authorization === undefined) {
    return {
      ok: false,
      detail:
        "Authentication credentials were not provided. Send the HMAC-signed `authorization` header " +
        "(a JSON string with public_id, ts, sig_field and sig) together with `og-authorization: True`, or an `x-api-key` header.",
    };
  }
  const hmac = checkHmac(authorization, headers["og-authorization"], credentials, policy, clock);
  if (hmac.ok || apiKeyProblem === undefined) return hmac;
  return { ok: false, detail: `${apiKeyProblem} ${hmac.detail}` };
}

function checkHmac(
  authorization: string,
  ogAuthorization: string | undefined,
  credentials: MockCredentials,
  policy: AuthPolicy,
  clock: Clock,
): AuthResult {
  const fail = (detail: string): AuthResult => ({ ok: false, detail });
  if (ogAuthorization === undefined) {
    return fail(
      "The authorization header came without `og-authorization: True`, so it reads as a customer-scope " +
        "signature, which the products API does not accept. Add the header `og-authorization: True`.",
    );
  }
  if (ogAuthorization !== "True") {
    return fail(
      `The og-authorization header must be exactly "True" (case-sensitive); got ${JSON.stringify(ogAuthorization.slice(0, 20))}.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(authorization);
  } catch {
    return fail(
      'Invalid authorization header: it is not JSON. It must be a JSON object string like {"public_id": "...", "ts": 1700000000, "sig_field": "...", "sig": "..."}.',
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return fail("Invalid authorization header: the JSON must be an object with public_id, ts, sig_field and sig.");
  }
  const fields = parsed as Record<string, unknown>;
  const missing = ["public_id", "ts", "sig_field", "sig"].filter((k) => fields[k] === undefined || fields[k] === null);
  if (missing.length > 0) {
    return fail(`Invalid authorization header: missing ${missing.map((m) => `"${m}"`).join(", ")}.`);
  }
  for (const name of ["public_id", "sig_field", "sig"] as const) {
    if (typeof fields[name] !== "string") {
      return fail(`Invalid authorization header: "${name}" must be a string; got ${typeName(fields[name])}.`);
    }
  }
  if (fields.trust_level !== undefined && typeof fields.trust_level !== "string") {
    return fail(`Invalid authorization header: "trust_level" must be a string; got ${typeName(fields.trust_level)}.`);
  }
  const ts = fields.ts;
  if (typeof ts !== "number" || !Number.isSafeInteger(ts)) {
    return fail(
      `Invalid authorization header: "ts" must be a whole number of seconds since the epoch, written as a JSON number; got ${typeName(ts)}.`,
    );
  }
  const publicId = fields.public_id as string;
  const sigField = fields.sig_field as string;
  const sig = fields.sig as string;
  const trustLevel = fields.trust_level as string | undefined;
  if (publicId !== credentials.publicId) {
    return fail(`Unknown merchant: public_id ${quote(publicId)} is not a merchant of this server.`);
  }
  const user = credentials.apiUsers.find((u) => u.sigField === sigField);
  if (!user) {
    return fail(`Unknown API user: sig_field ${quote(sigField)} has no hash key for merchant ${quote(publicId)}.`);
  }
  const nowSeconds = Math.floor(clock.now() / 1000);
  const age = nowSeconds - ts;
  if (age > policy.maxAgeSeconds) {
    return fail(
      `Stale signature: ts ${ts} is ${duration(age)} old; signatures are accepted for ${duration(policy.maxAgeSeconds)}. Sign every request, and every retry, afresh.`,
    );
  }
  if (-age > policy.futureSkewSeconds) {
    const hint = ts > 1e11 ? " It looks like milliseconds; ts is in seconds." : " Check the signing machine's clock.";
    return fail(
      `Signature from the future: ts ${ts} is ${duration(-age)} ahead of this server's clock; the allowed skew is ${duration(policy.futureSkewSeconds)}.${hint}`,
    );
  }
  const message = signedMessage({ sigField, ts, trustLevel });
  const expected = expectedSignature(user, message, { sigField, ts, trustLevel });
  if (!signaturesEqual(expected, sig)) {
    const hint = /^[0-9a-f]{64}$/i.test(sig)
      ? " The signature looks hex-encoded; it must be base64 of the raw HMAC-SHA256 digest."
      : " Check the hash key, that exactly this message was signed, and that the digest is standard base64 with padding.";
    return fail(
      `Signature mismatch: sig is not the HMAC-SHA256 of the message ${JSON.stringify(message)} with the hash key of API user ${quote(sigField)}.${hint}`,
    );
  }
  return { ok: true, principal: { scheme: "hmac", publicId, sigField } };
}

// A client signs once per second at most, so the same message arrives many times: remember the
// expected signature per API user and message (HMAC is deterministic). Bounded, per user.
const signatureCache = new WeakMap<ApiUser, Map<string, string>>();
const CACHE_SIZE = 256;

function expectedSignature(user: ApiUser, message: string, input: Parameters<typeof computeSignature>[1]): string {
  let cache = signatureCache.get(user);
  if (!cache) signatureCache.set(user, (cache = new Map()));
  let sig = cache.get(message);
  if (sig === undefined) {
    if (cache.size >= CACHE_SIZE) cache.clear();
    sig = computeSignature(user.hashKey, input);
    cache.set(message, sig);
  }
  return sig;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "number") return Number.isInteger(value) ? `the number ${value}` : `the fraction ${value}`;
  return `a ${typeof value}`;
}

function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

export function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

/**
 * Authentication exactly as Ordergroove documents it (see spec/ "How to sign a request"), as a
 * pure function of (headers, credentials, policy, clock, operation):
 *   - API-user scope: the HMAC-signed `authorization` JSON with `og-authorization: True`, signed
 *     with the API user's own key;
 *   - storefront (customer) scope: the same JSON without `og-authorization`, a customer id as
 *     `sig_field`, signed with the merchant hash key;
 *   - Application API scope: `x-api-key`.
 * Which scopes an operation takes comes from the spec's per-operation `security` (../routes.ts).
 * Each failure has its own explanation, because "403" alone is what makes this integration
 * hard to debug. No explanation ever contains a hash key, an API key or a signature.
 */
import { computeSignature, constantTimeEqual, signaturesEqual, signedMessage } from "../../../shared/auth/signature.js";
import type { Clock } from "../clock.js";
import { type AuthScheme, type Operation, schemesOf } from "../routes.js";

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
  /** The merchant hash key that storefront (customer-scope) signatures are made with. */
  merchantHashKey: string;
}

export interface AuthPolicy {
  /** Status of every refusal: the current reference documents 403; older pages 401. */
  failureStatus: 401 | 403;
  /** Oldest accepted `ts`, in seconds before now (Ordergroove: two hours). */
  maxAgeSeconds: number;
  /** How far in the future `ts` may be, for clock skew between machines. */
  futureSkewSeconds: number;
  /** `ts` written as a JSON string: accepted (default) or refused. Undocumented either way. */
  tsAsString?: "refuse" | "accept";
  /**
   * The `detail` a refusal's body carries, per kind, as the service words it (observed live, or
   * learnt by calibration); a kind not listed answers with the fake's own explanation. The
   * explanation always travels in `x-og-mock-hint` and the journal.
   */
  refusalDetails?: Partial<Record<RefusalKind, string>>;
  /**
   * Check everything but the signature's value (its shape, fields and age): for og-mock's proxy
   * when it does not hold the key the request was signed with. No HMAC is computed then.
   */
  shapeOnly?: boolean;
}

/**
 * The refusals the contract suite provokes and calibration records (calibration/behaviours.ts
 * AUTH_FAILURES has one title per kind). Other refusals (a missing field, a wrong scope) have none.
 */
export type RefusalKind =
  "missing" | "unknownApiKey" | "wrongHashKey" | "unknownApiUser" | "notJson" | "noOgAuthorization" | "stale";

export type Principal =
  | { scheme: "hmac"; publicId: string; sigField: string }
  | { scheme: "customer"; publicId: string; customerId: string }
  | { scheme: "api-key"; key: number };

/**
 * `status` is set when the refusal must not use the configurable failure status (scope refusals:
 * 403); `kind` when the refusal is one of the kinds whose wording calibration learns.
 */
export type AuthResult =
  { ok: true; principal: Principal } | { ok: false; detail: string; status?: 403; kind?: RefusalKind };

export function authenticate(
  headers: Record<string, string | undefined>,
  credentials: MockCredentials,
  policy: AuthPolicy,
  clock: Clock,
  operation?: Operation,
): AuthResult {
  const allowed = operation ? schemesOf(operation) : ALL_SCHEMES;
  const apiKey = headers["x-api-key"];
  const authorization = headers.authorization;
  if (
    !allowed.includes("hmac") &&
    !allowed.includes("customer") &&
    apiKey === undefined &&
    authorization !== undefined
  ) {
    return {
      ok: false,
      status: 403,
      detail:
        "This operation takes the Application API scope only: send an `x-api-key` header. Ordergroove refuses " +
        "HMAC signatures (API-user and storefront scope) on the single-product PATCH; use PATCH /products-batch/update/ " +
        "to update with a signature.",
    };
  }
  let apiKeyProblem: string | undefined;
  if (apiKey !== undefined) {
    // Compare with every key (no early exit) so timing does not tell which key nearly matched.
    let found = -1;
    credentials.apiKeys.forEach((key, i) => {
      if (constantTimeEqual(key, apiKey) && found < 0) found = i;
    });
    if (found >= 0) return { ok: true, principal: { scheme: "api-key", key: found } };
    apiKeyProblem = "Invalid API key: the x-api-key header matches none of this merchant's keys.";
    if (authorization === undefined) return { ok: false, detail: apiKeyProblem, kind: "unknownApiKey" };
  }
  if (authorization === undefined) {
    return {
      ok: false,
      kind: "missing",
      detail:
        "Authentication credentials were not provided. Send the HMAC-signed `authorization` header " +
        "(a JSON string with public_id, ts, sig_field and sig) together with `og-authorization: True`, or an `x-api-key` header.",
    };
  }
  const hmac = checkHmac(authorization, headers["og-authorization"], credentials, policy, clock);
  if (hmac.ok && !allowed.includes(hmac.principal.scheme as AuthScheme)) {
    return { ok: false, status: 403, detail: `This operation does not accept the ${hmac.principal.scheme} scope.` };
  }
  if (hmac.ok || apiKeyProblem === undefined) return hmac;
  return { ok: false, detail: `${apiKeyProblem} ${hmac.detail}` };
}

const ALL_SCHEMES: readonly AuthScheme[] = ["hmac", "customer", "api-key"];

function checkHmac(
  authorization: string,
  ogAuthorization: string | undefined,
  credentials: MockCredentials,
  policy: AuthPolicy,
  clock: Clock,
): AuthResult {
  const fail = (detail: string, kind?: RefusalKind): AuthResult =>
    kind === undefined ? { ok: false, detail } : { ok: false, detail, kind };
  // Without og-authorization the header is a storefront (customer-scope) signature.
  const customer = ogAuthorization === undefined;
  if (!customer && ogAuthorization !== "True") {
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
      "notJson",
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
  let ts = fields.ts;
  if (typeof ts === "string" && policy.tsAsString === "accept" && /^\d{1,12}$/.test(ts)) ts = Number(ts);
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
  const user = customer ? undefined : credentials.apiUsers.find((u) => u.sigField === sigField);
  if (!customer && !user) {
    return fail(
      `Unknown API user: sig_field ${quote(sigField)} has no hash key for merchant ${quote(publicId)}.`,
      "unknownApiUser",
    );
  }
  const nowSeconds = Math.floor(clock.now() / 1000);
  const age = nowSeconds - ts;
  if (age > policy.maxAgeSeconds) {
    return fail(
      `Stale signature: ts ${ts} is ${duration(age)} old; signatures are accepted for ${duration(policy.maxAgeSeconds)}. Sign every request, and every retry, afresh.`,
      "stale",
    );
  }
  if (-age > policy.futureSkewSeconds) {
    const hint = ts > 1e11 ? " It looks like milliseconds; ts is in seconds." : " Check the signing machine's clock.";
    return fail(
      `Signature from the future: ts ${ts} is ${duration(-age)} ahead of this server's clock; the allowed skew is ${duration(policy.futureSkewSeconds)}.${hint}`,
    );
  }
  if (policy.shapeOnly) {
    return customer
      ? { ok: true, principal: { scheme: "customer", publicId, customerId: sigField } }
      : { ok: true, principal: { scheme: "hmac", publicId, sigField } };
  }
  const input = { sigField, ts, trustLevel };
  const message = signedMessage(input);
  const key = user ?? merchantKeyOf(credentials);
  if (!signaturesEqual(expectedSignature(key, message, input), sig)) {
    // In the customer scope, the commonest mismatch is an API user's signature sent without og-authorization.
    return fail(
      mismatch(sig, message, input, key, sigField, customer, credentials),
      customer ? "noOgAuthorization" : "wrongHashKey",
    );
  }
  return customer
    ? { ok: true, principal: { scheme: "customer", publicId, customerId: sigField } }
    : { ok: true, principal: { scheme: "hmac", publicId, sigField } };
}

/** Why a signature did not match, naming the commonest mix-up of keys and scopes when it is one. */
function mismatch(
  sig: string,
  message: string,
  input: Parameters<typeof computeSignature>[1],
  key: ApiUser,
  sigField: string,
  customer: boolean,
  credentials: MockCredentials,
): string {
  const what = customer
    ? `with the merchant hash key (storefront scope: no og-authorization header, so sig_field ${quote(sigField)} is read as a customer id)`
    : `with the hash key of API user ${quote(sigField)}`;
  let hint: string;
  const offByOne = [-1, 1].find((d) =>
    signaturesEqual(computeSignature(key.hashKey, { ...input, ts: input.ts + d }), sig),
  );
  if (/^[0-9a-f]{64}$/i.test(sig)) {
    hint = " The signature looks hex-encoded; it must be base64 of the raw HMAC-SHA256 digest.";
  } else if (offByOne !== undefined) {
    hint = ` This signature is valid for ts ${offByOne > 0 ? "+" : "-"} 1 (${input.ts + offByOne}): your client reads the clock twice, once to sign and once for the header. Read it once and use that ts for both.`;
  } else if (customer && credentials.apiUsers.some((u) => signaturesEqual(expectedSignature(u, message, input), sig))) {
    hint = " It was signed with an API user's key: API-user requests must also send `og-authorization: True`.";
  } else if (!customer && signaturesEqual(expectedSignature(merchantKeyOf(credentials), message, input), sig)) {
    hint =
      " It was signed with the merchant hash key, which is for storefront (customer) signatures: API users sign with their own API account key.";
  } else {
    hint =
      " Check the hash key, that exactly this message was signed, and that the digest is standard base64 with padding.";
  }
  return `Signature mismatch: sig is not the HMAC-SHA256 of the message ${JSON.stringify(message)} ${what}.${hint}`;
}

// One stable ApiUser-shaped key holder per merchant hash key, so the signature cache below works for it too.
const merchantKeys = new Map<string, ApiUser>();
function merchantKeyOf(credentials: MockCredentials): ApiUser {
  let key = merchantKeys.get(credentials.merchantHashKey);
  if (!key) {
    if (merchantKeys.size >= 64) merchantKeys.clear();
    key = { sigField: "(merchant)", hashKey: credentials.merchantHashKey };
    merchantKeys.set(credentials.merchantHashKey, key);
  }
  return key;
}

// A client signs once per second at most, so the same message arrives many times: remember the
// expected signature per API user and message (HMAC is deterministic). Bounded, per user, and
// forgotten when the user's hash key changes (a key rotated in place must not verify from memory).
const signatureCache = new WeakMap<ApiUser, { hashKey: string; sigs: Map<string, string> }>();
const CACHE_SIZE = 256;

function expectedSignature(user: ApiUser, message: string, input: Parameters<typeof computeSignature>[1]): string {
  let entry = signatureCache.get(user);
  if (!entry || entry.hashKey !== user.hashKey)
    signatureCache.set(user, (entry = { hashKey: user.hashKey, sigs: new Map() }));
  const cache = entry.sigs;
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

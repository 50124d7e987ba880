/**
 * `authenticate` with its accepted HMAC verdicts remembered. A client signs at most once per
 * second and sends the same `authorization` header with every request of that second (or of
 * its whole two-hour window), so most requests repeat a verdict already reached: parsing the
 * header JSON, finding the API user and comparing the signature again changes nothing.
 *
 * It changes no answer (test/mock/auth-cache.test.ts compares it with `authenticate` over key
 * rotation, window edges and settings changes):
 * - only acceptances of the HMAC scheme are kept (every refusal is worked out afresh, with its
 *   own explanation), and only when no `x-api-key` came along;
 * - an entry is keyed by the exact header text (public_id, ts, sig_field, sig, trust_level), the
 *   `og-authorization` value and any further arguments (the operation, whose scopes decide), per
 *   credentials object, so per merchant: one merchant's verdicts never answer for another;
 * - on every hit the inputs the verdict depended on are checked again: the merchant's public id,
 *   the API user's hash key (so a rotated or removed key is never accepted from memory), the
 *   policy, and the two-hour window against the clock now. Anything that differs goes to
 *   `authenticate`.
 */
import { type AuthResult, authenticate, type MockCredentials } from "./authenticate.js";

type Args = Parameters<typeof authenticate>;

interface Verdict {
  result: AuthResult;
  publicId: string;
  sigField: string;
  hashKey: string;
  ts: number;
  /** The policy object the verdict was reached under, and a copy of its settings then. */
  policy: Args[2];
  settings: Args[2];
}

const ENTRIES_PER_CREDENTIALS = 1024;
/**
 * credentials -> the further arguments (the operation) -> exact `authorization` header -> verdict.
 * Keyed in two steps, not by one joined string: joining made a new 200-character text on every
 * request that then had to be hashed, a visible share of a 1-item batch's cost in the core.
 */
const verdicts = new WeakMap<MockCredentials, Map<string, Map<string, Verdict>>>();

export function authenticateCached(...args: Args): AuthResult {
  const [headers, credentials, policy, clock] = args;
  const authorization = headers.authorization;
  if (authorization === undefined || headers["x-api-key"] !== undefined || headers["og-authorization"] !== "True") {
    return authenticate(...args);
  }
  const further = args.length === 5 ? String(args[4]) : args.slice(4).map(String).join("\u0000");
  let byFurther = verdicts.get(credentials);
  let cache = byFurther?.get(further);
  const hit = cache?.get(authorization);
  if (hit && stillHolds(hit, credentials, policy, clock.now())) return hit.result;
  const result = authenticate(...args);
  const verdict = result.ok ? remember(result, authorization, credentials, policy) : undefined;
  if (verdict) {
    if (!byFurther) verdicts.set(credentials, (byFurther = new Map()));
    if (!cache) byFurther.set(further, (cache = new Map()));
    // One bound per credentials object, whatever the operations: past it, start over.
    let size = 0;
    for (const c of byFurther.values()) size += c.size;
    if (size >= ENTRIES_PER_CREDENTIALS) for (const c of byFurther.values()) c.clear();
    cache.set(authorization, verdict);
  } else if (hit) cache!.delete(authorization);
  return result;
}

function remember(result: AuthResult, authorization: string, credentials: MockCredentials, policy: Args[2]) {
  if (!result.ok || result.principal.scheme !== "hmac") return undefined;
  let ts: unknown;
  try {
    ts = (JSON.parse(authorization) as { ts?: unknown }).ts;
  } catch {
    return undefined;
  }
  const { publicId, sigField } = result.principal;
  const user = credentials.apiUsers.find((u) => u.sigField === sigField);
  if (typeof ts !== "number" || !Number.isSafeInteger(ts) || !user) return undefined;
  // Frozen: the same verdict is handed to every request that repeats the header.
  Object.freeze(result.principal);
  return {
    result: Object.freeze(result),
    publicId,
    sigField,
    hashKey: user.hashKey,
    ts,
    policy,
    settings: { ...policy },
  } satisfies Verdict;
}

function stillHolds(v: Verdict, credentials: MockCredentials, policy: Args[2], nowMs: number): boolean {
  if (policy !== v.policy || credentials.publicId !== v.publicId) return false;
  for (const name in v.settings) {
    if (policy[name as keyof typeof policy] !== v.settings[name as keyof typeof policy]) return false;
  }
  // The same window test as authenticate's, on the clock as it is now.
  const age = Math.floor(nowMs / 1000) - v.ts;
  if (age > policy.maxAgeSeconds || -age > policy.futureSkewSeconds) return false;
  const user = credentials.apiUsers.find((u) => u.sigField === v.sigField);
  return user !== undefined && user.hashKey === v.hashKey;
}

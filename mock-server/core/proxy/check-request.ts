/**
 * Checked before it leaves: a request the spec refuses as a whole is answered by og-mock as the
 * fake would answer it, and never reaches the upstream (a refused write that the upstream ran
 * anyway would be worse than no check). Same code as the fake's own checks, in the fake's order:
 * credentials, content type, JSON, the batch as a whole (a list, at most 100 items). Items are the
 * upstream's to judge one by one: a batch with a bad item is forwarded, and the service answers
 * that item 400 as it documents.
 *
 * Credentials: when og-mock was given the merchant's own (its credential options), the signature
 * is verified and a mismatch explained (clock skew, ts read twice, the wrong key for the scope);
 * without them only the headers' shape and the signature's age are checked, since a key og-mock
 * does not have cannot verify anything.
 */
import { constantTimeEqual } from "../../../shared/auth/signature.js";
import type { AuthPolicy, MockCredentials, RefusalKind } from "../auth/authenticate.js";
import { authenticateCached } from "../auth/cache.js";
import { withHint } from "../hint.js";
import { type CoreRequest, type CoreResponse, detail } from "../messages.js";
import type { OrdergrooveMock } from "../mock.js";
import { batchRefusal, MAX_ITEMS } from "../products/batch-items.js";
import { checkMediaType } from "../refusals.js";
import type { Operation } from "../routes.js";
import { sentJson } from "./bodies.js";

/** Which of the checks above a request failed first: what --learn may conclude from the upstream's answer to it. */
export type RefusalReason = "auth" | "mediaType" | "json" | "nonList" | "tooManyItems";

/** What the check before forwarding found out about one request (kept for --learn, ./learn.ts). */
export interface PreCheck {
  /** og-mock held the key the request was made with, and the signature (or API key) matched it. */
  verified: boolean;
  /** The first check the request failed (it reached the upstream only with --forward-invalid). */
  refused?: { reason: RefusalReason; kind?: RefusalKind };
}

const checked = new WeakMap<CoreRequest, PreCheck>();

/** What the check before forwarding found for this request; undefined when it was not checked (no operation). */
export function preCheckOf(req: CoreRequest): PreCheck | undefined {
  return checked.get(req);
}

/** Why a request is not forwarded, and the fake's answer to it; undefined when it may go. */
export function refusalBeforeForwarding(
  req: CoreRequest,
  operation: Operation,
  mock: OrdergrooveMock,
  /**
   * The credentials og-mock holds to verify signatures with: the first that has the key the
   * request was made with verifies it; none: only the headers' shape and age.
   */
  verifyWith: readonly MockCredentials[],
): { answer: CoreResponse; why: string } | undefined {
  const found = firstRefusal(req, operation, mock, verifyWith);
  checked.set(req, found.check);
  return found.refusal;
}

function firstRefusal(
  req: CoreRequest,
  operation: Operation,
  mock: OrdergrooveMock,
  verifyWith: readonly MockCredentials[],
): { check: PreCheck; refusal?: { answer: CoreResponse; why: string } } {
  const behaviour = mock.behaviour;
  const held = verifyWith.find((credentials) => coversScheme(req.headers, credentials));
  const refused = (reason: RefusalReason, answer: CoreResponse, why: string, kind?: RefusalKind) => ({
    check: {
      verified: reason !== "auth" && held !== undefined,
      refused: kind === undefined ? { reason } : { reason, kind },
    },
    refusal: { answer, why },
  });
  const policy = held ? mock.authPolicy : shapeOnly(mock.authPolicy);
  const credentials = held ?? credentialsNamedBy(req.headers);
  const auth = authenticateCached(req.headers, credentials, policy, mock.options.clock, operation);
  if (!auth.ok) {
    const words = auth.kind === undefined ? undefined : policy.refusalDetails?.[auth.kind];
    const answer = withHint(detail(auth.status ?? policy.failureStatus, words ?? auth.detail), auth.detail);
    return refused("auth", answer, auth.detail, auth.kind);
  }
  const passed = { check: { verified: held !== undefined } };
  const write =
    operation === "updateProductsBatch" || operation === "createProductsBatch" || operation === "updateProduct";
  if (!write) return passed;
  const media = checkMediaType(req.headers["content-type"], behaviour);
  if (media) return refused("mediaType", media, (media.body as { detail: string }).detail);
  const sent = sentJson(req);
  if (!sent.ok) {
    const why = `JSON parse error: ${sent.error.message}. The body must be JSON.`;
    return refused("json", detail(400, why), why);
  }
  const parsed = sent.value;
  if (operation === "updateProduct") return passed;
  const schema = operation === "updateProductsBatch" ? "ProductUpdateItem" : "ProductCreateItem";
  const batch = batchRefusal(parsed, MAX_ITEMS[schema], behaviour);
  if (!batch) return passed;
  const why = (batch.body as { detail: string }).detail;
  return refused(Array.isArray(parsed) ? "tooManyItems" : "nonList", batch, why);
}

/**
 * Whether `held` has the key the request was made with: og-contract's settings may hold an API
 * user's key and no API key, or an API key alone, and never the merchant hash key; and a merchant
 * has up to 10 API keys and any number of API users, of which og-mock may hold one. A request made
 * with a key og-mock was not given is the service's to judge (its shape and age are still checked),
 * never one to refuse for matching nothing og-mock knows.
 */
function coversScheme(headers: Record<string, string | undefined>, held: MockCredentials): boolean {
  if (headers.authorization === undefined) {
    const apiKey = headers["x-api-key"];
    return apiKey === undefined || held.apiKeys.some((key) => constantTimeEqual(key, apiKey));
  }
  const fields = authorizationFields(headers);
  if (held.publicId === "" || fields.public_id !== held.publicId) return false;
  // Without og-authorization the signature is a storefront one, made with the merchant hash key.
  if (headers["og-authorization"] === undefined) return held.merchantHashKey !== "";
  return held.apiUsers.some((user) => user.sigField === fields.sig_field);
}

/** The authorization header's JSON fields; none when it is absent or not a JSON object (authenticate says why). */
function authorizationFields(headers: Record<string, string | undefined>): Record<string, unknown> {
  if (headers.authorization === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(headers.authorization ?? "");
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: authenticate says so in the fake's words.
  }
  return {};
}

/**
 * Credentials that accept whoever the request says it is, so that without the merchant's own
 * everything but the signature's value is checked (shape, fields, age). The same authorization
 * header gets the same object each time (but with an API key, which is never kept), so that
 * authenticateCached remembers its verdict as it does the fake's: a client sends the same header
 * for a second or more.
 */
function credentialsNamedBy(headers: Record<string, string | undefined>): MockCredentials {
  const apiKey = headers["x-api-key"];
  const authorization = headers.authorization;
  const named = (): MockCredentials => {
    const fields = authorizationFields(headers);
    return {
      publicId: typeof fields.public_id === "string" ? fields.public_id : "",
      apiUsers: typeof fields.sig_field === "string" ? [{ sigField: fields.sig_field, hashKey: "" }] : [],
      apiKeys: apiKey === undefined ? [] : [apiKey],
      merchantHashKey: "",
    };
  };
  if (apiKey !== undefined || authorization === undefined) return named();
  let credentials = namedCallers.get(authorization);
  if (!credentials) {
    if (namedCallers.size >= 256) namedCallers.clear();
    namedCallers.set(authorization, (credentials = named()));
  }
  return credentials;
}
const namedCallers = new Map<string, MockCredentials>();

/** The policy for a signature og-mock cannot verify: the one in force, with shapeOnly, made once per policy. */
function shapeOnly(policy: Readonly<AuthPolicy>): AuthPolicy {
  let made = shapeOnlyPolicies.get(policy);
  if (!made) shapeOnlyPolicies.set(policy, (made = { ...policy, shapeOnly: true }));
  return made;
}
const shapeOnlyPolicies = new WeakMap<Readonly<AuthPolicy>, AuthPolicy>();

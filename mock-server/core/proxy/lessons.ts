/**
 * What one real exchange shows of the calibration profile's behaviours (../calibration/behaviours.ts),
 * for --learn (./learn.ts). Only what the exchange shows unambiguously: a behaviour is learnt
 * when the request had the trait it is about and nothing else that could explain the answer, and
 * the answer is the service's judgement of that request. A 5xx is the service's own trouble and a
 * 429 its throttle (it teaches the Retry-After form and nothing else); a refusal of credentials
 * says nothing about the body; og-mock's own answers (an upstream og-mock marking its answer
 * `proxy` or `fake`) teach nothing about the real service.
 *
 * docs/proxy.md has the table of what is learnt, from which traffic, and what cannot be.
 */
import type { ObservedValue } from "../calibration/behaviours.js";
import { FAKE_EXPLANATION } from "../calibration/behaviours.js";
import { HINT_HEADER, hintHeaderValue } from "../hint.js";
import type { CoreRequest } from "../messages.js";
import { MAX_ITEMS } from "../products/batch-items.js";
import { matchRoute, type Operation } from "../routes.js";
import { batchResults } from "../../../shared/batch-results.js";
import { knownFields, schemaValidator } from "../../../shared/validation/schemas.js";
import { bodyShape, priceType, refusalWords, retryAfterForm, timestampFormat } from "../../../shared/observed-forms.js";
import { answerBody, sentJson } from "./bodies.js";
import { type PreCheck, preCheckOf } from "./check-request.js";
import { SOURCE_HEADER } from "./source.js";
import type { UpstreamAnswer } from "./upstream.js";

/** One behaviour key and the value this exchange showed for it. */
export type Lesson = [key: string, value: ObservedValue];

const processed = (status: number) => status >= 200 && status < 300;
const credentialRefusal = (status: number) => status === 401 || status === 403;
/** The service judged the request itself: neither its own trouble, nor its throttle, nor the credentials. */
const judged = (status: number) => status < 500 && status !== 429 && !credentialRefusal(status);
/**
 * A refusal of the request as a whole, for what its body is: a client error that is not about
 * the credentials, the throttle, a missing product (an update of an unknown id answers 404
 * whatever its content-type), the method or the client's own slowness.
 */
const refusedAsSent = (status: number) =>
  status >= 400 && status < 500 && judged(status) && ![404, 405, 408].includes(status);

type ItemSchema = "ProductUpdateItem" | "ProductCreateItem";
const ITEM_SCHEMA: Partial<Record<Operation, ItemSchema>> = {
  updateProductsBatch: "ProductUpdateItem",
  createProductsBatch: "ProductCreateItem",
};

/**
 * The lessons of one real exchange: the request as the client sent it and the upstream's answer.
 * `secrets` are the credentials og-mock holds, removed from any refusal text it keeps (the
 * request's own API key and signature are removed too).
 */
export function lessonsOf(req: CoreRequest, answer: UpstreamAnswer, secrets: readonly string[]): Lesson[] {
  const source = header(answer, SOURCE_HEADER);
  if (source === "proxy" || source === "fake") return [];
  const { status } = answer;
  if (status === 429) return [["behaviour.retryAfter", retryAfterForm(header(answer, "retry-after"))]];
  if (status >= 500) return [];
  const query = req.path.indexOf("?");
  const pathname = query === -1 ? req.path : req.path.slice(0, query);
  const route = matchRoute(req.method, pathname);
  if (route.kind === "missing-slash") return missingSlashLessons(req, answer, route.slashed, query);
  if (route.kind !== "operation") return [];
  const operation = route.operation;
  const check = preCheckOf(req);
  const lessons: Lesson[] = [
    ...credentialLessons(req, answer, check, secrets),
    ...mediaTypeLessons(req, operation, status, check),
  ];
  const schema = ITEM_SCHEMA[operation];
  if (schema) lessons.push(...batchLessons(req, operation, schema, answer, check));
  if (status === 200 && (operation === "getProduct" || operation === "listProducts")) {
    const json = answerBody(answer).json;
    const body = json.ok ? json.value : undefined;
    const product = operation === "getProduct" ? body : (body as { results?: unknown[] } | undefined)?.results?.[0];
    lessons.push(...productLessons(product));
  }
  return lessons;
}

function header(answer: UpstreamAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * auth.failureStatus from any refused credentials; auth.<kind>.* only when og-mock's own check
 * named the kind of the refusal (the request reached the upstream with --forward-invalid), so the
 * upstream's refusal is of that kind; behaviour.tsAsString when ts was a JSON string.
 */
function credentialLessons(
  req: CoreRequest,
  answer: UpstreamAnswer,
  check: PreCheck | undefined,
  secrets: readonly string[],
): Lesson[] {
  const { status } = answer;
  const lessons: Lesson[] = [];
  const apiKey = req.headers["x-api-key"];
  const authorization = req.headers.authorization;
  if (credentialRefusal(status) && (apiKey !== undefined || authorization !== undefined)) {
    lessons.push(["auth.failureStatus", status]);
  }
  const kind = check?.refused?.reason === "auth" ? check.refused.kind : undefined;
  if (kind && credentialRefusal(status)) {
    const { text, json } = answerBody(answer);
    // A body og-mock cannot decode is still not JSON; an empty one is "empty".
    const body = json.ok ? json.value : (text ?? "undecoded");
    lessons.push([`auth.${kind}.status`, status], [`auth.${kind}.body`, bodyShape(body)]);
    const said = (body as { detail?: unknown } | undefined)?.detail;
    const fields = signatureFields(authorization);
    const sig = typeof fields?.sig === "string" ? fields.sig : undefined;
    const words =
      typeof said !== "string"
        ? undefined
        : header(answer, HINT_HEADER) === hintHeaderValue(said)
          ? FAKE_EXPLANATION
          : refusalWords(said, [...secrets, apiKey, authorization, sig]);
    if (words !== undefined) lessons.push([`auth.${kind}.detail`, words]);
  }
  if (typeof signatureFields(authorization)?.ts === "string") {
    // Accepted whenever the service got past the credentials; refused only when og-mock verified
    // the signature itself, so the string ts is the one thing the service can have refused.
    if (processed(status)) lessons.push(["behaviour.tsAsString", "accept"]);
    else if (credentialRefusal(status) && check?.verified) lessons.push(["behaviour.tsAsString", "refuse"]);
  }
  return lessons;
}

function signatureFields(authorization: string | undefined): Record<string, unknown> | undefined {
  if (authorization === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(authorization);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A write's body without content-type, or sent as text/plain, when the body is otherwise one the
 * service takes (JSON; for a batch, a list of at most the spec's items) and og-mock's check found
 * nothing before the media type: the answer is about the media type alone.
 */
function mediaTypeLessons(
  req: CoreRequest,
  operation: Operation,
  status: number,
  check: PreCheck | undefined,
): Lesson[] {
  const write = operation === "updateProduct" || ITEM_SCHEMA[operation] !== undefined;
  if (!write || !req.body) return [];
  const first = check?.refused?.reason;
  if (first !== undefined && first !== "mediaType") return [];
  if (!bodyOtherwiseTaken(req, operation)) return [];
  const type = req.headers["content-type"];
  if (type === undefined) {
    if (processed(status)) return [["behaviour.missingContentType", "assume-json"]];
    return refusedAsSent(status) ? [["behaviour.missingContentType", "refuse"]] : [];
  }
  if (type.split(";")[0]!.trim().toLowerCase() !== "text/plain") return [];
  if (processed(status)) return [["behaviour.unsupportedMediaType", "accepted"]];
  return refusedAsSent(status) ? [["behaviour.unsupportedMediaType", status]] : [];
}

function bodyOtherwiseTaken(req: CoreRequest, operation: Operation): boolean {
  const sent = sentJson(req);
  if (!sent.ok) return false;
  const schema = ITEM_SCHEMA[operation];
  return !schema || (Array.isArray(sent.value) && sent.value.length <= MAX_ITEMS[schema]);
}

/** JSON declared as JSON: the body lessons below need the media type out of the way. */
function declaredJson(req: CoreRequest): boolean {
  return (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

/**
 * A batch's answer: its status and form when it was processed; what too many items or a body
 * that is not a list got, when that was the request's first problem; whether an item's unknown
 * field was ignored or refused, from that item's own result.
 */
function batchLessons(
  req: CoreRequest,
  operation: Operation,
  schema: ItemSchema,
  answer: UpstreamAnswer,
  check: PreCheck | undefined,
): Lesson[] {
  const { status } = answer;
  const lessons: Lesson[] = [];
  const json = answerBody(answer).json;
  const body = json.ok ? json.value : undefined;
  const batchShaped =
    Array.isArray(body) ||
    (body !== null && typeof body === "object" && Array.isArray((body as { results?: unknown }).results));
  if (processed(status) && batchShaped) {
    lessons.push(["answer.batchStatus", status], ["answer.batchForm", Array.isArray(body) ? "list" : "object"]);
  }
  const sent = sentJson(req);
  if (!sent.ok || !declaredJson(req)) return lessons;
  const first = check?.refused?.reason;
  const items = sent.value;
  if (!Array.isArray(items)) {
    const shown = processed(status) || refusedAsSent(status);
    if ((first === undefined || first === "nonList") && shown) lessons.push(["behaviour.nonListBody", status]);
    return lessons;
  }
  if (items.length > MAX_ITEMS[schema]) {
    if (first !== undefined && first !== "tooManyItems") return lessons;
    if (processed(status)) lessons.push(["behaviour.tooManyItems", "process"]);
    else if (refusedAsSent(status)) lessons.push(["behaviour.tooManyItems", status]);
    return lessons;
  }
  if (processed(status) && batchShaped) {
    const verdict = unknownFieldVerdict(items, operation, schema, body);
    if (verdict) lessons.push(["behaviour.unknownFields", verdict]);
  }
  return lessons;
}

/**
 * An item that carried a field the spec does not define, and is otherwise valid, answered 200
 * (the field was ignored) or, in an update, 400 (refused; in a create a 400 may mean the product
 * exists already). Items are matched to results by product_id, when it is unique in both.
 */
function unknownFieldVerdict(
  items: unknown[],
  operation: Operation,
  schema: ItemSchema,
  body: unknown,
): "ignore" | "refuse" | undefined {
  const known = knownFields(schema);
  const validate = schemaValidator(schema);
  const results = batchResults(body);
  const count = (list: Array<{ product_id?: unknown } | null>, id: string) =>
    list.filter((x) => x?.product_id === id).length;
  for (const item of items) {
    if (item === null || typeof item !== "object" || Array.isArray(item)) continue;
    const fields = item as Record<string, unknown>;
    const id = fields.product_id;
    if (typeof id !== "string" || Object.keys(fields).every((k) => known.has(k))) continue;
    const knownPart = Object.fromEntries(Object.entries(fields).filter(([k]) => known.has(k)));
    if (!validate(knownPart)) continue;
    if (count(items as Array<{ product_id?: unknown } | null>, id) !== 1 || count(results, id) !== 1) continue;
    const result = results.find((r) => r?.product_id === id)!;
    if (result.status === 200) return "ignore";
    if (result.status === 400 && operation === "updateProductsBatch") return "refuse";
  }
  return undefined;
}

/** A product as the service shows it: its price's JSON type, its timestamps' format. */
function productLessons(product: unknown): Lesson[] {
  if (product === null || typeof product !== "object" || Array.isArray(product)) return [];
  const fields = product as Record<string, unknown>;
  const lessons: Lesson[] = [];
  if ("price" in fields) lessons.push(["answer.priceType", priceType(fields.price)]);
  const stamp = fields.last_update ?? fields.created;
  if (stamp !== undefined && stamp !== null) lessons.push(["answer.timestampFormat", timestampFormat(stamp)]);
  return lessons;
}

/**
 * A known path sent without its trailing slash. A read: redirected to the slashed path (query
 * kept), not found, or served; a write: its status. A refusal of credentials says neither.
 */
function missingSlashLessons(req: CoreRequest, answer: UpstreamAnswer, slashed: string, query: number): Lesson[] {
  const { status } = answer;
  if (credentialRefusal(status)) return [];
  const method = req.method.toUpperCase();
  if (method !== "GET" && method !== "HEAD") return [["behaviour.missingTrailingSlashWrite", status]];
  if (status >= 300 && status < 400) {
    const location = header(answer, "location");
    if (location === undefined) return [["behaviour.missingTrailingSlash", "other"]];
    const search = query === -1 ? "" : req.path.slice(query);
    let kept = false;
    try {
      const to = new URL(location, "http://upstream.invalid");
      kept = to.pathname === slashed && to.search === search;
    } catch {
      // Not a URL at all: "other".
    }
    return [["behaviour.missingTrailingSlash", kept ? "redirect" : "other"]];
  }
  if (status === 404) return [["behaviour.missingTrailingSlash", "not-found"]];
  return [["behaviour.missingTrailingSlash", processed(status) ? "serve" : "other"]];
}

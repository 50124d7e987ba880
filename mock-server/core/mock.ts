/**
 * The fake Ordergroove: one framework-free function from a plain request to a plain response,
 * plus the state it works on (catalog, journal, faults, throttle). The Express server and the
 * MSW handlers are thin translations around `handle`, so they cannot behave differently.
 *
 * Order of checks, as in Ordergroove's Django REST Framework stack:
 *   route → body size → injected faults → authentication → throttle → content type → JSON → items
 * A request refused at any step changes nothing (and does not use up throttle budget).
 */

import { quickCheck } from "../../src/validation/quick-checks.js";
import { batchLimit, describeSchemaError, knownFields, schemaValidator } from "../../src/validation/schemas.js";
import type { ItemResult } from "../../src/client/batch-results.js";
import { SlidingWindow } from "../../src/throttle/sliding-window.js";
import type { AuthPolicy, Principal } from "./auth/authenticate.js";
import { authenticateCached } from "./auth/cache.js";
import { Catalog, type ProductFields, storedFields } from "./products/catalog.js";
import { defaultCatalog } from "./products/default-catalog.js";
import { elapsedMs } from "./clock.js";
import { Faults } from "./faults.js";
import { type CoreRequest, type CoreResponse, detail, json } from "./messages.js";
import {
  Journal,
  type JournalEntry,
  journalBody,
  type JournalTexts,
  keepsParsed,
  maskHeaders,
} from "./journal/journal.js";
import { listProductGroups, listProducts, productHasGroup } from "./products/listing.js";
import { type AnswerSettings, type BehaviourSettings, DEFAULT_THROTTLE, type ThrottleSettings } from "./settings.js";
import { checkAnswer, checkBehaviour, type MockOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { applyProfile, type ProfileSummary } from "./calibration/apply-profile.js";
import { matchRoute, SUPPORTED_ROUTES } from "./products/routes.js";

export type { ItemResult } from "../../src/client/batch-results.js";

/** Carried from the checks to the journal entry of one request. */
interface Trace {
  principal: Principal | null;
  parsed?: unknown;
  fault?: string;
  authRefusal?: string;
  /** What the journal keeps of the answer, when not the whole body. */
  journalBody?: unknown;
  /** Unknown item fields that were ignored (not refused), in order of first appearance. */
  ignoredFields?: Set<string>;
}

const BATCH_MAX = batchLimit("ProductUpdateBatch");
const CREATE_MAX = batchLimit("ProductCreateBatch");
/** Items the compiled quick check can vouch for skip the full validator (same answers, less work). */
const QUICK = {
  ProductUpdateItem: quickCheck("ProductUpdateItem"),
  ProductCreateItem: quickCheck("ProductCreateItem"),
};

export class OrdergrooveMock {
  readonly options: ResolvedOptions;
  /** The calibration profile in force, or null (the defaults and your options only). */
  readonly profile: ProfileSummary | null;
  readonly catalog: Catalog;
  readonly journal: Journal;
  readonly faults = new Faults();
  #answer: AnswerSettings;
  #behaviour: BehaviourSettings;
  #authPolicy: AuthPolicy;
  /** Unknown field names already warned about: one warning per name for the fake's lifetime. */
  readonly #warned = new Set<string>();
  #throttle: ThrottleSettings | false = false;
  #window: SlidingWindow | undefined;

  constructor(options: MockOptions = {}) {
    const calibrated = applyProfile(options);
    this.profile = calibrated.summary;
    this.options = resolveOptions(calibrated.options);
    // The seed is not kept in `options`: the catalog holds its own compact copy of it.
    this.catalog = new Catalog(
      this.options.credentials.publicId,
      this.options.clock,
      options.products ?? defaultCatalog,
      options.products === undefined,
    );
    this.journal = new Journal(this.options.journalLimit);
    this.#answer = { ...this.options.answer };
    this.#behaviour = { ...this.options.behaviour };
    this.#authPolicy = { ...this.options.auth, tsAsString: this.#behaviour.tsAsString };
    this.#useThrottle(this.options.throttle);
    if (options.faults) this.faults.set({ items: [], next: [], latencyMs: 0, dropNext: 0, ...options.faults });
  }

  get answer(): AnswerSettings {
    return { ...this.#answer };
  }

  /** Switches the answer form at run time, e.g. to test a client against every documented form. */
  setAnswer(answer: Partial<AnswerSettings>): void {
    const next = { ...this.#answer, ...answer };
    checkAnswer(next);
    this.#answer = next;
  }

  /** What the fake does where Ordergroove's docs are silent (see BehaviourSettings). */
  get behaviour(): BehaviourSettings {
    return { ...this.#behaviour };
  }

  /** Changes undocumented behaviours at run time (checked first: a bad setting changes nothing). */
  setBehaviour(behaviour: Partial<BehaviourSettings>): void {
    const next = { ...this.#behaviour, ...behaviour };
    checkBehaviour(next);
    this.#behaviour = next;
    this.#authPolicy = { ...this.options.auth, tsAsString: next.tsAsString };
  }

  get throttle(): ThrottleSettings | false {
    return this.#throttle ? { ...this.#throttle } : false;
  }

  /** Tunes or (with `false`) switches off the throttle; starts a fresh window. */
  setThrottle(throttle: Partial<ThrottleSettings> | false): void {
    this.#useThrottle(
      throttle === false ? false : { ...(this.#throttle || this.options.throttle || DEFAULT_THROTTLE), ...throttle },
    );
  }

  /** The throttle in force and a fresh window for it (checked first: a bad setting changes nothing). */
  #useThrottle(throttle: ThrottleSettings | false): void {
    const window = throttle ? new SlidingWindow(throttle) : undefined;
    this.#throttle = throttle;
    this.#window = window;
  }

  /** Back to the start: catalog to its seed, journal emptied, faults cleared, throttle window fresh. */
  reset(): void {
    this.catalog.reset();
    this.journal.clear();
    this.faults.clear();
    this.#answer = { ...this.options.answer };
    this.setBehaviour(this.options.behaviour);
    this.#useThrottle(this.options.throttle);
  }

  handle(req: CoreRequest): CoreResponse {
    const started = elapsedMs();
    const trace: Trace = { principal: null };
    const response = this.#route(req, trace);
    const latency = this.faults.latencyMs;
    if (latency > 0) response.delayMs = latency;
    this.#record(req, response, trace, elapsedMs() - started + latency);
    return response;
  }

  /** Journals a request that its host refused before the core saw its body (e.g. too large to read). */
  recordRefusal(req: CoreRequest, response: CoreResponse, why: string): void {
    this.#record(req, response, { principal: null, fault: why }, 0);
  }

  #record(req: CoreRequest, response: CoreResponse, trace: Trace, ms: number): void {
    // Bodies are kept as their texts and parsed again when the journal is read (JournalTexts).
    const lazy = keepsParsed(req.body, trace.parsed);
    const answerText =
      this.journal.limit > 0 && !response.drop && response.body !== undefined && !("journalBody" in trace)
        ? (response.text = JSON.stringify(response.body))
        : undefined;
    // Built without spreads: this runs for every request (measured ~1 µs of a 1-item batch's 5).
    let texts: JournalTexts | undefined;
    if (lazy) texts = answerText === undefined ? { body: req.body! } : { body: req.body!, responseBody: answerText };
    else if (answerText !== undefined) texts = { responseBody: answerText };
    const entry: Omit<JournalEntry, "seq"> = {
      at: this.#isoNow(),
      method: req.method.toUpperCase(),
      path: req.path,
      headers: maskHeaders(req.headers),
      body: lazy ? null : journalBody(req.body, trace.parsed),
      principal: trace.principal,
      response: response.drop
        ? { dropped: true }
        : {
            status: response.status,
            body: answerText !== undefined ? null : "journalBody" in trace ? trace.journalBody : response.body,
          },
      ms: Math.round(ms * 100) / 100,
    };
    this.journal.record(
      trace.ignoredFields || trace.authRefusal || trace.fault ? withNotes(entry, trace) : entry,
      texts,
    );
  }

  #isoMs = Number.NaN;
  #iso = "";

  /** The clock's time in ISO form, formatted once per millisecond however many requests share it. */
  #isoNow(): string {
    const now = this.options.clock.now();
    if (now !== this.#isoMs) {
      this.#isoMs = now;
      this.#iso = new Date(now).toISOString();
    }
    return this.#iso;
  }

  #route(req: CoreRequest, trace: Trace): CoreResponse {
    const method = req.method.toUpperCase();
    const pathname = req.path.split("?")[0] ?? req.path;
    const route = matchRoute(method, pathname);
    if (route.kind === "none") {
      const hint = route.hint ? ` ${route.hint}` : "";
      return detail(
        404,
        `Not found: no route for ${method} ${pathname}.${hint} This server serves ${SUPPORTED_ROUTES.join(", ")}.`,
      );
    }
    if (route.kind === "wrong-method") {
      return detail(405, `Method "${method}" not allowed on ${pathname}; allowed: ${route.allow.join(", ")}.`, {
        allow: route.allow.join(", "),
      });
    }
    const bodyBytes = req.body === undefined ? 0 : Buffer.byteLength(req.body, "utf8");
    if (bodyBytes > this.options.maxBodyBytes) {
      trace.fault = "body too large";
      return tooLarge(bodyBytes, this.options.maxBodyBytes);
    }
    if (this.faults.takeDrop()) {
      trace.fault = "injected: connection dropped";
      return { status: 0, headers: {}, drop: true };
    }
    const injected = this.faults.takeRequestFault();
    if (injected) {
      trace.fault = `injected: ${injected.status}`;
      return injectedResponse(injected.status, injected.retryAfterSeconds, this.#behaviour, this.options.clock.now());
    }
    const auth = authenticateCached(
      req.headers,
      this.options.credentials,
      this.#authPolicy,
      this.options.clock,
      route.operation,
    );
    if (!auth.ok) {
      trace.authRefusal = auth.detail;
      return detail(auth.status ?? this.options.auth.failureStatus, auth.detail);
    }
    trace.principal = auth.principal;
    const bulk = route.operation === "updateProductsBatch" || route.operation === "createProductsBatch";
    if (bulk && this.#window) {
      const waitMs = this.#window.tryAcquire(this.options.clock.now());
      if (waitMs > 0) {
        trace.fault = "throttled";
        const seconds = Math.max(1, Math.ceil(waitMs / 1000));
        return detail(
          429,
          `Request was throttled. Expected available in ${seconds} seconds.`,
          retryAfterHeader(this.#behaviour.retryAfter, seconds, this.options.clock.now()),
        );
      }
    }
    switch (route.operation) {
      case "getProduct":
        return this.#getProduct(route.productId!, req.path);
      case "listProducts": {
        const answer = listProducts(this.catalog, req);
        // The journal keeps the listed ids, not 100 full products per page: a full journal of
        // listings would hold 100k product objects and make every request pay for the GC.
        const page = answer.body as { results?: Array<{ external_product_id: string }> };
        if (answer.status === 200 && page.results) {
          trace.journalBody = { ...page, results: page.results.map((p) => p.external_product_id) };
        }
        return answer;
      }
      case "productHasGroup":
        return productHasGroup(this.catalog, route.productId!, route.groupType!, route.groupName!);
      case "listProductGroups":
        // Application API scope only (Ordergroove's reference): a signature is not enough here.
        if (auth.principal.scheme !== "api-key") {
          return detail(
            this.options.auth.failureStatus,
            "GET /product_groups/ takes the Application API scope only: send x-api-key. An HMAC signature is refused on this endpoint.",
          );
        }
        return listProductGroups(this.catalog, req);
    }
    const media = checkMediaType(req.headers["content-type"], this.#behaviour);
    if (media) return media;
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.body ?? "");
    } catch (error) {
      return detail(400, `JSON parse error: ${(error as Error).message}. The body must be JSON.`);
    }
    trace.parsed = parsed;
    return this.#operation(route.operation, parsed, trace, route.productId);
  }

  #operation(
    operation: "updateProductsBatch" | "createProductsBatch" | "updateProduct",
    body: unknown,
    trace: Trace,
    productId?: string,
  ): CoreResponse {
    switch (operation) {
      case "updateProductsBatch": {
        const at = this.catalog.timestamp();
        return this.#batch(body, BATCH_MAX, (item) => this.#updateItem(item, trace, at));
      }
      case "createProductsBatch":
        return this.#batch(body, CREATE_MAX, (item) => this.#createItem(item, trace));
      case "updateProduct":
        return this.#patchProduct(productId!, body, trace);
    }
  }

  #batch(body: unknown, max: number, apply: (item: unknown) => ItemResult): CoreResponse {
    if (!Array.isArray(body)) {
      return detail(
        this.#behaviour.nonListBody,
        `Expected a list of items but got type "${jsonType(body)}". The body must be a JSON list of products.`,
      );
    }
    if (body.length > max && this.#behaviour.tooManyItems !== "process") {
      return detail(
        this.#behaviour.tooManyItems,
        `Ensure this field has no more than ${max} elements: got ${body.length}. Send at most ${max} products per request.`,
      );
    }
    const results = body.map(apply);
    const { batchStatus, batchForm } = this.#answer;
    return json(batchStatus, batchForm === "object" ? { results } : results.map((r) => ({ results: [r] })));
  }

  #updateItem(item: unknown, trace: Trace, at: string): ItemResult {
    return this.#item(item, "ProductUpdateItem", trace, (id, fields) =>
      this.catalog.apply(id, fields, at)
        ? undefined
        : { product_id: id, status: 404, detail: `no product with product_id ${JSON.stringify(id)} for this merchant` },
    );
  }

  #createItem(item: unknown, trace: Trace): ItemResult {
    return this.#item(item, "ProductCreateItem", trace, (id, { product_id: _, ...fields }) =>
      this.catalog.create({ ...fields, external_product_id: id })
        ? undefined
        : { product_id: id, status: 400, detail: "product_id: a product with this id exists already" },
    );
  }

  /**
   * One batch item: validated, then a forced fault status, else `apply` (undefined = applied, 200).
   * `apply` gets the item as validated, `product_id` included: no copy is made per item.
   */
  #item(
    item: unknown,
    schema: "ProductUpdateItem" | "ProductCreateItem",
    trace: Trace,
    apply: (id: string, item: ProductFields & { product_id: string }) => ItemResult | undefined,
  ): ItemResult {
    const pid = (item as { product_id?: unknown } | null)?.product_id;
    const productId = typeof pid === "string" ? pid : null;
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      return { product_id: null, status: 400, detail: `each item must be an object; got ${jsonType(item)}` };
    }
    let known: Record<string, unknown>;
    // Vouched for: every field known (nothing to ignore or refuse) and valid, so the full
    // validator would accept it as it is.
    if (QUICK[schema](item)) known = item as Record<string, unknown>;
    else {
      const kept = this.#knownOnly(item as Record<string, unknown>, schema, trace);
      if (typeof kept === "string") return { product_id: productId, status: 400, detail: kept };
      const validate = schemaValidator(schema);
      if (!validate(kept)) return { product_id: productId, status: 400, detail: describeSchemaError(validate.errors) };
      known = kept;
    }
    const valid = known as ProductFields & { product_id: string };
    const id = valid.product_id;
    const forced = this.faults.itemStatus(id);
    if (forced) return { product_id: id, status: forced, detail: `forced by a fault rule (${forced})` };
    return apply(id, storedFields(valid)) ?? { product_id: id, status: 200 };
  }

  /**
   * The object without the fields the schema does not know. Ignored fields are recorded on the
   * journal entry and warned about once per name; with `unknownFields: "refuse"` the first one
   * is returned as the reason to refuse (a string) instead.
   */
  #knownOnly(object: Record<string, unknown>, schema: string, trace: Trace): Record<string, unknown> | string {
    const known = knownFields(schema);
    let unknown: string[] | undefined;
    for (const key of Object.keys(object)) if (!known.has(key)) (unknown ??= []).push(key);
    if (!unknown) return object;
    if (this.#behaviour.unknownFields === "refuse") {
      return `${unknown[0]}: is not a known product field (strict mode refuses fields the spec does not know)`;
    }
    trace.ignoredFields ??= new Set();
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(object)) {
      if (known.has(key)) kept[key] = value;
      else {
        trace.ignoredFields.add(key);
        this.#warnUnknown(key);
      }
    }
    return kept;
  }

  #warnUnknown(field: string): void {
    // Bounded: a client sending endless distinct names must not grow the fake's memory.
    if (this.#warned.has(field) || this.#warned.size >= 1000) return;
    this.#warned.add(field);
    this.options.logger.warn(
      `og-mock: ignored the unknown product field ${JSON.stringify(field.slice(0, 100))} (as Django REST framework does). ` +
        "If it is a typo, the change it meant did not happen; strict mode (--strict, strict: true) refuses such items. " +
        "Warned once per field name; the journal lists ignored fields per request.",
    );
  }

  #getProduct(id: string, path: string): CoreResponse {
    const product = this.catalog.get(id);
    if (!product) return notFoundProduct(id);
    const query = new URLSearchParams(path.split("?")[1] ?? "");
    if (query.get("include_product_free_trials") === "true") {
      return json(200, { ...product, product_free_trial_configurations: [] });
    }
    return json(200, product);
  }

  /** The single-product PATCH: its 400 body is keyed by field, as Ordergroove documents. */
  #patchProduct(id: string, body: unknown, trace: Trace): CoreResponse {
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      return json(400, {
        non_field_errors: `Invalid data. Expected a dictionary of product fields, but got ${jsonType(body)}.`,
      });
    }
    const known = this.#knownOnly(body as Record<string, unknown>, "ProductPatch", trace);
    if (typeof known === "string") return json(400, fieldError(known));
    const validate = schemaValidator("ProductPatch");
    if (!validate(known)) return json(400, fieldError(describeSchemaError(validate.errors)));
    const forced = this.faults.itemStatus(id);
    if (forced === 404) return notFoundProduct(id);
    if (forced === 400) return json(400, { non_field_errors: "forced by a fault rule (400)" });
    // `type` (the current page's name) is read as product_type: an assumption, marked in the spec.
    const { type, ...fields } = known as ProductFields & { type?: ProductFields["product_type"] };
    if (type !== undefined && fields.product_type === undefined) fields.product_type = type;
    const updated = this.catalog.update(id, storedFields(fields));
    return updated ? json(200, updated) : notFoundProduct(id);
  }
}

/** `{"price": "must be number"}` from `price: must be number`: Ordergroove's field-keyed 400. */
function fieldError(sentence: string): Record<string, string> {
  const at = sentence.indexOf(": ");
  const field = at > 0 ? sentence.slice(0, at).split(".")[0]! : "non_field_errors";
  return { [field]: at > 0 ? sentence.slice(at + 2) : sentence };
}

/** Retry-After in the form the settings say; undocumented by Ordergroove, so a setting. */
export function retryAfterHeader(
  form: BehaviourSettings["retryAfter"],
  seconds: number,
  nowMs: number,
): Record<string, string> {
  if (form === "absent") return {};
  if (form === "http-date") return { "retry-after": new Date(nowMs + seconds * 1000).toUTCString() };
  return { "retry-after": String(seconds) };
}

export function createOrdergrooveMock(options: MockOptions = {}): OrdergrooveMock {
  return new OrdergrooveMock(options);
}

export function tooLarge(bytes: number, limit: number): CoreResponse {
  return detail(413, `Request body is ${bytes} bytes; the limit is ${limit} bytes.`);
}

function notFoundProduct(id: string): CoreResponse {
  return detail(404, `Not found: no product with external_product_id ${JSON.stringify(id.slice(0, 255))}.`);
}

function checkMediaType(contentType: string | undefined, behaviour: BehaviourSettings): CoreResponse | undefined {
  if (contentType === undefined && behaviour.missingContentType === "assume-json") return undefined;
  const media = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (media === "application/json") return undefined;
  return detail(
    behaviour.unsupportedMediaType,
    contentType
      ? `Unsupported media type ${JSON.stringify(contentType.slice(0, 100))} in request. Send content-type: application/json.`
      : "Unsupported media type: no content-type header. Send content-type: application/json.",
  );
}

function injectedResponse(
  status: number,
  retryAfterSeconds: number | undefined,
  behaviour: BehaviourSettings,
  nowMs: number,
): CoreResponse {
  const retryAfter = retryAfterSeconds ?? (status === 429 ? 1 : undefined);
  // An explicitly injected Retry-After is sent as asked; the default one of a 429 follows the setting.
  const headers: Record<string, string> =
    retryAfter === undefined
      ? {}
      : retryAfterSeconds !== undefined
        ? { "retry-after": String(retryAfter) }
        : retryAfterHeader(behaviour.retryAfter, retryAfter, nowMs);
  const text =
    status === 429
      ? `Request was throttled. Expected available in ${retryAfter} seconds.`
      : status === 503
        ? "Service temporarily unavailable."
        : status >= 500
          ? "A server error occurred."
          : `Error ${status}.`;
  return detail(status, `${text} (injected fault)`, headers);
}

/** The entry with the trace's notes, in the order the journal has always shown them. */
function withNotes(entry: Omit<JournalEntry, "seq">, trace: Trace): Omit<JournalEntry, "seq"> {
  const { at, method, path, headers, body, principal, response, ms } = entry;
  return {
    at,
    method,
    path,
    headers,
    body,
    principal,
    ...(trace.ignoredFields ? { ignoredFields: [...trace.ignoredFields] } : {}),
    response,
    ...(trace.authRefusal ? { authRefusal: trace.authRefusal } : {}),
    ...(trace.fault ? { fault: trace.fault } : {}),
    ms,
  };
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  if (typeof value === "object") return "dict";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "boolean") return "bool";
  return "str";
}

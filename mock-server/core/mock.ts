/**
 * The fake Ordergroove: one framework-free function from a plain request to a plain response,
 * plus the state it works on (catalog, journal, faults, throttle). The Express server and the
 * MSW handlers are thin translations around `handle`, so they cannot behave differently.
 *
 * Order of checks, as in Ordergroove's Django REST Framework stack:
 *   route → body size → injected faults → authentication → throttle → content type → JSON → items
 * A request refused at any step changes nothing (and does not use up throttle budget).
 */

import { batchLimit, describeSchemaError, schemaValidator } from "../../src/spec/schemas.js";
import type { ItemResult } from "../../src/spec/batch-results.js";
import { SlidingWindow } from "../../src/throttle/sliding-window.js";
import { authenticate, type Principal } from "./auth.js";
import { Catalog, type ProductFields } from "./catalog.js";
import { defaultCatalog } from "./default-catalog.js";
import { Faults } from "./faults.js";
import { type CoreRequest, type CoreResponse, detail, json } from "./http.js";
import { Journal, journalBody, maskHeaders } from "./journal.js";
import { listProductGroups, listProducts, productHasGroup } from "./listing.js";
import {
  type AnswerSettings,
  checkAnswer,
  DEFAULT_THROTTLE,
  type MockOptions,
  type ResolvedOptions,
  resolveOptions,
  type ThrottleSettings,
} from "./options.js";
import { matchRoute, SUPPORTED_ROUTES } from "./routes.js";

export type { ItemResult } from "../../src/spec/batch-results.js";

/** Carried from the checks to the journal entry of one request. */
interface Trace {
  principal: Principal | null;
  parsed?: unknown;
  fault?: string;
  authRefusal?: string;
  /** What the journal keeps of the answer, when not the whole body. */
  journalBody?: unknown;
}

const BATCH_MAX = batchLimit("ProductUpdateBatch");
const CREATE_MAX = batchLimit("ProductCreateBatch");

export class OrdergrooveMock {
  readonly options: ResolvedOptions;
  readonly catalog: Catalog;
  readonly journal: Journal;
  readonly faults = new Faults();
  #answer: AnswerSettings;
  #throttle: ThrottleSettings | false = false;
  #window: SlidingWindow | undefined;

  constructor(options: MockOptions = {}) {
    this.options = resolveOptions(options);
    // The seed is not kept in `options`: the catalog holds its own compact copy of it.
    this.catalog = new Catalog(
      this.options.credentials.publicId,
      this.options.clock,
      options.products ?? defaultCatalog,
    );
    this.journal = new Journal(this.options.journalLimit);
    this.#answer = { ...this.options.answer };
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
    this.#useThrottle(this.options.throttle);
  }

  handle(req: CoreRequest): CoreResponse {
    const started = performance.now();
    const trace: Trace = { principal: null };
    const response = this.#route(req, trace);
    const latency = this.faults.latencyMs;
    if (latency > 0) response.delayMs = latency;
    this.#record(req, response, trace, performance.now() - started + latency);
    return response;
  }

  /** Journals a request that its host refused before the core saw its body (e.g. too large to read). */
  recordRefusal(req: CoreRequest, response: CoreResponse, why: string): void {
    this.#record(req, response, { principal: null, fault: why }, 0);
  }

  #record(req: CoreRequest, response: CoreResponse, trace: Trace, ms: number): void {
    this.journal.record({
      at: new Date(this.options.clock.now()).toISOString(),
      method: req.method.toUpperCase(),
      path: req.path,
      headers: maskHeaders(req.headers),
      body: journalBody(req.body, trace.parsed),
      principal: trace.principal,
      response: response.drop
        ? { dropped: true }
        : { status: response.status, body: "journalBody" in trace ? trace.journalBody : response.body },
      ...(trace.authRefusal ? { authRefusal: trace.authRefusal } : {}),
      ...(trace.fault ? { fault: trace.fault } : {}),
      ms: Math.round(ms * 100) / 100,
    });
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
      return injectedResponse(injected.status, injected.retryAfterSeconds);
    }
    const auth = authenticate(req.headers, this.options.credentials, this.options.auth, this.options.clock);
    if (!auth.ok) {
      trace.authRefusal = auth.detail;
      return detail(this.options.auth.failureStatus, auth.detail);
    }
    trace.principal = auth.principal;
    const bulk = route.operation === "updateProductsBatch" || route.operation === "createProductsBatch";
    if (bulk && this.#window) {
      const waitMs = this.#window.tryAcquire(this.options.clock.now());
      if (waitMs > 0) {
        trace.fault = "throttled";
        const seconds = Math.max(1, Math.ceil(waitMs / 1000));
        return detail(429, `Request was throttled. Expected available in ${seconds} seconds.`, {
          "retry-after": String(seconds),
        });
      }
    }
    switch (route.operation) {
      case "getProduct":
        return this.#getProduct(route.productId!);
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
    const media = checkMediaType(req.headers["content-type"]);
    if (media) return media;
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.body ?? "");
    } catch (error) {
      return detail(400, `JSON parse error: ${(error as Error).message}. The body must be JSON.`);
    }
    trace.parsed = parsed;
    return this.#operation(route.operation, parsed, route.productId);
  }

  #operation(
    operation: "updateProductsBatch" | "createProductsBatch" | "updateProduct",
    body: unknown,
    productId?: string,
  ): CoreResponse {
    switch (operation) {
      case "updateProductsBatch":
        return this.#batch(body, BATCH_MAX, (item) => this.#updateItem(item));
      case "createProductsBatch":
        return this.#batch(body, CREATE_MAX, (item) => this.#createItem(item));
      case "updateProduct":
        return this.#patchProduct(productId!, body);
    }
  }

  #batch(body: unknown, max: number, apply: (item: unknown) => ItemResult): CoreResponse {
    if (!Array.isArray(body)) {
      return detail(
        400,
        `Expected a list of items but got type "${jsonType(body)}". The body must be a JSON list of products.`,
      );
    }
    if (body.length > max) {
      return detail(
        400,
        `Ensure this field has no more than ${max} elements: got ${body.length}. Send at most ${max} products per request.`,
      );
    }
    const results = body.map(apply);
    const { batchStatus, batchForm } = this.#answer;
    return json(batchStatus, batchForm === "object" ? { results } : results.map((r) => ({ results: [r] })));
  }

  #updateItem(item: unknown): ItemResult {
    return this.#item(item, "ProductUpdateItem", (id, fields) =>
      this.catalog.apply(id, fields)
        ? undefined
        : { product_id: id, status: 404, detail: `no product with product_id ${JSON.stringify(id)} for this merchant` },
    );
  }

  #createItem(item: unknown): ItemResult {
    return this.#item(item, "ProductCreateItem", (id, fields) =>
      this.catalog.create({ ...fields, external_product_id: id })
        ? undefined
        : { product_id: id, status: 400, detail: "product_id: a product with this id exists already" },
    );
  }

  /** One batch item: validated, then a forced fault status, else `apply` (undefined = applied, 200). */
  #item(
    item: unknown,
    schema: "ProductUpdateItem" | "ProductCreateItem",
    apply: (id: string, fields: ProductFields) => ItemResult | undefined,
  ): ItemResult {
    const invalid = this.#invalidItem(item, schema);
    if (invalid) return invalid;
    const { product_id: id, ...fields } = item as { product_id: string } & ProductFields;
    const forced = this.faults.itemStatus(id);
    if (forced) return { product_id: id, status: forced, detail: `forced by a fault rule (${forced})` };
    return apply(id, fields) ?? { product_id: id, status: 200 };
  }

  #invalidItem(item: unknown, schema: "ProductUpdateItem" | "ProductCreateItem"): ItemResult | undefined {
    const pid = (item as { product_id?: unknown } | null)?.product_id;
    const productId = typeof pid === "string" ? pid : null;
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      return { product_id: null, status: 400, detail: `each item must be an object; got ${jsonType(item)}` };
    }
    const validate = schemaValidator(schema);
    if (!validate(item)) return { product_id: productId, status: 400, detail: describeSchemaError(validate.errors) };
    return undefined;
  }

  #getProduct(id: string): CoreResponse {
    const product = this.catalog.get(id);
    return product ? json(200, product) : notFoundProduct(id);
  }

  #patchProduct(id: string, body: unknown): CoreResponse {
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      return detail(400, `Expected an object of product fields but got type "${jsonType(body)}".`);
    }
    const validate = schemaValidator("ProductPatch");
    if (!validate(body)) return detail(400, `Invalid product: ${describeSchemaError(validate.errors)}.`);
    const forced = this.faults.itemStatus(id);
    if (forced === 404) return notFoundProduct(id);
    if (forced === 400) return detail(400, "Invalid product: forced by a fault rule (400).");
    const updated = this.catalog.update(id, body as ProductFields);
    return updated ? json(200, updated) : notFoundProduct(id);
  }
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

function checkMediaType(contentType: string | undefined): CoreResponse | undefined {
  const media = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (media === "application/json") return undefined;
  return detail(
    415,
    contentType
      ? `Unsupported media type ${JSON.stringify(contentType.slice(0, 100))} in request. Send content-type: application/json.`
      : "Unsupported media type: no content-type header. Send content-type: application/json.",
  );
}

function injectedResponse(status: number, retryAfterSeconds?: number): CoreResponse {
  const headers: Record<string, string> = {};
  const retryAfter = retryAfterSeconds ?? (status === 429 ? 1 : undefined);
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
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

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  if (typeof value === "object") return "dict";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "boolean") return "bool";
  return "str";
}

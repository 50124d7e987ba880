/**
 * The fake Ordergroove: one framework-free function from a plain request to a plain response,
 * plus the state it works on (catalog, journal, faults, throttle): one merchant's mock. The
 * hosts reach it through the core's front (./front.ts) and only translate, so they cannot
 * behave differently.
 *
 * Order of checks, as in Ordergroove's Django REST Framework stack:
 *   route → body size → injected faults → authentication → throttle → content type → JSON → items
 * A request refused at any step changes nothing (and does not use up throttle budget).
 *
 * This file is the pipeline; the steps live by concern: refusals.ts (the answers of the early
 * refusals), auth/, products/ (listing, single-product, batch-items: the per-item checks), and
 * journal/entries.ts (the journal entry each request leaves).
 */

import { SlidingWindow } from "../../shared/throttle/sliding-window.js";
import type { AuthPolicy } from "./auth/authenticate.js";
import { authenticateCached } from "./auth/cache.js";
import { Catalog } from "./products/catalog.js";
import { defaultCatalog } from "./products/default-catalog.js";
import { elapsedMs } from "./clock.js";
import { Faults } from "./faults.js";
import { type CoreRequest, type CoreResponse, detail } from "./messages.js";
import { Journal } from "./journal/journal.js";
import { EntryTime, recordExchange, type Trace } from "./journal/entries.js";
import { type ItemParts, itemsBatch } from "./products/batch-items.js";
import { listProductGroups, listProducts, originOf, productHasGroup } from "./products/listing.js";
import { getProduct, patchProduct } from "./products/single-product.js";
import { UnknownFields } from "./products/unknown-fields.js";
import { type AnswerSettings, type BehaviourSettings, DEFAULT_THROTTLE, type ThrottleSettings } from "./settings.js";
import {
  checkAnswerSettings,
  checkBehaviourSettings,
  type MockOptions,
  type ResolvedOptions,
  resolveOptions,
} from "./options.js";
import { applyProfile, type ProfileSummary } from "./apply-profile.js";
import { matchRoute } from "./routes.js";
import {
  checkMediaType,
  injectedResponse,
  missingSlash,
  noRoute,
  throttled,
  tooLarge,
  wrongMethod,
} from "./refusals.js";
import { withHint } from "./hint.js";
import { maskSecretQuery } from "./secret-query.js";

export type { ItemResult } from "../../shared/batch-results.js";

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
  /** What bulk and single-product items are checked and applied against (one object, made once). */
  readonly #items: ItemParts;
  /** The same parts with no faults: what a replay (og-mock --shadow) works with. */
  readonly #replayItems: ItemParts;
  readonly #entryTime: EntryTime;
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
    this.journal = new Journal(this.options.journalLimit, this.options.journalMaxBytes);
    this.#items = { catalog: this.catalog, faults: this.faults, unknownFields: new UnknownFields(this.options) };
    this.#replayItems = { ...this.#items, faults: new Faults() };
    this.#entryTime = new EntryTime(this.options);
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
    checkAnswerSettings(next);
    this.#answer = next;
  }

  /** What the fake does where Ordergroove's docs are silent (see BehaviourSettings). */
  get behaviour(): BehaviourSettings {
    return { ...this.#behaviour };
  }

  /** How credentials are checked now: one object until a setting changes (so verdicts can be remembered under it). */
  get authPolicy(): Readonly<AuthPolicy> {
    return this.#authPolicy;
  }

  /** Changes undocumented behaviours at run time (checked first: a bad setting changes nothing). */
  setBehaviour(behaviour: Partial<BehaviourSettings>): void {
    const next = { ...this.#behaviour, ...behaviour };
    checkBehaviourSettings(next);
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

  handle(given: CoreRequest, how: { replay?: boolean } = {}): CoreResponse {
    const started = elapsedMs();
    // A token in the query is masked before the journal, a hint or a listing's links repeat it.
    const req = withoutSecretQuery(given);
    const trace: Trace = { principal: null };
    const response = this.#route(req, trace, how.replay === true);
    const latency = how.replay ? 0 : this.faults.latencyMs;
    if (latency > 0) response.delayMs = latency;
    recordExchange(this.journal, this.#entryTime, req, response, trace, elapsedMs() - started + latency);
    return response;
  }

  /** Journals a request that its host refused before the core saw its body (e.g. too large to read). */
  recordRefusal(req: CoreRequest, response: CoreResponse, why: string): void {
    recordExchange(
      this.journal,
      this.#entryTime,
      withoutSecretQuery(req),
      response,
      { principal: null, fault: why },
      0,
    );
  }

  /**
   * Journals an exchange the proxy answered or forwarded (./proxy/proxy.ts): who answered, and the
   * request's headers as the proxy masked them.
   */
  recordProxied(req: CoreRequest, response: CoreResponse, notes: Omit<Trace, "principal">, ms: number): void {
    recordExchange(this.journal, this.#entryTime, withoutSecretQuery(req), response, { principal: null, ...notes }, ms);
  }

  /**
   * `replay`: og-mock --shadow asking what the fake itself would answer to a real exchange: the
   * faults a user set (a dropped connection, the next statuses, item statuses, latency) are for the
   * fake's own answers, so a replay neither meets nor uses them up.
   */
  #route(req: CoreRequest, trace: Trace, replay: boolean): CoreResponse {
    const method = req.method.toUpperCase();
    const mark = req.path.indexOf("?");
    const pathname = mark < 0 ? req.path : req.path.slice(0, mark);
    let route = matchRoute(method, pathname);
    if (route.kind === "missing-slash") {
      const query = req.path.slice(pathname.length);
      const answer = missingSlash(
        method,
        pathname,
        route.slashed,
        query,
        originOf(req),
        this.#behaviour.missingTrailingSlash,
      );
      if (answer) {
        trace.hint = answer.hint;
        return answer.response;
      }
      // `serve`: answered as the slashed path, so listing links are built on it too.
      req = { ...req, path: `${route.slashed}${query}` };
      route = matchRoute(method, route.slashed);
    }
    if (route.kind === "none" || route.kind === "missing-slash") return noRoute(method, pathname, route.hint);
    if (route.kind === "wrong-method") return wrongMethod(method, pathname, route.allow);
    const bodyBytes = req.body === undefined ? 0 : Buffer.byteLength(req.body, "utf8");
    if (bodyBytes > this.options.maxBodyBytes) {
      trace.fault = "body too large";
      return tooLarge(bodyBytes, this.options.maxBodyBytes);
    }
    if (!replay && this.faults.takeDrop()) {
      trace.fault = "injected: connection dropped";
      return { status: 0, headers: {}, drop: true };
    }
    const injected = replay ? undefined : this.faults.takeRequestFault();
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
      // The body says what the service says (where observed: `auth.refusalDetails`), the
      // explanation travels beside it (x-og-mock-hint, journal, dashboard, log).
      trace.authRefusal = auth.detail;
      const words = auth.kind === undefined ? undefined : this.#authPolicy.refusalDetails?.[auth.kind];
      return withHint(detail(auth.status ?? this.options.auth.failureStatus, words ?? auth.detail), auth.detail);
    }
    trace.principal = auth.principal;
    const bulk = route.operation === "updateProductsBatch" || route.operation === "createProductsBatch";
    if (bulk && this.#window) {
      const waitMs = this.#window.tryAcquire(this.options.clock.now());
      if (waitMs > 0) {
        trace.fault = "throttled";
        return throttled(Math.max(1, Math.ceil(waitMs / 1000)), this.#behaviour, this.options.clock.now());
      }
    }
    switch (route.operation) {
      case "getProduct":
        return getProduct(this.catalog, route.productId!, req.path);
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
    return this.#operation(route.operation, parsed, trace, replay ? this.#replayItems : this.#items, route.productId);
  }

  #operation(
    operation: "updateProductsBatch" | "createProductsBatch" | "updateProduct",
    body: unknown,
    trace: Trace,
    items: ItemParts,
    productId?: string,
  ): CoreResponse {
    switch (operation) {
      case "updateProductsBatch":
        return itemsBatch(
          body,
          "ProductUpdateItem",
          this.catalog.timestamp(),
          items,
          this.#behaviour,
          this.#answer,
          trace,
        );
      case "createProductsBatch":
        return itemsBatch(body, "ProductCreateItem", "", items, this.#behaviour, this.#answer, trace);
      case "updateProduct":
        return patchProduct(productId!, body, items, this.#behaviour, trace);
    }
  }
}

export function createOrdergrooveMock(options: MockOptions = {}): OrdergrooveMock {
  return new OrdergrooveMock(options);
}

function withoutSecretQuery(req: CoreRequest): CoreRequest {
  const path = maskSecretQuery(req.path);
  return path === req.path ? req : { ...req, path };
}

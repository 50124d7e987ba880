/**
 * The reference client of Ordergroove's products API: typed by the spec (openapi-fetch over the
 * generated paths), signing every attempt afresh, splitting into batches of 100, staying under
 * the throttle, retrying only where safe, and reporting per item.
 */
import createClient from "openapi-fetch";
import { signedHeaders } from "../auth/signature.js";
import type {
  ItemResult,
  Product,
  ProductCreateItem,
  ProductGroupType,
  ProductList,
  ProductPatch,
  ProductUpdateItem,
} from "../api-types.js";
import type { operations, paths } from "../generated/openapi.js";
import { batchLimit, describeSchemaError, schemaValidator } from "../validation/schemas.js";
import { SlidingWindow } from "../throttle/sliding-window.js";
import {
  ConfigError,
  type Credentials,
  type Environment,
  type HeldCredentials,
  holdCredentials,
  resolveBaseUrl,
  secretsOf,
} from "./config.js";
import { errorFor, NetworkError, OrdergrooveError, TimeoutError, UnexpectedResponseError } from "./errors.js";
import { type BatchReport, buildReport, type ItemOutcome } from "./report.js";
import { DEFAULT_RETRY, decideRetry, type RetryPolicy } from "./retry.js";
import { redact } from "./secret.js";
import { type AnswerDrift, AnswerDriftReporter, readBatchResults, readProduct } from "./tolerant-reader.js";

export type { AnswerDrift } from "./tolerant-reader.js";

export type { Product, ProductCreateItem, ProductGroupType, ProductPatch, ProductUpdateItem } from "../api-types.js";
/** The filters of GET /products/, named as Ordergroove names them (the pagination is the iterator's business). */
export type ProductFilters = Omit<NonNullable<operations["listProducts"]["parameters"]["query"]>, "cursor" | "page">;

export interface ListOptions {
  /** Pages read ahead of the consumer (1 to 5; default 5, what Ordergroove allows when paginating). */
  prefetch?: number;
  /** Called after each page arrives: its number (from 1) and the products it held. */
  onPage?: (page: number, products: number) => void;
}

/** Ordergroove allows up to 5 concurrent requests when paginating. */
const MAX_PREFETCH = 5;

export interface ClientLogger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
}

export interface ClientOptions {
  /** `"production"`, `"staging"` or `{ baseUrl }`. Required: the client never defaults to production. */
  environment: Environment;
  credentials: Credentials;
  /** Defaults to the global fetch. */
  fetch?: (input: Request) => Promise<Response>;
  /** Per attempt; Ordergroove advises 3 s. */
  timeoutMs?: number;
  /** Bulk requests per window; default 600 per minute (Ordergroove's throttle). `false` turns the limiter off. */
  rateLimit?: { limit: number; windowMs: number } | false;
  retry?: Partial<RetryPolicy>;
  /** Batches in flight at once (default 2). */
  concurrency?: number;
  /** Injected time: milliseconds since the epoch. */
  now?: () => number;
  /** Injected wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected randomness for backoff jitter, in [0, 1). */
  random?: () => number;
  logger?: ClientLogger;
  /**
   * Called once per kind when an answer differs from the spec in a field the client does not rely
   * on (e.g. a numeric price, an unknown status). Without it, drift goes to `logger.warn`.
   */
  onDrift?: (drift: AnswerDrift) => void;
}

export interface BatchOptions {
  /** Called after each batch with the items done so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

const BATCH_SIZE = batchLimit("ProductUpdateBatch");
const CREATE_BATCH_SIZE = batchLimit("ProductCreateBatch");

interface Attempted<T> {
  value: T;
  attempts: number;
}

export class OrdergrooveClient {
  readonly baseUrl: string;
  readonly #credentials: HeldCredentials;
  readonly #api: ReturnType<typeof createClient<paths>>;
  readonly #fetch: (input: Request) => Promise<Response>;
  readonly #timeoutMs: number;
  readonly #window: SlidingWindow | undefined;
  readonly #retry: RetryPolicy;
  readonly #concurrency: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #logger: ClientLogger | undefined;
  readonly #drift: AnswerDriftReporter;

  constructor(options: ClientOptions) {
    this.baseUrl = resolveBaseUrl(options?.environment);
    this.#credentials = holdCredentials(options.credentials);
    const fetchImpl = options.fetch ?? ((input: Request) => globalThis.fetch(input));
    this.#api = createClient<paths>({ baseUrl: this.baseUrl, fetch: fetchImpl });
    this.#fetch = fetchImpl;
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.#window =
      options.rateLimit === false
        ? undefined
        : new SlidingWindow(options.rateLimit ?? { limit: 600, windowMs: 60_000 });
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#concurrency = options.concurrency ?? 2;
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) {
      throw new RangeError(`concurrency must be a whole number ≥ 1; got ${options.concurrency}.`);
    }
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger;
    const onDrift = options.onDrift;
    this.#drift = new AnswerDriftReporter(
      onDrift ??
        ((d) =>
          this.#logger?.warn?.(`Ordergroove's answer differs from the spec (${d.kind}): ${d.detail}`, {
            kind: d.kind,
          })),
    );
  }

  /** Sets `live` on many products: the real-time stock update. */
  setLive(productIds: readonly string[], live: boolean, options?: BatchOptions): Promise<BatchReport> {
    if (!Array.isArray(productIds)) throw new TypeError("setLive: productIds must be a list of product ids.");
    if (typeof live !== "boolean")
      throw new TypeError(`setLive: live must be true or false; got ${JSON.stringify(live)}.`);
    return this.updateProducts(
      productIds.map((product_id) => ({ product_id, live })),
      options,
    );
  }

  /** PATCH /products-batch/update/ in batches of 100; never throws for per-item or per-request failures. */
  updateProducts(items: readonly ProductUpdateItem[], options: BatchOptions = {}): Promise<BatchReport> {
    if (!Array.isArray(items)) throw new TypeError("updateProducts: items must be a list of {product_id, ...fields}.");
    return this.#inBatches(items, BATCH_SIZE, "update products", (batch) => this.#send("PATCH", batch), options);
  }

  /** POST /products-batch/create/ in batches of 100. */
  createProducts(items: readonly ProductCreateItem[], options: BatchOptions = {}): Promise<BatchReport> {
    if (!Array.isArray(items)) throw new TypeError("createProducts: items must be a list of products.");
    return this.#inBatches(items, CREATE_BATCH_SIZE, "create products", (batch) => this.#send("POST", batch), options);
  }

  /** GET /products/{id}/; null when Ordergroove has no such product. Throws typed errors otherwise. */
  async getProduct(productId: string): Promise<Product | null> {
    checkId(productId, "getProduct");
    const { value } = await this.#withRetries(`read product ${JSON.stringify(productId)}`, false, async (signal) => {
      const r = await this.#api.GET("/products/{external_product_id}/", {
        params: { path: { external_product_id: productId } },
        headers: this.#authHeaders(),
        parseAs: "text",
        signal,
      });
      return this.#readProduct(r.response, textOf(r), `read product ${JSON.stringify(productId)}`);
    });
    return value;
  }

  /**
   * PATCH /products/{id}/; the updated product, or null when there is no such product. Ordergroove
   * takes the Application API scope only here, so the client needs `{ kind: "api-key" }` credentials.
   */
  async updateProduct(productId: string, fields: ProductPatch): Promise<Product | null> {
    checkId(productId, "updateProduct");
    if (this.#credentials.kind !== "api-key") {
      throw new ConfigError(
        "Failed to update one product: Ordergroove's PATCH /products/{id}/ takes an x-api-key only (Application API scope) and refuses HMAC signatures. " +
          'Create the client with credentials { kind: "api-key", apiKey }, or use updateProducts([{ product_id, ...fields }]), which takes either.',
      );
    }
    const what = `update product ${JSON.stringify(productId)}`;
    const { value } = await this.#withRetries(what, false, async (signal) => {
      const r = await this.#api.PATCH("/products/{external_product_id}/", {
        params: { path: { external_product_id: productId } },
        body: fields,
        headers: this.#authHeaders(),
        parseAs: "text",
        signal,
      });
      return this.#readProduct(r.response, textOf(r), what);
    });
    return value;
  }

  /**
   * Every product that matches `filters`, as an async iterator that follows Ordergroove's `next`
   * links with cursor pagination (`X-OG-API-VERSION: 2`). Pages are read ahead of the consumer,
   * up to `prefetch` (default 5) at a time; each page request goes through the same retry policy
   * as batch calls, but not the bulk window (Ordergroove's 600/minute covers bulk create and
   * update only; a 429 of the per-IP limit is retried with backoff). Only the query of a `next` link is used, always against this
   * client's base URL, so credentials never go to a host named in an answer.
   *
   * Ordergroove lists only autoship-enabled, not discontinued products unless told otherwise:
   * `{ autoship_enabled: "all", allow_discontinued: "true" }` lists the whole catalog.
   */
  listProducts(filters: ProductFilters = {}, options: ListOptions = {}): AsyncIterableIterator<Product> {
    const prefetch = options.prefetch ?? MAX_PREFETCH;
    if (!Number.isInteger(prefetch) || prefetch < 1 || prefetch > MAX_PREFETCH) {
      throw new RangeError(`listProducts: prefetch must be a whole number from 1 to ${MAX_PREFETCH}; got ${prefetch}.`);
    }
    const first = queryString({ page_size: 100, ...filters });
    const pages = readAhead(
      prefetch,
      async function* (this: OrdergrooveClient) {
        let query: string | null = first;
        for (let n = 1; query !== null; n++) {
          const page: ProductList = await this.#listPage(query);
          options.onPage?.(n, page.results.length);
          yield page.results;
          query = page.next ? new URL(page.next, this.baseUrl).search.replace(/^\?/, "") : null;
        }
      }.call(this),
    );
    return flatten(pages);
  }

  /** GET /products/{id}/{group_type}/{group_name}: whether the product is in the group; null when there is no such product. */
  async hasGroup(productId: string, groupType: ProductGroupType, groupName: string): Promise<boolean | null> {
    checkId(productId, "hasGroup");
    if (typeof groupName !== "string" || groupName.length === 0) {
      throw new TypeError(`hasGroup: groupName must be a non-empty string; got ${JSON.stringify(groupName)}.`);
    }
    const what = `check group ${groupType}/${groupName} of product ${JSON.stringify(productId)}`;
    const { value } = await this.#withRetries(what, false, async (signal) => {
      const r = await this.#api.GET("/products/{external_product_id}/{group_type}/{group_name}", {
        params: { path: { external_product_id: productId, group_type: groupType, group_name: groupName } },
        headers: this.#authHeaders(),
        parseAs: "text",
        signal,
      });
      const body = this.#parse(textOf(r));
      if (r.response.status === 404) return null;
      if (r.response.status !== 200) throw this.#errorFor(r.response, body, what);
      const validate = schemaValidator("ProductHasGroup");
      if (!validate(body)) {
        throw new UnexpectedResponseError(`Failed to ${what}: ${describeSchemaError(validate.errors)}.`, {
          status: 200,
          body,
          requestId: requestIdOf(r.response),
        });
      }
      return (body as { product_has_group: boolean }).product_has_group;
    });
    return value;
  }

  async #listPage(query: string): Promise<ProductList> {
    const what = "list products";
    const { value } = await this.#withRetries(what, false, async (signal) => {
      const response = await this.#fetch(
        new Request(`${this.baseUrl}/products/${query ? `?${query}` : ""}`, {
          headers: { ...this.#authHeaders(), "x-og-api-version": "2" },
          signal,
        }),
      );
      const body = this.#parse(await response.text());
      if (response.status !== 200) throw this.#errorFor(response, body, what);
      const validate = schemaValidator("ProductList");
      if (!validate(body)) {
        throw new UnexpectedResponseError(
          `Failed to ${what}: the answer is not a page of products (${describeSchemaError(validate.errors)}).`,
          { status: 200, body, requestId: requestIdOf(response) },
        );
      }
      return body as ProductList;
    });
    return value;
  }

  /**
   * One bulk request (at most 100 items), retried where safe. Resolves with one result per item
   * in request order; throws a typed error when the request as a whole failed.
   */
  async sendBatch(method: "PATCH" | "POST", items: readonly unknown[]): Promise<Attempted<ItemResult[]>> {
    return this.#send(method, items);
  }

  toString(): string {
    return `OrdergrooveClient(${this.baseUrl}, ${this.#credentials.kind})`;
  }

  #send(method: "PATCH" | "POST", items: readonly unknown[]): Promise<Attempted<ItemResult[]>> {
    const what = method === "PATCH" ? "update products" : "create products";
    return this.#withRetries(what, true, async (signal) => {
      const init = { body: items as never, headers: this.#authHeaders(), parseAs: "text" as const, signal };
      const r =
        method === "PATCH"
          ? await this.#api.PATCH("/products-batch/update/", init)
          : await this.#api.POST("/products-batch/create/", init);
      const body = this.#parse(textOf(r));
      if (r.response.status !== 200 && r.response.status !== 207) throw this.#errorFor(r.response, body, what);
      return this.#readResults(r.response, body, items, what);
    });
  }

  async #inBatches(
    items: readonly unknown[],
    size: number,
    what: string,
    send: (batch: readonly unknown[]) => Promise<Attempted<ItemResult[]>>,
    options: BatchOptions,
  ): Promise<BatchReport> {
    const outcomes: ItemOutcome[] = new Array(items.length);
    const batches: number[] = [];
    for (let start = 0; start < items.length; start += size) batches.push(start);
    let requests = 0;
    let retries = 0;
    let done = 0;
    let next = 0;
    // A credentials failure will not fix itself for the next batch: stop sending, fail the rest.
    let fatal: OrdergrooveError | undefined;
    const worker = async () => {
      while (next < batches.length) {
        const start = batches[next++]!;
        const batch = items.slice(start, start + size);
        if (fatal) {
          batch.forEach((item, i) => {
            outcomes[start + i] = failed(start + i, item, fatal!);
          });
        } else {
          try {
            const { value: results, attempts } = await send(batch);
            requests += attempts;
            retries += attempts - 1;
            results.forEach((result, i) => {
              outcomes[start + i] = fromResult(start + i, batch[i], result);
            });
          } catch (error) {
            const e = asOrdergrooveError(error, what);
            requests += e.attempts;
            retries += e.attempts - 1;
            if (e.status === 401 || e.status === 403) fatal = e;
            this.#logger?.warn?.(`${e.name}: ${e.message}`, { items: batch.length });
            batch.forEach((item, i) => {
              outcomes[start + i] = failed(start + i, item, e);
            });
          }
        }
        done += batch.length;
        options.onProgress?.(done, items.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, batches.length) }, worker));
    return buildReport(outcomes, requests, retries);
  }

  /** Runs one request with the throttle, the timeout and the retry policy. */
  async #withRetries<T>(
    what: string,
    bulk: boolean,
    attempt: (signal: AbortSignal) => Promise<T>,
  ): Promise<Attempted<T>> {
    for (let n = 1; ; n++) {
      let slot: number | undefined;
      if (bulk && this.#window) {
        // Wait for a place in the window; re-check after waking, another batch may have taken it.
        for (let r = this.#window.reserve(this.#now()); ; r = this.#window.reserve(this.#now())) {
          if (r.waitMs === 0) {
            slot = r.slot;
            break;
          }
          await this.#sleep(r.waitMs);
        }
      }
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
      try {
        const value = await attempt(controller.signal);
        return { value, attempts: n };
      } catch (error) {
        const e = asOrdergrooveError(error, what, controller.signal.aborted ? this.#timeoutMs : undefined);
        e.attempts = n;
        const decision = decideRetry(e, n, this.#retry, this.#random);
        if (!decision.retry) throw e;
        this.#logger?.debug?.(`retrying: ${decision.reason}`, {
          attempt: n,
          delayMs: decision.delayMs,
          status: e.status,
        });
        await this.#sleep(decision.delayMs);
      } finally {
        clearTimeout(timer);
        // The server saw this request at some time up to now: count it from now.
        if (slot !== undefined) this.#window!.settle(slot, this.#now());
      }
    }
  }

  /** Signed afresh for every attempt: a retry after minutes must not carry a stale ts. */
  #authHeaders(): Record<string, string> {
    const c = this.#credentials;
    if (c.kind === "api-key") return { "x-api-key": c.apiKey.reveal() };
    return signedHeaders(
      { publicId: c.publicId, sigField: c.sigField, hashKey: c.hashKey.reveal(), trustLevel: c.trustLevel },
      Math.floor(this.#now() / 1000),
    );
  }

  #parse(text: string): unknown {
    const clean = redact(text, secretsOf(this.#credentials));
    if (clean.length === 0) return undefined;
    try {
      return JSON.parse(clean);
    } catch {
      return clean.length > 1000 ? `${clean.slice(0, 1000)}…` : clean;
    }
  }

  #errorFor(response: Response, body: unknown, what: string): OrdergrooveError {
    const retryAfter = response.headers.get("retry-after");
    const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
    return errorFor(response.status, what, {
      body,
      requestId: requestIdOf(response),
      retryAfterMs: seconds === undefined ? undefined : seconds * 1000,
    });
  }

  #readProduct(response: Response, text: string, what: string): Product | null {
    const body = this.#parse(text);
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.#errorFor(response, body, what);
    const read = readProduct(body, this.#drift);
    if (!read.ok) {
      throw new UnexpectedResponseError(`Failed to ${what}: ${read.why}.`, {
        status: 200,
        body,
        requestId: requestIdOf(response),
      });
    }
    return read.value;
  }

  /** Accepts every documented form: {results: [...]} or [{results: [...]}, ...], with 200 or 207. */
  #readResults(response: Response, body: unknown, sent: readonly unknown[], what: string): ItemResult[] {
    const unexpected = (why: string) =>
      new UnexpectedResponseError(`Failed to ${what}: ${why}; the batch may or may not have been applied.`, {
        status: response.status,
        body,
        requestId: requestIdOf(response),
      });
    const read = readBatchResults(body, this.#drift);
    if (!read.ok) throw unexpected(`the ${response.status} answer cannot be read (${read.why})`);
    const results = read.value;
    if (results.length !== sent.length) throw unexpected(`sent ${sent.length} items, got ${results.length} results`);
    // Results come in request order; check it, and fall back to matching by product_id if not.
    const ids = sent.map((item) => productIdOf(item));
    if (results.every((r, i) => r.product_id === ids[i] || r.product_id === null)) return results;
    const byId = new Map<string, ItemResult[]>();
    for (const r of results) if (r.product_id !== null) byId.set(r.product_id, [...(byId.get(r.product_id) ?? []), r]);
    return ids.map((id) => {
      const match = id === null ? undefined : byId.get(id)?.shift();
      if (!match) throw unexpected(`no result for product_id ${JSON.stringify(id)}`);
      return match;
    });
  }
}

/**
 * The body as text. openapi-fetch honours parseAs only for successes and hands error bodies
 * over already parsed, so serialise those back for one code path.
 */
function textOf(r: { data?: unknown; error?: unknown }): string {
  const raw = r.data ?? r.error;
  if (raw === undefined || raw === null) return "";
  return typeof raw === "string" ? raw : JSON.stringify(raw);
}

function fromResult(index: number, item: unknown, result: ItemResult): ItemOutcome {
  const productId = productIdOf(item);
  if (result.status === 200) return { index, productId, outcome: "updated", status: 200 };
  if (result.status === 404) {
    return { index, productId, outcome: "not_found", status: 404, reason: result.detail ?? "no such product" };
  }
  return { index, productId, outcome: "invalid", status: result.status, reason: result.detail ?? "invalid item" };
}

function failed(index: number, item: unknown, error: OrdergrooveError): ItemOutcome {
  // The status of the answer that failed the request; null when none came (timeout, network).
  return {
    index,
    productId: productIdOf(item),
    outcome: "failed",
    status: error.status ?? null,
    reason: error.message,
    error,
  };
}

function productIdOf(item: unknown): string | null {
  const id = (item as { product_id?: unknown } | null)?.product_id;
  return typeof id === "string" ? id : null;
}

function requestIdOf(response: Response): string | undefined {
  return response.headers.get("x-request-id") ?? response.headers.get("request-id") ?? undefined;
}

function checkId(id: unknown, where: string): void {
  if (typeof id !== "string" || id.length === 0) {
    throw new TypeError(`${where}: productId must be a non-empty string; got ${JSON.stringify(id)}.`);
  }
}

/** Anything thrown while talking to Ordergroove, as one of the typed errors. */
function asOrdergrooveError(error: unknown, what: string, timedOutAfterMs?: number): OrdergrooveError {
  if (error instanceof OrdergrooveError) return error;
  if (timedOutAfterMs !== undefined) {
    return new TimeoutError(`Failed to ${what}: no answer within ${timedOutAfterMs} ms.`, { cause: error });
  }
  if (!isFetchFailure(error)) throw error; // a bug, not a network problem: let it surface as is
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return new NetworkError(`Failed to ${what}: the connection failed (${why}).`, { cause: error });
}

/** fetch rejects with a TypeError ("fetch failed" in Node, "Failed to fetch" under MSW) or an AbortError. */
function isFetchFailure(error: unknown): boolean {
  const e = error as { name?: string; message?: string } | null;
  return e?.name === "AbortError" || (error instanceof TypeError && /fetch|network|terminated/i.test(e?.message ?? ""));
}

/** The query string of GET /products/: arrays repeat their parameter, as Ordergroove documents. */
function queryString(query: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) q.append(name, String(v));
    else q.append(name, String(value));
  }
  return q.toString();
}

/**
 * Runs `source` ahead of its consumer, holding at most `depth` values not yet taken. An error
 * of the source reaches the consumer when it gets there; a consumer that stops early stops the
 * source at its next value.
 */
function readAhead<T>(depth: number, source: AsyncGenerator<T>): AsyncGenerator<T> {
  const buffer: Array<{ value: T } | { error: unknown } | { done: true }> = [];
  let wake: (() => void) | undefined;
  let room: (() => void) | undefined;
  let stopped = false;
  const signal = (which: "wake" | "room") => {
    const fn = which === "wake" ? wake : room;
    if (which === "wake") wake = undefined;
    else room = undefined;
    fn?.();
  };
  void (async () => {
    try {
      for await (const value of source) {
        buffer.push({ value });
        signal("wake");
        while (buffer.length >= depth && !stopped) await new Promise<void>((r) => (room = r));
        if (stopped) {
          await source.return(undefined);
          return;
        }
      }
      buffer.push({ done: true });
    } catch (error) {
      buffer.push({ error });
    }
    signal("wake");
  })();
  return (async function* () {
    try {
      for (;;) {
        while (buffer.length === 0) await new Promise<void>((r) => (wake = r));
        const item = buffer.shift()!;
        signal("room");
        if ("done" in item) return;
        if ("error" in item) throw item.error;
        yield item.value;
      }
    } finally {
      stopped = true;
      signal("room");
    }
  })();
}

async function* flatten<T>(pages: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const page of pages) yield* page;
}

export function createOrdergrooveClient(options: ClientOptions): OrdergrooveClient {
  return new OrdergrooveClient(options);
}

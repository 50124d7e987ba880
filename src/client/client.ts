/**
 * The reference client of Ordergroove's products API: typed by the spec (openapi-fetch over the
 * generated paths), signing every attempt afresh, splitting into batches of 100, staying under
 * the throttle, retrying only where safe, and reporting per item.
 *
 * This file is the facade: options, argument checks and one method per operation. How one
 * request is sent and read is in sender.ts, the batch fan-out in batches.ts, the listing in
 * pagination.ts.
 */
import type {
  ItemResult,
  Product,
  ProductCreateItem,
  ProductGroupType,
  ProductPatch,
  ProductUpdateItem,
} from "../../shared/api-types.js";
import { describeSchemaError, schemaValidator } from "../../shared/validation/schemas.js";
import { type BatchOptions, CREATE_BATCH_LIMIT, type FanOut, inBatches, UPDATE_BATCH_LIMIT } from "./batches.js";
import {
  ConfigError,
  type Credentials,
  type Environment,
  type HeldCredentials,
  holdCredentials,
  resolveBaseUrl,
} from "./config.js";
import { UnexpectedResponseError } from "./errors.js";
import { type ListOptions, listProducts, type ProductFilters } from "./pagination.js";
import type { BatchReport } from "./report.js";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";
import { type Attempted, type ClientLogger, requestIdOf, Sender, textOf } from "./sender.js";
import type { AnswerDrift } from "./tolerant-reader.js";

export type {
  Product,
  ProductCreateItem,
  ProductGroupType,
  ProductPatch,
  ProductUpdateItem,
} from "../../shared/api-types.js";
export type { BatchOptions } from "./batches.js";
export type { ListOptions, ProductFilters } from "./pagination.js";
export type { ClientLogger } from "./sender.js";
export type { AnswerDrift } from "./tolerant-reader.js";

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

export class OrdergrooveClient {
  readonly baseUrl: string;
  readonly #credentials: HeldCredentials;
  readonly #sender: Sender;
  readonly #fanOut: FanOut;

  constructor(options: ClientOptions) {
    // Checked in this order, so a bad environment is reported before bad credentials or limits.
    this.baseUrl = resolveBaseUrl(options?.environment);
    this.#credentials = holdCredentials(options.credentials);
    this.#sender = new Sender({
      baseUrl: this.baseUrl,
      credentials: this.#credentials,
      fetch: options.fetch ?? ((input: Request) => globalThis.fetch(input)),
      timeoutMs: options.timeoutMs ?? 3000,
      rateLimit: options.rateLimit === false ? false : (options.rateLimit ?? { limit: 600, windowMs: 60_000 }),
      retry: { ...DEFAULT_RETRY, ...options.retry },
      now: options.now ?? Date.now,
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      random: options.random ?? Math.random,
      logger: options.logger,
      onDrift: options.onDrift,
    });
    const concurrency = options.concurrency ?? 2;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a whole number ≥ 1; got ${options.concurrency}.`);
    }
    this.#fanOut = { concurrency, logger: options.logger };
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
    return inBatches(
      items,
      UPDATE_BATCH_LIMIT,
      "update products",
      (b) => this.#sender.sendBatch("PATCH", b),
      options,
      this.#fanOut,
    );
  }

  /** POST /products-batch/create/ in batches of 100. */
  createProducts(items: readonly ProductCreateItem[], options: BatchOptions = {}): Promise<BatchReport> {
    if (!Array.isArray(items)) throw new TypeError("createProducts: items must be a list of products.");
    return inBatches(
      items,
      CREATE_BATCH_LIMIT,
      "create products",
      (b) => this.#sender.sendBatch("POST", b),
      options,
      this.#fanOut,
    );
  }

  /** GET /products/{id}/; null when Ordergroove has no such product. Throws typed errors otherwise. */
  async getProduct(productId: string): Promise<Product | null> {
    checkId(productId, "getProduct");
    if (isDotSegment(productId)) return this.#readThroughListing(productId);
    const what = `read product ${JSON.stringify(productId)}`;
    const { value } = await this.#sender.withRetries(what, { bulk: false }, async (signal) => {
      const r = await this.#sender.api.GET("/products/{external_product_id}/", {
        params: { path: { external_product_id: productId } },
        headers: this.#sender.authHeaders(),
        parseAs: "text",
        signal,
      });
      return this.#sender.readProduct(r.response, textOf(r), what);
    });
    return value;
  }

  /**
   * PATCH /products/{id}/; the updated product, or null when there is no such product. Ordergroove
   * takes the Application API scope only here, so the client needs `{ kind: "api-key" }` credentials.
   */
  async updateProduct(productId: string, fields: ProductPatch): Promise<Product | null> {
    checkId(productId, "updateProduct");
    if (isDotSegment(productId)) {
      throw new TypeError(
        `Failed to update product ${JSON.stringify(productId)}: an id that is "." or ".." cannot travel in a URL path (every URL parser, fetch's included, reads it as "this folder" or "the folder above"), and PATCH /products/{id}/ has no other way to name it. ` +
          "Use updateProducts([{ product_id, ...fields }]), which sends the id in the body.",
      );
    }
    if (this.#credentials.kind !== "api-key") {
      throw new ConfigError(
        "Failed to update one product: Ordergroove's PATCH /products/{id}/ takes an x-api-key only (Application API scope) and refuses HMAC signatures. " +
          'Create the client with credentials { kind: "api-key", apiKey }, or use updateProducts([{ product_id, ...fields }]), which takes either.',
      );
    }
    const what = `update product ${JSON.stringify(productId)}`;
    const { value } = await this.#sender.withRetries(what, { bulk: false }, async (signal) => {
      const r = await this.#sender.api.PATCH("/products/{external_product_id}/", {
        params: { path: { external_product_id: productId } },
        body: fields,
        headers: this.#sender.authHeaders(),
        parseAs: "text",
        signal,
      });
      return this.#sender.readProduct(r.response, textOf(r), what);
    });
    return value;
  }

  /**
   * Every product that matches `filters`, as an async iterator that follows Ordergroove's `next`
   * links with cursor pagination (`X-OG-API-VERSION: 2`). Pages are read ahead of the consumer,
   * up to `prefetch` (default 5) at a time; each page request goes through the same retry policy
   * as batch calls, but not the bulk window (Ordergroove's 600/minute covers bulk create and
   * update only; a 429 of the per-IP limit is retried with backoff). Only the query of a `next`
   * link is used, always against this client's base URL, so credentials never go to a host named
   * in an answer.
   *
   * Ordergroove lists only autoship-enabled, not discontinued products unless told otherwise:
   * `{ autoship_enabled: "all", allow_discontinued: "true" }` lists the whole catalog.
   */
  listProducts(filters: ProductFilters = {}, options: ListOptions = {}): AsyncIterableIterator<Product> {
    return listProducts(this.#sender, this.baseUrl, filters, options);
  }

  /** GET /products/{id}/{group_type}/{group_name}: whether the product is in the group; null when there is no such product. */
  async hasGroup(productId: string, groupType: ProductGroupType, groupName: string): Promise<boolean | null> {
    checkId(productId, "hasGroup");
    if (typeof groupName !== "string" || groupName.length === 0) {
      throw new TypeError(`hasGroup: groupName must be a non-empty string; got ${JSON.stringify(groupName)}.`);
    }
    if (isDotSegment(productId)) {
      const product = await this.#readThroughListing(productId);
      return product && (product.groups ?? []).some((g) => g.group_type === groupType && g.name === groupName);
    }
    const what = `check group ${groupType}/${groupName} of product ${JSON.stringify(productId)}`;
    const { value } = await this.#sender.withRetries(what, { bulk: false }, async (signal) => {
      const r = await this.#sender.api.GET("/products/{external_product_id}/{group_type}/{group_name}", {
        params: { path: { external_product_id: productId, group_type: groupType, group_name: groupName } },
        headers: this.#sender.authHeaders(),
        parseAs: "text",
        signal,
      });
      const body = this.#sender.parse(textOf(r));
      if (r.response.status === 404) return null;
      if (r.response.status !== 200) throw this.#sender.errorFor(r.response, body, what);
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

  /**
   * One bulk request (at most 100 items), retried where safe. Resolves with one result per item
   * in request order; throws a typed error when the request as a whole failed.
   */
  async sendBatch(method: "PATCH" | "POST", items: readonly unknown[]): Promise<Attempted<ItemResult[]>> {
    const { value, attempts } = await this.#sender.sendBatch(method, items);
    const results: ItemResult[] = [];
    for (const r of value) {
      if ("unmatched" in r) {
        // One result per item is this method's promise: an item without one fails the call.
        r.unmatched.attempts = attempts;
        throw r.unmatched;
      }
      results.push(r);
    }
    return { value: results, attempts };
  }

  /**
   * A product whose id cannot be put in a path ("." or ".."; URL parsers collapse them, issue 34),
   * read through the listing's `external_product_ids[]`, which takes any text in the query.
   */
  async #readThroughListing(productId: string): Promise<Product | null> {
    const filters = { "external_product_ids[]": [productId], autoship_enabled: "all", allow_discontinued: "true" };
    for await (const product of listProducts(this.#sender, this.baseUrl, filters as ProductFilters, { prefetch: 1 })) {
      if (product.external_product_id === productId) return product;
    }
    return null;
  }

  toString(): string {
    return `OrdergrooveClient(${this.baseUrl}, ${this.#credentials.kind})`;
  }
}

/** "." and "..": valid product ids that no URL path can carry (a path's dot segments). */
function isDotSegment(id: string): boolean {
  return id === "." || id === "..";
}

function checkId(id: unknown, where: string): void {
  if (typeof id !== "string" || id.length === 0) {
    throw new TypeError(`${where}: productId must be a non-empty string; got ${JSON.stringify(id)}.`);
  }
}

export function createOrdergrooveClient(options: ClientOptions): OrdergrooveClient {
  return new OrdergrooveClient(options);
}

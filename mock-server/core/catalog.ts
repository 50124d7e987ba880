/**
 * The merchant's products, keyed by external product id.
 *
 * Why a Map and not @msw/data: every batch item is a lookup by id, and the catalog must stay
 * fast at 100k products. @msw/data's queries are predicate scans over the collection, so a
 * 100-item batch against 100k products would cost ~10M comparisons; a Map makes it 100 lookups.
 * The catalog API (get, list, seed, reset) is small enough that a store of our own is clearer.
 */
import type { components } from "../../src/generated/openapi.js";
import { describeSchemaError, schemaValidator } from "../../src/spec/schemas.js";
import type { Clock } from "./clock.js";

export type Product = components["schemas"]["Product"];
export type ProductFields = components["schemas"]["ProductFields"];

/** What a seed may give for a product: `external_product_id` (or `product_id`) and any fields. */
export type ProductSeed = Partial<Product> & { product_id?: string; external_product_id?: string };

export class Catalog {
  #products = new Map<string, Product>();
  #seed: readonly Product[] = [];

  constructor(
    private readonly merchant: string,
    private readonly clock: Clock,
    seed: readonly ProductSeed[] = [],
  ) {
    this.seed(seed);
  }

  get size(): number {
    return this.#products.size;
  }

  get(id: string): Product | undefined {
    return this.#products.get(id);
  }

  has(id: string): boolean {
    return this.#products.has(id);
  }

  /** Products in insertion order; `live` filters, `offset`/`limit` page. Copies, never live objects. */
  list(query: { live?: boolean; offset?: number; limit?: number } = {}): Product[] {
    const out: Product[] = [];
    let skipped = 0;
    const offset = query.offset ?? 0;
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    for (const p of this.#products.values()) {
      if (query.live !== undefined && p.live !== query.live) continue;
      if (skipped < offset) {
        skipped++;
        continue;
      }
      if (out.length >= limit) break;
      out.push({ ...p });
    }
    return out;
  }

  countWhere(live?: boolean): number {
    if (live === undefined) return this.#products.size;
    let n = 0;
    for (const p of this.#products.values()) if (p.live === live) n++;
    return n;
  }

  /** Applies fields to an existing product; returns the updated copy, or undefined if unknown. */
  update(id: string, fields: ProductFields): Product | undefined {
    const current = this.#products.get(id);
    if (!current) return undefined;
    const next: Product = { ...current, ...fields, external_product_id: id, last_update: this.#nowIso() };
    this.#products.set(id, next);
    return { ...next };
  }

  /** Adds a product; false when the id exists already. */
  create(seed: ProductSeed): boolean {
    const product = this.#normalize(seed);
    if (this.#products.has(product.external_product_id)) return false;
    this.#products.set(product.external_product_id, product);
    return true;
  }

  /** Adds or replaces products without changing the seed that `reset()` returns to. */
  upsert(seeds: readonly ProductSeed[]): number {
    const products = seeds.map((s) => this.#normalize(s));
    for (const p of products) this.#products.set(p.external_product_id, p);
    return products.length;
  }

  remove(id: string): boolean {
    return this.#products.delete(id);
  }

  /** Replaces the catalog and the seed that `reset()` returns to. Validates everything first. */
  seed(seeds: readonly ProductSeed[]): void {
    const products = seeds.map((s) => Object.freeze(this.#normalize(s)));
    const ids = new Set<string>();
    for (const p of products) {
      if (ids.has(p.external_product_id)) {
        throw new CatalogError(`Failed to seed the catalog: product id "${p.external_product_id}" appears twice.`);
      }
      ids.add(p.external_product_id);
    }
    this.#seed = products;
    this.reset();
  }

  /** Back to the seed. */
  reset(): void {
    this.#products = new Map(this.#seed.map((p) => [p.external_product_id, { ...p }]));
  }

  #isoSecond = -1;
  #iso = "";

  /** The clock's time as Ordergroove writes it (whole seconds); formatted once per second. */
  #nowIso(): string {
    const second = Math.floor(this.clock.now() / 1000);
    if (second !== this.#isoSecond) {
      this.#isoSecond = second;
      this.#iso = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    }
    return this.#iso;
  }

  #normalize(seed: ProductSeed): Product {
    if (seed === null || typeof seed !== "object" || Array.isArray(seed)) {
      throw new CatalogError(`Failed to read a product: expected an object, got ${JSON.stringify(seed)}.`);
    }
    const { product_id, ...rest } = seed;
    const id = rest.external_product_id ?? product_id;
    if (typeof id !== "string" || id.length === 0) {
      throw new CatalogError(
        `Failed to read a product: it needs a non-empty string "external_product_id" (or "product_id"); got ${JSON.stringify(seed).slice(0, 200)}.`,
      );
    }
    const now = this.#nowIso();
    const product: Product = {
      merchant: this.merchant,
      groups: [],
      name: id,
      price: "0.00",
      image_url: null,
      detail_url: null,
      sku: null,
      autoship_enabled: true,
      prepaid_eligible: false,
      premier_enabled: false,
      created: now,
      last_update: now,
      live: true,
      discontinued: false,
      offer_profile: null,
      extra_data: "{}",
      incentive_group: null,
      product_type: "standard",
      autoship_by_default: false,
      every: null,
      every_period: null,
      ...rest,
      external_product_id: id,
    };
    const validate = schemaValidator("Product");
    if (!validate(product)) {
      throw new CatalogError(`Failed to read product "${id}": ${describeSchemaError(validate.errors)}.`);
    }
    return product;
  }
}

export class CatalogError extends Error {
  override name = "CatalogError";
}

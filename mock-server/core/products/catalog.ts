/**
 * The merchant's products, keyed by external product id.
 *
 * Why a Map and not @msw/data: every batch item is a lookup by id, and the catalog must stay
 * fast at 100k products. @msw/data's queries are predicate scans over the collection, so a
 * 100-item batch against 100k products would cost ~10M comparisons; a Map makes it 100 lookups.
 * The catalog API (get, list, seed, reset) is small enough that a store of our own is clearer.
 *
 * Memory: a product is stored as what differs from the catalog's defaults (usually 3-5 fields,
 * not 21) and composed in full when read, so 100k products take a fraction of the memory.
 * Stored records are never handed out (readers get composed copies). The seed that `reset()`
 * returns to is shared with the live catalog, not copied: its records are frozen, and the first
 * update of a seeded product replaces its record with a copy that the catalog owns; later updates
 * change that copy in place. Why: a copy per updated item was most of the allocation a 100-item
 * batch made beyond its JSON (bench figure 2), and the GC paid for it.
 *
 * Order: every product has a position (the order it entered the catalog), kept in an
 * append-only list. Updates never move a product and new products go to the end, so a listing
 * that resumes "after position p" (a cursor) never repeats or skips a product while others are
 * updated or added, and starts there in O(1) instead of scanning from the top. Removal leaves a
 * hole; `reset()`/`seed()` renumber and bump `epoch`, which invalidates older cursors.
 */
import type { Product, ProductFields } from "../../../shared/api-types.js";
import { describeSchemaError, schemaValidator } from "../../../shared/validation/schemas.js";
import type { Clock } from "../clock.js";

export type { Product, ProductFields } from "../../../shared/api-types.js";

/** What a seed may give for a product: `external_product_id` (or `product_id`) and any fields. */
export type ProductSeed = Partial<Product> & { product_id?: string; external_product_id?: string };

/** A product as stored: its id and whatever differs from the defaults. */
type Stored = Readonly<Partial<Product> & { external_product_id: string }>;

/** What listing reads while it filters: one field of a stored product, defaults applied, no copy made. */
export type FieldReader = <K extends keyof Product>(key: K) => Product[K];

export class Catalog {
  #products = new Map<string, Stored>();
  /** Ids by position; `undefined` where a product was removed. */
  #order: Array<string | undefined> = [];
  #position = new Map<string, number>();
  #epoch = 0;
  #version = 0;
  #seed: readonly Stored[] = [];
  readonly #defaults: Omit<Product, "external_product_id" | "name" | "created" | "last_update">;
  #isoSecond = -1;
  #iso = "";

  /**
   * `seedChecked`: the seed is known to pass the spec's Product schema (the embedded default
   * catalog, checked by test/mock/defaults.test.ts), so seeding skips the validator: its
   * first run would add to og-mock's cold start (bench figure 4).
   */
  constructor(
    merchant: string,
    private readonly clock: Clock,
    seed: readonly ProductSeed[] = [],
    seedChecked = false,
  ) {
    this.#defaults = {
      merchant,
      groups: [],
      price: "0.00",
      image_url: null,
      detail_url: null,
      sku: null,
      autoship_enabled: true,
      prepaid_eligible: false,
      premier_enabled: 0,
      live: true,
      discontinued: false,
      offer_profile: null,
      extra_data: "{}",
      incentive_group: null,
      product_type: "standard",
      autoship_by_default: false,
      every: null,
      every_period: null,
    };
    this.#seedWith(seed, seedChecked);
  }

  get size(): number {
    return this.#products.size;
  }

  /** The product in full; a new object each time, so changing it does not change the catalog. */
  get(id: string): Product | undefined {
    const stored = this.#products.get(id);
    return stored && this.#compose(stored);
  }

  has(id: string): boolean {
    return this.#products.has(id);
  }

  /** Bumped whenever positions are renumbered (seed, reset): cursors of an older epoch are invalid. */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Bumped by every change to any product (update, create, upsert, remove, seed, reset): what a
   * listing computed over the whole catalog is still true while it is unchanged.
   */
  get version(): number {
    return this.#version;
  }

  /** One past the last position handed out. */
  get end(): number {
    return this.#order.length;
  }

  positionOf(id: string): number | undefined {
    return this.#position.get(id);
  }

  /**
   * Products from position `from` (inclusive) towards the end (`step` 1) or the start (`step` -1),
   * with a reader for their fields. Costs what is visited, never the whole catalog up front.
   */
  *walk(from: number, step: 1 | -1): Generator<{ position: number; id: string; field: FieldReader }> {
    let stored: Stored | undefined;
    const field: FieldReader = (key) =>
      (stored![key] ?? (key === "name" ? stored!.external_product_id : this.#defaults[key as never])) as never;
    for (let i = from; i >= 0 && i < this.#order.length; i += step) {
      const id = this.#order[i];
      if (id === undefined) continue;
      stored = this.#products.get(id);
      if (!stored) continue;
      yield { position: i, id, field };
    }
  }

  /** Products in insertion order; `live` filters, `offset`/`limit` page. */
  list(query: { live?: boolean; offset?: number; limit?: number } = {}): Product[] {
    const out: Product[] = [];
    let skipped = 0;
    const offset = query.offset ?? 0;
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    for (const stored of this.#products.values()) {
      if (query.live !== undefined && this.#live(stored) !== query.live) continue;
      if (skipped < offset) {
        skipped++;
        continue;
      }
      if (out.length >= limit) break;
      out.push(this.#compose(stored));
    }
    return out;
  }

  /**
   * One page of the products whose id or name contains `q` (ignoring case) and whose `live`
   * matches, with how many match in all and how many of the whole catalog are live: one pass
   * over the catalog, composing only the page it returns.
   */
  search(query: { q?: string; live?: boolean; offset?: number; limit?: number } = {}): CatalogPage {
    const needle = query.q?.trim().toLowerCase() ?? "";
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 50;
    const products: Product[] = [];
    const changed: string[] = [];
    const liveByDefault = this.#defaults.live;
    let matched = 0;
    let live = 0;
    for (const stored of this.#products.values()) {
      const isLive = stored.live ?? liveByDefault;
      if (isLive) live++;
      if (query.live !== undefined && isLive !== query.live) continue;
      if (needle && !contains(stored.external_product_id, needle) && !contains(stored.name, needle)) continue;
      if (matched >= offset && products.length < limit) {
        products.push(this.#compose(stored));
        // Seed records stay frozen until written (apply()): an unfrozen one changed since the seed.
        if (!Object.isFrozen(stored)) changed.push(stored.external_product_id);
      }
      matched++;
    }
    return { total: this.#products.size, live, matched, products, changed };
  }

  countWhere(live?: boolean): number {
    if (live === undefined) return this.#products.size;
    let n = 0;
    for (const stored of this.#products.values()) if (this.#live(stored) === live) n++;
    return n;
  }

  /**
   * Applies fields to an existing product (the batch hot path); false if there is no such product.
   * A `product_id` among the fields is the item's id, not a field, and is skipped: a batch item
   * goes in as it came, without a copy made to take its id out. `at` is the update's time (a batch
   * reads the clock once for all its items).
   */
  apply(id: string, fields: ProductFields & { product_id?: unknown }, at = this.timestamp()): boolean {
    let record = this.#products.get(id) as Record<string, unknown> | undefined;
    if (!record) return false;
    this.#version++;
    if (Object.isFrozen(record)) {
      // A seed record, shared with what reset() returns to: the catalog's own copy from now on.
      record = Object.assign({}, record);
      this.#products.set(id, record as Stored);
    }
    for (const key in fields) if (key !== "product_id") record[key] = fields[key as keyof ProductFields];
    record.external_product_id = id;
    record.last_update = at;
    return true;
  }

  /** Applies fields to an existing product; returns it updated, or undefined if unknown. */
  update(id: string, fields: ProductFields): Product | undefined {
    return this.apply(id, fields) ? this.get(id) : undefined;
  }

  /** Adds a product; false when the id exists already. */
  create(seed: ProductSeed): boolean {
    const stored = this.#normalize(seed);
    if (this.#products.has(stored.external_product_id)) return false;
    this.#add(stored);
    return true;
  }

  /** Adds or replaces products without changing the seed that `reset()` returns to. */
  upsert(seeds: readonly ProductSeed[]): number {
    const products = seeds.map((s) => this.#normalize(s));
    this.#version++;
    for (const p of products) {
      if (this.#products.has(p.external_product_id)) this.#products.set(p.external_product_id, p);
      else this.#add(p);
    }
    return products.length;
  }

  remove(id: string): boolean {
    const position = this.#position.get(id);
    if (position !== undefined) this.#order[position] = undefined;
    this.#version++;
    this.#position.delete(id);
    return this.#products.delete(id);
  }

  /** A new product goes to the end of the order. */
  #add(stored: Stored): void {
    this.#version++;
    this.#products.set(stored.external_product_id, stored);
    this.#position.set(stored.external_product_id, this.#order.length);
    this.#order.push(stored.external_product_id);
  }

  /** Replaces the catalog and the seed that `reset()` returns to. Validates everything first. */
  seed(seeds: readonly ProductSeed[]): void {
    this.#seedWith(seeds, false);
  }

  #seedWith(seeds: readonly ProductSeed[], checked: boolean): void {
    const products = seeds.map((s) => this.#normalize(s, checked));
    const ids = new Set<string>();
    for (const p of products) {
      if (ids.has(p.external_product_id)) {
        throw new CatalogError(`Failed to seed the catalog: product id "${p.external_product_id}" appears twice.`);
      }
      ids.add(p.external_product_id);
    }
    // Frozen: shared with the live catalog until a product's first update copies its record.
    for (const p of products) Object.freeze(p);
    this.#seed = products;
    this.reset();
  }

  /** Back to the seed (shared, not copied: seed records are frozen, see apply()). */
  reset(): void {
    this.#products = new Map(this.#seed.map((p) => [p.external_product_id, p]));
    this.#order = this.#seed.map((p) => p.external_product_id);
    this.#position = new Map(this.#order.map((id, i) => [id!, i]));
    this.#epoch++;
    this.#version++;
  }

  #live(stored: Stored): boolean {
    return stored.live ?? this.#defaults.live;
  }

  #compose(stored: Stored): Product {
    // Object.assign, not `{ ...defaults, ...stored }`: on Node 20 a spread that overwrites keys of an
    // earlier spread takes a slow path, which made composing a page of 100 the listing's largest cost.
    const product = Object.assign({}, this.#defaults, { name: stored.external_product_id }, stored) as Product;
    // The only nested value: never hand out the stored one.
    product.groups = (product.groups ?? []).map((g) => ({ ...g }));
    return product;
  }

  /** The clock's time as Ordergroove writes it ("YYYY-MM-DD HH:MM:SS", UTC); formatted once per second. */
  timestamp(): string {
    const second = Math.floor(this.clock.now() / 1000);
    if (second !== this.#isoSecond) {
      this.#isoSecond = second;
      this.#iso = ogTimestamp(new Date(second * 1000));
    }
    return this.#iso;
  }

  /** Checks a seed against the spec's Product schema (unless `checked` already) and returns what to store. */
  #normalize(seed: ProductSeed, checked = false): Stored {
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
    const now = this.timestamp();
    const created = seedTimestamp(rest.created);
    const stored: Stored = {
      ...(storedFields(rest as ProductFields) as Partial<Product>),
      external_product_id: id,
      created: created ?? now,
      last_update: seedTimestamp(rest.last_update) ?? created ?? now,
    };
    // Checked with the required fields' defaults filled in, not the whole composed product:
    // seeding 100k products should not allocate 100k throw-away 21-field objects.
    if (!checked) {
      const validate = schemaValidator("Product");
      if (!validate({ name: id, price: this.#defaults.price, live: this.#defaults.live, ...stored })) {
        throw new CatalogError(`Failed to read product "${id}": ${describeSchemaError(validate.errors)}.`);
      }
    }
    // One more shallow copy: an object spread from an object-rest result gets a hidden class of
    // its own in V8, so a scan of 100k of them (the dashboard's search, `?live=` counts) reads a
    // field megamorphically, many times slower than a shared one. The copy shares one.
    return { ...stored };
  }
}

export interface CatalogPage {
  /** Products in the catalog. */
  total: number;
  /** Of those, how many are live. */
  live: number;
  /** How many match the query (all pages). */
  matched: number;
  /** The requested page of them, in catalog order. */
  products: Product[];
  /** Ids of the page's products written since the seed (the others carry the seed's last_update). */
  changed: string[];
}

function contains(text: string | null | undefined, lowerNeedle: string): boolean {
  return typeof text === "string" && text.toLowerCase().includes(lowerNeedle);
}

/** A Date as Ordergroove writes timestamps: "YYYY-MM-DD HH:MM:SS" (UTC, no T, no zone). */
export function ogTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/** Seeds may give ISO 8601 times for convenience; they are stored in Ordergroove's form. */
function seedTimestamp(value: unknown): string | undefined {
  if (typeof value !== "string") return value as undefined;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return value;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : ogTimestamp(date);
}

/**
 * Fields as the catalog stores them: a price in Ordergroove's answer form, a string with two
 * decimals (`100` or `100.00` in a request reads back as `"100.00"`, as a DecimalField renders it).
 * A number has passed the spec's `multipleOf: 0.01` (whole cents, within a double's noise), so it
 * is rounded to its cents, never to the nearest of two (`toFixed` alone stored 1.005 as "1.00").
 */
export function storedFields<T extends { price?: unknown }>(fields: T): T {
  const price = fields.price;
  if (typeof price === "number" && Number.isFinite(price))
    return { ...fields, price: (Math.round(price * 100) / 100).toFixed(2) };
  if (typeof price === "string" && /^\d+(\.\d+)?$/.test(price)) return { ...fields, price: Number(price).toFixed(2) };
  return fields;
}

export class CatalogError extends Error {
  override name = "CatalogError";
}

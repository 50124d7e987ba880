/**
 * GET /products/ as one stream of products: cursor pages (`X-OG-API-VERSION: 2`) followed by their
 * `next` links and read ahead of the consumer, each page through the sender's retry policy.
 */
import type { Product, ProductList } from "../../shared/api-types.js";
import type { operations } from "../../shared/generated/openapi.js";
import { describeSchemaError, schemaValidator } from "../../shared/validation/schemas.js";
import { UnexpectedResponseError } from "./errors.js";
import { requestIdOf, type Sender } from "./sender.js";

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

/**
 * Every product that matches `filters`; see OrdergrooveClient.listProducts. Only the query of a
 * `next` link is used, always against `baseUrl`, so credentials never go to a host named in an
 * answer. The first page is asked for at once, before the consumer takes anything.
 */
export function listProducts(
  sender: Sender,
  baseUrl: string,
  filters: ProductFilters,
  options: ListOptions,
): AsyncIterableIterator<Product> {
  const prefetch = options.prefetch ?? MAX_PREFETCH;
  if (!Number.isInteger(prefetch) || prefetch < 1 || prefetch > MAX_PREFETCH) {
    throw new RangeError(`listProducts: prefetch must be a whole number from 1 to ${MAX_PREFETCH}; got ${prefetch}.`);
  }
  const first = queryString({ page_size: 100, ...filters });
  async function* pagesOf(): AsyncGenerator<Product[]> {
    let query: string | null = first;
    for (let n = 1; query !== null; n++) {
      const page: ProductList = await listPage(sender, baseUrl, query);
      options.onPage?.(n, page.results.length);
      yield page.results;
      query = page.next ? new URL(page.next, baseUrl).search.replace(/^\?/, "") : null;
    }
  }
  return flatten(readAhead(prefetch, pagesOf()));
}

/**
 * One page. Not under the bulk window: Ordergroove's 600/minute covers bulk create and update
 * only; a 429 of the per-IP limit is retried with backoff like any other.
 */
async function listPage(sender: Sender, baseUrl: string, query: string): Promise<ProductList> {
  const what = "list products";
  const { value } = await sender.withRetries(what, { bulk: false }, async (signal) => {
    const response = await sender.fetch(
      new Request(`${baseUrl}/products/${query ? `?${query}` : ""}`, {
        headers: { ...sender.authHeaders(), "x-og-api-version": "2" },
        signal,
      }),
    );
    const body = sender.parse(await response.text());
    if (response.status !== 200) throw sender.errorFor(response, body, what);
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

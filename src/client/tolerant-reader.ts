/**
 * The client reads Ordergroove's answers as a tolerant reader: it checks only what it relies on
 * (a batch answer's shape, each result's `product_id` and `status`, a product's
 * `external_product_id` and `live`) and never fails because a field it does not use has an
 * unexpected type or value. Such answer drift from the spec is reported once per kind, through the
 * client's logger or its `onDrift` hook, so it is seen without breaking a stock update.
 */
import type { ItemResult, Product } from "../../shared/api-types.js";
import { compileSchema } from "../../shared/validation/runtime-schemas.js";
import { describeSchemaError, schemaValidator } from "../../shared/validation/schemas.js";

/**
 * One way an answer differed from the spec without stopping the client. ("Answer" drift, to tell
 * it from reconcile's catalog mismatches and the contract tests' profile drift.)
 */
export interface AnswerDrift {
  /** Stable key, reported once per client: e.g. `product.price`, `batch.status`. */
  kind: string;
  /** What was seen, for people. */
  detail: string;
}

export type AnswerDriftSink = (drift: AnswerDrift) => void;

/** Remembers which kinds were reported, so each is reported once. */
export class AnswerDriftReporter {
  readonly #seen = new Set<string>();
  constructor(readonly sink: AnswerDriftSink) {}

  report(kind: string, detail: string): void {
    if (this.#seen.has(kind)) return;
    this.#seen.add(kind);
    this.sink({ kind, detail });
  }
}

/** Throws nothing: the reason the answer cannot be used, or the value. */
export type Read<T> = { ok: true; value: T } | { ok: false; why: string };

/** A product answer: needs an object with a string `external_product_id` and a boolean `live`. */
export function readProduct(body: unknown, drift: AnswerDriftReporter): Read<Product> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { ok: false, why: `the answer is not a product object (got ${kindOf(body)})` };
  }
  const product = body as Record<string, unknown>;
  if (typeof product.external_product_id !== "string") {
    return {
      ok: false,
      why: `the product has no string external_product_id (got ${kindOf(product.external_product_id)})`,
    };
  }
  if (typeof product.live !== "boolean") {
    return { ok: false, why: `the product's live is not true or false (got ${kindOf(product.live)})` };
  }
  // The fast path: an answer as the spec describes it. Otherwise find which fields drifted.
  const id = product.external_product_id;
  const validProduct: (data: unknown) => boolean = schemaValidator("Product");
  if (!validProduct(product)) {
    for (const [field, value] of Object.entries(product)) {
      let validate;
      try {
        validate = compileSchema(`#/components/schemas/Product/properties/${field}`);
      } catch {
        continue; // a field the spec does not describe: not drift, just more than we know
      }
      if (!validate(value)) {
        drift.report(
          `product.${field}`,
          `product ${JSON.stringify(id)}: ${field} ${describeSchemaError(validate.errors).replace(/^value: /, "")}; got ${JSON.stringify(value)?.slice(0, 80)}. The client does not use it and carries on.`,
        );
      }
    }
  }
  return { ok: true, value: product as Product };
}

/**
 * A batch answer in either published form: `{"results": [...]}` or `[{"results": [...]}, ...]`.
 * Each result needs a `status` (an integer, or digits in a string) and a `product_id` (a string,
 * null, or missing: then results are matched by position).
 */
export function readBatchResults(body: unknown, drift: AnswerDriftReporter): Read<ItemResult[]> {
  let raw: unknown[];
  if (Array.isArray(body)) {
    raw = [];
    for (const entry of body) {
      const results = (entry as { results?: unknown } | null)?.results;
      if (!Array.isArray(results)) return { ok: false, why: "an entry of the list form has no results list" };
      raw.push(...results);
    }
  } else if (body !== null && typeof body === "object" && Array.isArray((body as { results?: unknown }).results)) {
    raw = (body as { results: unknown[] }).results;
  } else {
    return { ok: false, why: `the answer is not a result list (got ${kindOf(body)})` };
  }
  const out: ItemResult[] = [];
  for (const [i, r] of raw.entries()) {
    if (r === null || typeof r !== "object" || Array.isArray(r))
      return { ok: false, why: `result ${i} is not an object` };
    const result = r as Record<string, unknown>;
    let status = result.status;
    if (typeof status === "string" && /^\d{3}$/.test(status)) {
      drift.report(
        "batch.status-type",
        `a result's status came as the string ${JSON.stringify(status)}; read as a number.`,
      );
      status = Number(status);
    }
    if (typeof status !== "number" || !Number.isInteger(status)) {
      return { ok: false, why: `result ${i} has no integer status (got ${kindOf(result.status)})` };
    }
    if (status !== 200 && status !== 400 && status !== 404) {
      drift.report(
        "batch.status-value",
        `a result's status was ${status}, which the spec does not list; read as a failed item.`,
      );
    }
    let productId = result.product_id;
    if (typeof productId === "number") {
      drift.report("batch.product_id-type", "a result's product_id came as a number; read as a string.");
      productId = String(productId);
    }
    if (productId !== undefined && productId !== null && typeof productId !== "string") {
      return { ok: false, why: `result ${i} has a product_id that is ${kindOf(productId)}` };
    }
    out.push({
      ...(result as object),
      product_id: (productId ?? null) as string | null,
      status: status as ItemResult["status"],
    } as ItemResult);
  }
  return { ok: true, value: out };
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

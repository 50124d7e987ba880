/**
 * Batch fan-out: many items cut into requests of the spec's batch limit, a few requests in flight
 * at once, and every item's fate written into one BatchReport in input order. A failed request
 * fails its items, never the whole call: the caller gets a report, not an exception.
 */
import { batchLimit } from "../../shared/validation/schemas.js";
import type { OrdergrooveError } from "./errors.js";
import { type BatchReport, buildReport, type ItemOutcome } from "./report.js";
import type { MatchedResult } from "./match-results.js";
import { asOrdergrooveError, type Attempted, type ClientLogger, productIdOf } from "./sender.js";

export interface BatchOptions {
  /** Called after each batch with the items done so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** Items per request, as the spec's maxItems says (100 today). */
export const UPDATE_BATCH_LIMIT = batchLimit("ProductUpdateBatch");
export const CREATE_BATCH_LIMIT = batchLimit("ProductCreateBatch");

export interface FanOut {
  /** Batches in flight at once. */
  concurrency: number;
  logger: ClientLogger | undefined;
}

/**
 * Sends `items` in batches of `size` through `send`, `fanOut.concurrency` at a time. `what` names
 * the operation in errors ("update products").
 */
export async function inBatches(
  items: readonly unknown[],
  size: number,
  what: string,
  send: (batch: readonly unknown[]) => Promise<Attempted<MatchedResult[]>>,
  options: BatchOptions,
  fanOut: FanOut,
): Promise<BatchReport> {
  const outcomes: ItemOutcome[] = new Array(items.length);
  const batches: number[] = [];
  for (let start = 0; start < items.length; start += size) batches.push(start);
  const after = sameIdBefore(items, size, batches.length);
  const settled: Array<Promise<void>> = [];
  const settle: Array<() => void> = [];
  for (let b = 0; b < batches.length; b++) settled.push(new Promise<void>((resolve) => (settle[b] = resolve)));
  let requests = 0;
  let retries = 0;
  let done = 0;
  let next = 0;
  // A credentials failure will not fix itself for the next batch: stop sending, fail the rest.
  let fatal: OrdergrooveError | undefined;
  const worker = async () => {
    while (next < batches.length) {
      const b = next++;
      const start = batches[b]!;
      const batch = items.slice(start, start + size);
      // A product repeated across batches: its later value goes out only once every earlier
      // batch naming it is settled, retries included, so the last occurrence wins (issue 34).
      try {
        if (after[b]!.length) await Promise.all(after[b]!.map((earlier) => settled[earlier]));
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
              outcomes[start + i] = fromResult(start + i, batch[i], result, attempts);
            });
          } catch (error) {
            const e = asOrdergrooveError(error, what);
            requests += e.attempts;
            retries += e.attempts - 1;
            if (e.status === 401 || e.status === 403) fatal = e;
            fanOut.logger?.warn?.(`${e.name}: ${e.message}`, { items: batch.length });
            batch.forEach((item, i) => {
              outcomes[start + i] = failed(start + i, item, e);
            });
          }
        }
      } finally {
        // Even if this batch threw: a later batch waiting on it must not wait for ever.
        settle[b]!();
      }
      done += batch.length;
      options.onProgress?.(done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(fanOut.concurrency, batches.length) }, worker));
  return buildReport(outcomes, requests, retries);
}

/** For each batch, the earlier batches that name one of its product ids (none, usually). */
function sameIdBefore(items: readonly unknown[], size: number, count: number): number[][] {
  const lastBatchOf = new Map<string, number>();
  const out: number[][] = [];
  for (let b = 0; b < count; b++) {
    const earlier = new Set<number>();
    for (let i = b * size; i < Math.min(items.length, (b + 1) * size); i++) {
      const id = productIdOf(items[i]);
      if (id === null) continue;
      const seen = lastBatchOf.get(id);
      if (seen !== undefined && seen !== b) earlier.add(seen);
      lastBatchOf.set(id, b);
    }
    out.push([...earlier]);
  }
  return out;
}

/**
 * One item's outcome from its result. A per-item status the spec does not list (not 200, 404 or
 * 400) is a failed item, as the drift message says, not an invalid one: StockSync drops invalid
 * items but resends failed ones (issue 34).
 */
function fromResult(index: number, item: unknown, result: MatchedResult, attempts: number): ItemOutcome {
  const productId = productIdOf(item);
  if ("unmatched" in result) {
    result.unmatched.attempts = attempts;
    return failed(index, item, result.unmatched);
  }
  if (result.status === 200) return { index, productId, outcome: "updated", status: 200 };
  if (result.status === 404) {
    return { index, productId, outcome: "not_found", status: 404, reason: result.detail ?? "no such product" };
  }
  if (result.status === 400) {
    return { index, productId, outcome: "invalid", status: 400, reason: result.detail ?? "invalid item" };
  }
  const status: number = result.status;
  return {
    index,
    productId,
    outcome: "failed",
    status,
    reason: `Ordergroove answered this item ${status}, a status the spec does not list${result.detail ? `: ${result.detail}` : ""}. Sending it again may succeed.`,
  };
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

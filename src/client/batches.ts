/**
 * Batch fan-out: many items cut into requests of the spec's batch limit, a few requests in flight
 * at once, and every item's fate written into one BatchReport in input order. A failed request
 * fails its items, never the whole call: the caller gets a report, not an exception.
 */
import type { ItemResult } from "../../shared/api-types.js";
import { batchLimit } from "../../shared/validation/schemas.js";
import type { OrdergrooveError } from "./errors.js";
import { type BatchReport, buildReport, type ItemOutcome } from "./report.js";
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
  send: (batch: readonly unknown[]) => Promise<Attempted<ItemResult[]>>,
  options: BatchOptions,
  fanOut: FanOut,
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
          fanOut.logger?.warn?.(`${e.name}: ${e.message}`, { items: batch.length });
          batch.forEach((item, i) => {
            outcomes[start + i] = failed(start + i, item, e);
          });
        }
      }
      done += batch.length;
      options.onProgress?.(done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(fanOut.concurrency, batches.length) }, worker));
  return buildReport(outcomes, requests, retries);
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

/**
 * Assertions that read like the domain, over the fake's catalog and journal. They throw Node's
 * AssertionError with a message that says what was expected and what happened instead, so they
 * work the same under vitest, jest or node:test.
 */
import { AssertionError } from "node:assert";
import { batchResults } from "../../shared/batch-results.js";
import type { JournalEntry } from "../core/journal/journal.js";
import type { OrdergrooveMock } from "../core/mock.js";

const BATCH_UPDATE = "/products-batch/update/";

export function fail(message: string, actual?: unknown, expected?: unknown): never {
  throw new AssertionError({ message, actual, expected, operator: "ordergroove" });
}

function isBatchUpdate(e: JournalEntry): boolean {
  return e.method === "PATCH" && e.path.split("?")[0] === BATCH_UPDATE;
}

function statusOf(e: JournalEntry): number | "dropped" {
  return "status" in e.response ? e.response.status : "dropped";
}

/** Every item the fake applied (per-item 200) for a product, oldest first. */
export function appliedUpdates(mock: OrdergrooveMock, productId: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const e of mock.journal.entries()) {
    if (!isBatchUpdate(e) || !Array.isArray(e.body) || !("status" in e.response)) continue;
    const results = batchResults(e.response.body);
    e.body.forEach((item, i) => {
      if ((item as { product_id?: unknown })?.product_id === productId && results[i]?.status === 200) {
        out.push(item as Record<string, unknown>);
      }
    });
  }
  return out;
}

/** "Product X was set live=false": the last applied update of X in the journal set `live` so. */
export function expectSetLive(mock: OrdergrooveMock, productId: string, live: boolean): void {
  const updates = appliedUpdates(mock, productId).filter((u) => "live" in u);
  const last = updates.at(-1);
  if (!last) {
    const sent = sentItems(mock, productId);
    fail(
      `Expected product ${JSON.stringify(productId)} to have been set live=${live}, but no batch update applied a live value to it.` +
        (sent.length
          ? ` It was sent ${sent.length} time(s) and refused: ${sent.map((s) => `${s.status}${s.detail ? ` (${s.detail})` : ""}`).join(", ")}.`
          : " It was never sent."),
      undefined,
      live,
    );
  }
  if (last.live !== live) {
    fail(
      `Expected product ${JSON.stringify(productId)} to have been set live=${live}, but the last applied update set live=${String(last.live)}.`,
      last.live,
      live,
    );
  }
}

/** The product's current `live` in the fake's catalog. */
export function expectProductLive(mock: OrdergrooveMock, productId: string, live: boolean): void {
  const product = mock.catalog.get(productId);
  if (!product)
    fail(
      `Expected product ${JSON.stringify(productId)} to be live=${live}, but the fake's catalog has no such product.`,
    );
  if (product.live !== live)
    fail(
      `Expected product ${JSON.stringify(productId)} to be live=${live}, but it is live=${product.live}.`,
      product.live,
      live,
    );
}

/** Exactly `count` batch update requests were received (answered or not). */
export function expectBatchRequests(mock: OrdergrooveMock, count: number): void {
  const batches = mock.journal.entries().filter(isBatchUpdate);
  if (batches.length !== count) {
    const list = batches.map((e) => `#${e.seq} → ${statusOf(e)}`).join(", ");
    fail(
      `Expected ${count} batch update request(s), but the fake received ${batches.length}${list ? `: ${list}` : ""}.`,
      batches.length,
      count,
    );
  }
}

/** No request reached the fake without valid credentials. */
export function expectAllSigned(mock: OrdergrooveMock): void {
  const refused = mock.journal
    .entries()
    .filter(
      (e) => e.principal === null && "status" in e.response && (e.response.status === 401 || e.response.status === 403),
    );
  if (refused.length) {
    const why = refused
      .slice(0, 5)
      .map(
        (e) =>
          // The fake's explanation, not the service's terse words the body carries ("Authentication Failed").
          `${e.method} ${e.path}: ${e.authRefusal || ("status" in e.response && (e.response.body as { detail?: string })?.detail) || "refused"}`,
      )
      .join("; ");
    fail(`Expected every request to be signed with valid credentials, but ${refused.length} were refused: ${why}`);
  }
}

function sentItems(mock: OrdergrooveMock, productId: string): Array<{ status: number | string; detail?: string }> {
  const out: Array<{ status: number | string; detail?: string }> = [];
  for (const e of mock.journal.entries()) {
    if (!isBatchUpdate(e) || !Array.isArray(e.body)) continue;
    e.body.forEach((item, i) => {
      if ((item as { product_id?: unknown })?.product_id !== productId) return;
      if (!("status" in e.response)) {
        out.push({ status: "dropped" });
        return;
      }
      const result = batchResults(e.response.body)[i];
      const refusal = e.authRefusal ?? (e.response.body as { detail?: string } | undefined)?.detail;
      out.push(
        result
          ? { status: result.status, ...(result.detail ? { detail: result.detail } : {}) }
          : { status: e.response.status, ...(refusal ? { detail: refusal } : {}) },
      );
    });
  }
  return out;
}

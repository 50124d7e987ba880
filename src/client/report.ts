/** What a batch operation did to each item, in input order. Per-item 404/400 are outcomes, not errors. */
import type { OrdergrooveError } from "./errors.js";

export type Outcome = "updated" | "not_found" | "invalid" | "failed";

export interface ItemOutcome {
  /** Position in the input. */
  index: number;
  /** The item's product_id as given (null if it had none). */
  productId: string | null;
  outcome: Outcome;
  /** Ordergroove's per-item status (200, 404, 400), absent when the request failed. */
  status?: number;
  /** Why, when not updated: the per-item detail, or the request's error message. */
  reason?: string;
  /** The request-level error, for `failed` items. */
  error?: OrdergrooveError;
}

export interface BatchReport {
  /** One entry per input item, in input order. */
  items: ItemOutcome[];
  updated: ItemOutcome[];
  notFound: ItemOutcome[];
  invalid: ItemOutcome[];
  failed: ItemOutcome[];
  /** Requests sent, retries included. */
  requests: number;
  retries: number;
  /** True when every item was updated. */
  ok: boolean;
}

export function buildReport(items: ItemOutcome[], requests: number, retries: number): BatchReport {
  const by = (o: Outcome) => items.filter((i) => i.outcome === o);
  const updated = by("updated");
  return {
    items,
    updated,
    notFound: by("not_found"),
    invalid: by("invalid"),
    failed: by("failed"),
    requests,
    retries,
    ok: updated.length === items.length,
  };
}

/**
 * What a batch operation did to each item, in input order. Per-item 404/400 are outcomes, not
 * errors. Every item says what happened in the same three fields, whatever the outcome:
 * `productId`, `status` and (unless updated) `reason`.
 */
import type { OrdergrooveError } from "./errors.js";

export type Outcome = "updated" | "not_found" | "invalid" | "failed";

export interface ItemOutcome {
  /** Position in the input. */
  index: number;
  /** The item's product_id as given (null if it had none). */
  productId: string | null;
  outcome: Outcome;
  /**
   * `updated`, `not_found`, `invalid`: Ordergroove's status for this item (200, 404, 400).
   * `failed`: the HTTP status of the answer to the request that failed the item (403 refused
   * credentials, 429 still throttled once the retries ran out, 5xx, or the 200/207 whose body
   * could not be read), or `null` when no answer came back (timeout, connection refused or dropped).
   * Items never sent because an earlier batch's credentials were refused carry that 401/403. An
   * item Ordergroove answered with a status the spec does not list (e.g. 500) is failed with it.
   */
  status: number | null;
  /** Why, when not updated: Ordergroove's per-item detail, or the failed request's error message. */
  reason?: string;
  /** `failed` items only: the typed request-level error (`PermissionError`, `ThrottledError`, ...). */
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

/**
 * The text of a batch answer, `{"results":[...]}`, written directly rather than by
 * `JSON.stringify`: every batch answer is sent as text, and for a 100-item batch stringifying
 * the result objects was a visible share of the fake's work per request (bench figure 2), while joining
 * their parts costs a fraction of that (docs/performance.md).
 *
 * It gives exactly `JSON.stringify({ results })` (test/mock/results-text.test.ts checks it on
 * generated results and on what the batch routes answer). That rests on one fact of this
 * codebase: an ItemResult is made, in ./batch-items.ts, with the keys `product_id`, `status` and
 * optionally `detail`, in that order, which is the order JSON.stringify writes them in. A result
 * with any other key is written by JSON.stringify, so a new field can never be dropped silently.
 */
import type { ItemResult } from "../../../shared/batch-results.js";

/** True when JSON.stringify writes `text` between its quotes as it is: no quote, backslash, control character or surrogate. */
function plain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

function quoted(text: string): string {
  return plain(text) ? `"${text}"` : JSON.stringify(text);
}

/** The keys of an ItemResult in the order ./batch-items.ts makes them. */
const ORDER = ["product_id", "status", "detail"];

function resultText(r: ItemResult): string {
  // Exactly the keys in ORDER's order (the last one optional), else JSON.stringify decides.
  let keys = 0;
  for (const key in r) if (key !== ORDER[keys++]) return JSON.stringify(r);
  const { product_id: id, status, detail } = r;
  const shaped =
    keys >= 2 &&
    (keys === 2 || typeof detail === "string") &&
    (id === null || typeof id === "string") &&
    Number.isSafeInteger(status);
  if (!shaped) return JSON.stringify(r);
  const head = `{"product_id":${id === null ? "null" : quoted(id)},"status":${status}`;
  return detail === undefined ? `${head}}` : `${head},"detail":${quoted(detail)}}`;
}

/** `JSON.stringify({ results })`, made faster for the result objects the batch routes make. */
export function resultsText(results: readonly ItemResult[]): string {
  let text = '{"results":[';
  for (let i = 0; i < results.length; i++) text += i === 0 ? resultText(results[i]!) : `,${resultText(results[i]!)}`;
  return `${text}]}`;
}

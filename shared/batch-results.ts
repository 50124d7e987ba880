/**
 * The per-item results of a batch answer in either published form: `{"results": [...]}` or the
 * article's `[{"results": [...]}, ...]`, flattened to one list in request order. The client reads
 * answers with it, the fake's assertions read the journal with it.
 */
import type { ItemResult } from "./api-types.js";

export type { ItemResult } from "./api-types.js";

/**
 * The item results of a batch answer body; an empty list when the body is neither form, and
 * nothing from a `results` that is not a list (og-mock --upstream reads any upstream's answer
 * with it: `{"results": {}}` must read as no results, not break the reader).
 */
export function batchResults(body: unknown): ItemResult[] {
  if (Array.isArray(body)) return (body as Array<{ results?: unknown } | null>).flatMap((o) => listOf(o?.results));
  return listOf((body as { results?: unknown } | null | undefined)?.results);
}

function listOf(results: unknown): ItemResult[] {
  return Array.isArray(results) ? (results as ItemResult[]) : [];
}

/**
 * The per-item results of a batch answer in either published form: `{"results": [...]}` or the
 * article's `[{"results": [...]}, ...]`, flattened to one list in request order. The client reads
 * answers with it, the fake's assertions read the journal with it.
 */
import type { ItemResult } from "./api-types.js";

export type { ItemResult } from "./api-types.js";

/** The item results of a batch answer body; an empty list when the body is neither form. */
export function batchResults(body: unknown): ItemResult[] {
  if (Array.isArray(body)) return (body as Array<{ results?: ItemResult[] }>).flatMap((o) => o?.results ?? []);
  return (body as { results?: ItemResult[] } | null | undefined)?.results ?? [];
}

/**
 * Which result of a batch answer belongs to which item sent. Ordergroove answers one result per
 * item, in request order, each naming the item's product_id as sent. The reader does not lose a
 * batch when one result is odd (issue 34): the fake quotes an id longer than the spec allows cut
 * short, and what the real service echoes then is not documented. So:
 *
 * 1. Every result names its item at its position (or names none): each is its item's.
 * 2. Otherwise results are matched by the product_id they name, in order for a repeated id.
 * 3. A result naming no item sent is its position's item's when the answer is otherwise in
 *    request order (every result matched by id sits at its item's position): the reader says so
 *    in the result's detail.
 * 4. Any item still without a result (a reordered answer that also changed an id) gets an error
 *    of its own: that item alone is `failed`; every other item is reported as its result says.
 */
import type { ItemResult } from "../../shared/api-types.js";
import { firstCharacters } from "../../shared/validation/characters.js";
import type { UnexpectedResponseError } from "./errors.js";

/** An item's result, or the error saying why none could be matched to it. */
export type MatchedResult = ItemResult | { unmatched: UnexpectedResponseError };

export function matchResults(
  ids: ReadonlyArray<string | null>,
  results: readonly ItemResult[],
  unmatched: (why: string) => UnexpectedResponseError,
): MatchedResult[] {
  if (results.every((r, i) => r.product_id === ids[i] || r.product_id === null)) return results as ItemResult[];
  const byId = new Map<string, number[]>();
  results.forEach((r, i) => {
    if (r.product_id !== null) byId.set(r.product_id, [...(byId.get(r.product_id) ?? []), i]);
  });
  const taken = new Set<number>();
  const at = ids.map((id) => {
    // A repeated id: its first occurrence takes the first result naming it, and so on.
    const j = id === null ? undefined : byId.get(id)?.find((k) => !taken.has(k));
    if (j !== undefined) taken.add(j);
    return j;
  });
  const inOrder = at.every((j, i) => j === undefined || j === i);
  return ids.map((id, i) => {
    const j = at[i];
    if (j !== undefined) return results[j]!;
    const there = results[i]!;
    if (!inOrder || taken.has(i)) {
      return { unmatched: unmatched(`no result for product_id ${quote(id)} (the answer is not in request order)`) };
    }
    taken.add(i);
    if (there.product_id === null) return there;
    const note = `Ordergroove's result at this item's position names product_id ${quote(there.product_id)}, not the one sent`;
    return { ...there, product_id: id, detail: there.detail ? `${there.detail} (${note})` : note } as ItemResult;
  });
}

/** An id for a message: at most 80 characters, never cut inside a surrogate pair. */
function quote(id: string | null): string {
  if (id === null) return "null";
  const cut = firstCharacters(id, 80);
  return JSON.stringify(cut.length < id.length ? `${cut}…` : id);
}

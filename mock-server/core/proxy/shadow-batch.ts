/**
 * The shadow of a batch (./shadow.ts): compared item by item, with the batch's status and answer
 * form. Before the replay the fake's catalog learns what the real answer shows (a product the
 * service answered 200 exists, one it answered 404 does not); after it, an item the fake applied
 * and the service did not is undone, so the catalog holds what the service showed.
 */
import { batchResults } from "../../../shared/batch-results.js";
import type { CoreRequest } from "../messages.js";
import type { OrdergrooveMock } from "../mock.js";
import { CatalogError, type Product } from "../products/catalog.js";
import { sentJson } from "./bodies.js";
import {
  type Difference,
  formDifference,
  pointerToken,
  processed,
  replayOnFake,
  statusDifference,
} from "./shadow-replay.js";

export function batchDifferences(
  mock: OrdergrooveMock,
  req: CoreRequest,
  operation: "updateProductsBatch" | "createProductsBatch",
  realStatus: number,
  realBody: unknown,
): Difference[] {
  const parsed = sentJson(req);
  const sent = parsed.ok ? parsed.value : undefined;
  if (!Array.isArray(sent)) return [];
  const { catalog } = mock;
  const real = new Map(batchResults(realBody).map((r) => [r.product_id, r.status]));
  // The same starting state: what the real answer shows of the catalog.
  for (const [id, status] of real) {
    if (typeof id !== "string") continue;
    const exists = catalog.has(id);
    if (operation === "updateProductsBatch" && status === 200 && !exists) {
      try {
        catalog.create({ external_product_id: id });
      } catch (error) {
        // A product the service holds and the fake cannot (an id past the fake's own cap): the
        // replay's answer for it is a difference to list, never a reason to lose the real answer.
        if (!(error instanceof CatalogError)) throw error;
      }
    }
    if (operation === "updateProductsBatch" && status === 404 && exists) catalog.remove(id);
    if (operation === "createProductsBatch" && status === 200 && exists) catalog.remove(id);
  }
  // What the batch may touch, as it was: restored where the service wrote nothing.
  const before = new Map<string, Product | undefined>();
  for (const item of sent) {
    const id = (item as { product_id?: unknown } | null)?.product_id;
    if (typeof id === "string" && !before.has(id)) before.set(id, catalog.get(id));
  }
  const answer = replayOnFake(mock, req);
  for (const [id, was] of before) {
    if (processed(realStatus) && real.get(id) === 200) continue;
    if (was) catalog.upsert([was]);
    else catalog.remove(id);
  }
  const fakeBody = answer.body;
  const out: Difference[] = [];
  const bothProcessed = processed(realStatus) && processed(answer.status);
  const status = statusDifference(
    "the batch",
    realStatus,
    answer.status,
    bothProcessed ? "answer.batchStatus" : undefined,
  );
  if (status) out.push(status);
  if (!bothProcessed) return out;
  const form = formDifference(realBody, fakeBody, "answer.batchForm");
  if (form) out.push(form);
  const fake = new Map(batchResults(fakeBody).map((r) => [r.product_id, r.status]));
  for (const [id, status] of real) {
    const theirs = fake.get(id);
    if (theirs === status) continue;
    out.push({
      pointer: `/items/${pointerToken(String(id))}`,
      message: `item ${JSON.stringify(id)} was answered ${status} by the service and ${theirs ?? "not at all"} by the fake`,
      real: status,
      fake: theirs ?? null,
    });
  }
  // And the converse: an item the fake answered that the service left out (an answer naming
  // other items, as a mock answering its examples does) is a difference too, not only a violation.
  for (const [id, status] of fake) {
    if (real.has(id)) continue;
    out.push({
      pointer: `/items/${pointerToken(String(id))}`,
      message: `item ${JSON.stringify(id)} was not answered by the service and answered ${status} by the fake`,
      real: null,
      fake: status,
    });
  }
  return out;
}

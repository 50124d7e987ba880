/**
 * The fake in the shadow of real traffic (`og-mock --upstream --shadow`): each real exchange of an
 * operation the fake answers is replayed against the fake and the two outcomes compared. Before
 * the replay the fake's catalog learns what the real answer shows, so both start from the same
 * state and a difference is a difference of behaviour, not of data; after it, the catalog holds
 * what the service showed, whatever the fake answered.
 *
 * Batches: ./shadow-batch.ts. One product (read, write, group check): ./shadow-product.ts.
 * Listings are compared by status and form only: a page depends on the whole catalog, of which the
 * fake knows only what traffic showed it.
 *
 * Not compared: an exchange the service refused for its credentials (the replay authenticates
 * with the fake's own, ./shadow-replay.ts, so it would always differ), and a listing page past the
 * first (its cursor is the service's, its page number counts the service's catalog).
 */
import type { CoreRequest } from "../messages.js";
import type { OrdergrooveMock } from "../mock.js";
import { matchRoute, type Operation } from "../routes.js";
import { batchDifferences } from "./shadow-batch.js";
import { productDifferences } from "./shadow-product.js";
import { type Difference, formOf, replayOnFake, statusAndForm } from "./shadow-replay.js";

export type { Difference } from "./shadow-replay.js";

/** Replays a real exchange against the fake and lists the differences. */
export function shadowDifferences(
  mock: OrdergrooveMock,
  req: CoreRequest,
  operation: Operation,
  realStatus: number,
  realBody: unknown,
): Difference[] {
  if (realStatus === 401 || realStatus === 403) return [];
  switch (operation) {
    case "updateProductsBatch":
    case "createProductsBatch":
      return batchDifferences(mock, req, operation, realStatus, realBody);
    case "getProduct":
    case "updateProduct":
    case "productHasGroup": {
      const route = matchRoute(req.method, pathOf(req));
      if (route.kind !== "operation" || route.productId === undefined) return [];
      return productDifferences(
        mock,
        req,
        { operation, productId: route.productId, groupType: route.groupType, groupName: route.groupName },
        realStatus,
        realBody,
      );
    }
    case "listProducts":
    case "listProductGroups":
      return listingDifferences(mock, req, realStatus, realBody);
  }
}

function listingDifferences(
  mock: OrdergrooveMock,
  req: CoreRequest,
  realStatus: number,
  realBody: unknown,
): Difference[] {
  const query = new URLSearchParams(req.path.split("?")[1] ?? "");
  const page = query.get("page");
  if (query.has("cursor") || (page !== null && page.trim() !== "1")) return [];
  const answer = replayOnFake(mock, req);
  const { differences: out, more } = statusAndForm("the listing", req, realStatus, realBody, answer);
  if (!more) return out;
  if (formOf(realBody) !== "object") return out;
  // The page's keys say its pagination form (count with page numbers, none with a cursor).
  const keys = (body: unknown) =>
    Object.keys(body as object)
      .sort()
      .join(", ");
  const [real, fake] = [keys(realBody), keys(answer.body)];
  if (real !== fake) {
    out.push({
      pointer: "",
      message: `the listing's keys are ${real} from the service and ${fake} from the fake`,
      real,
      fake,
    });
  }
  return out;
}

function pathOf(req: CoreRequest): string {
  const query = req.path.indexOf("?");
  return query === -1 ? req.path : req.path.slice(0, query);
}

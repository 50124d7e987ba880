/**
 * The fake in the shadow of real traffic (`og-mock --upstream --shadow`): each real batch exchange
 * is replayed against the fake and the two outcomes compared, item by item, with the batch's
 * status and answer form. Before the replay the fake's catalog learns what the real answer shows
 * (a product the service answered 200 exists, one it answered 404 does not), so both start from
 * the same state and a difference is a difference of behaviour, not of data.
 *
 * The replay authenticates with the fake's own credentials (the merchant's are the service's to
 * check, and the proxy already checked their shape); it is journaled by the fake as any request.
 */
import { signedHeaders, unixSeconds } from "../../../shared/auth/signature.js";
import { batchResults } from "../../../shared/batch-results.js";
import type { CoreRequest } from "../messages.js";
import { CatalogError } from "../products/catalog.js";
import type { OrdergrooveMock } from "../mock.js";
import type { Operation } from "../routes.js";
import { sentJson } from "./bodies.js";

/** One way the fake's outcome differs from the real one, and the setting that would explain it, where one does. */
export interface Difference {
  /** A JSON pointer: "" the batch as a whole, "/items/<product_id>" one item. */
  pointer: string;
  message: string;
  real: unknown;
  fake: unknown;
  /** The behaviour setting (or calibration observation) that would explain it, e.g. `answer.batchStatus`. */
  setting?: string;
}

/** Replays a real batch exchange against the fake and lists the differences; [] for other operations. */
export function shadowDifferences(
  mock: OrdergrooveMock,
  req: CoreRequest,
  operation: Operation,
  realStatus: number,
  realBody: unknown,
): Difference[] {
  if (operation !== "updateProductsBatch" && operation !== "createProductsBatch") return [];
  const parsed = sentJson(req);
  const sent = parsed.ok ? parsed.value : undefined;
  if (!Array.isArray(sent)) return [];
  const real = new Map(batchResults(realBody).map((r) => [r.product_id, r.status]));
  // The same starting state: what the real answer shows of the catalog.
  for (const [id, status] of real) {
    if (typeof id !== "string") continue;
    const exists = mock.catalog.has(id);
    if (operation === "updateProductsBatch" && status === 200 && !exists) {
      try {
        mock.catalog.create({ external_product_id: id });
      } catch (error) {
        // A product the service holds and the fake cannot (an id past the fake's own cap): the
        // replay's answer for it is a difference to list, never a reason to lose the real answer.
        if (!(error instanceof CatalogError)) throw error;
      }
    }
    if (operation === "updateProductsBatch" && status === 404 && exists) mock.catalog.remove(id);
    if (operation === "createProductsBatch" && status === 200 && exists) mock.catalog.remove(id);
  }
  const answer = mock.handle({ ...req, headers: withFakeCredentials(req.headers, mock) });
  const fakeBody = answer.body;
  const out: Difference[] = [];
  const bothProcessed = realStatus >= 200 && realStatus < 300 && answer.status >= 200 && answer.status < 300;
  if (answer.status !== realStatus) {
    out.push({
      pointer: "",
      message: `the batch was answered ${realStatus} by the service and ${answer.status} by the fake`,
      real: realStatus,
      fake: answer.status,
      ...(bothProcessed ? { setting: "answer.batchStatus" } : {}),
    });
  }
  if (bothProcessed && Array.isArray(realBody) !== Array.isArray(fakeBody)) {
    const form = (body: unknown) => (Array.isArray(body) ? "list" : "object");
    out.push({
      pointer: "",
      message: `the answer's form is ${form(realBody)} from the service and ${form(fakeBody)} from the fake`,
      real: form(realBody),
      fake: form(fakeBody),
      setting: "answer.batchForm",
    });
  }
  if (!bothProcessed) return out;
  const fake = new Map(batchResults(fakeBody).map((r) => [r.product_id, r.status]));
  for (const [id, status] of real) {
    const theirs = fake.get(id);
    if (theirs === status) continue;
    out.push({
      pointer: `/items/${String(id).replaceAll("~", "~0").replaceAll("/", "~1")}`,
      message: `item ${JSON.stringify(id)} was answered ${status} by the service and ${theirs ?? "not at all"} by the fake`,
      real: status,
      fake: theirs ?? null,
    });
  }
  return out;
}

/** The request's headers with the fake's own credentials instead of the merchant's. */
function withFakeCredentials(
  headers: Record<string, string | undefined>,
  mock: OrdergrooveMock,
): Record<string, string | undefined> {
  const { authorization: _a, "og-authorization": _o, "x-api-key": _k, ...rest } = headers;
  const { apiKeys, apiUsers, publicId } = mock.options.credentials;
  if (apiKeys[0] !== undefined) return { ...rest, "x-api-key": apiKeys[0] };
  const user = apiUsers[0];
  if (!user) return rest;
  return { ...rest, ...signedHeaders({ publicId, ...user }, unixSeconds(mock.options.clock.now())) };
}

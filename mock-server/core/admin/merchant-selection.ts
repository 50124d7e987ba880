/**
 * The admin API in front of many merchants: `/__admin/merchants` (list, add, read, remove),
 * `/__admin/ip-limit`, and merchant selection for every other admin route, which then runs
 * against that one merchant exactly as in a single-merchant fake (./admin.ts).
 *
 * A merchant is selected with the header `x-og-merchant: <public id>` or the query
 * `?merchant=<public id>`; without either (or with an empty one), the first merchant (the only
 * one, by default).
 */
import { CatalogError } from "../products/catalog.js";
import { adminRoute, notAllowed } from "./admin-path.js";
import { type AdminOptions, handleAdmin, wrongAdminMethod } from "./admin-api.js";
import { AdminInputError, decodePathPart, readJson } from "./admin-input.js";
import { checkBody, readQuery } from "./admin-schemas.js";
import { ADMIN_UNAUTHORIZED, adminAuthorized } from "./admin-token.js";
import { type CoreRequest, type CoreResponse, detail, json } from "../messages.js";
import { type OrdergrooveMerchants, MerchantError, summarize } from "../merchants/merchants.js";
import { type MerchantEntry, merchantOptions } from "../merchants/merchants-file.js";
import type { OrdergrooveMock } from "../mock.js";
import { MAX_BODY_DEPTH, nestingDepth } from "../journal/journal.js";

export const MERCHANT_HEADER = "x-og-merchant";
export const MERCHANT_QUERY = "merchant";

export function handleMerchantsAdmin(
  front: OrdergrooveMerchants,
  req: CoreRequest,
  options: AdminOptions = {},
): CoreResponse {
  // The token first: without it, not even which merchants exist is told.
  if (!adminAuthorized(req.headers, options.token)) return detail(401, ADMIN_UNAUTHORIZED);
  const { route, query } = adminRoute(req.path);
  // HEAD is answered as GET, as on every admin route; the host leaves the body out.
  const method = req.method.toUpperCase() === "HEAD" ? "GET" : req.method.toUpperCase();
  const deep = tooDeep(req.body);
  if (deep) return deep;
  try {
    if (route === "merchants") return merchants(front, method, req.body);
    if (route.startsWith("merchants/")) {
      // The method first: a wrong one is a 405 whichever merchant is named.
      if (method !== "GET" && method !== "DELETE") return notAllowed(req.method, route, ["GET", "HEAD", "DELETE"]);
      return oneMerchant(front, method, decodePathPart(route.slice(10), "public id"));
    }
    if (route === "ip-limit") return ipLimit(front, method, req.body);
  } catch (error) {
    if (error instanceof AdminInputError) return detail(400, error.message);
    if (error instanceof MerchantError) return detail(error.conflict ? 409 : 400, `Admin API: ${error.message}`);
    if (error instanceof RangeError) return detail(400, `Admin API: ${error.message}`);
    // A merchant's products are checked as any seed is (two with one id, say): the user's input.
    if (error instanceof CatalogError) return detail(400, `Admin API: ${error.message}`);
    throw error;
  }
  const wrong = wrongAdminMethod(req.method, route);
  if (wrong) return wrong;
  const selected = selectedMerchant(front, req, query);
  if ("status" in selected) return selected;
  const response = handleAdmin(selected, req);
  // Reset means "back to the start" for a test: its per-IP windows start afresh too.
  if (route === "reset" && method === "POST" && response.status === 200) front.resetIpWindows();
  return response;
}

/** The live journal's route, `GET /__admin/journal/stream`: streamed by the host, decided here. */
export function isJournalStream(path: string): boolean {
  return adminRoute(path).route === "journal/stream";
}

/**
 * What the journal's live stream answers, decided like every admin route (token, method,
 * `since` or the Last-Event-ID an EventSource resends, the merchant): the journal to stream and
 * where to start, or the refusal.
 */
export function journalStreamRequest(
  front: OrdergrooveMerchants,
  req: CoreRequest,
  options: AdminOptions = {},
): { journalOf: OrdergrooveMock; since: number } | CoreResponse {
  if (!adminAuthorized(req.headers, options.token)) return detail(401, ADMIN_UNAUTHORIZED);
  if (req.method.toUpperCase() !== "GET") return notAllowed(req.method, "journal/stream", ["GET"]);
  const { query } = adminRoute(req.path);
  let since: number;
  try {
    // An EventSource that reconnects resends the last id it saw: read as `since` when none is given.
    const q = readQuery("GET /__admin/journal/stream", query, { since: req.headers["last-event-id"] });
    since = (q.since as number | undefined) ?? 0;
  } catch (error) {
    if (error instanceof AdminInputError) return detail(400, error.message);
    throw error;
  }
  const merchant = selectedMerchant(front, req, query);
  return "status" in merchant ? merchant : { journalOf: merchant, since };
}

/** The merchant an admin request names (header or query), the first when none; else the refusal. */
export function selectedMerchant(
  front: OrdergrooveMerchants,
  req: CoreRequest,
  query: URLSearchParams,
): OrdergrooveMock | CoreResponse {
  // Empty is "not given", not the merchant "": a client that fills the header from an unset
  // variable means no merchant in particular.
  const fromHeader = req.headers[MERCHANT_HEADER] || undefined;
  const fromQuery = query.get(MERCHANT_QUERY) || null;
  if (fromHeader !== undefined && fromQuery !== null && fromHeader !== fromQuery) {
    return detail(
      400,
      `Admin API: the ${MERCHANT_HEADER} header (${JSON.stringify(fromHeader)}) and ?${MERCHANT_QUERY}= (${JSON.stringify(fromQuery)}) name different merchants.`,
    );
  }
  const publicId = fromHeader ?? fromQuery;
  if (publicId === null) return front.default;
  const engine = front.merchant(publicId);
  if (engine) return engine;
  return detail(
    404,
    `Admin API: no merchant with public id ${JSON.stringify(publicId.slice(0, 200))}. Merchants: ${front
      .list()
      .map((m) => m.options.credentials.publicId)
      .join(", ")}.`,
  );
}

function merchants(front: OrdergrooveMerchants, method: string, body: string | undefined): CoreResponse {
  if (method === "GET") return json(200, { merchants: front.summaries(), ipLimit: front.ipLimit });
  if (method === "POST") {
    const engine = front.add(merchantOptions(checkBody<MerchantEntry>("Merchant", readJson(body), "merchant")));
    return json(201, summarize(engine));
  }
  return notAllowed(method, "merchants", ["GET", "HEAD", "POST"]);
}

function oneMerchant(front: OrdergrooveMerchants, method: string, publicId: string): CoreResponse {
  const engine = front.merchant(publicId);
  if (!engine) return detail(404, `Admin API: no merchant with public id ${JSON.stringify(publicId.slice(0, 200))}.`);
  if (method === "GET") return json(200, summarize(engine));
  if (method === "DELETE") {
    front.remove(publicId);
    return json(200, { merchants: front.summaries(), ipLimit: front.ipLimit });
  }
  return notAllowed(method, `merchants/${publicId}`, ["GET", "HEAD", "DELETE"]);
}

function ipLimit(front: OrdergrooveMerchants, method: string, body: string | undefined): CoreResponse {
  if (method === "GET") return json(200, { ipLimit: front.ipLimit });
  if (method === "PUT") {
    const value = checkBody<false | { limit?: number; windowMs?: number }>("IpLimit", readJson(body), "ipLimit");
    front.setIpLimit(value);
    return json(200, { ipLimit: front.ipLimit });
  }
  return notAllowed(method, "ip-limit", ["GET", "HEAD", "PUT"]);
}

/**
 * Admin bodies nest no deeper than the journal shows a products body parsed (MAX_BODY_DEPTH): a
 * product posted with an unknown field nested 5,000 levels made every catalog read answer 500
 * until a reset (issue 25). Their size is the products API's limit already (the host's 413).
 */
function tooDeep(body: string | undefined): CoreResponse | undefined {
  if (body === undefined) return undefined;
  const depth = nestingDepth(body);
  if (depth <= MAX_BODY_DEPTH) return undefined;
  return detail(400, `Admin API: the body nests ${depth} levels deep; at most ${MAX_BODY_DEPTH}.`);
}

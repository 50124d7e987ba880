/**
 * The admin API of the fake (spec/admin.openapi.yaml), under /__admin/ like WireMock's: seed,
 * list, search and reset the catalog, read and clear the journal, set faults and answer settings,
 * explain signatures, health, and the merchants. Framework-free like the rest of
 * the core; admin calls are not journaled. (The journal's live stream and the dashboard are
 * served by the node host; what they may serve is decided here and in ../front.ts.)
 *
 * The one way in: the token is checked, HEAD is read as GET and the route is found in the one
 * route table (./admin-routes.ts) here, for every admin call and for the live stream.
 */
import { CatalogError } from "../products/catalog.js";
import { FaultError } from "../faults.js";
import { type CoreRequest, type CoreResponse, detail } from "../messages.js";
import type { OrdergrooveMock } from "../mock.js";
import { MerchantError, type OrdergrooveMerchants } from "../merchants/merchants.js";
import { MAX_BODY_DEPTH, nestingDepth } from "../body-depth.js";
import { ADMIN_QUERIES } from "../../../shared/generated/admin-validators.js";
import { ADMIN_PREFIX, adminRoute, notAllowed } from "./admin-path.js";
import { AdminInputError, decodePathPart } from "./admin-input.js";
import { type AdminCall, type AdminMethod, ADMIN_ROUTES, findRoute } from "./admin-routes.js";
import { type AdminOperation, readQuery } from "./admin-schemas.js";
import { ADMIN_UNAUTHORIZED, adminAuthorized } from "./admin-token.js";
import { selectedMerchant } from "./merchant-selection.js";

export { ADMIN_PREFIX, isAdminPath } from "./admin-path.js";

export interface AdminOptions {
  /** When set, every admin call must send `x-admin-token: <token>`. */
  token?: string | undefined;
}

/** The admin API of many merchants: the merchants' routes, and every other against the selected merchant. */
export function handleMerchantsAdmin(
  merchants: OrdergrooveMerchants,
  req: CoreRequest,
  options: AdminOptions = {},
): CoreResponse {
  return answerAdmin({ merchants }, req, options.token);
}

/** The admin API of one merchant's mock alone (no merchants' routes). */
export function handleAdmin(mock: OrdergrooveMock, req: CoreRequest, options: AdminOptions = {}): CoreResponse {
  return answerAdmin({ mock }, req, options.token);
}

/** An admin request read once: the token checked, the route and query read from the path as sent, HEAD as GET. */
function readAdminRequest(
  req: CoreRequest,
  token: string | undefined,
): CoreResponse | { route: string; query: URLSearchParams; asked: string; method: string } {
  // The token first: without it, not even which routes or merchants exist is told.
  if (!adminAuthorized(req.headers, token)) return detail(401, ADMIN_UNAUTHORIZED);
  const { route, query } = adminRoute(req.path);
  const asked = req.method.toUpperCase();
  // HEAD is answered as GET wherever GET is; the host leaves the body out.
  return { route, query, asked, method: asked === "HEAD" ? "GET" : asked };
}

function answerAdmin(
  target: { merchants: OrdergrooveMerchants } | { mock: OrdergrooveMock },
  req: CoreRequest,
  token: string | undefined,
): CoreResponse {
  const read = readAdminRequest(req, token);
  if ("status" in read) return read;
  const { route, query, asked, method } = read;
  const deep = tooDeep(req.body);
  if (deep) return deep;
  const merchants = "merchants" in target ? target.merchants : undefined;
  const found = findRoute(route);
  // One merchant's mock alone has no merchants' routes.
  const entry = found && (merchants || found.entry.scope === "merchant") ? found.entry : undefined;
  const handler = entry && Object.hasOwn(entry.methods, method) ? entry.methods[method as AdminMethod] : undefined;
  // The method first: a wrong one is a 405 whichever merchant is named.
  if (entry && !handler) {
    return notAllowed(
      asked,
      route,
      Object.keys(entry.methods).flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m])),
    );
  }
  const scope = entry?.scope ?? "merchant";
  try {
    let mock: OrdergrooveMock | undefined;
    if (scope === "merchant") {
      const selected = merchants ? selectedMerchant(merchants, req, query) : (target as { mock: OrdergrooveMock }).mock;
      if ("status" in selected) return selected;
      mock = selected;
    }
    if (!entry || !handler) return noRoute(method, route);
    const call: AdminCall = {
      method: method as AdminMethod,
      param: found?.param === undefined ? undefined : decodePathPart(found.param, entry.param ?? "id"),
      query,
      body: req.body,
    };
    // Every query parameter the operation names is checked, merchant included, even where unused.
    const operation = `${method} ${ADMIN_PREFIX}${entry.path}`;
    if (operation in ADMIN_QUERIES) readQuery(operation as AdminOperation, query);
    return entry.scope === "merchants"
      ? entry.methods[call.method]!(merchants!, call)
      : entry.methods[call.method]!(mock!, call, merchants);
  } catch (error) {
    return refusal(error, scope);
  }
}

/** Bad admin input, answered 400 (409 for a merchant that conflicts); anything else is the last line of defence's. */
function refusal(error: unknown, scope: "merchants" | "merchant"): CoreResponse {
  if (error instanceof AdminInputError) return detail(400, error.message);
  if (
    scope === "merchant" &&
    (error instanceof CatalogError || error instanceof FaultError || error instanceof RangeError)
  ) {
    return detail(400, error.message);
  }
  if (error instanceof MerchantError) return detail(error.conflict ? 409 : 400, `Admin API: ${error.message}`);
  // A merchant's products are checked as any seed is (two with one id, say): the user's input.
  if (error instanceof RangeError || error instanceof CatalogError) return detail(400, `Admin API: ${error.message}`);
  throw error;
}

function noRoute(method: string, route: string): CoreResponse {
  const routes = ADMIN_ROUTES.filter((r) => r.scope === "merchant" && r.pattern === undefined).map(
    (r) => ADMIN_PREFIX + r.path,
  );
  return detail(404, `Admin API: no route ${method} ${ADMIN_PREFIX}${route}. Routes: ${routes.join(", ")}.`);
}

/** The live journal's route, `GET /__admin/journal/stream`: streamed by the host, decided here. */
export function isJournalStream(path: string): boolean {
  return adminRoute(path).route === "journal/stream";
}

/**
 * What the journal's live stream answers, decided like every admin call (token, method, `since`
 * or the Last-Event-ID an EventSource resends, the merchant): the journal to stream and where to
 * start, or the refusal. Only GET: a stream has no HEAD.
 */
export function journalStreamRequest(
  merchants: OrdergrooveMerchants,
  req: CoreRequest,
  options: AdminOptions = {},
): { journalOf: OrdergrooveMock; since: number } | CoreResponse {
  const read = readAdminRequest(req, options.token);
  if ("status" in read) return read;
  if (read.asked !== "GET") return notAllowed(req.method, "journal/stream", ["GET"]);
  let since: number;
  try {
    // An EventSource that reconnects resends the last id it saw: read as `since` when none is given.
    const q = readQuery("GET /__admin/journal/stream", read.query, { since: req.headers["last-event-id"] });
    since = (q.since as number | undefined) ?? 0;
  } catch (error) {
    if (error instanceof AdminInputError) return detail(400, error.message);
    throw error;
  }
  const merchant = selectedMerchant(merchants, req, read.query);
  return "status" in merchant ? merchant : { journalOf: merchant, since };
}

/**
 * Admin bodies nest no deeper than the journal shows a products body parsed (MAX_BODY_DEPTH): a
 * product posted with an unknown field nested 5,000 levels made every catalog read answer 500
 * until a reset. Their size is the products API's limit already (the host's 413).
 */
function tooDeep(body: string | undefined): CoreResponse | undefined {
  if (body === undefined) return undefined;
  const depth = nestingDepth(body);
  if (depth <= MAX_BODY_DEPTH) return undefined;
  return detail(400, `Admin API: the body nests ${depth} levels deep; at most ${MAX_BODY_DEPTH}.`);
}

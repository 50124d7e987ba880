/**
 * The admin API of the fake (spec/admin.openapi.yaml), under /__admin/ like WireMock's:
 * seed, list, search and reset the catalog, read and clear the journal, set faults and answer
 * settings, explain signatures, health. Framework-free like the rest of the core; admin calls
 * are not journaled. (The journal's live stream and the dashboard are served by the HTTP host.)
 */
import { explainSignature, type SignatureQuestion, signatureHelp } from "./signature-debugger.js";
import { CatalogError, type ProductFields, type ProductSeed, storedFields } from "../products/catalog.js";
import { FaultError, parseFaults } from "../faults.js";
import { type CoreRequest, type CoreResponse, detail, json } from "../messages.js";
import type { OrdergrooveMock } from "../mock.js";
import { checkAnswer, checkBehaviour } from "../options.js";

import { ADMIN_PREFIX, adminRoute, notAllowed } from "./admin-path.js";
import { AdminInputError, decodePathPart, readJson } from "./admin-input.js";
import { type AdminOperation, checkBody, readQuery } from "./admin-schemas.js";
import { ADMIN_QUERIES } from "../../../shared/generated/admin-validators.js";
import { ADMIN_UNAUTHORIZED, adminAuthorized } from "./admin-token.js";

export { ADMIN_PREFIX, isAdminPath } from "./admin-path.js";

export interface AdminOptions {
  /** When set, every admin call must send `x-admin-token: <token>`. */
  token?: string | undefined;
}

/**
 * The methods of each per-merchant admin route, for the 405 that must come before the merchant is
 * looked up (a wrong method is wrong whichever merchant is named; found by the admin fuzz test
 * once it covered merchants). The route table in `dispatch` below answers the same way.
 */
const ROUTE_METHODS: Record<string, readonly string[]> = {
  health: ["GET"],
  products: ["GET", "PUT", "POST"],
  catalog: ["GET"],
  signature: ["GET", "POST"],
  reset: ["POST"],
  journal: ["GET", "DELETE"],
  faults: ["GET", "PUT", "DELETE"],
  settings: ["GET", "PATCH"],
};

/** The 405 of a per-merchant admin route asked with a method it does not take, else undefined. */
export function wrongAdminMethod(asked: string, route: string): CoreResponse | undefined {
  const method = asked.toUpperCase() === "HEAD" ? "GET" : asked.toUpperCase();
  // Own routes only: `/__admin/__proto__` or `/constructor` must not find Object.prototype's.
  const allowed = /^products\/.+/.test(route)
    ? ["GET", "PATCH"]
    : Object.hasOwn(ROUTE_METHODS, route)
      ? ROUTE_METHODS[route]
      : undefined;
  if (!allowed || allowed.includes(method)) return undefined;
  return notAllowed(
    asked.toUpperCase(),
    route,
    allowed.flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m])),
  );
}

export function handleAdmin(mock: OrdergrooveMock, req: CoreRequest, options: AdminOptions = {}): CoreResponse {
  if (!adminAuthorized(req.headers, options.token)) return detail(401, ADMIN_UNAUTHORIZED);
  // HEAD is answered as GET; the host leaves the body out.
  const asked = req.method.toUpperCase();
  const method = asked === "HEAD" ? "GET" : asked;
  try {
    const { route, query } = adminRoute(req.path);
    return dispatch(mock, method, route, query, req.body);
  } catch (error) {
    if (
      error instanceof AdminInputError ||
      error instanceof CatalogError ||
      error instanceof FaultError ||
      error instanceof RangeError
    ) {
      return detail(400, error.message);
    }
    throw error;
  }
}

function dispatch(
  mock: OrdergrooveMock,
  method: string,
  route: string,
  query: URLSearchParams,
  body: string | undefined,
): CoreResponse {
  const routes: Record<string, Record<string, () => CoreResponse>> = {
    health: {
      GET: () =>
        json(200, {
          status: "ok",
          products: mock.catalog.size,
          journal: {
            size: mock.journal.size,
            total: mock.journal.total,
            limit: mock.journal.limit,
            // Fallen off (over the count or the byte budget): a reader sees why entries are missing.
            dropped: mock.journal.dropped,
            bytes: mock.journal.bytes,
            maxBytes: mock.journal.maxBytes,
          },
        }),
    },
    products: {
      GET: () => {
        const q = readQuery("GET /__admin/products", query) as { live?: boolean; offset?: number; limit?: number };
        return json(200, {
          count: mock.catalog.countWhere(q.live),
          products: mock.catalog.list({ live: q.live, offset: q.offset ?? 0, limit: q.limit ?? 1000 }),
        });
      },
      PUT: () => {
        const products = readList(body);
        mock.catalog.seed(products);
        return json(200, { count: mock.catalog.size });
      },
      POST: () => {
        const products = readList(body);
        return json(200, { upserted: mock.catalog.upsert(products), count: mock.catalog.size });
      },
    },
    catalog: {
      // The dashboard's catalog view: search, filter and page on the server, with the counts.
      GET: () => {
        const q = readQuery("GET /__admin/catalog", query) as {
          q?: string;
          live?: string;
          offset?: number;
          limit?: number;
        };
        const [offset, limit] = [q.offset ?? 0, q.limit ?? 50];
        const live = q.live === undefined || q.live === "" ? undefined : q.live === "true";
        const page = mock.catalog.search({ q: q.q, live, offset, limit });
        return json(200, { ...page, offset, limit });
      },
    },
    signature: {
      GET: () => json(200, signatureHelp(mock)),
      POST: () =>
        json(
          200,
          explainSignature(mock, checkBody("SignatureQuestion", readJson(body), "question") as SignatureQuestion),
        ),
    },
    reset: {
      POST: () => {
        mock.reset();
        return json(200, { status: "reset", products: mock.catalog.size });
      },
    },
    journal: {
      GET: () => {
        const { since = 0 } = readQuery("GET /__admin/journal", query) as { since?: number };
        return json(200, {
          total: mock.journal.total,
          dropped: mock.journal.dropped,
          entries: mock.journal.entries(since),
        });
      },
      DELETE: () => {
        mock.journal.clear();
        return json(200, { total: 0, dropped: 0, entries: [] });
      },
    },
    faults: {
      GET: () => json(200, mock.faults.settings),
      PUT: () => {
        // The spec checks; parseFaults then fills in the defaults (a count of 1).
        mock.faults.set(parseFaults(checkBody("Faults", readJson(body), "faults")));
        return json(200, mock.faults.settings);
      },
      DELETE: () => {
        mock.faults.clear();
        return json(200, mock.faults.settings);
      },
    },
    settings: {
      GET: () => json(200, settingsOf(mock)),
      PATCH: () => {
        const input = checkBody<Record<string, unknown>>("SettingsPatch", readJson(body), "settings");
        // Check both before applying either, so a bad request changes nothing.
        const answer = input.answer === undefined ? undefined : { ...mock.answer, ...(input.answer as object) };
        const throttle = input.throttle as { limit?: number; windowMs?: number } | false | undefined;
        const behaviour =
          input.behaviour === undefined ? undefined : { ...mock.behaviour, ...(input.behaviour as object) };
        if (answer) checkAnswer(answer);
        if (behaviour) checkBehaviour(behaviour);
        if (answer) mock.setAnswer(answer);
        if (behaviour) mock.setBehaviour(behaviour);
        if (throttle !== undefined) mock.setThrottle(throttle);
        return json(200, settingsOf(mock));
      },
    },
  };
  const productMatch = /^products\/(.+)$/.exec(route);
  if (productMatch) {
    if (method !== "GET" && method !== "PATCH") return notAllowed(method, route, ["GET", "HEAD", "PATCH"]);
    const id = decodePathPart(productMatch[1]!, "product id");
    readQuery(`${method as "GET" | "PATCH"} /__admin/products/{id}`, query);
    if (method === "PATCH") {
      // Changes one product without credentials, throttle or journal (the dashboard's toggle).
      // The admin API is the fake's own: its spec lists the fields and refuses any other.
      const fields = checkBody<ProductFields>("ProductPatch", readJson(body), "product fields");
      const updated = mock.catalog.update(id, storedFields(fields));
      return updated ? json(200, updated) : detail(404, `Admin API: no product ${JSON.stringify(id)}.`);
    }
    const product = mock.catalog.get(id);
    return product ? json(200, product) : detail(404, `Admin API: no product ${JSON.stringify(id)}.`);
  }
  const handlers = Object.hasOwn(routes, route) ? routes[route] : undefined;
  if (!handlers) {
    return detail(
      404,
      `Admin API: no route ${method} ${ADMIN_PREFIX}${route}. Routes: ${Object.keys(routes)
        .map((r) => ADMIN_PREFIX + r)
        .join(", ")}.`,
    );
  }
  const handler = handlers[method];
  const operation = `${method} ${ADMIN_PREFIX}${route}`;
  // Every query parameter the operation names is checked, merchant included, even where unused.
  if (handler && operation in ADMIN_QUERIES) readQuery(operation as AdminOperation, query);
  if (!handler) {
    // HEAD is answered wherever GET is (see above), so the Allow header names it there.
    return notAllowed(
      method,
      route,
      Object.keys(handlers).flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m])),
    );
  }
  return handler();
}

/** A list of products, or `{"products": [...]}` and nothing else, as the spec's ProductsInput says. */
function readList(body: string | undefined): ProductSeed[] {
  const value = readJson(body);
  // Named by what the list holds (products[0].live), whichever form was sent.
  const root = Array.isArray(value) ? "products" : undefined;
  const input = checkBody<ProductSeed[] | { products: ProductSeed[] }>("ProductsInput", value, "products", root);
  return Array.isArray(input) ? input : input.products;
}

function settingsOf(mock: OrdergrooveMock) {
  return {
    answer: mock.answer,
    throttle: mock.throttle,
    behaviour: mock.behaviour,
    auth: { failureStatus: mock.options.auth.failureStatus },
    profile: mock.profile,
  };
}

/**
 * The admin API of the fake (spec/admin.openapi.yaml), under /__admin/ like WireMock's:
 * seed, list, search and reset the catalog, read and clear the journal, set faults and answer
 * settings, explain signatures, health. Framework-free like the rest of the core; admin calls
 * are not journaled. (The journal's live stream and the dashboard are served by the HTTP host.)
 */
import type { ValidateFunction } from "ajv";
import * as adminSchemas from "../../../src/generated/admin-validators.js";
import { deepestError, describeError, unknownField } from "../../../src/validation/errors.js";
import { describeSchemaError, knownFields, SPEC_WORDING, schemaValidator } from "../../../src/validation/schemas.js";
import { explainSignature, SignatureQuestionError, signatureHelp } from "./signature-debugger.js";
import { CatalogError, type ProductFields, type ProductSeed, storedFields } from "../products/catalog.js";
import { FaultError, parseFaults } from "../faults.js";
import { type CoreRequest, type CoreResponse, detail, json } from "../messages.js";
import type { OrdergrooveMock } from "../mock.js";
import { checkAnswer, checkBehaviour } from "../options.js";

import { ADMIN_PREFIX, adminRoute, notAllowed } from "./admin-path.js";
import { AdminInputError, parseBool, parseWhole } from "./admin-input.js";
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
  const allowed = /^products\/.+/.test(route) ? ["GET", "PATCH"] : ROUTE_METHODS[route];
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
      error instanceof SignatureQuestionError ||
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
        const live = query.get("live");
        const filter = live === null ? undefined : parseBool(live, "live");
        const offset = parseWhole(query.get("offset"), "offset", 0);
        const limit = parseWhole(query.get("limit"), "limit", 1000);
        return json(200, {
          count: mock.catalog.countWhere(filter),
          products: mock.catalog.list({ live: filter, offset, limit }),
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
        const live = query.get("live");
        const offset = parseWhole(query.get("offset"), "offset", 0);
        const limit = parseWhole(query.get("limit"), "limit", 50);
        if (limit > 1000) throw new AdminInputError(`Admin API: limit must be at most 1000; got ${limit}.`);
        const page = mock.catalog.search({
          q: query.get("q") ?? undefined,
          live: live === null || live === "" ? undefined : parseBool(live, "live"),
          offset,
          limit,
        });
        return json(200, { ...page, offset, limit });
      },
    },
    signature: {
      GET: () => json(200, signatureHelp(mock)),
      POST: () => json(200, explainSignature(mock, readJson(body))),
    },
    reset: {
      POST: () => {
        mock.reset();
        return json(200, { status: "reset", products: mock.catalog.size });
      },
    },
    journal: {
      GET: () => {
        const since = parseWhole(query.get("since"), "since", 0);
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
        const input = readJson(body);
        // parseFaults first: its messages say why (e.g. which statuses Ordergroove answers per item).
        parseFaults(input);
        mock.faults.set(checked("Faults", input, "faults"));
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
        const input = checked("SettingsPatch", readJson(body), "settings") as Record<string, unknown>;
        // Check both before applying either, so a bad request changes nothing.
        const answer = input.answer === undefined ? undefined : { ...mock.answer, ...(input.answer as object) };
        const throttle = input.throttle === undefined ? undefined : parseThrottle(input.throttle);
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
    const id = decodeId(productMatch[1]!);
    if (method === "PATCH") {
      // Changes one product without credentials, throttle or journal (the dashboard's toggle);
      // the fields are checked by the same schema as the products API's PATCH.
      const fields = readJson(body);
      const validate = schemaValidator("ProductPatch");
      if (fields === null || typeof fields !== "object" || Array.isArray(fields))
        throw new AdminInputError('Admin API: expected an object of product fields, e.g. {"live": false}.');
      if (!validate(fields))
        throw new AdminInputError(`Admin API: invalid product fields: ${describeSchemaError(validate.errors)}.`);
      // The admin API is the fake's own: it refuses fields it does not know rather than ignore them.
      const known = knownFields("ProductFields");
      const unknown = Object.keys(fields).find((k) => !known.has(k));
      if (unknown !== undefined)
        throw new AdminInputError(`Admin API: invalid product fields: ${unknownField("", unknown, SPEC_WORDING)}.`);
      const updated = mock.catalog.update(id, storedFields(fields as ProductFields));
      return updated ? json(200, updated) : detail(404, `Admin API: no product ${JSON.stringify(id)}.`);
    }
    const product = mock.catalog.get(id);
    return product ? json(200, product) : detail(404, `Admin API: no product ${JSON.stringify(id)}.`);
  }
  const handlers = routes[route];
  if (!handlers) {
    return detail(
      404,
      `Admin API: no route ${method} ${ADMIN_PREFIX}${route}. Routes: ${Object.keys(routes)
        .map((r) => ADMIN_PREFIX + r)
        .join(", ")}.`,
    );
  }
  const handler = handlers[method];
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

function decodeId(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AdminInputError(`Admin API: the product id in the path is not valid percent-encoding.`);
  }
}

function readJson(body: string | undefined): unknown {
  try {
    return JSON.parse(body ?? "");
  } catch (error) {
    throw new AdminInputError(`Admin API: the body is not JSON (${(error as Error).message}).`);
  }
}

function readList(body: string | undefined): ProductSeed[] {
  const value = readJson(body);
  const list = Array.isArray(value) ? value : (value as { products?: unknown } | null)?.products;
  if (!Array.isArray(list))
    throw new AdminInputError('Admin API: expected a JSON list of products (or {"products": [...]}).');
  checked("ProductsInput", list, "products");
  return list as ProductSeed[];
}

type AdminSchema = "ProductsInput" | "SettingsPatch" | "Faults";

/**
 * The admin spec is the source of truth for admin input: the body is checked against its schema
 * (compiled ahead of time by `npm run generate`) and refused with the first problem, by field.
 */
function checked(schema: AdminSchema, value: unknown, what: string): unknown {
  const validate = (adminSchemas as unknown as Record<AdminSchema, ValidateFunction>)[schema];
  if (validate(value)) return value;
  // oneOf reports each branch; the deepest error is the most specific. A list is named by what
  // it holds (products[0].live); an object by its fields (answer.batchForm), after "invalid <what>".
  const error = deepestError(validate.errors);
  const sentence = error
    ? describeError(error, schema === "ProductsInput" ? { root: what } : { whole: what })
    : "it does not match spec/admin.openapi.yaml";
  throw new AdminInputError(`Admin API: invalid ${what}: ${sentence}.`);
}

function parseThrottle(value: unknown): { limit?: number; windowMs?: number } | false {
  if (value === false) return false;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new AdminInputError("Admin API: throttle must be false or {limit, windowMs}.");
  }
  const t = value as Record<string, unknown>;
  const out: { limit?: number; windowMs?: number } = {};
  for (const key of ["limit", "windowMs"] as const) {
    if (t[key] === undefined) continue;
    const n = t[key];
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
      throw new AdminInputError(`Admin API: throttle.${key} must be a whole number ≥ 1.`);
    }
    out[key] = n;
  }
  return out;
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

/**
 * The admin API of the fake (spec/admin.openapi.yaml), under /__admin/ like WireMock's:
 * seed, list and reset the catalog, read and clear the journal, set faults and answer settings,
 * health. Framework-free like the rest of the core; admin calls are not journaled.
 */
import { constantTimeEqual } from "../../src/auth/signature.js";
import { CatalogError, type ProductSeed } from "./catalog.js";
import { FaultError } from "./faults.js";
import { type CoreRequest, type CoreResponse, detail, json } from "./http.js";
import type { OrdergrooveMock } from "./mock.js";

export const ADMIN_PREFIX = "/__admin/";

export interface AdminOptions {
  /** When set, every admin call must send `x-admin-token: <token>`. */
  token?: string | undefined;
}

export function isAdminPath(path: string): boolean {
  return path.startsWith(ADMIN_PREFIX) || path === "/__admin";
}

export function handleAdmin(mock: OrdergrooveMock, req: CoreRequest, options: AdminOptions = {}): CoreResponse {
  if (options.token !== undefined) {
    const given = req.headers["x-admin-token"];
    if (given === undefined || !constantTimeEqual(given, options.token)) {
      return detail(401, "Admin API: missing or wrong x-admin-token header.");
    }
  }
  const url = new URL(req.path, "http://admin.invalid");
  const route = url.pathname.slice(ADMIN_PREFIX.length).replace(/\/$/, "");
  const method = req.method.toUpperCase();
  try {
    return dispatch(mock, method, route, url.searchParams, req.body);
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

class AdminInputError extends Error {}

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
          journal: { size: mock.journal.size, total: mock.journal.total, limit: mock.journal.limit },
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
    reset: {
      POST: () => {
        mock.reset();
        return json(200, { status: "reset", products: mock.catalog.size });
      },
    },
    journal: {
      GET: () => {
        const since = parseWhole(query.get("since"), "since", 0);
        return json(200, { total: mock.journal.total, entries: mock.journal.entries(since) });
      },
      DELETE: () => {
        mock.journal.clear();
        return json(200, { total: 0, entries: [] });
      },
    },
    faults: {
      GET: () => json(200, mock.faults.settings),
      PUT: () => {
        mock.faults.set(readJson(body));
        return json(200, mock.faults.settings);
      },
      DELETE: () => {
        mock.faults.clear();
        return json(200, mock.faults.settings);
      },
    },
    settings: {
      GET: () => json(200, { answer: mock.answer, throttle: mock.throttle }),
      PATCH: () => {
        const input = readJson(body) as Record<string, unknown>;
        if (input === null || typeof input !== "object" || Array.isArray(input)) {
          throw new AdminInputError('Admin API: settings must be an object like {"answer": {...}, "throttle": {...}}.');
        }
        const unknown = Object.keys(input).filter((k) => k !== "answer" && k !== "throttle");
        if (unknown.length) throw new AdminInputError(`Admin API: unknown setting(s) ${unknown.join(", ")}.`);
        // Check both before applying either, so a bad request changes nothing.
        const answer = input.answer === undefined ? undefined : { ...mock.answer, ...(input.answer as object) };
        const throttle = input.throttle === undefined ? undefined : parseThrottle(input.throttle);
        if (answer) mock.setAnswer(answer);
        if (throttle !== undefined) mock.setThrottle(throttle);
        return json(200, { answer: mock.answer, throttle: mock.throttle });
      },
    },
  };
  const productMatch = /^products\/(.+)$/.exec(route);
  if (productMatch) {
    if (method !== "GET")
      return detail(405, `Method "${method}" not allowed on ${ADMIN_PREFIX}${route}; allowed: GET.`, { allow: "GET" });
    const id = decodeURIComponent(productMatch[1]!);
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
    const allow = Object.keys(handlers).join(", ");
    return detail(405, `Method "${method}" not allowed on ${ADMIN_PREFIX}${route}; allowed: ${allow}.`, { allow });
  }
  return handler();
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
  return list as ProductSeed[];
}

function parseBool(value: string, name: string): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  throw new AdminInputError(`Admin API: ${name} must be true or false; got ${JSON.stringify(value)}.`);
}

function parseWhole(value: string | null, name: string, fallback: number): number {
  if (value === null) return fallback;
  if (!/^\d{1,9}$/.test(value))
    throw new AdminInputError(`Admin API: ${name} must be a whole number; got ${JSON.stringify(value)}.`);
  return Number(value);
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

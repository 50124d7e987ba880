/**
 * The admin API's one route table (spec/admin.openapi.yaml): every route, the methods it takes
 * and what each does. ./admin-api.ts finds a request's route here, answers a method the route
 * does not take with a 405 naming the ones it does, checks the query against the spec, and calls
 * the handler; nothing else lists routes or methods.
 *
 * Two scopes: `merchants` routes act on the merchants (list, add, remove, the
 * per-IP limit); `merchant` routes act on one merchant's mock, selected by the request
 * (./merchant-selection.ts), exactly as in a single-merchant fake. Bodies and queries are checked
 * by the admin spec (./admin-schemas.ts) and by nothing else.
 */
import { explainSignature, type SignatureQuestion, signatureHelp } from "./signature-debugger.js";
import { type ProductFields, type ProductSeed, storedFields } from "../products/catalog.js";
import { type CoreResponse, detail, json } from "../messages.js";
import type { OrdergrooveMock } from "../mock.js";
import { type OrdergrooveMerchants, summarize } from "../merchants/merchants.js";
import { type MerchantEntry, merchantOptions } from "../merchants/merchants-file.js";
import { readJson } from "./admin-input.js";
import { checkBody, readQuery } from "./admin-schemas.js";

export type AdminMethod = "GET" | "PUT" | "POST" | "PATCH" | "DELETE";

/** One admin call, as its handler sees it: HEAD already read as GET. */
export interface AdminCall {
  method: AdminMethod;
  /** The `{id}` or `{publicId}` part of the path, percent-decoded. */
  param: string | undefined;
  query: URLSearchParams;
  body: string | undefined;
}

type MerchantsHandler = (merchants: OrdergrooveMerchants, call: AdminCall) => CoreResponse;
type MerchantHandler = (
  mock: OrdergrooveMock,
  call: AdminCall,
  merchants: OrdergrooveMerchants | undefined,
) => CoreResponse;

interface RouteShape {
  /** The route as the spec writes it, after /__admin/. */
  path: string;
  /** For a route with a parameter: what matches it (the parameter is the first group), and its name in errors. */
  pattern?: RegExp;
  param?: "product id" | "public id";
}

export type AdminRoute =
  | (RouteShape & { scope: "merchants"; methods: Partial<Record<AdminMethod, MerchantsHandler>> })
  | (RouteShape & { scope: "merchant"; methods: Partial<Record<AdminMethod, MerchantHandler>> });

const merchantsList = (merchants: OrdergrooveMerchants) =>
  json(200, { merchants: merchants.summaries(), ipLimit: merchants.ipLimit });

/** A merchant named in the path, or the 404 saying there is none. */
function namedMerchant(merchants: OrdergrooveMerchants, call: AdminCall): OrdergrooveMock | CoreResponse {
  const publicId = call.param!;
  return (
    merchants.merchant(publicId) ??
    detail(404, `Admin API: no merchant with public id ${JSON.stringify(publicId.slice(0, 200))}.`)
  );
}

/** The routes in the order the 404 of an unknown route lists them (the merchant routes without a parameter). */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  {
    path: "merchants",
    scope: "merchants",
    methods: {
      GET: merchantsList,
      POST: (merchants, { body }) =>
        json(
          201,
          summarize(merchants.add(merchantOptions(checkBody<MerchantEntry>("Merchant", readJson(body), "merchant")))),
        ),
    },
  },
  {
    path: "merchants/{publicId}",
    // Any rest of the path, even an empty one, is the public id (there is no merchant "").
    pattern: /^merchants\/(.*)$/,
    param: "public id",
    scope: "merchants",
    methods: {
      GET: (merchants, call) => {
        const mock = namedMerchant(merchants, call);
        return "status" in mock ? mock : json(200, summarize(mock));
      },
      DELETE: (merchants, call) => {
        const mock = namedMerchant(merchants, call);
        if ("status" in mock) return mock;
        merchants.remove(mock.options.credentials.publicId);
        return merchantsList(merchants);
      },
    },
  },
  {
    path: "ip-limit",
    scope: "merchants",
    methods: {
      GET: (merchants) => json(200, { ipLimit: merchants.ipLimit }),
      PUT: (merchants, { body }) => {
        merchants.setIpLimit(
          checkBody<false | { limit?: number; windowMs?: number }>("IpLimit", readJson(body), "ipLimit"),
        );
        return json(200, { ipLimit: merchants.ipLimit });
      },
    },
  },
  {
    path: "health",
    scope: "merchant",
    methods: {
      GET: (mock) =>
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
  },
  {
    path: "products",
    scope: "merchant",
    methods: {
      GET: (mock, { query }) => {
        const q = readQuery("GET /__admin/products", query) as { live?: boolean; offset?: number; limit?: number };
        return json(200, {
          count: mock.catalog.countWhere(q.live),
          products: mock.catalog.list({ live: q.live, offset: q.offset ?? 0, limit: q.limit ?? 1000 }),
        });
      },
      PUT: (mock, { body }) => {
        mock.catalog.seed(readList(body));
        return json(200, { count: mock.catalog.size });
      },
      POST: (mock, { body }) => json(200, { upserted: mock.catalog.upsert(readList(body)), count: mock.catalog.size }),
    },
  },
  {
    path: "products/{id}",
    pattern: /^products\/(.+)$/,
    param: "product id",
    scope: "merchant",
    methods: {
      GET: (mock, { param: id }) => {
        const product = mock.catalog.get(id!);
        return product ? json(200, product) : detail(404, `Admin API: no product ${JSON.stringify(id)}.`);
      },
      // Changes one product without credentials, throttle or journal (the dashboard's toggle).
      // The admin API is the fake's own: its spec lists the fields and refuses any other.
      PATCH: (mock, { param: id, body }) => {
        const fields = checkBody<ProductFields>("ProductPatch", readJson(body), "product fields");
        const updated = mock.catalog.update(id!, storedFields(fields));
        return updated ? json(200, updated) : detail(404, `Admin API: no product ${JSON.stringify(id)}.`);
      },
    },
  },
  {
    path: "catalog",
    scope: "merchant",
    methods: {
      // The dashboard's catalog view: search, filter and page on the server, with the counts.
      GET: (mock, { query }) => {
        const q = readQuery("GET /__admin/catalog", query) as {
          q?: string;
          live?: string;
          offset?: number;
          limit?: number;
        };
        const [offset, limit] = [q.offset ?? 0, q.limit ?? 50];
        const live = q.live === undefined || q.live === "" ? undefined : q.live === "true";
        return json(200, { ...mock.catalog.search({ q: q.q, live, offset, limit }), offset, limit });
      },
    },
  },
  {
    path: "signature",
    scope: "merchant",
    methods: {
      GET: (mock) => json(200, signatureHelp(mock)),
      POST: (mock, { body }) =>
        json(
          200,
          explainSignature(mock, checkBody<SignatureQuestion>("SignatureQuestion", readJson(body), "question")),
        ),
    },
  },
  {
    path: "reset",
    scope: "merchant",
    methods: {
      POST: (mock, _call, merchants) => {
        mock.reset();
        // Reset means "back to the start" for a test: its per-IP windows start afresh too.
        merchants?.resetIpWindows();
        return json(200, { status: "reset", products: mock.catalog.size });
      },
    },
  },
  {
    path: "journal",
    scope: "merchant",
    methods: {
      GET: (mock, { query }) => {
        const { since = 0 } = readQuery("GET /__admin/journal", query) as { since?: number };
        return json(200, {
          total: mock.journal.total,
          dropped: mock.journal.dropped,
          entries: mock.journal.entries(since),
        });
      },
      DELETE: (mock) => {
        mock.journal.clear();
        return json(200, { total: 0, dropped: 0, entries: [] });
      },
    },
  },
  {
    path: "faults",
    scope: "merchant",
    methods: {
      GET: (mock) => json(200, mock.faults.settings),
      PUT: (mock, { body }) => {
        // The spec checks; the mock's own setter fills in the defaults (a count of 1).
        mock.faults.set(checkBody("Faults", readJson(body), "faults"));
        return json(200, mock.faults.settings);
      },
      DELETE: (mock) => {
        mock.faults.clear();
        return json(200, mock.faults.settings);
      },
    },
  },
  {
    path: "settings",
    scope: "merchant",
    methods: {
      GET: (mock) => json(200, settingsOf(mock)),
      PATCH: (mock, { body }) => {
        const input = checkBody<SettingsPatch>("SettingsPatch", readJson(body), "settings");
        // The spec has checked every value, so no setter below refuses (their own checks are for
        // callers in code); the throttle goes first all the same, the one with a window to make.
        if (input.throttle !== undefined) mock.setThrottle(input.throttle);
        if (input.answer) mock.setAnswer(input.answer);
        if (input.behaviour) mock.setBehaviour(input.behaviour);
        return json(200, settingsOf(mock));
      },
    },
  },
];

type SettingsPatch = {
  answer?: Parameters<OrdergrooveMock["setAnswer"]>[0];
  throttle?: Parameters<OrdergrooveMock["setThrottle"]>[0];
  behaviour?: Parameters<OrdergrooveMock["setBehaviour"]>[0];
};

/** The route a path after /__admin/ names (without its trailing slash), and its parameter as sent. */
export function findRoute(route: string): { entry: AdminRoute; param: string | undefined } | undefined {
  for (const entry of ADMIN_ROUTES) {
    if (entry.pattern === undefined) {
      if (entry.path === route) return { entry, param: undefined };
      continue;
    }
    const match = entry.pattern.exec(route);
    if (match) return { entry, param: match[1] };
  }
  return undefined;
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

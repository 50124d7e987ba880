/**
 * A minimal products service that answers exactly like Ordergroove's documentation examples, and
 * nothing like our fake where the docs are silent: integer `premier_enabled`, group objects,
 * "YYYY-MM-DD HH:MM:SS" dates, `rotating` products, string prices, `200` or `207` with either
 * result form, DRF-style `{"detail"}` errors, unknown fields ignored, 101 items processed, a
 * missing content-type read as JSON, a listing with opaque cursors of its own making, and the
 * group check. The client and the contract suite must work against it
 * unchanged. `quirks` bends answers further, to test the tolerant reader.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { computeSignature, constantTimeEqual, signaturesEqual } from "../../shared/auth/signature.js";

export interface DocShapedOptions {
  batchStatus?: 200 | 207;
  form?: "object" | "list";
  /** Merged into every product answer (e.g. `{ price: 38.59 }` as the older Update Product page shows). */
  productQuirks?: Record<string, unknown>;
  /** Merged into every item result (e.g. `{ status: "200" }`). */
  resultQuirks?: Record<string, unknown>;
  credentials?: { publicId: string; sigField: string; hashKey: string; apiKey: string };
}

export interface DocShapedServer {
  url: string;
  products: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

export const DOC_CREDENTIALS = {
  publicId: "0e5de2bedc5e11e3a2e4bc764e106cf4",
  sigField: "doc-api-user",
  hashKey: "doc-user-key",
  apiKey: "doc-api-key",
};

/** A product as Ordergroove's Retrieve Product page prints one. */
export function docProduct(id: string, name: string): Record<string, unknown> {
  return {
    merchant: DOC_CREDENTIALS.publicId,
    groups: [{ name: "subscription", group_type: "eligibility" }],
    name,
    price: "12.99",
    image_url: "https://example.com/img.jpg",
    detail_url: "https://example.com/product",
    external_product_id: id,
    sku: null,
    autoship_enabled: true,
    prepaid_eligible: false,
    premier_enabled: 0,
    created: "2018-07-24 10:06:10",
    last_update: "2017-02-29 12:00:00",
    live: true,
    discontinued: false,
    offer_profile: null,
    extra_data: null,
    incentive_group: null,
    product_type: "rotating",
    autoship_by_default: false,
    every: 0,
    every_period: null,
  };
}

const FIELDS = new Set(["live", "name", "price", "sku", "discontinued", "image_url", "detail_url", "autoship_enabled"]);

export async function startDocShapedServer(options: DocShapedOptions = {}): Promise<DocShapedServer> {
  const creds = options.credentials ?? DOC_CREDENTIALS;
  const products = new Map<string, Record<string, unknown>>([
    ["doc-1", docProduct("doc-1", "Tasty Treats")],
    ["doc-2", docProduct("doc-2", "Crunchy Bits")],
  ]);
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const authorized = (req: IncomingMessage): 0 | 401 | 403 => {
    const key = req.headers["x-api-key"];
    if (typeof key === "string") return constantTimeEqual(key, creds.apiKey) ? 0 : 403;
    const auth = req.headers.authorization;
    if (auth === undefined) return 401;
    if (req.headers["og-authorization"] !== "True") return 403;
    try {
      const a = JSON.parse(auth) as { public_id: string; ts: number; sig_field: string; sig: string };
      const age = Date.now() / 1000 - a.ts;
      if (a.public_id !== creds.publicId || a.sig_field !== creds.sigField || typeof a.ts !== "number") return 403;
      if (age > 7200 || age < -300) return 403;
      const expected = computeSignature(creds.hashKey, { sigField: a.sig_field, ts: a.ts });
      return typeof a.sig === "string" && signaturesEqual(expected, a.sig) ? 0 : 403;
    } catch {
      return 403;
    }
  };
  const render = (p: Record<string, unknown>) => ({ ...p, ...options.productQuirks });
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://doc.invalid");
      const path = url.pathname;
      const denied = authorized(req);
      if (denied === 401) return send(res, 401, { detail: "Authentication credentials were not provided." });
      if (denied === 403) return send(res, 403, { detail: "You do not have permission to perform this action." });
      const one = /^\/products\/([^/]+)\/$/.exec(path);
      if (one && req.method === "GET") {
        const p = products.get(decodeURIComponent(one[1]!));
        return p ? send(res, 200, render(p)) : send(res, 404, { detail: "Not found." });
      }
      if (path === "/products/" && req.method === "GET") {
        // Cursor form (X-OG-API-VERSION: 2): no count, `next` a full URL; the cursor here is just
        // base64 of an offset, unlike the fake's, to prove the client treats it as opaque.
        const wanted = url.searchParams.getAll("external_product_ids[]");
        const all = [...products.values()].filter(
          (p) => wanted.length === 0 || wanted.includes(p.external_product_id as string),
        );
        const size = Math.min(Number(url.searchParams.get("page_size")) || 10, 100);
        const cursor = url.searchParams.get("cursor");
        const from = cursor ? Number(Buffer.from(cursor, "base64").toString()) : 0;
        const next = new URL(url.href.replace("http://doc.invalid", `http://${req.headers.host}`));
        next.searchParams.set("cursor", Buffer.from(String(from + size)).toString("base64"));
        return send(res, 200, {
          next: from + size < all.length ? next.href : null,
          previous: null,
          results: all.slice(from, from + size).map(render),
        });
      }
      const group = /^\/products\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
      if (group && req.method === "GET") {
        const p = products.get(decodeURIComponent(group[1]!));
        if (!p) return send(res, 404, { detail: "Not found." });
        const [type, name] = [decodeURIComponent(group[2]!), decodeURIComponent(group[3]!)];
        const groups = p.groups as Array<{ name: string; group_type: string }>;
        return send(res, 200, { product_has_group: groups.some((g) => g.group_type === type && g.name === name) });
      }
      if (path === "/products-batch/update/" && req.method === "PATCH") {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return send(res, 400, { detail: "JSON parse error - Expecting value: line 1 column 1 (char 0)" });
        }
        if (!Array.isArray(body)) return send(res, 400, { detail: 'Expected a list of items but got type "dict".' });
        const results = body.map((raw) => {
          const item = (raw ?? {}) as Record<string, unknown>;
          const id = typeof item.product_id === "string" ? item.product_id : null;
          const result = (status: number) => ({ product_id: id, status, ...options.resultQuirks });
          if (id === null) return result(400);
          if ("live" in item && typeof item.live !== "boolean") return result(400);
          const p = products.get(id);
          if (!p) return result(404);
          for (const [k, v] of Object.entries(item)) if (FIELDS.has(k)) p[k] = k === "price" ? Number(v).toFixed(2) : v;
          return result(200);
        });
        const status = options.batchStatus ?? 207;
        return send(res, status, options.form === "list" ? results.map((r) => ({ results: [r] })) : { results });
      }
      return send(res, 404, { detail: "Not found." });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    products,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

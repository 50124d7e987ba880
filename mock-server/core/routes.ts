/** The routes of the spec the fake serves, the scopes each takes, and a precise 404/405 for everything else. */
import { openapiDocument } from "../../shared/generated/document.js";

export type Operation =
  | "updateProductsBatch"
  | "createProductsBatch"
  | "getProduct"
  | "updateProduct"
  | "listProducts"
  | "productHasGroup"
  | "listProductGroups";

export type RouteMatch =
  | { kind: "operation"; operation: Operation; productId?: string; groupType?: string; groupName?: string }
  | { kind: "wrong-method"; allow: string[] }
  | { kind: "none"; hint?: string }
  /** A known route without its trailing slash: what happens is `behaviour.missingTrailingSlash`. */
  | { kind: "missing-slash"; slashed: string; hint: string };

export const SUPPORTED_ROUTES = [
  "PATCH /products-batch/update/",
  "POST /products-batch/create/",
  "GET /products/{external_product_id}/",
  "PATCH /products/{external_product_id}/",
  "GET /products/",
  "GET /products/{external_product_id}/{group_type}/{group_name}",
  "GET /product_groups/",
] as const;

const PRODUCT_PATH = /^\/products\/([^/]+)\/$/;
/** The group check, documented without a trailing slash. */
const GROUP_CHECK_PATH = /^\/products\/([^/]+)\/([^/]+)\/([^/]+)$/;

export function matchRoute(method: string, pathname: string): RouteMatch {
  const asked = method.toUpperCase();
  // HEAD is GET without the body on every GET route, as HTTP has it (the host leaves the body out).
  const route = matchMethod(asked === "HEAD" ? "GET" : asked, pathname);
  if (route.kind === "wrong-method" && route.allow.includes("GET")) {
    return { ...route, allow: route.allow.flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m])) };
  }
  return route;
}

function matchMethod(m: string, pathname: string): RouteMatch {
  if (pathname === "/products-batch/update/") {
    return m === "PATCH"
      ? { kind: "operation", operation: "updateProductsBatch" }
      : { kind: "wrong-method", allow: ["PATCH"] };
  }
  if (pathname === "/products-batch/create/") {
    return m === "POST"
      ? { kind: "operation", operation: "createProductsBatch" }
      : { kind: "wrong-method", allow: ["POST"] };
  }
  if (pathname === "/products/" || pathname === "/product_groups/") {
    const operation = pathname === "/products/" ? "listProducts" : "listProductGroups";
    return m === "GET" ? { kind: "operation", operation } : { kind: "wrong-method", allow: ["GET"] };
  }
  const group = GROUP_CHECK_PATH.exec(pathname);
  if (group) {
    let parts: string[];
    try {
      parts = group.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      return { kind: "none", hint: "The path is not valid percent-encoding." };
    }
    if (m !== "GET") return { kind: "wrong-method", allow: ["GET"] };
    return {
      kind: "operation",
      operation: "productHasGroup",
      productId: parts[0]!,
      groupType: parts[1]!,
      groupName: parts[2]!,
    };
  }
  if (/^\/products\/[^/]+\/[^/]+\/[^/]+\/$/.test(pathname)) {
    return {
      kind: "none",
      hint: `The group check has no trailing slash, as Ordergroove documents it: did you mean ${pathname.slice(0, -1)} ?`,
    };
  }
  const product = PRODUCT_PATH.exec(pathname);
  if (product) {
    let productId: string;
    try {
      productId = decodeURIComponent(product[1]!);
    } catch {
      return { kind: "none", hint: "The product id in the path is not valid percent-encoding." };
    }
    if (m === "GET") return { kind: "operation", operation: "getProduct", productId };
    if (m === "PATCH") return { kind: "operation", operation: "updateProduct", productId };
    return { kind: "wrong-method", allow: ["GET", "PATCH"] };
  }
  // The real API's paths end with a slash; a missing one is the commonest integration slip.
  if (!pathname.endsWith("/") && matchRoute(m, `${pathname}/`).kind !== "none") {
    const slashed = `${pathname}/`;
    return { kind: "missing-slash", slashed, hint: `Ordergroove's paths end with a slash: did you mean ${slashed} ?` };
  }
  return { kind: "none" };
}

/** `hmac`: API-user signature; `customer`: storefront signature; `api-key`: Application API scope. */
export type AuthScheme = "hmac" | "customer" | "api-key";

const SCHEME_OF: Record<string, AuthScheme> = { ogHmac: "hmac", ogStorefront: "customer", ogApiKey: "api-key" };

/** The scopes an operation takes, read from the spec's per-operation `security` (the spec decides, not code). */
function readSchemes(): Record<string, AuthScheme[]> {
  const out: Record<string, AuthScheme[]> = {};
  for (const item of Object.values(openapiDocument.paths as Record<string, Record<string, unknown>>)) {
    for (const op of Object.values(item)) {
      const o = op as { operationId?: string; security?: Array<Record<string, unknown>> };
      if (!o?.operationId) continue;
      const security = o.security ?? (openapiDocument.security as unknown as Array<Record<string, unknown>>);
      out[o.operationId] = [
        ...new Set(security.flatMap((req) => Object.keys(req).flatMap((k) => (SCHEME_OF[k] ? [SCHEME_OF[k]] : [])))),
      ];
    }
  }
  return out;
}

let schemes: Record<string, AuthScheme[]> | undefined;
export function schemesOf(operation: Operation): readonly AuthScheme[] {
  schemes ??= readSchemes();
  return schemes[operation] ?? [];
}

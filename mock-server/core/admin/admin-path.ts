/**
 * Where the admin API lives, and how its paths read: what the front and the node host need to
 * tell an admin request from a product one, and the admin API to find a route. (The admin spec's
 * validators are made on the first admin call, ./admin-schemas.ts: a fake that is never
 * administered never builds them.)
 */
import { type CoreResponse, detail } from "../messages.js";

export const ADMIN_PREFIX = "/__admin/";

/** `/__admin/...`, and `/__admin` itself with or without a query (whose `?token=` must not be logged as a product path). */
export function isAdminPath(path: string): boolean {
  return (
    path.startsWith(ADMIN_PREFIX) || path === "/__admin" || path.startsWith("/__admin?") || path.startsWith("/__admin#")
  );
}

/**
 * The admin route (the path after /__admin/, without its trailing slash) and the query, read
 * from the path as sent. Not through `new URL()`: it resolves dot segments, percent-encoded ones
 * too, so `/__admin/products/%2e` (the product ".") was read as `/__admin/products/` and answered
 * a 405 the admin spec does not list (found by the admin fuzz test).
 */
export function adminRoute(path: string): { route: string; query: URLSearchParams } {
  const hash = path.indexOf("#");
  const target = hash < 0 ? path : path.slice(0, hash);
  const q = target.indexOf("?");
  const pathname = q < 0 ? target : target.slice(0, q);
  return {
    route: pathname.slice(ADMIN_PREFIX.length).replace(/\/$/, ""),
    query: new URLSearchParams(q < 0 ? "" : target.slice(q + 1)),
  };
}

/** The 405 of every admin route: names the route and what it allows, in the message and the Allow header. */
export function notAllowed(method: string, route: string, allow: readonly string[]): CoreResponse {
  const list = allow.join(", ");
  return detail(405, `Method "${method}" not allowed on ${ADMIN_PREFIX}${route}; allowed: ${list}.`, { allow: list });
}

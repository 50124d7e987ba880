/**
 * CORS on the products routes, as Ordergroove's live service answers it (observed, see
 * `x-og-cors` in spec/ordergroove.openapi.yaml): storefronts (a B2B portal,
 * a Hydrogen storefront) call the products API straight from the browser with the customer-scope
 * signature, so a fake without CORS cannot serve them at all.
 *
 * Applied in one place for every host (og-mock, createApp(), MSW): `OrdergrooveMerchants.handle`
 * (./merchants/merchants.ts), behind the core's front, answers a preflight and adds the headers
 * to every products answer. The admin API never gets them: it is the fake's own and must not be
 * usable from another origin (./admin/admin-guard.ts).
 */
import type { CoreRequest, CoreResponse } from "./messages.js";

/** Observed live: `*` with credentials allowed (browsers then refuse credentialed requests, as with the real service). */
const ACTUAL_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-allow-credentials": "true",
};

/**
 * The preflight's answer. Methods and `Authorization` are observed; the rest of the allowed
 * headers list is an assumption (x-og-cors in the spec): the headers the products API reads
 * (og-authorization, x-api-key, x-og-api-version, content-type) plus django-cors-headers'
 * defaults, which the real service's answer resembles. The max age is django-cors-headers'
 * default too (one day).
 */
export const CORS_ALLOW_METHODS = "OPTIONS,GET,PUT,POST,DELETE,PATCH";
export const CORS_ALLOW_HEADERS =
  "accept,accept-encoding,authorization,content-type,dnt,origin,user-agent,x-csrftoken,x-requested-with,og-authorization,x-api-key,x-og-api-version";
const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  ...ACTUAL_HEADERS,
  "access-control-allow-methods": CORS_ALLOW_METHODS,
  "access-control-allow-headers": CORS_ALLOW_HEADERS,
  "access-control-max-age": "86400",
};

/**
 * `OPTIONS` on any products path: 204 with the CORS headers, before routing, authentication and
 * the per-IP limit (a CORS middleware answers it in front of the application); not journaled.
 */
export function corsPreflight(req: CoreRequest): CoreResponse | undefined {
  if (req.method.toUpperCase() !== "OPTIONS") return undefined;
  return { status: 204, headers: { ...PREFLIGHT_HEADERS } };
}

/**
 * The answer with the CORS headers of an actual (non-preflight) response added, in place: an
 * answer's headers are its own (CoreResponse), so a copy per products request would buy nothing.
 */
export function withCors(response: CoreResponse): CoreResponse {
  const headers = response.headers;
  for (const name in ACTUAL_HEADERS) headers[name] = ACTUAL_HEADERS[name]!;
  return response;
}

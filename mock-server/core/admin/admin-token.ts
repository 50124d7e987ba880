/**
 * Who may use the admin API, decided here for every admin route, the dashboard and the journal's
 * live stream: anyone when the fake has no admin token, else a request that carries it in
 * `x-admin-token` or holds the dashboard's sign-in cookie.
 */
import { createHmac, randomBytes } from "node:crypto";
import { constantTimeEqual } from "../../../shared/auth/signature.js";

/**
 * A secret drawn once per run: the dashboard's cookie is an HMAC of the token under it, so a
 * cookie from an earlier run (or read by another local service's page from a shared cookie jar)
 * is worthless after a restart, and the token itself is never stored by the browser. Drawn when
 * the first cookie is made, not when og-mock starts (start-up time: most runs never make one).
 */
let runSecret: Buffer | undefined;

/** A signed-in dashboard stays signed in this long (a working day and a half), then asks again. */
export const ADMIN_COOKIE_MAX_AGE_S = 12 * 60 * 60;

/**
 * The cookie's name, tied to the port the browser used: cookies are scoped by host, not port, so
 * two fakes on one machine (or another local service on the same host) would otherwise share,
 * overwrite and replay one cookie.
 */
export function adminCookieName(host: string | undefined): string {
  const port = host === undefined ? "" : /:(\d+)$/.exec(host.trim())?.[1];
  return `og_admin_${port || "80"}`;
}

export function adminCookieValue(token: string): string {
  return createHmac("sha256", (runSecret ??= randomBytes(32)))
    .update(`og-mock dashboard session\n${token}`, "utf8")
    .digest("base64url");
}

/** The `set-cookie` of a successful sign-in through `host` (the request's Host header). */
export function adminSetCookie(token: string, host: string | undefined): string {
  return `${adminCookieName(host)}=${adminCookieValue(token)}; Path=/__admin; Max-Age=${ADMIN_COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Strict`;
}

/** True when no token is required, or the request carries it (header) or the dashboard's cookie. */
export function adminAuthorized(headers: Record<string, string | undefined>, token: string | undefined): boolean {
  if (token === undefined) return true;
  const given = headers["x-admin-token"];
  if (given !== undefined) return constantTimeEqual(given, token);
  const cookie = readCookie(headers.cookie, adminCookieName(headers.host));
  return cookie !== undefined && constantTimeEqual(cookie, adminCookieValue(token));
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export const ADMIN_UNAUTHORIZED = "Admin API: missing or wrong x-admin-token header.";

/**
 * Who may use the admin API, decided here for every admin route, the dashboard and the journal's
 * live stream: anyone when the fake has no admin token, else a request that carries it in
 * `x-admin-token` or holds the dashboard's sign-in cookie.
 */
import { createHash } from "node:crypto";
import { constantTimeEqual } from "../../../src/auth/signature.js";

/**
 * The cookie a browser holds after signing in to the dashboard with the admin token: derived
 * from the token (so it works across restarts with the same token and needs no session store),
 * but not the token itself, so the token is never stored by the browser.
 */
export const ADMIN_COOKIE = "og_admin";

export function adminCookieValue(token: string): string {
  return createHash("sha256").update(`og-mock dashboard session\n${token}`, "utf8").digest("base64url");
}

/** True when no token is required, or the request carries it (header) or the dashboard's cookie. */
export function adminAuthorized(headers: Record<string, string | undefined>, token: string | undefined): boolean {
  if (token === undefined) return true;
  const given = headers["x-admin-token"];
  if (given !== undefined) return constantTimeEqual(given, token);
  const cookie = readCookie(headers.cookie, ADMIN_COOKIE);
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

// Calls to the fake's admin API (spec/admin.openapi.yaml). Same origin: the browser sends the
// dashboard's sign-in cookie by itself when the fake has an admin token.

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/**
 * The merchant this page is about, from its own address (`/__admin/ui/?merchant=<public_id>`), or
 * null for the fake's first merchant. Every admin call and the live journal name it.
 */
export const merchant = new URLSearchParams(location.search).get("merchant");

/** An admin path with the page's merchant added to its query. */
export function adminPath(path) {
  if (merchant === null) return path;
  return `${path}${path.includes("?") ? "&" : "?"}merchant=${encodeURIComponent(merchant)}`;
}

export async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  // The merchant list itself is about every merchant.
  const res = await fetch(`/__admin/${path.startsWith("merchants") ? path : adminPath(path)}`, init);
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const detail = data && typeof data.detail === "string" ? data.detail : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, res.status === 401 ? `${detail} Reload the page to sign in again.` : detail);
  }
  return data;
}

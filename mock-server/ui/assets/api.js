// Calls to the fake's admin API (spec/admin.openapi.yaml). Same origin: the browser sends the
// dashboard's sign-in cookie by itself when the fake has an admin token.

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(`/__admin/${path}`, init);
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

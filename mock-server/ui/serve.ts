/**
 * The dashboard at `/__admin/ui/`: static files from ./assets (plain ES modules, no build step,
 * nothing from a CDN) and, when the fake has an admin token, a sign-in page.
 *
 * How a browser proves it has the admin token: EventSource (the live journal) cannot send an
 * `x-admin-token` header, so the browser signs in once (the form here posts the token, or a link
 * with `?token=`), and the fake answers with an HttpOnly, SameSite=Strict cookie, an HMAC of the
 * token under a secret drawn per run, named after the port and expiring (see adminSetCookie). Same-origin fetch and EventSource send it; other sites cannot.
 * The token itself is not kept by the browser, and the `?token=` URL is replaced at once by a
 * redirect so it does not stay in the address bar or history.
 *
 * Framework-free: a plain request in, status, headers and a body (bytes or text) out.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { adminAuthorized, adminSetCookie } from "../core/admin/admin-token.js";
import { constantTimeEqual } from "../../shared/auth/signature.js";
import type { CoreRequest } from "../core/messages.js";

export const UI_PATH = "/__admin/ui/";

export interface UiResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export function isUiPath(pathname: string): boolean {
  return pathname === "/__admin/ui" || pathname.startsWith(UI_PATH);
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

let assets: Map<string, { type: string; bytes: Buffer }> | undefined;

/**
 * The assets folder: next to this module when run from source, and at the package root's
 * mock-server/ui/assets when run from dist/ (the folder is shipped as it is, not compiled).
 */
function loadAssets(): Map<string, { type: string; bytes: Buffer }> {
  if (assets) return assets;
  const candidates = [
    new URL("./assets/", import.meta.url),
    new URL("../../../mock-server/ui/assets/", import.meta.url),
  ];
  const dir = candidates.map((u) => fileURLToPath(u)).find((d) => existsSync(join(d, "index.html")));
  if (!dir) throw new Error("The dashboard's files are missing from the package (mock-server/ui/assets).");
  assets = new Map();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, { type, bytes: readFileSync(join(dir, name)) });
  }
  return assets;
}

export function handleUi(req: CoreRequest, token: string | undefined): UiResponse {
  const url = new URL(req.path, "http://ui.invalid");
  const method = req.method.toUpperCase();
  if (url.pathname === "/__admin/ui") return redirect(UI_PATH + url.search, 308);
  const name = url.pathname.slice(UI_PATH.length);
  if (name === "login") {
    if (method === "POST")
      return signIn(new URLSearchParams(req.body ?? "").get("token") ?? "", token, req.headers.host);
    // The sign-in form's target takes POST only: say so (it used to answer "allowed: GET, HEAD").
    return text(405, `Method "${method}" not allowed on ${url.pathname}; allowed: POST.`, { allow: "POST" });
  }
  if (method !== "GET" && method !== "HEAD")
    return text(405, `Method "${method}" not allowed on ${url.pathname}; allowed: GET, HEAD.`, { allow: "GET, HEAD" });
  if (name === "") {
    const given = url.searchParams.get("token");
    if (given !== null) return signIn(given, token, req.headers.host);
  }
  const file = loadAssets().get(name === "" ? "index.html" : name);
  if (!file) return text(404, `No dashboard file ${url.pathname}.`);
  if (!adminAuthorized(req.headers, token)) {
    // The sign-in page itself is no failure (200); a wrong token is (401).
    return name === ""
      ? page(200, signInPage())
      : text(401, "Sign in to the dashboard first: open /__admin/ui/ and enter the admin token.");
  }
  return { status: 200, headers: { ...SECURITY_HEADERS, "content-type": file.type }, body: file.bytes };
}

function signIn(given: string, token: string | undefined, host: string | undefined): UiResponse {
  if (token === undefined) return redirect(UI_PATH, 303); // nothing to sign in to
  if (!constantTimeEqual(given, token)) return page(401, signInPage("That is not the admin token."));
  return redirect(UI_PATH, 303, {
    "set-cookie": adminSetCookie(token, host),
  });
}

function redirect(location: string, status: number, headers: Record<string, string> = {}): UiResponse {
  return { status, headers: { ...SECURITY_HEADERS, location, ...headers }, body: "" };
}

function text(status: number, message: string, headers: Record<string, string> = {}): UiResponse {
  return {
    status,
    headers: { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8", ...headers },
    body: message,
  };
}

function page(status: number, html: string): UiResponse {
  return { status, headers: { ...SECURITY_HEADERS, "content-type": TYPES[".html"]! }, body: html };
}

function signInPage(problem?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>og-mock dashboard: sign in</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; background: #f4f5f7; color: #1d2330; }
form { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px #0002; max-width: 24rem; }
input, button { font: inherit; padding: .4rem .6rem; }
input { width: 100%; box-sizing: border-box; margin: .5rem 0 1rem; }
.problem { color: #b42318; }
</style>
</head>
<body>
<form method="post" action="${UI_PATH}login">
<h1>og-mock dashboard</h1>
<p>This fake was started with <code>--admin-token</code>. Enter it to open the dashboard.</p>
${problem ? `<p class="problem" role="alert">${problem}</p>` : ""}
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" autofocus required>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}

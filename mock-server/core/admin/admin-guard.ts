/**
 * Who may reach the admin API, the journal's stream and the dashboard at all, before the token:
 * decided here once for every host. Without it any web page a developer visits could change the
 * fake (a `no-cors` POST with `text/plain` goes through), and DNS rebinding reached every admin
 * route, reads included. The same holes Vite (CVE-2025-24010, `server.allowedHosts`) and
 * webpack-dev-server (`allowedHosts`) closed, closed the same way:
 *
 * 1. `Host` must be a loopback name (`localhost`, `*.localhost`), an IP address (a rebinding
 *    attack needs a DNS name, so an address is always what the client meant), or a name given
 *    with `allowedHosts` (`og-mock --allowed-hosts`; e.g. a docker-compose service name). `"*"`
 *    allows any (for a fake behind a proxy that checks it).
 * 2. A write (anything but GET/HEAD) sent by a browser from another origin is refused:
 *    `Sec-Fetch-Site` other than `same-origin`/`none` (`same-site` too: another port of localhost
 *    is the same site, and is exactly the other local service whose page must not drive the
 *    fake), or, from a browser that sends no Sec-Fetch-Site, an `Origin` not this fake's own.
 * 3. An admin body must be `application/json` (415 otherwise), so no HTML form or `no-cors`
 *    fetch can send one; the dashboard's sign-in form (`/__admin/ui/login`) is the one exception.
 *
 * Refusals are JSON 403/415 naming the fix. The products API is not guarded: the real service
 * answers any origin (../cors.ts).
 */
import { type CoreRequest, type CoreResponse, detail } from "../messages.js";

export interface AdminGuardPolicy {
  /** Host names (without port) accepted besides loopback names and IP addresses; a leading "." allows subdomains; "*" any. */
  allowedHosts?: readonly string[] | undefined;
}

const LOGIN_PATH = "/__admin/ui/login";

/** The refusal of an admin request that did not come from this machine's own pages, or undefined. */
export function adminGuard(req: CoreRequest, policy: AdminGuardPolicy = {}): CoreResponse | undefined {
  const host = req.headers.host;
  if (host !== undefined && !hostAllowed(hostName(host), policy.allowedHosts ?? [])) {
    const name = JSON.stringify(hostName(host).slice(0, 100));
    return detail(
      403,
      `Admin API: Host ${name} is not allowed (a page on another site could reach the fake through DNS rebinding). ` +
        `Use http://localhost or 127.0.0.1, or start og-mock with --allowed-hosts ${name.slice(1, -1) || "NAME"} ` +
        "(allowedHosts in startMockServer/createApp).",
    );
  }
  const method = req.method.toUpperCase();
  if (method === "GET" || method === "HEAD") return undefined;
  const origin = req.headers.origin;
  const site = req.headers["sec-fetch-site"];
  // Sec-Fetch-Site first: browsers set it and pages cannot forge it, while Origin is "null" on
  // the dashboard's own sign-in form (its pages send no referrer). Origin for older browsers.
  const foreign =
    site !== undefined ? site !== "same-origin" && site !== "none" : origin !== undefined && !sameOrigin(origin, host);
  if (foreign) {
    return detail(
      403,
      `Admin API: a ${method} from another origin (${JSON.stringify((origin ?? site ?? "").slice(0, 100))}) is refused: ` +
        "web pages must not change the fake. Use the dashboard on the fake's own address, or call the admin API from a test or curl.",
    );
  }
  const path = req.path.split(/[?#]/)[0];
  if (req.body !== undefined && req.body !== "" && path !== LOGIN_PATH && !isJson(req.headers["content-type"])) {
    const given = req.headers["content-type"];
    return detail(
      415,
      `Admin API: the body must be JSON sent with content-type: application/json; got ${given === undefined ? "no content-type" : JSON.stringify(given.slice(0, 100))}.`,
    );
  }
  return undefined;
}

/** The host name of a Host header: without its port, brackets kept off an IPv6 address, lower case. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]") < 0 ? undefined : h.indexOf("]"));
  const colon = h.lastIndexOf(":");
  return colon < 0 ? h : h.slice(0, colon);
}

function hostAllowed(name: string, allowed: readonly string[]): boolean {
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(":")) return true; // IPv4 / IPv6 literal
  for (const a of allowed) {
    const entry = a.trim().toLowerCase();
    if (entry === "*" || entry === name) return true;
    if (entry.startsWith(".") && (name.endsWith(entry) || name === entry.slice(1))) return true;
  }
  return false;
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    const url = new URL(origin);
    return url.host === new URL(`http://${host}`).host;
  } catch {
    return false; // "null" (a sandboxed page, a file) and garbage are other origins
  }
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType.trim());
}

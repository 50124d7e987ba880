/**
 * Where the proxy may send requests. Named targets resolve to Ordergroove's documented hosts (as
 * og-contract's do); a URL is accepted only on one of Ordergroove's hosts, a loopback address, or
 * a host the user named with --upstream-allow, so og-mock can never be pointed at an arbitrary
 * host by a typo or a copied command.
 */

export const ORDERGROOVE_HOSTS = {
  production: "https://restapi.ordergroove.com",
  staging: "https://staging.restapi.ordergroove.com",
} as const;

/** What --upstream names: its origin, and whether it is Ordergroove's production service. */
export interface UpstreamTarget {
  /** Scheme, host and port, no trailing slash (paths are the client's). */
  origin: string;
  production: boolean;
}

const NAMED: Record<string, string> = {
  production: ORDERGROOVE_HOSTS.production,
  sandbox: ORDERGROOVE_HOSTS.staging,
  staging: ORDERGROOVE_HOSTS.staging,
};

const OG_HOSTS = new Set(Object.values(ORDERGROOVE_HOSTS).map((origin) => new URL(origin).hostname));

function isLoopbackName(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * The target of `--upstream VALUE`, or an Error whose message says what to do ("Failed to use the
 * upstream: reason. Hint."). `allowed` are the host names given with --upstream-allow.
 */
export function resolveUpstream(value: string, allowed: readonly string[] = []): UpstreamTarget | Error {
  const named = NAMED[value];
  const raw = named ?? value;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return new Error(
      `Failed to use --upstream ${JSON.stringify(value)}: it is neither sandbox, staging, production nor a URL. Give one of those, e.g. --upstream sandbox or --upstream http://127.0.0.1:9000.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return new Error(`Failed to use --upstream ${JSON.stringify(value)}: only http: and https: URLs are forwarded to.`);
  }
  if (url.username || url.password) {
    return new Error(
      `Failed to use --upstream: the URL carries credentials; give credentials in the requests, never in the URL.`,
    );
  }
  if (url.pathname !== "/" || url.search || url.hash) {
    return new Error(
      `Failed to use --upstream ${JSON.stringify(value)}: give an origin only (scheme, host, port); the client's path is forwarded as sent.`,
    );
  }
  // A trailing dot names the same host to DNS: without this, "restapi.ordergroove.com." would be
  // production that no production safeguard knew of.
  const bare = (name: string) => name.toLowerCase().replace(/\.$/, "");
  const host = bare(url.hostname);
  const allowedHere = OG_HOSTS.has(host) || isLoopbackName(host) || allowed.some((name) => bare(name) === host);
  if (!allowedHere) {
    return new Error(
      `Failed to use --upstream ${JSON.stringify(value)}: ${host} is neither one of Ordergroove's hosts nor a loopback address. If you mean it, name it with --upstream-allow ${host}.`,
    );
  }
  return { origin: url.origin, production: host === new URL(ORDERGROOVE_HOSTS.production).hostname };
}

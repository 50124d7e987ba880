/**
 * MSW handlers over the same core as the node:http hosts: an intercepted request becomes a
 * `CoreRequest`, the core's front answers it completely (../core/front.ts), and its answer
 * becomes a Response. No second implementation. The handlers serve the products API only (no
 * admin API: a test reaches the fake's state through `setupOrdergrooveMock`'s object).
 */
import { delay, HttpResponse, http, type RequestHandler } from "msw";
import { Front } from "../core/front.js";
import type { CoreRequest } from "../core/messages.js";
import type { IpLimitSettings, OrdergrooveMerchants } from "../core/merchants/merchants.js";
import type { OrdergrooveMock } from "../core/mock.js";

export const ORDERGROOVE_BASE_URLS = [
  "https://restapi.ordergroove.com",
  "https://staging.restapi.ordergroove.com",
] as const;

export interface HandlerOptions {
  /** Base URLs to answer, in addition to production and staging (e.g. "http://og.test/api"). */
  baseUrls?: string[];
  /** Also answer production and staging (default true). */
  ordergrooveHosts?: boolean;
  /**
   * A request to a route the fake does not serve (e.g. /subscriptions/): "error" (default) fails the
   * request like a network error and prints why; "404" answers as the standalone fake does.
   */
  onUnsupportedRequest?: "error" | "404";
  /** Where unsupported requests are reported (default console.error). */
  report?: (message: string) => void;
  /**
   * The client address every request comes from, for Ordergroove's per-IP limit (MSW sees no
   * socket). Default "127.0.0.1".
   */
  remoteAddress?: string;
  /** The per-IP limit when the handlers are given one merchant's mock (default 6,000/min; `false` off). */
  ipLimit?: Partial<IpLimitSettings> | false;
}

export interface UnsupportedRequest {
  method: string;
  url: string;
}

export function ordergrooveHandlers(
  served: OrdergrooveMock | OrdergrooveMerchants,
  options: HandlerOptions = {},
  unsupported: UnsupportedRequest[] = [],
): RequestHandler[] {
  const report = options.report ?? ((m: string) => console.error(m));
  const front = new Front(served, {
    ipLimit: options.ipLimit,
    adminApi: false,
    report: (error, where) =>
      report(
        `[ordergroove-stock-kit] Failed to answer ${where.method} ${where.path}: the fake threw ${String(error)}. It answered 500; please report this.`,
      ),
  });
  const remoteAddress = options.remoteAddress ?? "127.0.0.1";
  const bases = baseUrlsOf(options);
  return bases.map((base) => {
    const prefix = new URL(base).pathname.replace(/\/+$/, "");
    // A RegExp without capture groups, not `${base}/*`: MSW percent-decodes captured path parts, and a
    // bad escape such as /products/% would throw inside MSW before the fake could answer it.
    return http.all(new RegExp(`^${escapeRegExp(base)}/`), async ({ request }) => {
      const url = new URL(request.url);
      const path = url.pathname.slice(prefix.length) + url.search;
      const unserved =
        options.onUnsupportedRequest === "404"
          ? undefined
          : front.unserved(request.method, url.pathname.slice(prefix.length));
      if (unserved) {
        unsupported.push({ method: request.method, url: request.url });
        report(
          `[ordergroove-stock-kit] Failed to handle ${request.method} ${request.url}: the fake Ordergroove does not serve this route` +
            `${unserved.hint ? ` (${unserved.hint})` : ""}. It serves ${unserved.supported.join(", ")}.`,
        );
        return HttpResponse.error();
      }
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
      const core: CoreRequest = {
        method: request.method,
        path,
        headers,
        body: body === "" ? undefined : body,
        origin: `${url.origin}${prefix}`,
        remoteAddress,
      };
      const answer = front.answer(core);
      if (answer.delayMs) await delay(answer.delayMs);
      if (answer.drop) return HttpResponse.error();
      // HEAD: GET's status and headers, no body.
      const text =
        answer.body === undefined || request.method === "HEAD" ? null : (answer.text ?? JSON.stringify(answer.body));
      return new HttpResponse(text, {
        status: answer.status,
        headers: answer.body === undefined ? answer.headers : { "content-type": "application/json", ...answer.headers },
      });
    });
  });
}

/** The base URLs the handlers answer: production and staging unless turned off, then `baseUrls`. */
export function baseUrlsOf(options: Pick<HandlerOptions, "baseUrls" | "ordergrooveHosts">): string[] {
  return [...(options.ordergrooveHosts === false ? [] : ORDERGROOVE_BASE_URLS), ...(options.baseUrls ?? [])].map((b) =>
    b.replace(/\/+$/, ""),
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

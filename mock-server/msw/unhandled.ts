/**
 * A request no handler took, in a suite that uses the fake: when it looks meant for Ordergroove
 * (a host named like it, or a path the fake serves), say which base URLs the fake answers and the
 * `baseUrls` option that adds this one, before MSW's own message. MSW alone says only "intercepted
 * a request without a matching request handler", which sends a newcomer looking in the wrong place.
 */
import { isCommonAssetRequest } from "msw";
import { matchRoute } from "../core/routes.js";

export type UnhandledMode = "error" | "warn" | "bypass";

type Print = { warning(): void; error(): void };

export function unhandledRequests(
  mode: UnhandledMode,
  bases: readonly string[],
  report: (message: string) => void,
): (request: Request, print: Print) => void {
  return (request, print) => {
    if (mode === "bypass" || isCommonAssetRequest(request)) return;
    const base = ordergrooveLikeBase(request);
    if (base) {
      report(
        `[ordergroove-stock-kit] Failed to answer ${request.method} ${request.url.split("?")[0]}: the fake answers ${bases.length ? bases.join(", ") : "no base URL"}, not ${base}. ` +
          `To answer it too: setupOrdergrooveMock({ baseUrls: [${JSON.stringify(base)}] }).`,
      );
    }
    if (mode === "error") print.error();
    else print.warning();
  };
}

/** The base URL a request seems meant for (the part before a route the fake serves), or undefined. */
function ordergrooveLikeBase(request: Request): string | undefined {
  const url = new URL(request.url);
  const at = url.pathname.search(/\/products(-batch)?\//);
  if (at >= 0 && matchRoute(request.method, url.pathname.slice(at)).kind !== "none")
    return `${url.origin}${url.pathname.slice(0, at)}`;
  return /ordergroove/i.test(url.hostname) ? url.origin : undefined;
}

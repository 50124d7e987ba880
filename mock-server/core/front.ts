/**
 * The core's front: the one object every host hands a request to and gets its complete answer
 * from. It decides what a request gets (the products API through the merchants, or the admin
 * API), applies what every answer needs (the admin guard and token, the products API's CORS,
 * the last line of defence), and leaves a host only translation: its request into a
 * `CoreRequest`, the `CoreResponse` into its own answer.
 *
 * The dashboard's files and the journal's live stream need a socket or the file system, so the
 * node host serves them; the front still decides who may have them (`adminGate`,
 * `journalStream`).
 */
import { adminGuard } from "./admin/admin-guard.js";
import { isAdminPath } from "./admin/admin-path.js";
import { handleMerchantsAdmin, journalStreamRequest } from "./admin/admin-api.js";
import { answerSafely, type ErrorReporter } from "./answer-safely.js";
import { type IpLimitSettings, OrdergrooveMerchants } from "./merchants/merchants.js";
import type { CoreRequest, CoreResponse } from "./messages.js";
import type { OrdergrooveMock } from "./mock.js";
import { tooLarge } from "./refusals.js";
import { matchRoute, SUPPORTED_ROUTES } from "./routes.js";

export interface FrontOptions {
  /** Protects /__admin/ (API, stream and dashboard) with `x-admin-token` or the dashboard's cookie. */
  adminToken?: string | undefined;
  /** Host names accepted on /__admin/ besides loopback names and IP addresses (./admin/admin-guard.ts). */
  allowedHosts?: readonly string[] | undefined;
  /** Told of every unexpected exception, with the error only (headers and bodies may carry secrets). */
  report?: ErrorReporter | undefined;
  /** The per-IP limit when the front is given one merchant's mock (default 6,000/min; `false` off). */
  ipLimit?: Partial<IpLimitSettings> | false | undefined;
  /**
   * Whether /__admin/ is the admin API (default true). The MSW handlers serve the products API
   * only: there, /__admin/ is a path like any other.
   */
  adminApi?: boolean | undefined;
}

export class Front {
  /** The merchants behind the front (one merchant's mock is wrapped as merchants of one). */
  readonly merchants: OrdergrooveMerchants;
  readonly #adminToken: string | undefined;
  readonly #allowedHosts: readonly string[] | undefined;
  readonly #report: ErrorReporter | undefined;
  readonly #adminApi: boolean;

  constructor(served: OrdergrooveMock | OrdergrooveMerchants, options: FrontOptions = {}) {
    this.merchants =
      served instanceof OrdergrooveMerchants
        ? served
        : new OrdergrooveMerchants([served], { ipLimit: options.ipLimit });
    // An empty token would silently mean "no protection": refuse it where it is given.
    if (options.adminToken === "") {
      throw new RangeError("adminToken must not be empty: leave it out for an open admin API.");
    }
    this.#adminToken = options.adminToken;
    this.#allowedHosts = options.allowedHosts;
    this.#report = options.report;
    this.#adminApi = options.adminApi ?? true;
  }

  /** The largest body a host reads before answering `tooLarge` instead. */
  get maxBodyBytes(): number {
    return this.merchants.options.maxBodyBytes;
  }

  /** Whether a path is the admin side (admin API, live stream, dashboard): not journaled, no CORS. */
  isAdmin(path: string): boolean {
    return this.#adminApi && isAdminPath(path);
  }

  /** The complete answer to a request whose body the host has read. Never throws. */
  answer(req: CoreRequest): CoreResponse {
    if (!this.isAdmin(req.path)) return this.merchants.handle(req, this.#report);
    // Cross-site use first, for the dashboard, the stream and the API alike (before the token).
    const refused = this.adminGate(req);
    if (refused) return refused;
    return answerSafely(
      () => handleMerchantsAdmin(this.merchants, req, { token: this.#adminToken }),
      req,
      this.#report,
    );
  }

  /** The answer to a request whose body (`bytes` long) is over the limit, before a byte of it is read. */
  tooLarge(req: CoreRequest, bytes: number): CoreResponse {
    return this.isAdmin(req.path) ? tooLarge(bytes, this.maxBodyBytes) : this.merchants.refuseTooLarge(req, bytes);
  }

  /** The refusal of an admin-side request from another site or through a name not allowed, else undefined. */
  adminGate(req: CoreRequest): CoreResponse | undefined {
    return adminGuard(req, { allowedHosts: this.#allowedHosts });
  }

  /** The admin token the dashboard's sign-in checks (undefined: an open admin API). */
  get adminToken(): string | undefined {
    return this.#adminToken;
  }

  /** What the journal's live stream answers: the journal to stream and where to start, or the refusal. */
  journalStream(req: CoreRequest): { journalOf: OrdergrooveMock; since: number } | CoreResponse {
    const refused = this.adminGate(req);
    if (refused) return refused;
    return journalStreamRequest(this.merchants, req, { token: this.#adminToken });
  }

  /**
   * A request to a route the fake does not serve (e.g. /subscriptions/), described for a host
   * that refuses those itself (the MSW handlers, by default); undefined when the fake serves it
   * or it is a CORS preflight, which is answered on any path.
   */
  unserved(method: string, pathname: string): { hint: string | undefined; supported: readonly string[] } | undefined {
    if (method.toUpperCase() === "OPTIONS") return undefined;
    const route = matchRoute(method, pathname);
    return route.kind === "none" ? { hint: route.hint, supported: SUPPORTED_ROUTES } : undefined;
  }
}

/**
 * Many merchants in one fake: the merchants pick exactly one merchant's mock per request and
 * hand the request to it. Each mock is an ordinary single-merchant `OrdergrooveMock` with its
 * own credentials, catalog, journal, faults and throttle window, so merchants cannot see each
 * other's state by construction.
 *
 * The merchants only *pick*; the mock then authenticates in full. A request is picked by the
 * `public_id` of its authorization JSON (the merchant it names), else by its `x-api-key` (looked
 * up across all merchants). So a key of merchant A sent with merchant B's public id goes to B,
 * and B refuses it. A request that names no merchant goes to a merchant-less mock that refuses
 * every credential with the mock's own explanations (and answers unknown routes with the same
 * 404), so its answers read exactly like a single merchant's.
 *
 * In front of every merchant sits Ordergroove's documented per-IP limit (6,000 requests a minute
 * over all endpoints), answered with 429 and, as documented, no Retry-After.
 *
 * With one merchant every request goes to it, unlooked-at: answers are exactly the mock's.
 */
import { createHash } from "node:crypto";
import { SlidingWindow } from "../../../shared/throttle/sliding-window.js";
import { type CoreRequest, type CoreResponse, detail } from "../messages.js";
import { OrdergrooveMock } from "../mock.js";
import type { MockOptions } from "../options.js";
import { validateProfile } from "../calibration/profile-file.js";
import { corsPreflight, withCors } from "../cors.js";
import { answerSafely, type ErrorReporter } from "../answer-safely.js";
import { tooLarge } from "../refusals.js";

export interface IpLimitSettings {
  /** Requests allowed per window from one client address, over all endpoints. */
  limit: number;
  /** Window in milliseconds. */
  windowMs: number;
}

/** Ordergroove: "every REST endpoint is IP rate limited at 6,000 requests/minute/IP". */
export const DEFAULT_IP_LIMIT: IpLimitSettings = { limit: 6000, windowMs: 60_000 };

/** One merchant: its credentials (with its `publicId`) and any mock option of its own. */
export type MerchantOptions = MockOptions;

export interface MerchantsOptions extends MockOptions {
  /**
   * The merchants, each with its own credentials. Every other top-level option (products,
   * throttle, answer, auth, faults, clock, limits) is a default for each merchant; a merchant's
   * own entries win. Without `merchants` the fake is one merchant made from the top level.
   */
  merchants?: readonly MerchantOptions[];
  /** The per-IP limit; `false` switches it off. Default 6,000 per minute. */
  ipLimit?: Partial<IpLimitSettings> | false;
}

/** A merchant as the admin API lists it: ids and counts, never a key. */
export interface MerchantSummary {
  publicId: string;
  apiUsers: string[];
  apiKeys: number;
  products: number;
  journal: number;
}

/** A merchant that cannot be added (duplicate public id or API key, bad options). */
export class MerchantError extends Error {
  constructor(
    message: string,
    readonly conflict = false,
  ) {
    super(message);
    this.name = "MerchantError";
  }
}

interface IpWindow {
  window: SlidingWindow;
  lastSeen: number;
}

/** Client addresses remembered before idle ones are forgotten. */
const MAX_TRACKED_ADDRESSES = 1000;

export class OrdergrooveMerchants {
  readonly #mocks = new Map<string, OrdergrooveMock>();
  readonly #byKey = new Map<string, OrdergrooveMock>();
  readonly #defaults: MockOptions;
  /** Answers requests that name no merchant: it has no credentials, so it refuses every one. */
  #nobody: OrdergrooveMock;
  #ipLimit: IpLimitSettings | false;
  readonly #initialIpLimit: IpLimitSettings | false;
  #windows = new Map<string, IpWindow>();

  /**
   * @param mocks the merchants, first is the default one (admin calls that select none)
   * @param options `defaults` for merchants added later, and the per-IP limit
   */
  constructor(
    mocks: readonly OrdergrooveMock[],
    options: { defaults?: MockOptions; ipLimit?: Partial<IpLimitSettings> | false } = {},
  ) {
    if (mocks.length === 0) throw new MerchantError("A fake needs at least one merchant.");
    const first = mocks[0]!;
    this.#defaults = {
      clock: first.options.clock,
      maxBodyBytes: first.options.maxBodyBytes,
      journalLimit: first.options.journalLimit,
      journalMaxBytes: first.options.journalMaxBytes,
      ...withoutCredentials(options.defaults ?? {}),
    };
    this.#ipLimit = this.#initialIpLimit = resolveIpLimit(options.ipLimit);
    this.#nobody = this.#makeNobody(first);
    for (const mock of mocks) this.#admit(mock);
  }

  /** The merchant admin calls and `mock` accessors use when none is named: the first. */
  get default(): OrdergrooveMock {
    return this.#mocks.values().next().value!;
  }

  get size(): number {
    return this.#mocks.size;
  }

  /** Host settings shared by all merchants (the body limit is read before a merchant is known). */
  get options(): { maxBodyBytes: number } {
    return { maxBodyBytes: this.default.options.maxBodyBytes };
  }

  merchant(publicId: string): OrdergrooveMock | undefined {
    return this.#mocks.get(publicId);
  }

  list(): OrdergrooveMock[] {
    return [...this.#mocks.values()];
  }

  summaries(): MerchantSummary[] {
    return this.list().map(summarize);
  }

  /** Adds a merchant with its own empty journal and fresh windows; defaults fill what it leaves out. */
  add(options: MerchantOptions): OrdergrooveMock {
    const mock = new OrdergrooveMock({ ...this.#defaults, ...options });
    this.#admit(mock);
    return mock;
  }

  /** Removes a merchant (not the last one): its credentials stop working at once. */
  remove(publicId: string): boolean {
    const mock = this.#mocks.get(publicId);
    if (!mock) return false;
    if (this.#mocks.size === 1) throw new MerchantError("The last merchant cannot be removed.", true);
    this.#mocks.delete(publicId);
    for (const key of mock.options.credentials.apiKeys) this.#byKey.delete(digest(key));
    this.#nobody = this.#makeNobody(this.default);
    return true;
  }

  get ipLimit(): IpLimitSettings | false {
    return this.#ipLimit ? { ...this.#ipLimit } : false;
  }

  /** Tunes or (with `false`) switches off the per-IP limit; every address starts a fresh window. */
  setIpLimit(limit: Partial<IpLimitSettings> | false): void {
    const next = limit === false ? false : resolveIpLimit({ ...(this.#ipLimit || DEFAULT_IP_LIMIT), ...limit });
    this.#ipLimit = next;
    this.#windows = new Map();
  }

  /** Every merchant back to its start, the per-IP limit as configured, and fresh per-IP windows. */
  reset(): void {
    for (const mock of this.#mocks.values()) mock.reset();
    this.#ipLimit = this.#initialIpLimit;
    this.#windows = new Map();
  }

  /** Fresh per-IP windows only (e.g. between tests that share merchants). */
  resetIpWindows(): void {
    this.#windows = new Map();
  }

  /**
   * A products request, answered completely: its CORS preflight, the per-IP limit, then the one
   * merchant it names. The one place the products API's CORS headers are added (to every answer,
   * an unexpected 500 included, so a browser client can read it) and its last line of defence
   * runs: whatever the mock throws becomes a JSON 500 and one call of `report`.
   */
  handle(req: CoreRequest, report?: ErrorReporter): CoreResponse {
    const preflight = corsPreflight(req);
    if (preflight) return preflight;
    return withCors(answerSafely(() => this.#answer(req), req, report));
  }

  /**
   * The 413 of a products request whose body was over the limit, answered before it was read:
   * journaled in the merchant it names, with CORS like every products answer.
   */
  refuseTooLarge(req: CoreRequest, bytes: number): CoreResponse {
    const response = tooLarge(bytes, this.options.maxBodyBytes);
    this.recordRefusal(req, response, "body too large");
    return withCors(response);
  }

  /** Journals a request its host refused before the core saw its body, in the merchant it names. */
  recordRefusal(req: CoreRequest, response: CoreResponse, why: string): void {
    this.pick(req).recordRefusal(req, response, why);
  }

  #answer(req: CoreRequest): CoreResponse {
    const mock = this.pick(req);
    const limited = this.#overIpLimit(req);
    if (limited) {
      mock.recordRefusal(req, limited, "over the per-IP limit");
      return limited;
    }
    return mock.handle(req);
  }

  /** The mock that answers `req`: the merchant its credentials name, else the merchant-less one. */
  pick(req: CoreRequest): OrdergrooveMock {
    if (this.#mocks.size === 1) return this.default;
    const publicId = publicIdOf(req.headers.authorization);
    const named = publicId === undefined ? undefined : this.#mocks.get(publicId);
    if (named) return named;
    const key = req.headers["x-api-key"];
    // Looked up by digest: a map lookup on the key itself would compare secrets character by character.
    const owner = key === undefined ? undefined : this.#byKey.get(digest(key));
    return owner ?? this.#nobody;
  }

  #overIpLimit(req: CoreRequest): CoreResponse | undefined {
    const limit = this.#ipLimit;
    if (!limit) return undefined;
    const now = this.default.options.clock.now();
    const address = req.remoteAddress ?? "";
    let slot = this.#windows.get(address);
    if (!slot) {
      if (this.#windows.size >= MAX_TRACKED_ADDRESSES) this.#forgetIdle(now, limit.windowMs);
      slot = { window: new SlidingWindow(limit), lastSeen: now };
      this.#windows.set(address, slot);
    }
    slot.lastSeen = now;
    if (slot.window.tryAcquire(now) === 0) return undefined;
    // Ordergroove promises no Retry-After for this limit, so none is sent: clients must back off.
    return detail(
      429,
      `Request was throttled: more than ${limit.limit} requests in ${limit.windowMs / 1000} s from this IP address. ` +
        "Retry later with backoff (this limit sends no Retry-After).",
    );
  }

  #forgetIdle(now: number, windowMs: number): void {
    for (const [address, slot] of this.#windows) {
      if (now - slot.lastSeen > windowMs) this.#windows.delete(address);
    }
    // Still full (many busy addresses): start over rather than grow without bound.
    if (this.#windows.size >= MAX_TRACKED_ADDRESSES) this.#windows = new Map();
  }

  #admit(mock: OrdergrooveMock): void {
    const { publicId, apiKeys, apiUsers } = mock.options.credentials;
    // As a merchants file is refused (spec/merchants.schema.json): a merchant nobody can use is a mistake.
    if (apiKeys.length === 0 && apiUsers.length === 0) throw new MerchantError(nobodyCanAuthenticate(publicId));
    if (this.#mocks.has(publicId)) {
      throw new MerchantError(`A merchant with public id ${JSON.stringify(publicId)} exists already.`, true);
    }
    const digests = apiKeys.map(digest);
    if (new Set(digests).size !== digests.length) {
      throw new MerchantError(`Merchant ${JSON.stringify(publicId)} lists the same API key twice.`);
    }
    for (const [i, d] of digests.entries()) {
      const owner = this.#byKey.get(d);
      if (owner) {
        // Which key, by position only: the key itself is a secret.
        throw new MerchantError(
          `API key #${i + 1} of merchant ${JSON.stringify(publicId)} is already a key of merchant ${JSON.stringify(owner.options.credentials.publicId)}; every key belongs to one merchant.`,
          true,
        );
      }
    }
    this.#mocks.set(publicId, mock);
    for (const d of digests) this.#byKey.set(d, mock);
  }

  #makeNobody(like: OrdergrooveMock): OrdergrooveMock {
    return new OrdergrooveMock({
      credentials: { publicId: "", apiUsers: [], apiKeys: [] },
      products: [],
      auth: like.options.auth,
      clock: like.options.clock,
      maxBodyBytes: like.options.maxBodyBytes,
      journalLimit: 0,
      throttle: false,
    });
  }
}

function nobodyCanAuthenticate(publicId: string): string {
  return `Merchant ${JSON.stringify(publicId)} needs apiUsers or apiKeys (or both), else nobody can authenticate to it.`;
}

/** Builds the merchants of a fake from options (see `MerchantsOptions`). */
export function createMerchants(options: MerchantsOptions = {}): OrdergrooveMerchants {
  const { merchants, ipLimit, ...top } = options;
  // A bad profile is the profile's error (a ProfileError naming its field), not a merchant's.
  if (top.profile !== undefined) validateProfile(top.profile, top.profileSource ?? "inline");
  if (merchants === undefined) return new OrdergrooveMerchants([new OrdergrooveMock(top)], { ipLimit });
  if (top.credentials !== undefined) {
    throw new MerchantError("Give credentials per merchant in `merchants`, not at the top level as well.");
  }
  const mocks = merchants.map((m, i) => {
    // In a merchants file an omitted apiUsers means none; here it would mean the default API user,
    // so `apiKeys: []` alone would quietly let the default user in. Refused, as the file is.
    const c = m.credentials;
    if (c && c.apiUsers === undefined && c.apiKeys?.length === 0)
      throw new MerchantError(`merchants[${i}]: ${nobodyCanAuthenticate(c.publicId ?? "")}`);
    try {
      return new OrdergrooveMock({ ...top, ...m });
    } catch (error) {
      throw new MerchantError(`merchants[${i}]: ${(error as Error).message}`);
    }
  });
  return new OrdergrooveMerchants(mocks, { defaults: top, ipLimit });
}

export function summarize(mock: OrdergrooveMock): MerchantSummary {
  const c = mock.options.credentials;
  return {
    publicId: c.publicId,
    apiUsers: c.apiUsers.map((u) => u.sigField),
    apiKeys: c.apiKeys.length,
    products: mock.catalog.size,
    journal: mock.journal.total,
  };
}

function resolveIpLimit(limit: Partial<IpLimitSettings> | false | undefined): IpLimitSettings | false {
  if (limit === false) return false;
  const resolved = { ...DEFAULT_IP_LIMIT, ...limit };
  // SlidingWindow checks the numbers and explains a bad one.
  new SlidingWindow(resolved);
  return resolved;
}

function withoutCredentials(options: MockOptions): MockOptions {
  const { credentials: _ignored, ...rest } = options;
  return rest;
}

function digest(key: string): string {
  return createHash("sha256").update(key).digest("base64");
}

/** The `public_id` an authorization header names, if it is the JSON it should be. */
function publicIdOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined || !authorization.includes("public_id")) return undefined;
  try {
    const value = JSON.parse(authorization) as { public_id?: unknown } | null;
    return typeof value?.public_id === "string" ? value.public_id : undefined;
  } catch {
    return undefined;
  }
}

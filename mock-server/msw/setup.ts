/**
 * One call to put a fake Ordergroove into a test suite:
 *
 *   const og = setupOrdergrooveMock({ products: [...] });
 *   beforeAll(() => og.listen());
 *   afterEach(() => og.reset());
 *   afterAll(() => og.close());
 */
import { setupServer } from "msw/node";
import * as assertions from "./assertions.js";
import type { Product, ProductSeed } from "../core/products/catalog.js";
import type { JournalEntry } from "../core/journal/journal.js";
import {
  createMerchants,
  type MerchantOptions,
  type MerchantsOptions,
  type OrdergrooveMerchants,
} from "../core/merchants/merchants.js";
import type { OrdergrooveMock } from "../core/mock.js";
import { type CalibrationProfile } from "../core/calibration/behaviours.js";
import { readProfile } from "../core/calibration/profile-file.js";
import { baseUrlsOf, type HandlerOptions, ordergrooveHandlers, type UnsupportedRequest } from "./handlers.js";
import { unhandledRequests } from "./unhandled.js";

/** One merchant of the fake, with the same helpers the suite has for the first one. */
export interface MerchantHandle {
  readonly publicId: string;
  /** This merchant's mock: catalog, journal, faults, answer settings. */
  readonly mock: OrdergrooveMock;
  product(productId: string): Product | undefined;
  seed(products: readonly ProductSeed[]): void;
  journal(): JournalEntry[];
  expectSetLive(productId: string, live: boolean): void;
  expectProductLive(productId: string, live: boolean): void;
  expectBatchRequests(count: number): void;
  expectAllSigned(): void;
}

export interface SetupOptions extends Omit<MerchantsOptions, "profile">, Omit<HandlerOptions, "ipLimit"> {
  /**
   * A calibration profile recorded by `og-contract --record`: its file's path, or the parsed JSON.
   * Checked first: a bad one throws a ProfileError naming the field.
   */
  profile?: CalibrationProfile | string | undefined;
  /** What MSW does with requests to other hosts (default "error": a test must not reach the network). */
  onUnhandledRequest?: "error" | "warn" | "bypass";
}

export interface OrdergrooveMockSuite {
  /** The fake's first (by default only) merchant: catalog, journal, faults, answer settings. */
  readonly mock: OrdergrooveMock;
  /** Every merchant, and the per-IP limit in front of them. */
  readonly merchants: OrdergrooveMerchants;
  /** One merchant by public id (throws when there is none). */
  merchant(publicId: string): MerchantHandle;
  /**
   * Adds a merchant, e.g. one per test file, so files that share a fake never see each other's
   * catalog or journal. It stays until `close`; `reset` returns it to its seed like the others.
   */
  addMerchant(options: MerchantOptions): MerchantHandle;
  /** The MSW server, for your own handlers (`og.server.use(...)`). */
  readonly server: ReturnType<typeof setupServer>;
  /** Requests to routes the fake does not serve. */
  readonly unsupportedRequests: readonly UnsupportedRequest[];
  listen(): void;
  /** Between tests: every merchant's catalog back to its seed, journals, faults, settings and per-IP windows cleared, your extra handlers removed. */
  reset(): void;
  close(): void;
  /** A product as the fake holds it now. */
  product(productId: string): Product | undefined;
  /** Replaces the catalog (and the seed `reset` returns to). */
  seed(products: readonly ProductSeed[]): void;
  /** What the fake received and answered, oldest first, secrets masked. */
  journal(): JournalEntry[];
  expectSetLive(productId: string, live: boolean): void;
  expectProductLive(productId: string, live: boolean): void;
  expectBatchRequests(count: number): void;
  expectAllSigned(): void;
  expectNoUnsupportedRequests(): void;
}

export function setupOrdergrooveMock(options: SetupOptions = {}): OrdergrooveMockSuite {
  const { profile, ...rest } = options;
  const merchants = createMerchants(
    typeof profile === "string"
      ? { ...rest, profile: readProfile(profile), profileSource: profile }
      : { ...rest, profile },
  );
  const mock = merchants.default;
  const unsupported: UnsupportedRequest[] = [];
  const server = setupServer(...ordergrooveHandlers(merchants, options, unsupported));
  return {
    mock,
    merchants,
    merchant: (publicId) => {
      const mock = merchants.merchant(publicId);
      if (!mock) {
        assertions.fail(
          `No merchant with public id ${JSON.stringify(publicId)}; merchants: ${merchants
            .list()
            .map((m) => m.options.credentials.publicId)
            .join(", ")}.`,
        );
      }
      return handleOf(mock);
    },
    addMerchant: (merchant) => handleOf(merchants.add(merchant)),
    server,
    unsupportedRequests: unsupported,
    listen: () =>
      server.listen({
        onUnhandledRequest: unhandledRequests(
          options.onUnhandledRequest ?? "error",
          baseUrlsOf(options),
          options.report ?? ((m) => console.error(m)),
        ),
      }),
    reset: () => {
      server.resetHandlers();
      merchants.reset();
      unsupported.length = 0;
    },
    close: () => server.close(),
    product: (id) => mock.catalog.get(id),
    seed: (products) => mock.catalog.seed(products),
    journal: () => mock.journal.entries(),
    expectSetLive: (id, live) => assertions.expectSetLive(mock, id, live),
    expectProductLive: (id, live) => assertions.expectProductLive(mock, id, live),
    expectBatchRequests: (count) => assertions.expectBatchRequests(mock, count),
    expectAllSigned: () => assertions.expectAllSigned(mock),
    expectNoUnsupportedRequests: () => {
      if (unsupported.length) {
        assertions.fail(
          `Expected no requests to routes the fake does not serve, but got: ${unsupported.map((u) => `${u.method} ${u.url}`).join(", ")}.`,
        );
      }
    },
  };
}

function handleOf(mock: OrdergrooveMock): MerchantHandle {
  return {
    publicId: mock.options.credentials.publicId,
    mock,
    product: (id) => mock.catalog.get(id),
    seed: (products) => mock.catalog.seed(products),
    journal: () => mock.journal.entries(),
    expectSetLive: (id, live) => assertions.expectSetLive(mock, id, live),
    expectProductLive: (id, live) => assertions.expectProductLive(mock, id, live),
    expectBatchRequests: (count) => assertions.expectBatchRequests(mock, count),
    expectAllSigned: () => assertions.expectAllSigned(mock),
  };
}

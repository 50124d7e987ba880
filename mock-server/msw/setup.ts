/**
 * One call to put a fake Ordergroove into a test suite:
 *
 *   const og = setupOrdergrooveMock({ products: [...] });
 *   beforeAll(() => og.listen());
 *   afterEach(() => og.reset());
 *   afterAll(() => og.close());
 */
import { setupServer } from "msw/node";
import * as assertions from "../core/assertions.js";
import type { Product, ProductSeed } from "../core/catalog.js";
import type { JournalEntry } from "../core/journal.js";
import { createOrdergrooveMock, type OrdergrooveMock } from "../core/mock.js";
import type { MockOptions } from "../core/options.js";
import { type HandlerOptions, ordergrooveHandlers, type UnsupportedRequest } from "./handlers.js";

export interface SetupOptions extends MockOptions, HandlerOptions {
  /** What MSW does with requests to other hosts (default "error": a test must not reach the network). */
  onUnhandledRequest?: "error" | "warn" | "bypass";
}

export interface OrdergrooveMockSuite {
  /** The fake itself: catalog, journal, faults, answer settings. */
  readonly mock: OrdergrooveMock;
  /** The MSW server, for your own handlers (`og.server.use(...)`). */
  readonly server: ReturnType<typeof setupServer>;
  /** Requests to routes the fake does not serve. */
  readonly unsupportedRequests: readonly UnsupportedRequest[];
  listen(): void;
  /** Between tests: catalog back to the seed, journal, faults and settings cleared, your extra handlers removed. */
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
  const mock = createOrdergrooveMock(options);
  const unsupported: UnsupportedRequest[] = [];
  const server = setupServer(...ordergrooveHandlers(mock, options, unsupported));
  return {
    mock,
    server,
    unsupportedRequests: unsupported,
    listen: () => server.listen({ onUnhandledRequest: options.onUnhandledRequest ?? "error" }),
    reset: () => {
      server.resetHandlers();
      mock.reset();
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

/**
 * Optional custom matchers for vitest or jest: `expect.extend(ordergrooveMatchers)`, then
 *   expect(og).toHaveSetLive("sku-1", false)
 *   expect(og).toHaveReceivedBatches(2)
 *   expect(og).toHaveOnlySignedRequests()
 * where `og` is what setupOrdergrooveMock returned (or the OrdergrooveMock itself).
 */
import * as assertions from "./assertions.js";
import { OrdergrooveMock } from "../core/mock.js";

type Received = OrdergrooveMock | { mock: OrdergrooveMock };

function mockOf(received: Received): OrdergrooveMock {
  if (received instanceof OrdergrooveMock) return received;
  if (received && (received as { mock?: unknown }).mock instanceof OrdergrooveMock)
    return (received as { mock: OrdergrooveMock }).mock;
  throw new TypeError("Expected the value of setupOrdergrooveMock() or an OrdergrooveMock.");
}

function matcher<A extends unknown[]>(
  check: (mock: OrdergrooveMock, ...args: A) => void,
  negated: (...args: A) => string,
) {
  return function (this: { isNot?: boolean }, received: Received, ...args: A) {
    try {
      check(mockOf(received), ...args);
      return { pass: true, message: () => negated(...args) };
    } catch (error) {
      return { pass: false, message: () => (error as Error).message };
    }
  };
}

export const ordergrooveMatchers = {
  toHaveSetLive: matcher(
    assertions.expectSetLive,
    (id: string, live: boolean) =>
      `Expected product ${JSON.stringify(id)} not to have been set live=${live}, but it was.`,
  ),
  toHaveReceivedBatches: matcher(
    assertions.expectBatchRequests,
    (n: number) => `Expected the fake not to have received ${n} batch update request(s), but it did.`,
  ),
  toHaveOnlySignedRequests: matcher(
    assertions.expectAllSigned,
    () => "Expected some request to have been refused, but all were signed.",
  ),
};

export interface OrdergrooveMatchers<R = unknown> {
  toHaveSetLive(productId: string, live: boolean): R;
  toHaveReceivedBatches(count: number): R;
  toHaveOnlySignedRequests(): R;
}

import { describe, expect, it } from "vitest";
import { desiredLive } from "../../src/sync/thresholds.js";

describe("desiredLive", () => {
  const t = { outOfStockAt: 0, lowStockAt: 5, restockAt: 20 };

  it.each([
    [0, false],
    [-3, false],
    [5, false],
    [6, undefined],
    [19, undefined],
    [20, true],
    [500, true],
  ])("stock %i → %s", (stock, live) => {
    expect(desiredLive(stock, t)).toBe(live);
  });

  it("cuts off at outOfStockAt when there is no low mark", () => {
    expect(desiredLive(1, { restockAt: 10 })).toBeUndefined();
    expect(desiredLive(0, { restockAt: 10 })).toBe(false);
  });

  it.each([
    [{ restockAt: 5, lowStockAt: 5 }, "restockAt (5) must be above the cut-off (5), or products would flap."],
    [{ restockAt: 10, lowStockAt: 2, outOfStockAt: 3 }, "lowStockAt (2) must not be below outOfStockAt (3)."],
    [{ restockAt: "10" }, 'restockAt must be a number; got "10".'],
  ])("refuses thresholds %j", (bad, message) => {
    expect(() => desiredLive(1, bad as never)).toThrow(message);
  });

  it("refuses a stock level that is not a number", () => {
    expect(() => desiredLive(Number.NaN, t)).toThrow("Invalid stock level: expected a number, got NaN.");
  });
});

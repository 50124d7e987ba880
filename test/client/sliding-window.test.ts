import { describe, expect, it } from "vitest";
import { SlidingWindow } from "../../src/throttle/sliding-window.js";

describe("SlidingWindow", () => {
  it("allows `limit` events in any window and says how long to wait for the next", () => {
    const w = new SlidingWindow({ limit: 3, windowMs: 1000 });
    expect([w.tryAcquire(0), w.tryAcquire(100), w.tryAcquire(200)]).toEqual([0, 0, 0]);
    expect(w.tryAcquire(300)).toBe(700);
    expect(w.tryAcquire(1000)).toBe(0);
    expect(w.tryAcquire(1000)).toBe(100);
  });

  it("counts a settled event from its settle time, so a slow answer never frees a place early", () => {
    const w = new SlidingWindow({ limit: 1, windowMs: 1000 });
    const { slot } = w.reserve(0);
    w.settle(slot!, 250); // the answer came 250 ms later: the server may have counted it then
    expect(w.waitMs(1000)).toBe(250);
    expect(w.waitMs(1250)).toBe(0);
  });

  it("ignores a settle for a slot that has been reused since", () => {
    const w = new SlidingWindow({ limit: 1, windowMs: 100 });
    const first = w.reserve(0).slot!;
    w.reserve(100);
    w.settle(first, 150);
    expect(w.waitMs(200)).toBe(0);
  });

  it.each([
    [{ limit: 0, windowMs: 1 }, "Rate limit must be a whole number of at least 1; got 0."],
    [{ limit: 1.5, windowMs: 1 }, "Rate limit must be a whole number of at least 1; got 1.5."],
    [{ limit: 1, windowMs: 0 }, "Rate window must be positive; got 0 ms."],
  ])("refuses %j", (rate, message) => {
    expect(() => new SlidingWindow(rate)).toThrow(message);
  });
});

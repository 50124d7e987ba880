import { describe, expect, it } from "vitest";
import { SlidingWindow } from "../../shared/throttle/sliding-window.js";

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
    [{ limit: 0, windowMs: 1 }, "Rate limit must be a whole number from 1 to 1000000; got 0."],
    [{ limit: 1_000_001, windowMs: 1 }, "Rate limit must be a whole number from 1 to 1000000; got 1000001."],
    [{ limit: 1.5, windowMs: 1 }, "Rate limit must be a whole number from 1 to 1000000; got 1.5."],
    [{ limit: 1, windowMs: 0 }, "Rate window must be positive; got 0 ms."],
  ])("refuses %j", (rate, message) => {
    expect(() => new SlidingWindow(rate)).toThrow(message);
  });
});

describe("SlidingWindow's memory", () => {
  it("does not grow with the limit: a million-event limit costs what a small one does", () => {
    const before = process.memoryUsage().arrayBuffers;
    const windows = Array.from({ length: 200 }, () => new SlidingWindow({ limit: 1_000_000, windowMs: 60_000 }));
    for (const w of windows) for (let t = 0; t < 100; t++) expect(w.tryAcquire(t)).toBe(0);
    // 200 windows of the old Float64Array(limit) x2 were 3.2 GB; these are a few kB each.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(5_000_000);
  });

  it("stays bounded under many distinct event times, never letting more than the limit through", () => {
    const w = new SlidingWindow({ limit: 1_000_000, windowMs: 60_000 });
    for (let t = 0; t < 50_000; t++) expect(w.tryAcquire(t)).toBe(0);
    const small = new SlidingWindow({ limit: 5000, windowMs: 10_000 });
    let accepted = 0;
    for (let t = 0; t < 10_000; t++) for (let k = 0; k < 2; k++) if (small.tryAcquire(t) === 0) accepted++;
    // 20,000 attempts over one window: exactly the limit gets through, no more.
    expect(accepted).toBe(5000);
  });

  it("is exact where events share a millisecond: a window's worth at once, then one more after the window", () => {
    const w = new SlidingWindow({ limit: 6000, windowMs: 60_000 });
    for (let i = 0; i < 6000; i++) expect(w.tryAcquire(5)).toBe(0);
    expect(w.tryAcquire(6)).toBe(59_999);
    expect(w.tryAcquire(60_005)).toBe(0);
  });
});

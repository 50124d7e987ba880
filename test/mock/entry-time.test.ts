/** The journal's entry time is formatted once a second (entries.ts): it must be Date's ISO text for any clock value. */
import fc from "fast-check";
import { expect, it } from "vitest";
import { ManualClock } from "../../mock-server/core/clock.js";
import { EntryTime } from "../../mock-server/core/journal/entries.js";

it("writes exactly what new Date(ms).toISOString() writes, whatever the clock says", () => {
  const clock = new ManualClock(0);
  const time = new EntryTime({ clock });
  const check = (ms: number) => {
    clock.set(ms);
    expect(time.now(), String(ms)).toBe(new Date(ms).toISOString());
  };
  for (const ms of [
    0,
    -0.5,
    -1.5,
    -1000.5,
    -1,
    999.9,
    1000,
    1.5,
    Date.UTC(2026, 11, 2, 1, 2, 3, 4) + 0.7,
    8.64e15,
    -8.64e15,
  ]) {
    check(ms);
  }
  fc.assert(
    fc.property(fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true }), (ms) => check(ms)),
    { numRuns: 2000 },
  );
  // Nearby times share a second: the cached part must follow the clock both ways.
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -3000, max: 3000 }), { maxLength: 50 }), (steps) => {
      for (const step of steps) check(Date.UTC(2026, 0, 1) + step + 0.25);
    }),
  );
});

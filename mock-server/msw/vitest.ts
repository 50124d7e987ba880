// Kept in the emitted vitest.d.ts: without a reference to vitest there, a user's tsc does not
// apply the `declare module "vitest"` below (found by the consumer check; the repo's own typecheck,
// which reads this source, passed without it).
/// <reference types="vitest" preserve="true" />
/**
 * `import "ordergroove-stock-kit/vitest"` (in a test file or a setupFiles module): registers
 * the kit's matchers with vitest's `expect` and types them, the way @testing-library/jest-dom
 * does, so that `expect(og).toHaveSetLive(id, false)` type-checks and a misspelled matcher fails
 * `tsc`. One import does both, so the types never promise a matcher that was not registered.
 */
import { expect } from "vitest";
import { type OrdergrooveMatchers, ordergrooveMatchers } from "./matchers.js";

expect.extend(ordergrooveMatchers);

// Empty interfaces on purpose: declaration merging adds the matchers to vitest's own. The type
// parameter must be vitest's for the declarations to merge; it is unused here.
/* eslint-disable @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars */
declare module "vitest" {
  interface Assertion<T = any> extends OrdergrooveMatchers<void> {}
  interface AsymmetricMatchersContaining extends OrdergrooveMatchers<void> {}
}

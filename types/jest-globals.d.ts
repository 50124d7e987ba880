// Types of `import "ordergroove-stock-kit/jest-globals"` (its code: mock-server/msw/jest-globals.ts).
// Written by hand and shipped as is: they augment jest's `expect` package, which only the user's
// project has (jest brings it). A misspelled matcher then fails type-checking.
import type { OrdergrooveMatchers } from "../dist/mock-server/msw/matchers.js";

// Empty interfaces on purpose: declaration merging adds the matchers to jest's own; the type
// parameters must be jest's for the declarations to merge.
/* eslint-disable @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars */
declare module "expect" {
  interface Matchers<R extends void | Promise<void>, T = unknown> extends OrdergrooveMatchers<R> {}
  interface AsymmetricMatchers extends OrdergrooveMatchers<void> {}
}

/**
 * `import "ordergroove-stock-kit/jest-globals"`: registers the kit's matchers with jest's
 * `expect` from @jest/globals. Its types (the augmentation of jest's `Matchers`) are the
 * hand-written jest-globals.d.ts beside the package's dist/, because jest is the user's
 * dependency, not the kit's: the kit's own build cannot see @jest/globals' types.
 */
// @ts-expect-error -- @jest/globals comes with the user's jest; the kit does not depend on it.
import { expect } from "@jest/globals";
import { ordergrooveMatchers } from "./matchers.js";

(expect as { extend(matchers: object): void }).extend(ordergrooveMatchers);

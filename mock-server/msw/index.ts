/** The fake inside other projects' test suites: `ordergroove-stock-kit/msw`. */
export {
  appliedUpdates,
  expectAllSigned,
  expectBatchRequests,
  expectProductLive,
  expectSetLive,
} from "./assertions.js";
export type { Product, ProductSeed } from "../core/products/catalog.js";
export { ManualClock } from "../core/clock.js";
export { defaultCatalog } from "../core/products/default-catalog.js";
export type { JournalEntry } from "../core/journal/journal.js";
export {
  createMerchants,
  type MerchantOptions,
  type MerchantsOptions,
  OrdergrooveMerchants,
} from "../core/merchants/merchants.js";
export { createOrdergrooveMock, OrdergrooveMock } from "../core/mock.js";
export { DEFAULT_CREDENTIALS, type MockOptions } from "../core/options.js";
export { type CalibrationProfile } from "../core/calibration/behaviours.js";
export { ProfileError, readProfile } from "../core/calibration/profile-file.js";
export { type ProfileSummary } from "../core/apply-profile.js";
export {
  type HandlerOptions,
  ORDERGROOVE_BASE_URLS,
  ordergrooveHandlers,
  type UnsupportedRequest,
} from "./handlers.js";
export { type OrdergrooveMatchers, ordergrooveMatchers } from "./matchers.js";
export { type MerchantHandle, type OrdergrooveMockSuite, type SetupOptions, setupOrdergrooveMock } from "./setup.js";

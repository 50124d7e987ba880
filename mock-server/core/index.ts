/** The fake's framework-free core: `ordergroove-stock-kit/mock`. */
export { ADMIN_PREFIX, type AdminOptions, handleAdmin, isAdminPath } from "./admin/admin-api.js";
export type { ApiUser, AuthPolicy, MockCredentials, Principal } from "./auth/authenticate.js";
export { Catalog, CatalogError, type Product, type ProductSeed } from "./products/catalog.js";
export { type Clock, ManualClock, systemClock } from "./clock.js";
export { defaultCatalog } from "./products/default-catalog.js";
export { FaultError, type FaultSettings, Faults, type ItemFault, type RequestFault } from "./faults.js";
export type { CoreRequest, CoreResponse } from "./messages.js";
export { Journal, type JournalEntry } from "./journal/journal.js";
export {
  createMerchants,
  DEFAULT_IP_LIMIT,
  type IpLimitSettings,
  MerchantError,
  type MerchantOptions,
  type MerchantsOptions,
  type MerchantSummary,
  OrdergrooveMerchants,
} from "./merchants/merchants.js";
export { handleMerchantsAdmin } from "./admin/admin-api.js";
export { MERCHANT_HEADER, MERCHANT_QUERY } from "./admin/merchant-selection.js";
export {
  checkMerchantEntry,
  checkMerchantsFile,
  type MerchantEntry,
  type MerchantsFile,
  merchantOptions,
} from "./merchants/merchants-file.js";
export { createOrdergrooveMock, type ItemResult, OrdergrooveMock } from "./mock.js";
export {
  type AnswerSettings,
  type BatchForm,
  type BehaviourSettings,
  DEFAULT_BEHAVIOUR,
  DEFAULT_THROTTLE,
  type MockLogger,
  type ThrottleSettings,
} from "./settings.js";
export { DEFAULT_CREDENTIALS, type MockOptions } from "./options.js";
export {
  AUTH_FAILURES,
  BEHAVIOURS,
  type CalibrationProfile,
  type Observations,
  PROFILE_SCHEMA,
} from "./calibration/behaviours.js";
export { parseProfile, ProfileError, readProfile, validateProfile } from "./calibration/profile-file.js";
export { type ProfileSummary } from "./apply-profile.js";
export { SUPPORTED_ROUTES } from "./routes.js";

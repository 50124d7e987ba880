/** The fake's framework-free core: `ordergroove-stock-kit/mock`. */
export { ADMIN_PREFIX, type AdminOptions, handleAdmin, isAdminPath } from "./admin.js";
export type { ApiUser, AuthPolicy, MockCredentials, Principal } from "./auth.js";
export { Catalog, CatalogError, type Product, type ProductSeed } from "./catalog.js";
export { type Clock, ManualClock, systemClock } from "./clock.js";
export { defaultCatalog } from "./default-catalog.js";
export { FaultError, type FaultSettings, Faults, type ItemFault, type RequestFault } from "./faults.js";
export type { CoreRequest, CoreResponse } from "./http.js";
export { Journal, type JournalEntry } from "./journal.js";
export {
  createMerchants,
  DEFAULT_IP_LIMIT,
  type IpLimitSettings,
  MerchantError,
  type MerchantOptions,
  type MerchantsOptions,
  type MerchantSummary,
  OrdergrooveMerchants,
} from "./merchants.js";
export { handleMerchantsAdmin, MERCHANT_HEADER, MERCHANT_QUERY } from "./merchants-admin.js";
export {
  checkMerchantEntry,
  checkMerchantsFile,
  type MerchantEntry,
  type MerchantsFile,
  merchantOptions,
} from "./merchants-file.js";
export { createOrdergrooveMock, type ItemResult, OrdergrooveMock } from "./mock.js";
export {
  type AnswerSettings,
  type BatchForm,
  type BehaviourSettings,
  DEFAULT_BEHAVIOUR,
  DEFAULT_CREDENTIALS,
  DEFAULT_THROTTLE,
  type MockLogger,
  type MockOptions,
  type ThrottleSettings,
} from "./options.js";
export {
  AUTH_FAILURES,
  BEHAVIOURS,
  type CalibrationProfile,
  type Observations,
  parseProfile,
  PROFILE_SCHEMA,
  ProfileError,
  type ProfileSummary,
  readProfile,
  validateProfile,
} from "./profile.js";
export { SUPPORTED_ROUTES } from "./routes.js";

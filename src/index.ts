/** ordergroove-stock-kit: the reference client, the stock-threshold sync and the signing helpers. */
import type { AnswerDrift } from "./client/client.js";

export {
  type ApiUserCredentials,
  type AuthorizationPayload,
  authorizationPayload,
  computeSignature,
  constantTimeEqual,
  type SignatureInput,
  signedHeaders,
  signedMessage,
} from "../shared/auth/signature.js";
export {
  type AnswerDrift,
  type BatchOptions,
  type ClientLogger,
  type ClientOptions,
  createOrdergrooveClient,
  type ListOptions,
  OrdergrooveClient,
  type Product,
  type ProductCreateItem,
  type ProductFilters,
  type ProductGroupType,
  type ProductPatch,
  type ProductUpdateItem,
} from "./client/client.js";
/** @deprecated use AnswerDrift (renamed so it is not taken for reconcile's or the contract tests' drift). */
export type Drift = AnswerDrift;
export { ConfigError, type Credentials, ENVIRONMENTS, type Environment } from "./client/config.js";
export {
  AuthenticationError,
  InvalidRequestError,
  NetworkError,
  OrdergrooveError,
  PermissionError,
  ServerError,
  ThrottledError,
  TimeoutError,
  UnexpectedResponseError,
} from "./client/errors.js";
export type { BatchReport, ItemOutcome, Outcome } from "./client/report.js";
export { backoff, DEFAULT_RETRY, decideRetry, type RetryDecision, type RetryPolicy } from "./client/retry.js";
export type { components, paths } from "../shared/generated/openapi.js";
export { type AnswerToCheck, checkAnswer } from "../shared/validation/response-validator.js";
export { type Outbox, type OutboxEntry, OutboxError, type OutboxWriteOptions, openOutbox } from "./sync/outbox.js";
export { type StockChange, StockSync, type StockSyncOptions, type SyncFlush } from "./sync/stock-sync.js";
export { desiredLive, ThresholdError, type Thresholds } from "./sync/thresholds.js";

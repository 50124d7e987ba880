/**
 * Real traffic teaches the fake (`og-mock --upstream --learn FILE`): what the upstream did where
 * Ordergroove's docs are silent or disagree, kept in the calibration profile's own schema (the
 * one `og-contract --record` writes), so `og-mock --profile FILE` then answers as the real service
 * did. Each observation carries how often it was seen and when, first and last; the latest
 * answer wins, as a recorded profile keeps the latest run's.
 *
 * Learnt from traffic alone, without provoking anything: the status and form of a processed batch,
 * the status of refused credentials, and the JSON type of a product's price.
 */
import type { Clock } from "../clock.js";
import {
  type CalibrationProfile,
  type Observations,
  type ObservedValue,
  PROFILE_FORMAT,
  type SeenCount,
} from "../calibration/behaviours.js";
import type { CoreRequest } from "../messages.js";
import type { Operation } from "../routes.js";

export class Learner {
  readonly #observations: Observations = {};
  readonly #seen: Record<string, SeenCount> = {};
  #changed = false;

  constructor(
    readonly target: string,
    readonly kit: string,
    readonly clock: Clock,
  ) {}

  /** Learns from one real exchange: the request as sent, the upstream's status and parsed body. */
  observe(req: CoreRequest, operation: Operation, status: number, body: unknown): void {
    const batch = operation === "updateProductsBatch" || operation === "createProductsBatch";
    if (batch && status >= 200 && status < 300 && body !== undefined) {
      this.#note("answer.batchStatus", status);
      this.#note("answer.batchForm", Array.isArray(body) ? "list" : "object");
    }
    const credentials = req.headers["x-api-key"] !== undefined || req.headers.authorization !== undefined;
    if ((status === 401 || status === 403) && credentials) this.#note("auth.failureStatus", status);
    if (operation === "getProduct" && status === 200 && body && typeof body === "object" && "price" in body) {
      const price = (body as { price: unknown }).price;
      const type =
        price === null ? "null" : typeof price === "string" || typeof price === "number" ? typeof price : "other";
      this.#note("answer.priceType", type);
    }
  }

  /** Whether anything was learnt since the last call (the CLI writes the file only then). */
  takeChanged(): boolean {
    const changed = this.#changed;
    this.#changed = false;
    return changed;
  }

  /** What was learnt, as a calibration profile. */
  profile(): CalibrationProfile {
    return {
      format: PROFILE_FORMAT,
      kit: this.kit,
      target: this.target,
      recordedAt: new Date(this.clock.now()).toISOString(),
      observations: { ...this.#observations },
      seen: structuredClone(this.#seen),
    };
  }

  #note(key: string, value: ObservedValue): void {
    const now = new Date(this.clock.now()).toISOString();
    const seen = this.#seen[key];
    // A changed value starts its count again: the count says how often the current value was seen.
    if (!seen || this.#observations[key] !== value) this.#seen[key] = { count: 1, firstSeen: now, lastSeen: now };
    else {
      seen.count++;
      seen.lastSeen = now;
    }
    this.#observations[key] = value;
    this.#changed = true;
  }
}

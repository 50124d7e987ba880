/**
 * Real traffic teaches the fake (`og-mock --upstream --learn FILE`): what the upstream did where
 * Ordergroove's docs are silent or disagree, kept in the calibration profile's own schema (the
 * one `og-contract --record` writes), so `og-mock --profile FILE` then answers as the real service
 * did. Each observation carries how often it was seen and when, first and last; the latest
 * answer wins, as a recorded profile keeps the latest run's.
 *
 * Learnt from traffic alone, without provoking anything: what each exchange shows unambiguously
 * (./lessons.ts says which behaviours, from which traffic; docs/proxy.md has the table).
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
import { lessonsOf } from "./lessons.js";
import type { UpstreamAnswer } from "./upstream.js";

export class Learner {
  readonly #observations: Observations = {};
  readonly #seen: Record<string, SeenCount> = {};
  #changed = false;

  constructor(
    readonly target: string,
    readonly kit: string,
    readonly clock: Clock,
    /** The credentials og-mock holds (keys, hash keys): never kept, even inside a refusal's words. */
    readonly secrets: readonly string[] = [],
  ) {}

  /** Learns from one real exchange: the request as the client sent it, and the upstream's answer. */
  observe(req: CoreRequest, answer: UpstreamAnswer): void {
    for (const [key, value] of lessonsOf(req, answer, this.secrets)) this.#note(key, value);
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

/**
 * Product fields the spec does not know, in a bulk item or a single-product PATCH: ignored as
 * Django REST framework serializers do (noted on the journal entry, warned about once per name),
 * or refused in strict mode.
 */
import { knownFields } from "../../../shared/validation/schemas.js";
import type { Trace } from "../journal/entries.js";
import type { BehaviourSettings, MockLogger } from "../settings.js";

export class UnknownFields {
  /** Read at each warning: the fake's logger, as its options say. */
  readonly #options: { readonly logger: MockLogger };
  /** Unknown field names already warned about: one warning per name for the fake's lifetime. */
  readonly #warned = new Set<string>();

  constructor(options: { readonly logger: MockLogger }) {
    this.#options = options;
  }

  /**
   * The object without the fields the schema does not know. Ignored fields are recorded on the
   * journal entry and warned about once per name; with `unknownFields: "refuse"` the first one
   * is returned as the reason to refuse (a string) instead.
   */
  knownOnly(
    object: Record<string, unknown>,
    schema: string,
    policy: BehaviourSettings["unknownFields"],
    trace: Trace,
  ): Record<string, unknown> | string {
    const known = knownFields(schema);
    let unknown: string[] | undefined;
    for (const key of Object.keys(object)) if (!known.has(key)) (unknown ??= []).push(key);
    if (!unknown) return object;
    if (policy === "refuse") {
      return `${unknown[0]}: is not a known product field (strict mode refuses fields the spec does not know)`;
    }
    trace.ignoredFields ??= new Set();
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(object)) {
      if (known.has(key)) kept[key] = value;
      else {
        trace.ignoredFields.add(key);
        this.#warn(key);
      }
    }
    return kept;
  }

  #warn(field: string): void {
    // Bounded: a client sending endless distinct names must not grow the fake's memory.
    if (this.#warned.has(field) || this.#warned.size >= 1000) return;
    this.#warned.add(field);
    this.#options.logger.warn(
      `og-mock: ignored the unknown product field ${JSON.stringify(field.slice(0, 100))} (as Django REST framework does). ` +
        "If it is a typo, the change it meant did not happen; strict mode (--strict, strict: true) refuses such items. " +
        "Warned once per field name; the journal lists ignored fields per request.",
    );
  }
}

/**
 * Two answers' products, field by field (./shadow-product.ts): the fields the two should agree on,
 * once the fake's catalog learnt the product from the real answer. Not the values of what the
 * service makes for itself (its merchant id, its timestamps), only the timestamps' format, read
 * as --learn and og-contract read it (shared/observed-forms.ts), so the shadow's
 * `answer.timestampFormat` names what a profile would hold for the same answer.
 */
import { timestampFormat } from "../../../shared/observed-forms.js";
import { firstUnits } from "../../../shared/validation/characters.js";
import { pointerToken, type Difference } from "./shadow-replay.js";

/** Values the service makes: never equal between the two, and no behaviour to compare. */
const MADE_BY_THE_SERVICE = new Set(["merchant", "created", "last_update"]);
const TIMESTAMPS = new Set(["created", "last_update"]);

export function compareProducts(real: Record<string, unknown>, fake: Record<string, unknown>): Difference[] {
  const out: Difference[] = [];
  for (const key of new Set([...Object.keys(real), ...Object.keys(fake)])) {
    const pointer = `/${pointerToken(key)}`;
    if (!(key in fake) || !(key in real)) {
      const [has, lacks] = key in real ? ["the service", "the fake"] : ["the fake", "the service"];
      out.push({
        pointer,
        message: `${has} answers the field ${JSON.stringify(key)} and ${lacks} does not`,
        real: key in real ? kept(real[key]) : null,
        fake: key in fake ? kept(fake[key]) : null,
      });
      continue;
    }
    if (TIMESTAMPS.has(key)) {
      const missing = nullTimestamp(key, real[key], fake[key]);
      if (missing) {
        out.push(missing);
        continue;
      }
      const [r, f] = [timestampFormat(real[key]), timestampFormat(fake[key])];
      if (r !== f) {
        out.push({
          pointer,
          message: `${key} is written ${r} by the service and ${f} by the fake`,
          real: r,
          fake: f,
          setting: "answer.timestampFormat",
        });
      }
      continue;
    }
    if (MADE_BY_THE_SERVICE.has(key)) continue;
    const [r, f] = [real[key], fake[key]];
    if (key === "price" && jsonType(r) !== jsonType(f)) {
      out.push({
        pointer,
        message: `price is a ${jsonType(r)} from the service and a ${jsonType(f)} from the fake`,
        real: kept(r),
        fake: kept(f),
        setting: "answer.priceType",
      });
      continue;
    }
    if (JSON.stringify(r) !== JSON.stringify(f)) {
      out.push({
        pointer,
        message: `${key} is ${shown(r, MESSAGE_UNITS)} from the service and ${shown(f, MESSAGE_UNITS)} from the fake`,
        real: kept(r),
        fake: kept(f),
      });
    }
  }
  return out;
}

/** A value's JSON in a message, cut short: a field of any length must not fill the journal twice over. */
const MESSAGE_UNITS = 80;
/** A value kept whole in a difference up to this much JSON; longer, its JSON cut short. */
const KEPT_UNITS = 1024;

function shown(value: unknown, max: number): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length <= max ? text : `${firstUnits(text, max)}… (${text.length} characters)`;
}

function kept(value: unknown): unknown {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length <= KEPT_UNITS ? value : shown(value, KEPT_UNITS);
}

/**
 * A timestamp one side answered null and the other did not. Worth listing (a client that parses
 * the time meets a null), but not as `answer.timestampFormat`: null is no format a profile holds
 * (the shared reader says "other" for it, as for any value that is not a string, and --learn
 * never records a null time), and no setting makes the fake answer null. So its own message, the
 * null as it was, the other side's format, and no setting.
 */
function nullTimestamp(key: string, real: unknown, fake: unknown): Difference | undefined {
  if ((real === null) === (fake === null)) return undefined;
  const [nul, other, value] = real === null ? ["the service", "the fake", fake] : ["the fake", "the service", real];
  const format = timestampFormat(value);
  return {
    pointer: `/${pointerToken(key)}`,
    message: `${key} is null from ${nul} and ${format === "other" ? "not from" : `written ${format} by`} ${other}`,
    real: real === null ? null : format,
    fake: fake === null ? null : format,
  };
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  return typeof value;
}

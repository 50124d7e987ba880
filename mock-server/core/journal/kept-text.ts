/**
 * The short texts a journal entry keeps on the JS heap: a body shown as text rather than parsed,
 * a long header value, an identifying field of `authorization`. Each is cut to a few kilobytes,
 * and the cut is a copy.
 *
 * Why a copy: V8 makes a slice of a long string a view into it, which keeps the whole string
 * alive. A 4 KiB cut of a megabyte body kept the megabyte for as long as the entry lived, where
 * the journal's byte budget could not see it (issue 39): the budget counted kilobytes while the
 * process grew by a megabyte per request.
 */
import { Buffer } from "node:buffer";
import { firstUnits } from "../../../shared/validation/characters.js";

/** UTF-16 units of a text kept on an entry before it is cut (then followed by an ellipsis). */
export const MAX_TEXT = 4096;

/** The text, or its first `max` units (never half an emoji) and an ellipsis, sharing no memory with `text`. */
export function cut(text: string, max = MAX_TEXT): string {
  return text.length > max ? detached(`${firstUnits(text, max)}…`) : text;
}

/**
 * A copy of `text` that shares no memory with the string it came from: one made from bytes is a
 * new string. UTF-16LE carries every code unit as it is, a lone surrogate included.
 */
export function detached(text: string): string {
  return Buffer.from(text, "utf16le").toString("utf16le");
}

/** Names (of ignored fields) an entry keeps at most, each cut like any kept text. */
export const MAX_NAMES = 50;

/**
 * The names an entry keeps: the first MAX_NAMES, each cut to 200 characters, then a last
 * `… and N more` when there were more. A 1 MiB body can carry a megabyte-long name, or a hundred
 * thousand short ones, and each entry kept them all.
 */
export function keptNames(names: Iterable<string>): string[] {
  const out: string[] = [];
  let more = 0;
  for (const name of names) {
    if (out.length < MAX_NAMES) out.push(cut(name, 200));
    else more++;
  }
  if (more > 0) out.push(`… and ${more} more`);
  return out;
}

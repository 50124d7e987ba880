/**
 * Lengths as the spec means them: JSON Schema's maxLength counts characters (Unicode code
 * points), as ajv does, not the UTF-16 units of `String.length`. An emoji is one character and
 * two units: counting units refused a valid id of 128 emoji, and cutting by units split a
 * surrogate pair into text that is not valid Unicode.
 */

/** Characters (code points) in `text`, counted no further than `stopAfter` (the count is then `stopAfter + 1`). */
export function characterCount(text: string, stopAfter = Number.POSITIVE_INFINITY): number {
  // A string of n units holds at most n characters: the common case needs no count.
  if (text.length <= stopAfter) return countAll(text);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    if (isPairStart(text, i)) i++;
    if (++n > stopAfter) return n;
  }
  return n;
}

function countAll(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) if (isPairStart(text, i)) n--;
  return n;
}

/** True when `text` has more than `max` characters. */
export function longerThan(text: string, max: number): boolean {
  // Units bound characters from above, and half the units (rounded up) from below.
  if (text.length <= max) return false;
  if (Math.ceil(text.length / 2) > max) return true;
  return characterCount(text, max) > max;
}

/** The first `max` characters of `text`, never cutting a surrogate pair in two. */
export function firstCharacters(text: string, max: number): string {
  if (text.length <= max) return text;
  let units = 0;
  for (let n = 0; n < max && units < text.length; n++) units += isPairStart(text, units) ? 2 : 1;
  return text.slice(0, units);
}

/**
 * The first `max` UTF-16 units of `text`, one fewer where the last would be the first half of a
 * surrogate pair: for cuts bounded in memory (units), which must still be valid Unicode.
 */
export function firstUnits(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, max > 0 && isPairStart(text, max - 1) ? max - 1 : max);
}

function isPairStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return false;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff;
}

/**
 * How deeply a JSON text nests, and how deep a body may: the journal shows a body parsed only up
 * to this depth (a deeper one would overflow JSON.stringify in its reader), and the admin API
 * refuses deeper bodies outright.
 */

/** How deep a body may nest and still be shown parsed; the admin API refuses deeper bodies. */
export const MAX_BODY_DEPTH = 32;

/** How deeply the JSON text nests, counted without parsing (brackets outside strings). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

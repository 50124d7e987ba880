/**
 * The admin API's query parameters, read one way for every admin route (the JSON routes and the
 * journal's live stream alike): a bad value is a 400 naming the parameter and what it takes.
 */

/** Bad admin input: answered 400 with its message. */
export class AdminInputError extends Error {}

export function parseBool(value: string, name: string): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  throw new AdminInputError(`Admin API: ${name} must be true or false; got ${JSON.stringify(value)}.`);
}

export function parseWhole(value: string | null, name: string, fallback: number): number {
  if (value === null) return fallback;
  const shown = JSON.stringify(value.slice(0, 40));
  if (!/^\d+$/.test(value)) throw new AdminInputError(`Admin API: ${name} must be a whole number ≥ 0; got ${shown}.`);
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new AdminInputError(`Admin API: ${name} must be at most ${Number.MAX_SAFE_INTEGER}; got ${shown}.`);
  return n;
}

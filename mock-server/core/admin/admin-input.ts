/**
 * Bad admin input: answered 400 with its message, and nothing changes. What is bad is said by
 * the admin spec (./admin-schemas.ts checks bodies and queries against it).
 */
export class AdminInputError extends Error {}

/** An admin body as JSON, or an AdminInputError saying it is not. */
export function readJson(body: string | undefined): unknown {
  try {
    return JSON.parse(body ?? "");
  } catch (error) {
    throw new AdminInputError(`Admin API: the body is not JSON (${(error as Error).message}).`);
  }
}

/** A percent-encoded part of an admin path (`what`: "product id", "public id"), decoded. */
export function decodePathPart(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AdminInputError(`Admin API: the ${what} in the path is not valid percent-encoding.`);
  }
}

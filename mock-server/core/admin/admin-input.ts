/**
 * Bad admin input: answered 400 with its message, and nothing changes. What is bad is said by
 * the admin spec (./admin-schemas.ts checks bodies and queries against it).
 */
export class AdminInputError extends Error {}

/**
 * The admin spec as the admin API's validator: every request body and every query is checked
 * against spec/admin.openapi.yaml (compiled ahead of time into shared/generated/admin-validators.ts
 * by `npm run generate`) and refused with the first problem, by field, in the kit's one wording
 * (shared/validation/errors.ts). No rule the spec states is written here a second time.
 */
import type { ValidateFunction } from "ajv";
import { ADMIN_QUERIES, adminValidators } from "../../../shared/generated/admin-validators.js";
import { describeFirstError } from "../../../shared/validation/errors.js";
import { AdminInputError } from "./admin-input.js";

/** The admin spec's request body schemas. */
export type AdminBodySchema =
  "ProductsInput" | "ProductPatch" | "SettingsPatch" | "Faults" | "IpLimit" | "SignatureQuestion" | "Merchant";

/** The admin spec's validators, made when the admin API first checks a request (not at start-up). */
const validators = () => adminValidators() as Record<string, ValidateFunction>;
/** Stands for the value itself in a sentence, to be left out (no field name can be this). */
const WHOLE = "\u0000";

/**
 * `value` if it matches the schema, else an AdminInputError: `Admin API: invalid <what>: <field>: <problem>.`
 * A list is named by what it holds (`products[0].live`); an object by its fields (`answer.batchForm`).
 */
export function checkBody<T = unknown>(schema: AdminBodySchema, value: unknown, what: string, listRoot?: string): T {
  const validate = validators()[schema]!;
  if (validate(value)) return value as T;
  // A problem with the whole value is said without naming it twice: "invalid question: needs ...".
  const sentence = describeFirstError(validate.errors, listRoot ? { root: listRoot } : { whole: WHOLE });
  const said = sentence.startsWith(`${WHOLE}: `) ? sentence.slice(WHOLE.length + 2) : sentence;
  throw new AdminInputError(`Admin API: invalid ${what}: ${said}.`);
}

/** An operation of the admin spec, e.g. "GET /__admin/products". */
export type AdminOperation = keyof typeof ADMIN_QUERIES;

/**
 * The query of an admin call, read as its operation's parameters say (an integer from digits, a
 * boolean from `true`/`false`) and checked against their schemas; parameters the spec does not
 * name are ignored. A value that does not read as its type stays text, so the schema names the
 * problem (`offset: must be integer`). Values of an absent parameter fall back to `fallback`
 * (the journal stream's Last-Event-ID stands in for `since`).
 */
export function readQuery(
  operation: AdminOperation,
  query: URLSearchParams,
  fallback: Record<string, string | undefined> = {},
): Record<string, unknown> {
  const { validator, types } = ADMIN_QUERIES[operation] as {
    validator: string;
    types: Record<string, string>;
  };
  const values: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(types)) {
    const text = query.get(name) ?? fallback[name];
    if (text !== undefined && text !== null) values[name] = typed(text, type);
  }
  const validate = validators()[validator]!;
  if (validate(values)) return values;
  throw new AdminInputError(`Admin API: invalid query: ${describeFirstError(validate.errors, { whole: "query" })}.`);
}

function typed(text: string, type: string): unknown {
  if (type === "integer" && /^-?\d+$/.test(text)) return Number(text);
  if (type === "boolean" && (text === "true" || text === "false")) return text === "true";
  return text;
}

/**
 * The merchants file (`og-mock --merchants merchants.json`) and the body of
 * `POST /__admin/merchants`: checked against spec/merchants.schema.json, with one clear line per
 * wrong field, then turned into mock options. A file with any error starts nothing.
 */
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { createAjv } from "../../../shared/validation/ajv.js";
import { describeError, fieldPath } from "../../../shared/validation/errors.js";
import { merchantsSchema } from "../../../shared/generated/merchants-schema.js";
import { parseUserJson, readUserFile } from "../../../shared/validation/user-file.js";
import type { ProductSeed } from "../products/catalog.js";
import { type IpLimitSettings, MerchantError, type MerchantOptions } from "./merchants.js";

/** One merchant as written in the file (see spec/merchants.schema.json). */
export interface MerchantEntry {
  publicId: string;
  apiUsers?: { sigField: string; hashKey: string }[];
  apiKeys?: string[];
  products?: ProductSeed[];
  throttle?: { limit?: number; windowMs?: number } | false;
  answer?: { batchStatus?: 200 | 207; batchForm?: "object" | "list" };
  authFailureStatus?: 401 | 403;
}

export interface MerchantsFile {
  merchants: MerchantEntry[];
  ipLimit?: Partial<IpLimitSettings> | false;
}

let validators: { file: ValidateFunction; merchant: ValidateFunction } | undefined;

function compiled(): { file: ValidateFunction; merchant: ValidateFunction } {
  if (!validators) {
    // ajv's compiler is loaded when a merchants file or an added merchant is first checked, not
    // at start-up: it is most of what importing this module would cost a fake without merchants.
    // Every error, so a file is fixed in one go; not strict, as the schema carries descriptions;
    // no formats, as the schema uses none.
    const ajv = createAjv({ strict: false, allErrors: true, formats: false });
    ajv.addSchema(merchantsSchema as object);
    validators = {
      file: ajv.getSchema(merchantsSchema.$id)!,
      merchant: ajv.getSchema(`${merchantsSchema.$id}#/$defs/Merchant`)!,
    };
  }
  return validators;
}

/** Reads and checks a merchants file; every problem is a line of the MerchantError it throws. */
export function readMerchantsFile(path: string): MerchantsFile {
  const fail = (message: string) => new MerchantError(message);
  const value = parseUserJson(readUserFile(path, "merchants file", fail), path, "merchants file", fail);
  try {
    return checkMerchantsFile(value);
  } catch (error) {
    const lines = (error as Error).message.split("\n").map((l) => `  ${l}`);
    throw new MerchantError(
      `Failed to read the merchants file ${path}: it does not match spec/merchants.schema.json:\n${lines.join("\n")}\n`,
    );
  }
}

/** Checks a parsed merchants file; throws a MerchantError listing every problem, one per line. */
export function checkMerchantsFile(value: unknown): MerchantsFile {
  const validate = compiled().file;
  if (!validate(value)) throw new MerchantError(describeErrors(validate.errors ?? [], ""));
  const file = value as MerchantsFile;
  // What one merchant's schema cannot see: ids and keys must be unique across merchants.
  const problems: string[] = [];
  const ids = new Map<string, number>();
  const keys = new Map<string, string>();
  file.merchants.forEach((m, i) => {
    const first = ids.get(m.publicId);
    if (first !== undefined) problems.push(`merchants[${i}].publicId: is the public id of merchants[${first}] too`);
    else ids.set(m.publicId, i);
    (m.apiKeys ?? []).forEach((key, k) => {
      const owner = keys.get(key);
      if (owner !== undefined && !owner.startsWith(`merchants[${i}]`)) {
        problems.push(`merchants[${i}].apiKeys[${k}]: is also ${owner}; every API key belongs to one merchant`);
      } else keys.set(key, `merchants[${i}].apiKeys[${k}]`);
    });
  });
  if (problems.length) throw new MerchantError(problems.join("\n"));
  return file;
}

/** Checks one merchant (the body of `POST /__admin/merchants`). */
export function checkMerchantEntry(value: unknown): MerchantEntry {
  const validate = compiled().merchant;
  if (!validate(value)) throw new MerchantError(describeErrors(validate.errors ?? [], "merchant"));
  return value as MerchantEntry;
}

/** Mock options of one merchant: only the credentials it lists (no default API user or key). */
export function merchantOptions(entry: MerchantEntry): MerchantOptions {
  return {
    credentials: { publicId: entry.publicId, apiUsers: entry.apiUsers ?? [], apiKeys: entry.apiKeys ?? [] },
    ...(entry.products ? { products: entry.products } : {}),
    ...(entry.throttle !== undefined ? { throttle: entry.throttle } : {}),
    ...(entry.answer ? { answer: entry.answer } : {}),
    ...(entry.authFailureStatus ? { auth: { failureStatus: entry.authFailureStatus } } : {}),
  };
}

/** Every problem ajv found, one line each, named by where it is: `merchants[1].apiKeys: ...`. */
function describeErrors(errors: ErrorObject[], root: string): string {
  const lines = new Set<string>();
  // Errors inside an anyOf/oneOf branch are explained by the summary line of that anyOf/oneOf,
  // except those of an object branch, which say precisely which field is wrong.
  // A wrong type where "false or an object" is expected is said once, by the oneOf line.
  const oneOfAt = new Set(errors.filter((e) => e.keyword === "oneOf").map((e) => e.instancePath));
  const specific = errors.filter(
    (e) =>
      !/\/(anyOf|oneOf)\/0\//.test(e.schemaPath) &&
      !/\/anyOf\/\d+\//.test(e.schemaPath) &&
      !(e.keyword === "type" && oneOfAt.has(e.instancePath)),
  );
  for (const e of specific) {
    const at = fieldPath(e.instancePath, root);
    // The schema's anyOf and oneOf are explained by what they ask for; the rest by ajv's error.
    if (e.keyword === "anyOf") {
      lines.add(
        /products\[\d+\]$/.test(at)
          ? `${at}: needs an external_product_id (or product_id)`
          : `${at || "merchant"}: needs apiUsers or apiKeys (or both), else nobody can authenticate to it`,
      );
    } else if (e.keyword === "oneOf") {
      if (!specific.some((o) => o !== e && o.instancePath.startsWith(e.instancePath) && o.keyword !== "oneOf"))
        lines.add(`${at}: must be false or an object {"limit": N, "windowMs": N}`);
    } else lines.add(describeError(e, { root, whole: "the file" }));
  }
  return [...lines].join("\n");
}

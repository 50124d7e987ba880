/**
 * The merchant's credentials og-mock --upstream verifies signatures with, read as og-contract
 * reads them: the environment first, then `--env-file FILE` or `./.env`
 * (shared/flags/env-file.ts, the one reader both commands use). A user who filled `.env` for
 * og-contract and runs og-mock --upstream in the same folder gets signatures verified, and the
 * banner says so, naming each setting's source and never its value.
 *
 * Only the credential settings are taken from the file: its other lines (OG_CONTRACT_TARGET,
 * OG_MOCK_*) configure nothing here, so --upstream stays what the command line says.
 */
import { readEnvFile } from "../../shared/flags/env-file.js";
import type { MockCredentials } from "../core/auth/authenticate.js";

/** og-contract's credential settings (contract-tests/sandbox.env.example), the ones the proxy uses. */
export const MERCHANT_SETTINGS = ["OG_PUBLIC_ID", "OG_SIG_FIELD", "OG_HASH_KEY", "OG_API_KEY"] as const;
const HMAC_SETTINGS = ["OG_PUBLIC_ID", "OG_SIG_FIELD", "OG_HASH_KEY"] as const;

export interface MerchantSettings {
  /** The merchant's credentials, undefined when the settings give none. */
  credentials: MockCredentials | undefined;
  /** Each setting that is set and not empty, and where from: "the environment" or the file's name. */
  sources: Map<string, string>;
  /** The settings file read (".env" or --env-file's argument), undefined when none. */
  file?: string;
}

/**
 * The merchant's credentials as og-contract reads them (OG_PUBLIC_ID, OG_SIG_FIELD, OG_HASH_KEY;
 * OG_API_KEY), for verifying signatures before forwarding; undefined when none are set.
 */
export function merchantCredentialsFrom(env: NodeJS.ProcessEnv): MockCredentials | undefined {
  const set = (name: string) => (env[name] ? env[name] : undefined);
  const publicId = set("OG_PUBLIC_ID");
  const sigField = set("OG_SIG_FIELD");
  const hashKey = set("OG_HASH_KEY");
  const apiKey = set("OG_API_KEY");
  const hmac = publicId !== undefined && sigField !== undefined && hashKey !== undefined;
  if (!hmac && apiKey === undefined) return undefined;
  return {
    publicId: publicId ?? "",
    apiUsers: hmac ? [{ sigField, hashKey }] : [],
    apiKeys: apiKey === undefined ? [] : [apiKey],
    merchantHashKey: "",
  };
}

/**
 * The credential settings from the environment, else from the settings file (`envFile`: the
 * --env-file argument, or undefined for ./.env when present). As for og-contract, a variable the
 * environment sets wins even when empty (`OG_API_KEY=` turns the file's key off). Changes no
 * environment; UsageError when the file cannot be read or is malformed.
 */
export function readMerchantSettings(
  envFile: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): MerchantSettings {
  const { file, values } = readEnvFile(envFile, cwd);
  const merged: NodeJS.ProcessEnv = {};
  const sources = new Map<string, string>();
  for (const key of MERCHANT_SETTINGS) {
    const fromEnv = env[key] !== undefined;
    const value = fromEnv ? env[key] : values[key];
    if (value === undefined) continue;
    merged[key] = value;
    if (value !== "") sources.set(key, fromEnv ? "the environment" : file!);
  }
  return { credentials: merchantCredentialsFrom(merged), sources, ...(file !== undefined ? { file } : {}) };
}

/** "OG_PUBLIC_ID, OG_SIG_FIELD from .env and OG_HASH_KEY from the environment": names grouped by source. */
function namedWithSources(keys: readonly string[], sources: Map<string, string>): string {
  const bySource = new Map<string, string[]>();
  for (const key of keys) {
    const source = sources.get(key)!;
    bySource.set(source, [...(bySource.get(source) ?? []), key]);
  }
  return [...bySource].map(([source, names]) => `${names.join(", ")} from ${source}`).join(" and ");
}

const HOW_TO_VERIFY =
  "to verify them, set OG_PUBLIC_ID, OG_SIG_FIELD and OG_HASH_KEY (or OG_API_KEY) in the environment or ./.env as for og-contract, or give --env-file FILE";

/**
 * The banner's line on signatures: whether og-mock verifies them and with which settings from
 * where, or that it checks the headers' shape only and how to give it the credentials. Names
 * settings and files, never a value. `otherwise` describes credentials from og-mock's own
 * options (--merchants, --hash-key…), used when og-contract's settings give none.
 */
export function describeSignatureCheck(settings: MerchantSettings, otherwise?: string): string {
  const { sources, file } = settings;
  const hmac = HMAC_SETTINGS.every((k) => sources.has(k));
  const apiKey = sources.has("OG_API_KEY");
  const partial = HMAC_SETTINGS.filter((k) => sources.has(k));
  const missing = HMAC_SETTINGS.filter((k) => !sources.has(k));
  const incomplete =
    !hmac && partial.length > 0
      ? `${namedWithSources(partial, sources)} but no ${missing.join(", ")}: API users' signatures are not verified`
      : undefined;
  if (hmac || apiKey) {
    const used = [...(hmac ? HMAC_SETTINGS : []), ...(apiKey ? ["OG_API_KEY"] : [])];
    return `verifying signatures with ${namedWithSources(used, sources)}${incomplete ? ` (${incomplete})` : ""}`;
  }
  if (otherwise) return `verifying signatures with ${otherwise}${incomplete ? ` (${incomplete})` : ""}`;
  const read = file ? ` (${file} read: no merchant credential in it)` : "";
  return `not verified, only the headers' shape and age are checked${incomplete ? ` (${incomplete})` : read}; ${HOW_TO_VERIFY}`;
}

/** The options every og-stock command shares: where to send, as whom, how to print. */
import type { ParseArgsConfig } from "node:util";
import type { ClientOptions } from "../client/client.js";
import type { Credentials, Environment } from "../client/config.js";
import {
  finiteNumber,
  FlagReader,
  type FlagValues,
  parseFlags,
  UsageError,
  wholeNumber,
} from "../../shared/flags/flags.js";

export { UsageError } from "../../shared/flags/flags.js";

export const COMMON_OPTIONS = {
  env: { type: "string" },
  "base-url": { type: "string" },
  "public-id": { type: "string" },
  "sig-field": { type: "string" },
  "hash-key": { type: "string" },
  "api-key": { type: "string" },
  "trust-level": { type: "string" },
  json: { type: "boolean" },
  "dry-run": { type: "boolean" },
  "timeout-ms": { type: "string" },
  rate: { type: "string" },
  concurrency: { type: "string" },
  help: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

export type Values = FlagValues;

export function parse(
  argv: string[],
  extra: ParseArgsConfig["options"] = {},
): { values: Values; positionals: string[] } {
  return parseFlags(argv, { ...COMMON_OPTIONS, ...extra }, { positionals: true });
}

/** A flag, else its environment variable, else undefined. */
export function pick(values: Values, flag: string, env: NodeJS.ProcessEnv, envName: string): string | undefined {
  return new FlagReader(values, env).string(flag, envName);
}

export function whole(value: string | undefined, flag: string, min: number): number | undefined {
  return value === undefined ? undefined : wholeNumber(value, flag, min);
}

export function number(value: string | undefined, flag: string): number | undefined {
  return value === undefined ? undefined : finiteNumber(value, flag);
}

export function environmentFrom(values: Values, env: NodeJS.ProcessEnv): Environment {
  const baseUrl = pick(values, "base-url", env, "OG_BASE_URL");
  const name = pick(values, "env", env, "OG_ENV");
  if (baseUrl && name) throw new UsageError("Give --env or --base-url, not both.");
  // Errors name where the value came from: the flag, or the environment variable.
  const from = (flag: string, envName: string) => (values[flag] !== undefined ? `--${flag}` : envName);
  if (baseUrl) {
    let url: URL | undefined;
    try {
      url = new URL(baseUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      throw new UsageError(
        `${from("base-url", "OG_BASE_URL")} must be an http or https URL such as http://127.0.0.1:8787; got "${baseUrl}".`,
      );
    }
    return { baseUrl };
  }
  if (name === "production" || name === "staging") return name;
  if (name) throw new UsageError(`${from("env", "OG_ENV")} must be production or staging; got "${name}".`);
  throw new UsageError(
    "Where to? Give --env staging, --env production or --base-url http://127.0.0.1:8787 (or OG_ENV / OG_BASE_URL). og-stock never defaults to production.",
  );
}

export function credentialsFrom(values: Values, env: NodeJS.ProcessEnv): Credentials {
  const apiKey = pick(values, "api-key", env, "OG_API_KEY");
  const publicId = pick(values, "public-id", env, "OG_PUBLIC_ID");
  const sigField = pick(values, "sig-field", env, "OG_SIG_FIELD");
  const hashKey = pick(values, "hash-key", env, "OG_HASH_KEY");
  const trustLevel = pick(values, "trust-level", env, "OG_TRUST_LEVEL");
  if (publicId && sigField && hashKey) {
    return { kind: "hmac", publicId, sigField, hashKey, ...(trustLevel ? { trustLevel } : {}) };
  }
  if (apiKey) return { kind: "api-key", apiKey };
  const missing = [
    ["--public-id/OG_PUBLIC_ID", publicId],
    ["--sig-field/OG_SIG_FIELD", sigField],
    ["--hash-key/OG_HASH_KEY", hashKey],
  ]
    .filter(([, v]) => !v)
    .map(([n]) => n);
  throw new UsageError(
    `No credentials: give OG_API_KEY, or all of OG_PUBLIC_ID, OG_SIG_FIELD and OG_HASH_KEY (missing ${missing.join(", ")}).`,
  );
}

export function clientOptionsFrom(values: Values, env: NodeJS.ProcessEnv): ClientOptions {
  const rate = whole(typeof values.rate === "string" ? values.rate : undefined, "--rate", 1);
  const timeoutMs = whole(
    typeof values["timeout-ms"] === "string" ? values["timeout-ms"] : undefined,
    "--timeout-ms",
    1,
  );
  const concurrency = whole(
    typeof values.concurrency === "string" ? values.concurrency : undefined,
    "--concurrency",
    1,
  );
  return {
    environment: environmentFrom(values, env),
    credentials: credentialsFrom(values, env),
    ...(rate ? { rateLimit: { limit: rate, windowMs: 60_000 } } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(concurrency ? { concurrency } : {}),
  };
}

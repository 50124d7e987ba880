/**
 * Where og-contract's settings come from, and what it says about them before it runs.
 *
 * README tells users to fill in `.env`; like other CLIs (dotenv, Node's --env-file), og-contract
 * reads it from the current folder, or the file `--env-file` names, and the real environment wins
 * over the file (shared/flags/env-file.ts, the reader og-mock --upstream shares). It then prints
 * which target and which kinds of credentials it uses, and where each came from, never a value:
 * a run that silently tested the fake while the user meant the sandbox is the failure this
 * exists to prevent.
 */
import { type EnvFile } from "../shared/flags/env-file.js";
import { UsageError } from "../shared/flags/flags.js";
import { nearest } from "../shared/flags/suggest.js";
import { SANDBOX } from "./target.js";

/** "OG_HASH_KEY (from .env)" or "OG_HASH_KEY": the name and its source, for the summary. */
function from(key: string, envFile: EnvFile): string {
  return envFile.loaded.has(key) ? `${key} from ${envFile.file}` : key;
}

/**
 * The target the user asked for, checked: `--target` wins over OG_CONTRACT_TARGET (from the
 * environment or the file). A value that is neither mock, sandbox, staging nor a URL is refused,
 * naming what the user typed, rather than falling back to the fake.
 */
export function chooseTarget(flag: string | undefined, env: NodeJS.ProcessEnv, envFile: EnvFile): string {
  const source = flag !== undefined ? "--target" : from("OG_CONTRACT_TARGET", envFile);
  const value = flag ?? env.OG_CONTRACT_TARGET;
  if (value === undefined || (flag === undefined && value === "")) return "mock";
  if (["mock", "sandbox", "staging"].includes(value) || /^https?:\/\/[^/]/.test(value)) return value;
  // A host and port without a scheme (127.0.0.1:8787, og-proxy.internal) is a URL missing its
  // first part: suggest it whole, http:// for a loopback host and https:// for any other.
  const hostLike = /^[\w.-]+(:\d+)?(\/.*)?$/.test(value) && /[.:]/.test(value);
  const scheme = /^(localhost|127\.|\[?::1)/.test(value) ? "http" : "https";
  const near = hostLike ? `${scheme}://${value}` : nearest(value, ["mock", "sandbox", "staging"]);
  throw new UsageError(
    `${source} must be mock, sandbox or a base URL (https://…); got ${JSON.stringify(value)}.` +
      `${near ? ` Did you mean ${near}?` : ""} og-contract does not fall back to the fake when another target was asked for.`,
  );
}

/** The lines og-contract prints before it runs: target, credential kinds and their sources, no value. */
export function describeSettings(target: string, env: NodeJS.ProcessEnv, envFile: EnvFile): string[] {
  const lines: string[] = [];
  if (envFile.file)
    lines.push(
      `og-contract: read ${envFile.file} (${envFile.loaded.size} setting(s) taken; the environment's own values win).`,
    );
  const url = target === "sandbox" || target === "staging" ? ` (${SANDBOX})` : "";
  const hmacKeys = ["OG_PUBLIC_ID", "OG_SIG_FIELD", "OG_HASH_KEY"];
  const kinds: string[] = [];
  if (hmacKeys.every((k) => env[k])) kinds.push(`HMAC (${hmacKeys.map((k) => from(k, envFile)).join(", ")})`);
  if (env.OG_API_KEY) kinds.push(`API key (${from("OG_API_KEY", envFile)})`);
  if (target === "mock") {
    lines.push(`og-contract: target mock, a fake started for the run, with its own credentials.`);
    if (kinds.length > 0)
      lines.push(
        "og-contract: credentials are set but the target is the fake, which does not use them: give --target sandbox (or set OG_CONTRACT_TARGET) to test Ordergroove.",
      );
  } else {
    lines.push(`og-contract: target ${target}${url}; credentials: ${kinds.join(" and ") || "none"}.`);
  }
  return lines;
}

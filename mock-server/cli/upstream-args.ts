/**
 * og-mock's proxy options (--upstream and its companions; docs/proxy.md), read by ./args.ts. A
 * target that is neither Ordergroove's, loopback nor allowed by name is bad usage (exit 64): the
 * fake never forwards to a host nobody chose.
 */
import { type FlagReader, oneOf, UsageError } from "../../shared/flags/flags.js";
import type { MockCredentials } from "../core/auth/authenticate.js";
import { resolveUpstream } from "../core/proxy/targets.js";
import { describeSignatureCheck, readMerchantSettings } from "./merchant-settings.js";
import type { HostOptions } from "../node/host.js";
import { DEFAULT_ANSWER_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS } from "../node/upstream.js";

export const UPSTREAM_OPTIONS: Array<[flag: string, what: string, env: string]> = [
  ["--upstream T", "forward products-API requests to sandbox|staging|production|URL", "OG_MOCK_UPSTREAM"],
  ["--upstream-allow HOST", "a host --upstream may name besides Ordergroove's and loopback", "OG_MOCK_UPSTREAM_ALLOW"],
  ["--upstream-fallback fake", "the fake answers when the upstream is unreachable", "OG_MOCK_UPSTREAM_FALLBACK"],
  ["--env-file FILE", "read og-contract's OG_* credentials from FILE (default ./.env)", "OG_MOCK_ENV_FILE"],
  ["--shadow", "replay each real exchange against the fake too, and compare", "OG_MOCK_SHADOW=1"],
  ["--learn FILE", "keep what the upstream did as a calibration profile (for --profile)", "OG_MOCK_LEARN"],
  ["--report FILE", "write the upstream's violations at exit (JSON; JUnit if FILE ends .xml)", "OG_MOCK_REPORT"],
  ["--fail-on-violation", "exit 2 at the end when an upstream answer broke the spec", "OG_MOCK_FAIL_ON_VIOLATION=1"],
  ["--forward-invalid", "forward what the spec refuses (flagged), not answer it", "OG_MOCK_FORWARD_INVALID=1"],
  [
    "--allow-production-writes",
    "forward writes to production (default: the fake answers them)",
    "OG_MOCK_ALLOW_PRODUCTION_WRITES=1",
  ],
  [
    "--upstream-connect-timeout MS",
    `time to connect to the upstream (default ${DEFAULT_CONNECT_TIMEOUT_MS})`,
    "OG_MOCK_UPSTREAM_CONNECT_TIMEOUT",
  ],
  [
    "--upstream-timeout MS",
    `time for the upstream's whole answer (default ${DEFAULT_ANSWER_TIMEOUT_MS})`,
    "OG_MOCK_UPSTREAM_TIMEOUT",
  ],
];

export const UPSTREAM_FLAGS = {
  upstream: { type: "string" },
  "upstream-allow": { type: "string", multiple: true },
  "upstream-fallback": { type: "string" },
  "allow-production-writes": { type: "boolean" },
  "forward-invalid": { type: "boolean" },
  report: { type: "string" },
  learn: { type: "string" },
  shadow: { type: "boolean" },
  "fail-on-violation": { type: "boolean" },
  "upstream-connect-timeout": { type: "string" },
  "upstream-timeout": { type: "string" },
  "env-file": { type: "string" },
} as const;

const envOf = (flag: string) => `OG_MOCK_${flag.toUpperCase().replaceAll("-", "_")}`;

/** The proxy's settings as og-mock's command line gives them: the host's, and what the CLI does at exit. */
export type CliProxy = NonNullable<HostOptions["proxy"]> & {
  /** --report FILE: the violations written at exit (./violation-report.ts). */
  report?: string;
  /** --fail-on-violation: exit 2 at the end when an upstream answer broke the spec. */
  failOnViolation?: boolean;
  /** --learn FILE: the calibration profile learnt from real traffic (./learn-file.ts). */
  learn?: string;
  /** The banner's line on signatures: verified with which settings from where, or shape only (./merchant-settings.ts). */
  signatures: string;
};

/** og-mock's own credential options, named in the banner when the proxy verifies with them. */
const OWN_CREDENTIALS = ["public-id", "sig-field", "hash-key", "api-key", "merchant-hash-key"];

/** The credentials og-mock's own options give (--public-id, --sig-field, --hash-key, --api-key, --merchant-hash-key), without defaults; undefined when none. */
function credentialsGiven(flags: FlagReader): MockCredentials | undefined {
  const value = (flag: string) => flags.string(flag, envOf(flag));
  const sigField = value("sig-field");
  const hashKey = value("hash-key");
  const apiKeys = flags.list("api-key", envOf("api-key")) ?? [];
  const merchantHashKey = value("merchant-hash-key") ?? "";
  if (!hashKey && apiKeys.length === 0 && !merchantHashKey) return undefined;
  return {
    publicId: value("public-id") ?? "",
    apiUsers: sigField && hashKey ? [{ sigField, hashKey }] : [],
    apiKeys,
    merchantHashKey,
  };
}

/** The proxy's settings, or undefined without --upstream. */
export function upstreamOptions(
  flags: FlagReader,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): CliProxy | undefined {
  const value = flags.string("upstream", envOf("upstream"));
  const allowed = flags.list("upstream-allow", envOf("upstream-allow")) ?? [];
  const fallback = flags.string("upstream-fallback", envOf("upstream-fallback"));
  const connectMs = flags.whole("upstream-connect-timeout", envOf("upstream-connect-timeout"), 1);
  const answerMs = flags.whole("upstream-timeout", envOf("upstream-timeout"), 1);
  const productionWrites = flags.boolean("allow-production-writes", envOf("allow-production-writes"));
  const forwardInvalid = flags.boolean("forward-invalid", envOf("forward-invalid"));
  const report = flags.string("report", envOf("report"));
  const learn = flags.string("learn", envOf("learn"));
  const shadow = flags.boolean("shadow", envOf("shadow"));
  const failOnViolation = flags.boolean("fail-on-violation", envOf("fail-on-violation"));
  const envFile = flags.string("env-file", envOf("env-file"));
  if (value === undefined) {
    const companions = Object.keys(UPSTREAM_FLAGS).filter((f) => flags.given.has(f));
    if (companions.length)
      throw new UsageError(
        `${companions.map((f) => `--${f}`).join(", ")} only work${companions.length > 1 ? "" : "s"} with --upstream: give --upstream sandbox|staging|production|URL, or drop ${companions.length > 1 ? "them" : "it"}.`,
      );
    return undefined;
  }
  const target = resolveUpstream(value, allowed);
  if (target instanceof Error) throw new UsageError(target.message);
  // Given the merchant's own credentials, the fake can verify signatures before forwarding:
  // og-contract's settings (the environment, then --env-file or ./.env, read only here, with
  // --upstream) and a --merchants file's (each merchant's in full; with both, whichever holds the
  // request's key verifies it: ../core/proxy/proxy.ts), else those of og-mock's own options that
  // were given, never the fake's defaults for the rest (no merchant's keys).
  const settings = readMerchantSettings(envFile, env, cwd);
  const verifySignatures = flags.given.has("merchants");
  const own = verifySignatures || settings.credentials ? undefined : credentialsGiven(flags);
  const merchantCredentials = settings.credentials ?? own;
  const otherwise = verifySignatures
    ? `each merchant's credentials from ${flags.name("merchants")} (the merchant a request names)`
    : own
      ? OWN_CREDENTIALS.filter((f) => flags.given.has(f))
          .map((f) => flags.name(f))
          .join(", ")
      : undefined;
  return {
    target,
    ...(productionWrites ? { allowProductionWrites: true } : {}),
    ...(forwardInvalid ? { forwardInvalid: true } : {}),
    ...(report !== undefined ? { report } : {}),
    ...(learn !== undefined ? { learn } : {}),
    ...(shadow ? { shadow: true } : {}),
    ...(failOnViolation ? { failOnViolation: true } : {}),
    signatures:
      verifySignatures && settings.credentials
        ? `${describeSignatureCheck(settings)}, and each merchant's credentials from ${flags.name("merchants")} (whichever holds the key a request was made with)`
        : describeSignatureCheck(settings, otherwise),
    ...(verifySignatures ? { verifySignatures: true } : {}),
    ...(merchantCredentials ? { merchantCredentials } : {}),
    ...(fallback !== undefined
      ? { fallback: oneOf(fallback, flags.name("upstream-fallback"), ["fake"] as const) }
      : {}),
    timeouts: {
      ...(connectMs !== undefined ? { connectMs } : {}),
      ...(answerMs !== undefined ? { answerMs } : {}),
    },
  };
}

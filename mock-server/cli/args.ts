/**
 * og-mock's command line: its options (each a flag and an OG_MOCK_* environment variable; flags
 * win) and the help text. Reads the merchants and profile files it names, to refuse a bad one as
 * bad usage; the catalog file is ./catalog-file.ts's. Importing it starts nothing.
 */
import type { LowMemory } from "./low-memory.js";
import { FlagReader, oneOf, parseFlags, UsageError } from "../../shared/flags/flags.js";
import type { RequestFault } from "../core/faults.js";
import type { MerchantsOptions } from "../core/merchants/merchants.js";
import { merchantOptions, readMerchantsFile } from "../core/merchants/merchants-file.js";
import type { MockOptions } from "../core/options.js";
import { readProfile } from "../core/calibration/profile-file.js";
import { DEFAULT_HOST, DEFAULT_PORT } from "../node/server.js";
import { MAX_RATE_LIMIT } from "../../shared/throttle/sliding-window.js";
import { type CliProxy, UPSTREAM_FLAGS, UPSTREAM_OPTIONS, upstreamOptions } from "./upstream-args.js";

/** pino's levels, and silent (no log at all). */
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const OPTIONS: Array<[flag: string, what: string, env: string]> = [
  ["--port N", `port (default ${DEFAULT_PORT}; 0 picks a free one)`, "OG_MOCK_PORT"],
  ["--host H", `interface (default ${DEFAULT_HOST}; others warn)`, "OG_MOCK_HOST"],
  ["--catalog FILE", 'JSON list of products (or {"products": [...]}) to seed', "OG_MOCK_CATALOG"],
  ["--public-id ID", "merchant public id", "OG_MOCK_PUBLIC_ID"],
  ["--sig-field NAME", "API user (sig_field)", "OG_MOCK_SIG_FIELD"],
  ["--hash-key KEY", "that API user's hash key", "OG_MOCK_HASH_KEY"],
  ["--api-key KEY", "an x-api-key (repeat for several, up to 10)", "OG_MOCK_API_KEY (comma-separated)"],
  ["--merchant-hash-key K", "key of storefront (customer-scope) signatures", "OG_MOCK_MERCHANT_HASH_KEY"],
  ["--strict", "refuse items with fields the spec does not know (400)", "OG_MOCK_STRICT=1"],
  ["", "(default: ignore them as Ordergroove's DRF does, with a warning)", ""],
  ["--profile FILE", "calibration profile from og-contract --record (flags below win)", "OG_MOCK_PROFILE"],
  ["--status 200|207", "HTTP status of a processed batch (default 207)", "OG_MOCK_STATUS"],
  ["--form object|list", '{"results": [...]} (default) or the article\'s list', "OG_MOCK_FORM"],
  ["--throttle N|off", `bulk requests per minute (default 600, at most ${MAX_RATE_LIMIT})`, "OG_MOCK_THROTTLE"],
  ["--ip-limit N|off", "requests per minute from one address (default 6000)", "OG_MOCK_IP_LIMIT"],
  ["--merchants FILE", "several merchants (spec/merchants.schema.json)", "OG_MOCK_MERCHANTS"],
  ["--auth-status 401|403", "status of refused credentials (default 403)", "OG_MOCK_AUTH_STATUS"],
  ["--latency MS", "added to every answer", "OG_MOCK_LATENCY"],
  ["--fail-next S[xN]", "answer the next N requests with status S, e.g. 503x3", "OG_MOCK_FAIL_NEXT"],
  [
    "--item-status P=S",
    "per-item status S (400|404) for ids matching P (* ok)",
    "OG_MOCK_ITEM_STATUS (comma-separated)",
  ],
  ["--admin-token T", "require x-admin-token on /__admin/", "OG_MOCK_ADMIN_TOKEN"],
  ["--allowed-hosts H,..", "host names /__admin/ accepts besides localhost and IPs", "OG_MOCK_ALLOWED_HOSTS"],
  ["--journal-limit N", "journal entries kept (default 1000)", "OG_MOCK_JOURNAL_LIMIT"],
  ["--journal-max-bytes N", "bytes of bodies the journal keeps (default 32 MiB)", "OG_MOCK_JOURNAL_MAX_BYTES"],
  ["--low-memory on|off|auto", "trade ~15% speed for a heap that stays small", "OG_MOCK_LOW_MEMORY"],
  ["", "(auto: on for catalog files from 4 MiB, ~40k products)", ""],
  ["--log-level L", `${LOG_LEVELS.join("|")} (default info)`, "OG_MOCK_LOG_LEVEL"],
  ...UPSTREAM_OPTIONS,
  ["--help", "this text", ""],
];

const flagWidth = Math.max(...OPTIONS.map(([f]) => f.length)) + 2;
const whatWidth = Math.max(...OPTIONS.map(([, w]) => w.length)) + 2;
export const HELP = `og-mock: a fake Ordergroove products API for local development and CI.

Usage: og-mock [options]            (every option also reads its environment variable; flags win)

  ${"option".padEnd(flagWidth)}${"".padEnd(whatWidth)}environment variable
${OPTIONS.map(([flag, what, env]) => `  ${flag.padEnd(flagWidth)}${what.padEnd(whatWidth)}${env}`.trimEnd()).join("\n")}

Exit codes: 0 stopped by Ctrl-C or SIGTERM, 1 failed to start (e.g. port in use),
64 bad usage (an option, an environment variable, the catalog or a settings file),
2 at the end with --fail-on-violation when an upstream answer broke the spec.
`;

const FLAGS = {
  port: { type: "string" },
  host: { type: "string" },
  catalog: { type: "string" },
  "public-id": { type: "string" },
  "sig-field": { type: "string" },
  "hash-key": { type: "string" },
  "api-key": { type: "string", multiple: true },
  "merchant-hash-key": { type: "string" },
  strict: { type: "boolean" },
  merchants: { type: "string" },
  "ip-limit": { type: "string" },
  profile: { type: "string" },
  status: { type: "string" },
  form: { type: "string" },
  throttle: { type: "string" },
  "auth-status": { type: "string" },
  latency: { type: "string" },
  "fail-next": { type: "string" },
  "item-status": { type: "string", multiple: true },
  "admin-token": { type: "string" },
  "allowed-hosts": { type: "string" },
  "journal-limit": { type: "string" },
  "journal-max-bytes": { type: "string" },
  "low-memory": { type: "string" },
  "log-level": { type: "string" },
  ...UPSTREAM_FLAGS,
  help: { type: "boolean" },
} as const;

/** The environment variable of a flag: --public-id reads OG_MOCK_PUBLIC_ID. */
const envOf = (flag: string) => `OG_MOCK_${flag.toUpperCase().replaceAll("-", "_")}`;

export type OgMockOptions = Omit<MerchantsOptions, "logger"> & {
  port?: number;
  host?: string;
  adminToken?: string;
  allowedHosts?: string[];
  /** --upstream and its companions (./upstream-args.ts). */
  proxy?: CliProxy;
};

export interface Cli {
  options: OgMockOptions;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Flags (without --) the user gave, by flag or environment variable. */
  given: Set<string>;
  /** The catalog file to seed from (./catalog-file.ts reads it), if one was named. */
  catalog: string | undefined;
  /** --low-memory (./low-memory.ts applies it). */
  lowMemory: LowMemory;
}

/**
 * og-mock's settings from its arguments and environment; "help" for --help; UsageError on bad
 * input. Reads the merchants and profile files, and with --upstream the settings file in `cwd`
 * (./merchant-settings.ts); changes nothing: the catalog file and --low-memory are applied by
 * the caller (./og-mock.ts): --low-memory first, so that reading the catalog is covered by it.
 */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Cli | "help" {
  const flags = new FlagReader(parseFlags(argv, FLAGS, { env }).values, env);
  if (flags.values.help) return "help";
  const read = (flag: string) => flags.string(flag, envOf(flag));
  const whole = (flag: string, min = 0, max?: number) => flags.whole(flag, envOf(flag), min, max);

  const options: OgMockOptions = {};
  options.port = whole("port", 0, 65535) ?? DEFAULT_PORT;
  options.host = read("host") ?? DEFAULT_HOST;
  const catalog = read("catalog");
  const lowMemory = oneOf(read("low-memory") ?? "auto", flags.name("low-memory"), ["on", "off", "auto"] as const);
  const strict = flags.boolean("strict", envOf("strict"));
  if (strict !== undefined) options.strict = strict;
  Object.assign(options, credentialOptions(flags, read));
  const profileFile = read("profile");
  if (profileFile !== undefined) {
    // Read and checked here: a bad profile is the user's input (exit 64, the field named), and
    // the fake does not start with it.
    options.profile = asUsage(() => readProfile(profileFile));
    options.profileSource = profileFile;
  }
  const status = read("status");
  const form = read("form");
  options.answer = {
    ...(status !== undefined
      ? { batchStatus: Number(oneOf(status, flags.name("status"), ["200", "207"] as const)) as 200 | 207 }
      : {}),
    ...(form !== undefined ? { batchForm: oneOf(form, flags.name("form"), ["object", "list"] as const) } : {}),
  };
  const throttle = read("throttle");
  if (throttle !== undefined)
    options.throttle = throttle === "off" ? false : { limit: whole("throttle", 1, MAX_RATE_LIMIT)! };
  const ipLimit = read("ip-limit");
  if (ipLimit !== undefined)
    options.ipLimit = ipLimit === "off" ? false : { limit: whole("ip-limit", 1, MAX_RATE_LIMIT)! };
  const authStatus = read("auth-status");
  if (authStatus !== undefined)
    options.auth = {
      failureStatus: Number(oneOf(authStatus, flags.name("auth-status"), ["401", "403"] as const)) as 401 | 403,
    };
  options.faults = faultOptions(flags, read, whole);
  // An empty flag would silently mean "no protection" (an unset variable in a script): refuse it.
  // (An empty environment variable counts as unset, as for every option.)
  if (flags.values["admin-token"] === "")
    throw new UsageError(
      `${flags.name("admin-token")} is empty: give a token, or leave the option out for an open admin API.`,
    );
  const adminToken = read("admin-token");
  if (adminToken) options.adminToken = adminToken;
  const allowedHosts = read("allowed-hosts");
  if (allowedHosts !== undefined) {
    const names = allowedHosts.split(",").map((h) => h.trim());
    const bad = names.find((h) => !/^(\*|\.?[a-z0-9_-]+(\.[a-z0-9_-]+)*)$/i.test(h));
    if (bad !== undefined)
      throw new UsageError(
        `${flags.name("allowed-hosts")} takes host names without scheme or port, comma-separated (e.g. og-mock,.test.internal); got ${JSON.stringify(bad)}.`,
      );
    options.allowedHosts = names;
  }
  const journalLimit = whole("journal-limit");
  if (journalLimit !== undefined) options.journalLimit = journalLimit;
  const journalMaxBytes = whole("journal-max-bytes", 1);
  if (journalMaxBytes !== undefined) options.journalMaxBytes = journalMaxBytes;
  const proxy = upstreamOptions(flags, env, cwd);
  if (proxy) options.proxy = proxy;
  const logLevel = oneOf(read("log-level") ?? "info", flags.name("log-level"), LOG_LEVELS);
  return { options, logLevel, given: flags.given, catalog, lowMemory };
}

/** One merchant's credentials from flags, or several merchants from a --merchants file. */
function credentialOptions(
  flags: FlagReader,
  read: (flag: string) => string | undefined,
): Pick<OgMockOptions, "credentials" | "merchants" | "ipLimit"> {
  const publicId = read("public-id");
  const sigField = read("sig-field");
  const hashKey = read("hash-key");
  if ((sigField === undefined) !== (hashKey === undefined)) {
    throw new UsageError(
      "--sig-field and --hash-key go together: give both or neither. (Environment: OG_MOCK_SIG_FIELD with OG_MOCK_HASH_KEY.)",
    );
  }
  const apiKeys = flags.list("api-key", envOf("api-key"));
  const merchantHashKey = read("merchant-hash-key");
  const merchantsFile = read("merchants");
  if (merchantsFile === undefined) {
    return {
      credentials: {
        ...(publicId ? { publicId } : {}),
        ...(merchantHashKey ? { merchantHashKey } : {}),
        ...(sigField && hashKey ? { apiUsers: [{ sigField, hashKey }] } : {}),
        ...(apiKeys ? { apiKeys } : {}),
      },
    };
  }
  const clash = ["public-id", "sig-field", "hash-key", "api-key"].filter((f) => flags.given.has(f));
  if (clash.length) {
    throw new UsageError(
      `--merchants gives every merchant its own credentials; drop ${clash.map((f) => `--${f}`).join(", ")} (or put them in the file).`,
    );
  }
  const file = asUsage(() => readMerchantsFile(merchantsFile));
  return {
    merchants: file.merchants.map(merchantOptions),
    ...(file.ipLimit !== undefined ? { ipLimit: file.ipLimit } : {}),
  };
}

function faultOptions(
  flags: FlagReader,
  read: (flag: string) => string | undefined,
  whole: (flag: string, min?: number) => number | undefined,
): NonNullable<MockOptions["faults"]> {
  const faults: NonNullable<MockOptions["faults"]> = {};
  const latency = whole("latency");
  if (latency !== undefined) faults.latencyMs = latency;
  const failNext = read("fail-next");
  if (failNext !== undefined) {
    const m = /^(\d{3})(?:x(\d+))?$/.exec(failNext);
    if (!m) throw new UsageError(`${flags.name("fail-next")} must look like 503 or 503x3; got "${failNext}".`);
    const fault: RequestFault = { status: Number(m[1]), count: m[2] ? Number(m[2]) : 1 };
    faults.next = [fault];
  }
  const itemStatus = flags.values["item-status"] as string[] | undefined;
  const rules = itemStatus ?? read("item-status")?.split(",");
  if (rules) {
    faults.items = rules.map((rule) => {
      const m = /^(.+)=(400|404)$/.exec(rule.trim());
      if (!m)
        throw new UsageError(
          `${itemStatus ? "--item-status" : "OG_MOCK_ITEM_STATUS"} must look like PATTERN=404 or PATTERN=400; got "${rule}".`,
        );
      return { match: m[1]!, status: Number(m[2]) as 400 | 404 };
    });
  }
  return faults;
}

/** A file the user named that cannot be used is bad usage (exit 64), not a failure to start. */
function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

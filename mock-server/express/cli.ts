#!/usr/bin/env node
/**
 * `og-mock` (and `npm start`): runs the fake Ordergroove on 127.0.0.1 with the embedded catalog
 * and default credentials, and prints the URL, the credentials and a curl that succeeds.
 * Every flag has an environment variable (OG_MOCK_<FLAG>), flags win.
 */
import { readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import type { Logger } from "pino";
import { signedHeaders, unixSeconds } from "../../src/auth/signature.js";
import { openapiDocument } from "../../src/generated/document.js";
import { CatalogError, type ProductSeed } from "../core/catalog.js";
import type { RequestFault } from "../core/faults.js";
import type { MerchantsOptions } from "../core/merchants.js";
import { merchantOptions, readMerchantsFile } from "../core/merchants-file.js";
import { DEFAULT_CREDENTIALS, type MockOptions } from "../core/options.js";
import { describeProfile, readProfile } from "../core/profile.js";
import { DEFAULT_HOST, DEFAULT_PORT, isLoopback, startMockServer } from "./server.js";

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
  ["--throttle N|off", "bulk requests per minute (default 600)", "OG_MOCK_THROTTLE"],
  ["--auth-status 401|403", "status of refused credentials (default 403)", "OG_MOCK_AUTH_STATUS"],
  ["--latency MS", "added to every answer", "OG_MOCK_LATENCY"],
  ["--fail-next S[xN]", "answer the next N requests with status S, e.g. 503x3", "OG_MOCK_FAIL_NEXT"],
  [
    "--item-status P=S",
    "per-item status S (400|404) for ids matching P (* ok)",
    "OG_MOCK_ITEM_STATUS (comma-separated)",
  ],
  ["--admin-token T", "require x-admin-token on /__admin/", "OG_MOCK_ADMIN_TOKEN"],
  ["--journal-limit N", "journal entries kept (default 1000)", "OG_MOCK_JOURNAL_LIMIT"],
  ["--low-memory on|off|auto", "trade ~15% speed for a heap that stays small", "OG_MOCK_LOW_MEMORY"],
  ["", "(auto: on for catalog files from 4 MiB, ~40k products)", ""],
  ["--log-level L", "fatal|error|warn|info|debug|silent (default info)", "OG_MOCK_LOG_LEVEL"],
  ["--help", "this text", ""],
];

/** Exit codes, as in og-stock and og-contract (64 is sysexits' EX_USAGE). */
export const EXIT = { ok: 0, failedToStart: 1, usage: 64 } as const;

const flagWidth = Math.max(...OPTIONS.map(([f]) => f.length)) + 2;
const whatWidth = Math.max(...OPTIONS.map(([, w]) => w.length)) + 2;
const HELP = `og-mock: a fake Ordergroove products API for local development and CI.

Usage: og-mock [options]            (every option also reads its environment variable; flags win)

  ${"option".padEnd(flagWidth)}${"".padEnd(whatWidth)}environment variable
${OPTIONS.map(([flag, what, env]) => `  ${flag.padEnd(flagWidth)}${what.padEnd(whatWidth)}${env}`.trimEnd()).join("\n")}

Exit codes: 0 stopped by Ctrl-C or SIGTERM, 1 failed to start (e.g. port in use),
64 bad usage (an option, an environment variable or the catalog file).
`;

class UsageError extends Error {}

/** About 40,000 products: from here the fake trades some speed for memory unless told otherwise. */
const LOW_MEMORY_FROM_BYTES = 4 * 1024 * 1024;

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // readCatalog reports the problem
  }
}

function env(name: string): string | undefined {
  const value = process.env[`OG_MOCK_${name}`];
  return value === "" ? undefined : value;
}

function wholeNumber(value: string, flag: string, min = 0): number {
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new UsageError(`${flag} must be a whole number ≥ ${min}; got "${value}".`);
  return Number(value);
}

export function parseCli(
  argv: string[],
): { options: Parameters<typeof startMockServer>[0]; logLevel: string; given: Set<string> } | "help" {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
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
      "journal-limit": { type: "string" },
      "low-memory": { type: "string" },
      "log-level": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const given = new Set<string>();
  // Where each value came from, so an error names what the user actually set: --port or OG_MOCK_PORT.
  const source = new Map<string, string>();
  const pick = (flag: keyof typeof values, envName: string): string | undefined => {
    const fromFlag = values[flag] as string | undefined;
    const v = fromFlag ?? env(envName);
    if (v !== undefined) {
      given.add(flag);
      source.set(`--${flag}`, fromFlag !== undefined ? `--${flag}` : `OG_MOCK_${envName}`);
    }
    return v;
  };
  const whole = (value: string, flag: string, min = 0) => wholeNumber(value, source.get(flag) ?? flag, min);
  const name = (flag: string) => source.get(flag) ?? flag;
  const options: Omit<MerchantsOptions, "logger"> & { port?: number; host?: string; adminToken?: string } = {};
  const port = pick("port", "PORT");
  options.port = port === undefined ? DEFAULT_PORT : whole(port, "--port");
  if (options.port > 65535) throw new UsageError(`${name("--port")} must be at most 65535; got ${options.port}.`);
  options.host = pick("host", "HOST") ?? DEFAULT_HOST;
  const catalog = pick("catalog", "CATALOG");
  const lowMemory = pick("low-memory", "LOW_MEMORY") ?? "auto";
  if (!["on", "off", "auto"].includes(lowMemory))
    throw new UsageError(`${name("--low-memory")} must be on, off or auto; got "${lowMemory}".`);
  if (lowMemory === "on" || (lowMemory === "auto" && catalog && fileSize(catalog) >= LOW_MEMORY_FROM_BYTES)) {
    // V8 otherwise lets the heap of a large catalog grow far past what is live (measured with
    // 100k products: 55 MB live, 400 MB resident under load); this keeps it near the live size.
    // Set before the catalog is read, so parsing it is covered too.
    // node:v8 required only here: importing it up front measured ~1 ms of every start.
    (createRequire(import.meta.url)("node:v8") as typeof import("node:v8")).setFlagsFromString("--optimize-for-size");
  }
  if (catalog) options.products = readCatalog(catalog);
  const publicId = pick("public-id", "PUBLIC_ID");
  const sigField = pick("sig-field", "SIG_FIELD");
  const hashKey = pick("hash-key", "HASH_KEY");
  if ((sigField === undefined) !== (hashKey === undefined)) {
    throw new UsageError(
      "--sig-field and --hash-key go together: give both or neither. (Environment: OG_MOCK_SIG_FIELD with OG_MOCK_HASH_KEY.)",
    );
  }
  const apiKeys =
    values["api-key"] ??
    env("API_KEY")
      ?.split(",")
      .map((k) => k.trim())
      .filter(Boolean);
  if (apiKeys) given.add("api-key");
  const merchantHashKey = pick("merchant-hash-key", "MERCHANT_HASH_KEY");
  const strict =
    values.strict ?? (env("STRICT") === undefined ? undefined : ["1", "true", "yes"].includes(env("STRICT")!));
  if (strict !== undefined) {
    given.add("strict");
    options.strict = strict;
  }
  const merchantsFile = pick("merchants", "MERCHANTS");
  if (merchantsFile !== undefined) {
    const clash = ["public-id", "sig-field", "hash-key", "api-key"].filter((f) => given.has(f));
    if (clash.length) {
      throw new UsageError(
        `--merchants gives every merchant its own credentials; drop ${clash.map((f) => `--${f}`).join(", ")} (or put them in the file).`,
      );
    }
    const file = readMerchants(merchantsFile);
    options.merchants = file.merchants.map(merchantOptions);
    if (file.ipLimit !== undefined) options.ipLimit = file.ipLimit;
  } else {
    options.credentials = {
      ...(publicId ? { publicId } : {}),
      ...(merchantHashKey ? { merchantHashKey } : {}),
      ...(sigField && hashKey ? { apiUsers: [{ sigField, hashKey }] } : {}),
      ...(apiKeys ? { apiKeys } : {}),
    };
  }
  const profileFile = pick("profile", "PROFILE");
  if (profileFile !== undefined) {
    // Read and checked here: a bad profile is the user's input (exit 64, the field named), and
    // the fake does not start with it.
    try {
      options.profile = readProfile(profileFile);
      options.profileSource = profileFile;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const status = pick("status", "STATUS");
  const form = pick("form", "FORM");
  if (status !== undefined && status !== "200" && status !== "207")
    throw new UsageError(`${name("--status")} must be 200 or 207; got "${status}".`);
  if (form !== undefined && form !== "object" && form !== "list")
    throw new UsageError(`${name("--form")} must be object or list; got "${form}".`);
  options.answer = {
    ...(status ? { batchStatus: Number(status) as 200 | 207 } : {}),
    ...(form ? { batchForm: form as "object" | "list" } : {}),
  };
  const throttle = pick("throttle", "THROTTLE");
  if (throttle !== undefined)
    options.throttle = throttle === "off" ? false : { limit: whole(throttle, "--throttle", 1) };
  const ipLimit = pick("ip-limit", "IP_LIMIT");
  if (ipLimit !== undefined) options.ipLimit = ipLimit === "off" ? false : { limit: whole(ipLimit, "--ip-limit", 1) };
  const authStatus = pick("auth-status", "AUTH_STATUS");
  if (authStatus !== undefined) {
    if (authStatus !== "401" && authStatus !== "403")
      throw new UsageError(`${name("--auth-status")} must be 401 or 403; got "${authStatus}".`);
    options.auth = { failureStatus: Number(authStatus) as 401 | 403 };
  }
  const faults: NonNullable<MockOptions["faults"]> = {};
  const latency = pick("latency", "LATENCY");
  if (latency !== undefined) faults.latencyMs = whole(latency, "--latency");
  const failNext = pick("fail-next", "FAIL_NEXT");
  if (failNext !== undefined) {
    const m = /^(\d{3})(?:x(\d+))?$/.exec(failNext);
    if (!m) throw new UsageError(`${name("--fail-next")} must look like 503 or 503x3; got "${failNext}".`);
    const fault: RequestFault = { status: Number(m[1]), count: m[2] ? Number(m[2]) : 1 };
    faults.next = [fault];
  }
  const itemStatus = values["item-status"] ?? env("ITEM_STATUS")?.split(",");
  if (itemStatus) {
    faults.items = itemStatus.map((rule) => {
      const m = /^(.+)=(400|404)$/.exec(rule.trim());
      if (!m)
        throw new UsageError(
          `${values["item-status"] ? "--item-status" : "OG_MOCK_ITEM_STATUS"} must look like PATTERN=404 or PATTERN=400; got "${rule}".`,
        );
      return { match: m[1]!, status: Number(m[2]) as 400 | 404 };
    });
  }
  options.faults = faults;
  const adminToken = pick("admin-token", "ADMIN_TOKEN");
  if (adminToken) options.adminToken = adminToken;
  const journalLimit = pick("journal-limit", "JOURNAL_LIMIT");
  if (journalLimit !== undefined) options.journalLimit = whole(journalLimit, "--journal-limit");
  const logLevel = pick("log-level", "LOG_LEVEL") ?? "info";
  if (!["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(logLevel)) {
    throw new UsageError(
      `${name("--log-level")} must be one of fatal, error, warn, info, debug, silent; got "${logLevel}".`,
    );
  }
  return { options, logLevel, given };
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "it is a directory, not a file",
  ENOTDIR: "a part of the path is not a directory",
};

function readCatalog(file: string): ProductSeed[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `Failed to read the catalog file ${file}: ${(code && READ_ERRORS[code]) ?? code ?? (error as Error).message}.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`Failed to read the catalog file ${file}: not JSON (${(error as Error).message}).`);
  }
  const list = Array.isArray(value) ? value : (value as { products?: unknown } | null)?.products;
  if (!Array.isArray(list))
    throw new UsageError(
      `Failed to read the catalog file ${file}: expected a JSON list of products or {"products": [...]}.`,
    );
  warnUnknownFields(file, list);
  return list as ProductSeed[];
}

/**
 * Fields that are not in the spec's Product schema are kept (the real service may carry more),
 * but a typo such as "lve" should not go unnoticed: name them on stderr.
 */
function warnUnknownFields(file: string, list: unknown[]): void {
  const known = new Set([...Object.keys(openapiDocument.components.schemas.Product.properties), "product_id"]);
  const unknown = new Map<string, number>();
  for (const product of list) {
    if (product === null || typeof product !== "object") continue;
    for (const key of Object.keys(product)) if (!known.has(key)) unknown.set(key, (unknown.get(key) ?? 0) + 1);
  }
  if (unknown.size === 0) return;
  const names = [...unknown].map(([k, n]) => `${JSON.stringify(k)} (${n} product${n === 1 ? "" : "s"})`).join(", ");
  console.error(
    `og-mock: warning: the catalog file ${file} has field(s) not in Ordergroove's Product schema: ${names}. They are kept and answered as given; check for typos.`,
  );
}

function readMerchants(file: string): ReturnType<typeof readMerchantsFile> {
  try {
    return readMerchantsFile(file);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error(`og-mock: ${(error as Error).message}\nRun og-mock --help for the options.`);
    process.exit(EXIT.usage);
  }
  if (parsed === "help") {
    process.stdout.write(HELP);
    return;
  }
  const { options, logLevel, given } = parsed;
  const logger = await makeLogger(logLevel);
  // Signal handlers first: whoever reads the banner may stop us at once, and must find us ready.
  let running: Awaited<ReturnType<typeof startMockServer>> | undefined;
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger?.info({ signal }, "shutting down");
    (running ? running.close() : Promise.resolve()).then(() => process.exit(0));
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  try {
    // At `silent` there is no pino at all, and the core's own warnings must stay quiet too.
    running = await startMockServer({ ...options, logger: logger ?? { warn: () => {} } });
    // The catalog keeps its own compact copy: let the parsed file go.
    if (options) delete options.products;
  } catch (error) {
    if (error instanceof CatalogError) {
      // The catalog file parsed but a product in it is not valid: the user's input, not a start failure.
      console.error(`og-mock: ${error.message}\nRun og-mock --help for the options.`);
      process.exit(EXIT.usage);
    }
    const e = error as NodeJS.ErrnoException;
    const reason =
      e.code === "EADDRINUSE" ? `port ${options?.port} is in use (try --port 0 for a free one)` : e.message;
    console.error(`og-mock: failed to start: ${reason}.`);
    process.exit(EXIT.failedToStart);
  }
  // Last line of defence: the hosts answer 500 for any exception in a handler, but should one
  // escape from elsewhere (a timer, a socket event), log it and keep serving instead of exiting.
  process.on("uncaughtException", (error) => logger?.error({ err: error }, "unexpected error; still serving"));
  const { url, mock, host, merchants } = running;
  if (!isLoopback(host)) {
    logger?.warn(
      `listening on ${running.host}, not loopback: anyone who can reach this machine can use the fake${options?.adminToken ? "" : " and its unprotected admin API (set --admin-token)"}.`,
    );
  }
  const calibrated = mock.profile ? `  profile:      ${describeProfile(mock.profile)}\n` : "";
  process.stdout.write(
    (given.has("merchants")
      ? merchantsBanner(url, merchants.summaries(), Boolean(options?.adminToken))
      : banner(url, mock.options.credentials, given, mock.catalog.size, Boolean(options?.adminToken))
    ).replace("\n", `\n${calibrated}`),
  );
}

/** pino, loaded only when something will be logged: at `silent` it is not imported at all (start-up time). */
async function makeLogger(level: string): Promise<Logger | undefined> {
  if (level === "silent") return undefined;
  const { pino } = await import("pino");
  if (process.stdout.isTTY) {
    const { default: pretty } = await import("pino-pretty");
    return pino({ level }, pretty({ colorize: true, sync: true, ignore: "pid,hostname" }));
  }
  return pino({ level });
}

/** Several merchants: ids and counts only; the keys come from the user's file and are never printed. */
function merchantsBanner(
  url: string,
  summaries: ReturnType<RunningMerchants["summaries"]>,
  adminToken: boolean,
): string {
  const lines = [`og-mock listening on ${url}`, `  merchants:    ${summaries.length}`];
  for (const m of summaries) {
    const users = m.apiUsers.length ? `API users ${m.apiUsers.join(", ")}` : "no API user";
    lines.push(`    ${m.publicId}: ${m.products} products, ${users}, ${m.apiKeys} API key(s)`);
  }
  lines.push(
    "",
    `Admin API: ${url}/__admin/merchants lists them; select one on any admin route with ?merchant=<public_id>`,
    "or the x-og-merchant header (default: the first).",
    `Dashboard: ${url}/__admin/ui/${adminToken ? " (sign in with the admin token you gave)" : ""}. Ctrl-C stops.`,
    "",
  );
  return `${lines.join("\n")}\n`;
}

type RunningMerchants = Awaited<ReturnType<typeof startMockServer>>["merchants"];

function banner(
  url: string,
  credentials: { publicId: string; apiUsers: { sigField: string; hashKey: string }[]; apiKeys: string[] },
  given: Set<string>,
  products: number,
  adminToken: boolean,
): string {
  const user = credentials.apiUsers[0];
  // Print a secret only when it is the fake's own default; keys the user gave never appear.
  const hashKey = given.has("hash-key") ? "(the hash key you gave)" : user?.hashKey;
  const apiKey = given.has("api-key") ? undefined : credentials.apiKeys[0];
  const lines = [
    `og-mock listening on ${url}`,
    `  catalog:      ${products} products (GET ${url}/__admin/products)`,
    `  merchant:     public_id ${credentials.publicId}`,
  ];
  if (user) lines.push(`  API user:     sig_field ${user.sigField}, hash key ${hashKey}`);
  if (credentials.apiKeys.length)
    lines.push(`  x-api-key:    ${apiKey ?? `(${credentials.apiKeys.length} key(s) you gave)`}`);
  const body = `'[{"product_id": "og-coffee-beans-1kg", "live": false}]'`;
  if (apiKey) {
    lines.push(
      "",
      "Try it (API key):",
      `  curl -sS -X PATCH ${url}/products-batch/update/ -H 'content-type: application/json' -H 'x-api-key: ${apiKey}' -d ${body}`,
    );
  }
  if (user && !given.has("hash-key") && credentials.publicId === DEFAULT_CREDENTIALS.publicId) {
    const headers = signedHeaders(
      { publicId: credentials.publicId, sigField: user.sigField, hashKey: user.hashKey },
      unixSeconds(Date.now()),
    );
    lines.push(
      "",
      "Try it (HMAC-signed, valid for 2 hours; `og-stock sign` makes a fresh header):",
      `  curl -sS -X PATCH ${url}/products-batch/update/ -H 'content-type: application/json' -H 'og-authorization: True' -H '${`authorization: ${headers.authorization}`}' -d ${body}`,
    );
  }
  lines.push(
    "",
    `Dashboard: ${url}/__admin/ui/${adminToken ? " (sign in with the admin token you gave)" : ""}`,
    `Admin API: ${url}/__admin/health, /__admin/products, /__admin/journal, /__admin/faults, /__admin/reset. Ctrl-C stops.`,
    "",
  );
  return `${lines.join("\n")}\n`;
}

await main();

/**
 * og-stock: tell Ordergroove which products are out of stock (or back), from the command line.
 * Exit codes: 0 all applied · 2 some items rejected (404/400) · 1 a request failed · 3 reconcile --dry-run
 * found drift · 64 usage.
 */
import { readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { OrdergrooveClient } from "../client/client.js";
import { NetworkError, OrdergrooveError } from "../client/errors.js";
import { type BatchReport, buildReport } from "../client/report.js";
import { desiredLive, ThresholdError, type Thresholds } from "../sync/thresholds.js";
import { clientOptionsFrom, credentialsFrom, number, parse, pick, UsageError, type Values, whole } from "./options.js";
import type { Out } from "./output.js";
import { exitCodeOf, progressBar, reportJson, summaryTable } from "./output.js";
import { explain, signReport } from "../../shared/auth/explain.js";
import { describeReconcile, planReconcile, reconcileJson } from "./reconcile.js";
import { readStockFile } from "./stock-file.js";
import { nearest } from "../../shared/flags/suggest.js";
import { fileMessage, parseUserJson, readUserFileAsync } from "../../shared/validation/user-file.js";

const HELP = `og-stock: tell Ordergroove, in real time, which products are out of stock or back.

Usage:
  og-stock set-live --live false ID [ID...]   set products live or not live (also: og-stock out ID..., og-stock in ID...)
  og-stock sync FILE [--low-at N] [--out-at N] [--restock-at N] [--state FILE]
                                             set live from stock levels in a CSV (product_id,stock[,low_stock_at,restock_at])
                                             or JSON file, with hysteresis between the cut-off and the restock level
  og-stock reconcile FILE [--low-at N] [--restock-at M] [--out-at N] [--dry-run]
                                             read Ordergroove's whole catalog, compare each product's live flag
                                             with what its stock implies (same hysteresis as sync), send only
                                             the differences; lists what drifted, what was healed, and ids known
                                             on one side only
  og-stock get ID                            read one product
  og-stock sign [--ts N] [--expect SIG]      make and explain a signed authorization header
                                             (with --expect: exit 2 when SIG is not the right signature)

Thresholds, for sync and reconcile (a file's per-row columns win over them):
  --out-at N (default 0)  --low-at N (optional)  --restock-at M (default: one above --low-at, else --out-at)

Where (required, never defaults to production):
  --env staging|production  or  --base-url URL          OG_ENV / OG_BASE_URL
Credentials (environment variables are safer than flags):
  --public-id, --sig-field, --hash-key [--trust-level]  OG_PUBLIC_ID, OG_SIG_FIELD, OG_HASH_KEY [OG_TRUST_LEVEL]
  --api-key                                             OG_API_KEY
Other:
  --dry-run        show what would be sent, send nothing
  --json           machine-readable output
  --rate N         requests per minute (default 600, Ordergroove's throttle)
  --timeout-ms N   per attempt (default 3000)
  --concurrency N  batches in flight (default 2)

Exit codes: 0 all applied (reconcile: no drift, or all of it healed), 2 some items rejected by Ordergroove
(sign: the --expect signature does not match), 1 a request failed, 3 reconcile --dry-run found drift, 64 bad usage.
`;

export interface Io extends Out {
  env: NodeJS.ProcessEnv;
  fetch?: (input: Request) => Promise<Response>;
  now?: () => number;
  /** The client's wait between retries (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
}

/** What to check when nothing answered: the usual cause is a fake not started, or the wrong URL. */
const UNREACHABLE_HINT =
  "Is the server running? The fake starts with npm start in the kit's folder (or npx og-mock); --base-url, OG_BASE_URL or --env/OG_ENV say where og-stock sends.";

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "set-live":
        return await setLive(rest, io, undefined);
      case "out":
        return await setLive(rest, io, false);
      case "in":
        return await setLive(rest, io, true);
      case "sync":
        return await sync(rest, io);
      case "reconcile":
        return await reconcile(rest, io);
      case "get":
        return await get(rest, io);
      case "sign":
        return sign(rest, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(HELP);
        return command === undefined ? 64 : 0;
      default:
        throw new UsageError(unknownCommand(command));
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ThresholdError) {
      io.stderr(`og-stock: ${error.message}\nRun og-stock --help for usage.\n`);
      return 64;
    }
    if (error instanceof NetworkError) {
      io.stderr(`og-stock: ${error.message} ${UNREACHABLE_HINT}\n`);
      return 1;
    }
    if (error instanceof OrdergrooveError) {
      io.stderr(`og-stock: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

const COMMANDS = ["set-live", "out", "in", "sync", "reconcile", "get", "sign"];

/** 'Unknown command "outt". Did you mean out?', as a mistyped flag gets. */
function unknownCommand(typed: string): string {
  const near = typed.startsWith("-") ? undefined : nearest(typed, COMMANDS);
  const guess = near ? ` Did you mean ${near}?` : "";
  return `Unknown command "${typed}".${guess} Commands: ${COMMANDS.join(", ")}.`;
}

function makeClient(values: Parameters<typeof clientOptionsFrom>[0], io: Io): OrdergrooveClient {
  const options = clientOptionsFrom(values, io.env);
  if (options.environment === "production")
    io.stderr("og-stock: sending to PRODUCTION (https://restapi.ordergroove.com).\n");
  return new OrdergrooveClient({
    ...options,
    ...(io.fetch ? { fetch: io.fetch } : {}),
    ...(io.now ? { now: io.now } : {}),
    ...(io.sleep ? { sleep: io.sleep } : {}),
  });
}

async function setLive(argv: string[], io: Io, fixed: boolean | undefined): Promise<number> {
  const { values, positionals } = parse(argv, { live: { type: "string" } });
  if (values.help) return help(io);
  let live = fixed;
  if (live === undefined) {
    if (values.live !== "true" && values.live !== "false")
      throw new UsageError(`set-live needs --live true or --live false; got ${JSON.stringify(values.live ?? null)}.`);
    live = values.live === "true";
  }
  if (positionals.length === 0) throw new UsageError("Name at least one product id.");
  const items = positionals.map((product_id) => ({ product_id, live: live! }));
  if (values["dry-run"]) return dryRun(items, io, values.json === true);
  const client = makeClient(values, io);
  const report = await client.updateProducts(items, { onProgress: progressBar(io) });
  return finish(report, io, values.json === true);
}

const THRESHOLD_OPTIONS = {
  "out-at": { type: "string" },
  "low-at": { type: "string" },
  "restock-at": { type: "string" },
} as const;

/** The thresholds of sync and reconcile, checked before anything else happens. */
function thresholdsFrom(values: Values): Thresholds {
  const outAt = number(values["out-at"] as string | undefined, "--out-at") ?? 0;
  const lowAt = number(values["low-at"] as string | undefined, "--low-at");
  const restockAt = number(values["restock-at"] as string | undefined, "--restock-at") ?? (lowAt ?? outAt) + 1;
  const defaults: Thresholds = {
    outOfStockAt: outAt,
    restockAt,
    ...(lowAt === undefined ? {} : { lowStockAt: lowAt }),
  };
  desiredLive(0, defaults);
  return defaults;
}

async function sync(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { ...THRESHOLD_OPTIONS, state: { type: "string" } });
  if (values.help) return help(io);
  if (positionals.length !== 1) throw new UsageError("sync takes one file of stock levels (CSV or JSON).");
  const defaults = thresholdsFrom(values);
  const rows = await readStockFile(positionals[0]!);
  const statePath = values.state as string | undefined;
  const known = statePath ? await readState(statePath) : {};
  const items: Array<{ product_id: string; live: boolean }> = [];
  let unchanged = 0;
  for (const row of rows) {
    const live = desiredLive(row.stock, { ...defaults, ...row.thresholds });
    if (live === undefined || known[row.productId] === live) unchanged++;
    else items.push({ product_id: row.productId, live });
  }
  if (values["dry-run"]) return dryRun(items, io, values.json === true, unchanged);
  const report = items.length
    ? await makeClient(values, io).updateProducts(items, { onProgress: progressBar(io) })
    : buildReport([], 0, 0);
  if (statePath) {
    for (const item of report.updated) known[item.productId!] = items[item.index]!.live;
    await writeFile(statePath, `${JSON.stringify(known, null, 2)}\n`);
  }
  return finish(report, io, values.json === true, unchanged);
}

async function reconcile(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, THRESHOLD_OPTIONS);
  if (values.help) return help(io);
  if (positionals.length !== 1) throw new UsageError("reconcile takes one file of stock levels (CSV or JSON).");
  const defaults = thresholdsFrom(values);
  const file = positionals[0]!;
  const rows = await readStockFile(file);
  const client = makeClient(values, io);
  const json = values.json === true;
  const dryRun = values["dry-run"] === true;
  // A progress line on a terminal: a 100k catalog is 1,000 pages.
  const onPage = io.isTTY
    ? (page: number, read: number) => io.stderr(`\rReading Ordergroove's catalog: ${read} products, page ${page}`)
    : undefined;
  const plan = await planReconcile(client, rows, defaults, onPage);
  if (io.isTTY) io.stderr("\n");
  const name = basename(file);
  if (dryRun) {
    io.stdout(json ? reconcileJson(plan, true, undefined) : describeReconcile(plan, name, { dryRun: true }));
    return plan.drift.length ? 3 : 0;
  }
  const report = plan.drift.length
    ? await client.updateProducts(
        plan.drift.map((d) => ({ product_id: d.productId, live: d.desired })),
        { onProgress: progressBar(io) },
      )
    : undefined;
  io.stdout(json ? reconcileJson(plan, false, report) : describeReconcile(plan, name, { dryRun: false, report }));
  return report ? exitCodeOf(report) : 0;
}

async function get(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) return help(io);
  if (positionals.length !== 1) throw new UsageError("get takes one product id.");
  const product = await makeClient(values, io).getProduct(positionals[0]!);
  if (!product) {
    io.stderr(`og-stock: no product ${JSON.stringify(positionals[0])} at Ordergroove.\n`);
    return 2;
  }
  io.stdout(
    values.json
      ? `${JSON.stringify(product, null, 2)}\n`
      : `${product.external_product_id}  live=${product.live}  ${product.name}  ${product.price}\n`,
  );
  return 0;
}

function sign(argv: string[], io: Io): number {
  const { values } = parse(argv, { ts: { type: "string" }, expect: { type: "string" }, explain: { type: "boolean" } });
  if (values.help) return help(io);
  const credentials = credentialsFrom(values, io.env);
  if (credentials.kind !== "hmac")
    throw new UsageError(
      "sign needs HMAC credentials: --public-id, --sig-field and --hash-key (or OG_PUBLIC_ID, OG_SIG_FIELD, OG_HASH_KEY).",
    );
  const nowS = Math.floor((io.now ?? Date.now)() / 1000);
  const ts = whole(pick(values, "ts", io.env, "OG_TS"), "--ts", 0) ?? nowS;
  const input = { ...credentials, ts };
  const { message, sig, authorization } = signReport(input);
  const expected = values.expect as string | undefined;
  if (values.json) {
    io.stdout(
      `${JSON.stringify({ message, sig, headers: { authorization, "og-authorization": "True" }, ...(expected ? { matches: expected === sig } : {}) }, null, 2)}\n`,
    );
  } else {
    if (values.explain || expected) io.stdout(`${explain(input, expected, nowS).join("\n")}\n\n`);
    io.stdout(`authorization: ${authorization}\nog-authorization: True\n`);
  }
  return expected !== undefined && expected !== sig ? 2 : 0;
}

function dryRun(items: Array<{ product_id: string; live: boolean }>, io: Io, json: boolean, unchanged = 0): number {
  if (json) io.stdout(`${JSON.stringify({ dryRun: true, wouldSend: items, unchanged }, null, 2)}\n`);
  else {
    io.stdout(
      `Dry run: would send ${items.length} item(s) in ${Math.ceil(items.length / 100)} request(s)${unchanged ? `; ${unchanged} unchanged` : ""}.\n`,
    );
    for (const i of items.slice(0, 50)) io.stdout(`  ${i.product_id}  live=${i.live}\n`);
    if (items.length > 50) io.stdout(`  … and ${items.length - 50} more\n`);
  }
  return 0;
}

function finish(report: BatchReport, io: Io, json: boolean, unchanged = 0): number {
  io.stdout(json ? reportJson(report, { unchanged }) : summaryTable(report, unchanged));
  if (report.failed.some((item) => item.error instanceof NetworkError)) io.stderr(`og-stock: ${UNREACHABLE_HINT}\n`);
  return exitCodeOf(report);
}

function help(io: Io): number {
  io.stdout(HELP);
  return 0;
}

async function readState(path: string): Promise<Record<string, boolean>> {
  const fail = (message: string) => new UsageError(message);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {}; // the first run makes it
    text = await readUserFileAsync(path, "state file", fail); // says why, in the files' voice
  }
  const value = parseUserJson(text, path, "state file", fail);
  if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, boolean>;
  throw fail(fileMessage("state file", path, "expected a JSON object of product id → live. Remove it to start afresh"));
}

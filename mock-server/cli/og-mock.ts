/**
 * `og-mock` (and `npm start`): runs the fake Ordergroove on 127.0.0.1 with the embedded catalog
 * and default credentials, and prints the URL, the credentials and a curl that succeeds.
 * Every flag has an environment variable (OG_MOCK_<FLAG>), flags win. `bin.ts` runs `main`;
 * importing this module starts nothing.
 */
import { createRequire } from "node:module";
import type { Logger } from "pino";
import { CatalogError } from "../core/products/catalog.js";
import { describeProfile } from "../core/apply-profile.js";
import { loadPeer, MissingPeerError } from "../node/optional-peer.js";
import { isLoopback, startMockServer } from "../node/server.js";
import { type Cli, HELP, parseCli } from "./args.js";
import { banner, merchantsBanner, settingsLine } from "./banner.js";
import { readCatalog } from "./catalog-file.js";
import { useLowMemory } from "./low-memory.js";
import { LearnFile } from "./learn-file.js";
import { LearnSkips } from "./learn-skips.js";
import { ViolationReport } from "./violation-report.js";

/** Exit codes, as in og-stock and og-contract (64 is sysexits' EX_USAGE). */
export const EXIT = { ok: 0, failedToStart: 1, violations: 2, usage: 64 } as const;

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  let parsed: Cli | "help";
  try {
    parsed = parseCli(argv);
    if (parsed !== "help") {
      useLowMemory(parsed.lowMemory, parsed.catalog);
      if (parsed.catalog) parsed.options.products = readCatalog(parsed.catalog);
    }
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
  // The upstream's violations, and the answers --learn could not read: logged as they come,
  // reported at exit (./violation-report.ts, ./learn-skips.ts).
  const learnSkips = options.proxy?.learn ? new LearnSkips(logger) : undefined;
  const report = options.proxy ? new ViolationReport(options.proxy.target.origin, logger, learnSkips) : undefined;
  if (options.proxy && report) options.proxy.onViolations = (found) => report.add(found);
  if (options.proxy && learnSkips) options.proxy.onNotLearnt = (skipped) => learnSkips.add(skipped);
  const held = [
    options.proxy?.merchantCredentials,
    options.credentials,
    ...(options.merchants ?? []).map((m) => m.credentials),
  ];
  const learnt = options.proxy?.learn
    ? new LearnFile(
        options.proxy.learn,
        options.proxy.target.origin,
        held.filter((c) => c !== undefined),
      )
    : undefined;
  if (options.proxy && learnt) options.proxy.learner = learnt.learner;
  // Signal handlers first: whoever reads the banner may stop us at once, and must find us ready.
  let running: Awaited<ReturnType<typeof startMockServer>> | undefined;
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger?.info({ signal }, "shutting down");
    (running ? running.close() : Promise.resolve()).then(() => {
      const proxy = options.proxy;
      if (proxy?.report && report) report.write(proxy.report);
      learnSkips?.close();
      learnt?.close();
      process.exit(proxy?.failOnViolation && report?.count ? EXIT.violations : EXIT.ok);
    });
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
  const { url, mock, host: bindAddress, merchants } = running;
  if (!isLoopback(bindAddress)) {
    logger?.warn(
      `listening on ${bindAddress}, not loopback: anyone who can reach this machine can use the fake${options?.adminToken ? "" : " and its unprotected admin API (set --admin-token)"}.`,
    );
  }
  // Several merchants: each has its own settings (GET /__admin/settings?merchant=…), not the first's.
  const settings = given.has("merchants") ? "" : settingsLine(mock);
  const calibrated =
    (mock.profile ? `  profile:      ${describeProfile(mock.profile)}\n` : "") +
    (options?.proxy
      ? `  upstream:     ${options.proxy.target.origin} (products API forwarded; docs/proxy.md)\n` +
        `  signatures:   ${options.proxy.signatures}\n`
      : "") +
    settings;
  process.stdout.write(
    (given.has("merchants")
      ? merchantsBanner(url, merchants.summaries(), Boolean(options?.adminToken))
      : banner(url, mock.options.credentials, given, mock.catalog.size, Boolean(options?.adminToken))
    ).replace("\n", `\n${calibrated}`),
  );
}

/**
 * pino, loaded only when something will be logged: at `silent` it is not loaded at all (start-up
 * time). With require: pino and pino-pretty are CommonJS packages, and og-mock's bundle is CommonJS.
 * On a terminal the log is pretty when pino-pretty is installed (an optional peer: the kit's
 * users who only import its test helpers do not install it), else JSON lines, with one line
 * saying what to install.
 */
async function makeLogger(level: string): Promise<Logger | undefined> {
  if (level === "silent") return undefined;
  const require = createRequire(import.meta.url);
  const { pino } = require("pino") as typeof import("pino");
  if (process.stdout.isTTY) {
    try {
      const pretty = loadPeer<typeof import("pino-pretty")>(require, {
        name: "pino-pretty",
        neededTo: "print a pretty log",
        install: "npm install -D pino-pretty",
      });
      return pino({ level }, pretty({ colorize: true, sync: true, ignore: "pid,hostname" }));
    } catch (error) {
      if (!(error instanceof MissingPeerError)) throw error;
      process.stderr.write(`og-mock: ${error.message}. Logging JSON lines meanwhile.\n`);
    }
  }
  return pino({ level });
}

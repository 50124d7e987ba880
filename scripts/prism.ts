/**
 * Stoplight Prism 5 mocking our spec, a server no one on the project wrote: the bench's peer
 * (bench/peers.ts) and the proxy's third-party upstream (test/proxy/third-party-upstream.e2e.test.ts)
 * both get it here. It is installed on demand from the npm registry into a cache folder (never a
 * dependency of the kit): the first use installs it, later ones reuse the folder.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

const SPEC = fileURLToPath(new URL("../spec/ordergroove.openapi.yaml", import.meta.url));

/** ~/.cache/ordergroove-stock-kit (or $XDG_CACHE_HOME/…, or $OG_BENCH_CACHE). */
export const CACHE_DIR =
  process.env.OG_BENCH_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "ordergroove-stock-kit");

/** Pinned: the tests check what this version answers (its invalid-JSON body, its examples' keys). */
export const PRISM_VERSION = "5.14.2";
export const PRISM_PACKAGE = `@stoplight/prism-cli@${PRISM_VERSION}`;

/** The first install downloads the CLI and its dependencies: give a slow registry time. */
export const INSTALL_TIMEOUT_MS = 5 * 60_000;

export type Prism = { ok: true; version: string; entry: string } | { ok: false; reason: string };

/**
 * Prism, installed into <cache>/prism-<version> with `npm install --prefix` unless it is there
 * already. Installed into a folder of its own first and renamed into place when npm has finished,
 * so an install that was cut short, or two at once (the bench and a test run), never leave a
 * folder that looks installed and is not.
 */
export async function ensurePrism(): Promise<Prism> {
  const prefix = join(CACHE_DIR, `prism-${PRISM_VERSION}`);
  const installedIn = (folder: string) => join(folder, "node_modules/@stoplight/prism-cli");
  if (!existsSync(join(installedIn(prefix), "dist/index.js"))) {
    console.error(`installing ${PRISM_PACKAGE} into ${prefix} (once)…`);
    const staging = `${prefix}.installing-${process.pid}`;
    try {
      await run(
        "npm",
        [
          "install",
          "--prefix",
          staging,
          "--no-audit",
          "--no-fund",
          "--no-save",
          "--loglevel",
          "error",
          // A registry that drops traffic fails within a minute or two, not npm's five.
          "--fetch-timeout",
          "60000",
          "--fetch-retries",
          "1",
          PRISM_PACKAGE,
        ],
        { timeout: INSTALL_TIMEOUT_MS },
      );
      await rename(staging, prefix).catch((error: NodeJS.ErrnoException) => {
        // Another install finished first: its folder is as good as this one.
        if (!existsSync(join(installedIn(prefix), "dist/index.js"))) throw error;
      });
    } catch (error) {
      const e = error as { stderr?: string; message: string; killed?: boolean };
      const reason = e.killed
        ? `npm did not finish within ${INSTALL_TIMEOUT_MS / 60_000} minutes`
        : (npmReason(e.stderr ?? "") ?? e.message).slice(0, 300);
      return { ok: false, reason: `${PRISM_PACKAGE} could not be installed: ${reason}` };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  const pkg = installedIn(prefix);
  try {
    const { version } = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { version: string };
    return { ok: true, version, entry: join(pkg, "dist/index.js") };
  } catch {
    return { ok: false, reason: `${PRISM_PACKAGE} is not usable in ${prefix}: delete that folder to install it again` };
  }
}

/**
 * What went wrong, from npm's error output: its code and first message line ("ECONNREFUSED:
 * FetchError: request to … failed"), not its last line (where the debug log is).
 */
function npmReason(stderr: string): string | undefined {
  const lines = stderr.split("\n").map((l) => l.replace(/^npm (?:error|ERR!)\s*/, "").trim());
  const code = lines.find((l) => l.startsWith("code "))?.slice(5);
  const message = lines.find((l) => l && !/^(code|syscall|errno) |^at |^A complete log/.test(l));
  return message ? (code ? `${code}: ${message}` : message) : undefined;
}

/**
 * `prism mock` of our spec on 127.0.0.1 with its default static answers (each operation's
 * examples). Port 0: Prism takes a free one and names it when ready ("Prism is listening on
 * http://127.0.0.1:PORT"), the line startServerProcess (mock-server/cli/start-og-mock.ts) waits for.
 */
export const PRISM_MOCK_ARGS = ["mock", "-h", "127.0.0.1", "-p", "0", "--multiprocess=false", SPEC];

/**
 * The environment Prism runs in: NODE_ENV fixed, since Prism reads it (as "production" it forks
 * a cluster, which the bench's memory figure would not see; as "development" its error answers
 * carry a stack trace).
 */
export function prismEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: "test" };
}

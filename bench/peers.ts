/**
 * Peers measured in the same run as the fake, installed on demand from the npm registry into a
 * cache folder (never dependencies of the kit): `npm run bench` installs them once, later runs
 * reuse the folder. When a peer cannot be installed (no registry, no network), its figure is
 * skipped with the reason printed and recorded.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type ChildServer, ROOT, startChild } from "./lib.js";

const run = promisify(execFile);

/** ~/.cache/ordergroove-stock-kit (or $XDG_CACHE_HOME/…, or $OG_BENCH_CACHE). */
export const CACHE_DIR =
  process.env.OG_BENCH_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "ordergroove-stock-kit");

export const PRISM_PACKAGE = "@stoplight/prism-cli@5";

export type Peer = { ok: true; version: string; entry: string } | { ok: false; reason: string };

/**
 * Prism for this run: installed only by a full run, on demand; a smoke run (CI) and BENCH_PEERS=off
 * report its figure as skipped.
 */
export async function prismForThisRun(smoke: boolean): Promise<Peer> {
  if (smoke) return { ok: false, reason: "smoke run (Prism is installed and measured only by a full `npm run bench`)" };
  if (process.env.BENCH_PEERS === "off") return { ok: false, reason: "BENCH_PEERS=off" };
  return ensurePrism();
}

/** Prism 5, installed into <cache>/prism with `npm install --prefix` unless it is there already. */
export async function ensurePrism(): Promise<Peer> {
  const prefix = join(CACHE_DIR, "prism");
  const pkg = join(prefix, "node_modules/@stoplight/prism-cli");
  if (!existsSync(join(pkg, "dist/index.js"))) {
    console.error(`bench: installing ${PRISM_PACKAGE} into ${prefix} (once)…`);
    try {
      await run(
        "npm",
        ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--no-save", "--loglevel", "error", PRISM_PACKAGE],
        { timeout: 5 * 60_000 },
      );
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      const reason = (e.stderr?.trim().split("\n").at(-1) ?? e.message).slice(0, 200);
      return { ok: false, reason: `${PRISM_PACKAGE} could not be installed: ${reason}` };
    }
  }
  try {
    const { version } = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { version: string };
    return { ok: true, version, entry: join(pkg, "dist/index.js") };
  } catch {
    return { ok: false, reason: `${PRISM_PACKAGE} is not usable in ${prefix}` };
  }
}

/** Prism mocking our spec, on a free port, started like the other servers (pinned, own process). */
export async function startPrism(peer: Extract<Peer, { ok: true }>): Promise<ChildServer> {
  const port = await freePort();
  return startChild(peer.entry, [
    "mock",
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    join(ROOT, "spec/ordergroove.openapi.yaml"),
  ]);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

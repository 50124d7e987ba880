/**
 * og-mock --upstream as a user runs it in the folder where they filled `.env` for og-contract
 * (issue 37, point 3): the banner says that signatures are verified and with which settings from
 * where, and prints none of their values; a wrong key never reaches the upstream. Without
 * --upstream the `.env` is not read at all (a broken one included). A --env-file og-mock cannot
 * use is bad usage, exit 64, with nothing started.
 *
 * The folders live under the repository's git-ignored tmp/, so that the child finds tsx (it
 * runs og-mock from source) from its working directory.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningProcess, startOgMock } from "../../mock-server/cli/start-og-mock.js";
import { ROOT } from "../helpers/spawn.js";
import { type RogueUpstream, signedPatchThrough, startRogueUpstream } from "./upstreams.js";

const BIN = join(ROOT, "mock-server/cli/bin.ts");
const MERCHANT = { publicId: "e2e-env-shop", sigField: "e2e-env-user", hashKey: "S3CRET-e2e-env-hash-key" };
const API_KEY = "S3CRET-e2e-env-api-key";
const DOT_ENV = `OG_CONTRACT_TARGET=sandbox\nOG_PUBLIC_ID=${MERCHANT.publicId}\nOG_SIG_FIELD=${MERCHANT.sigField}\nOG_HASH_KEY=${MERCHANT.hashKey}\nOG_API_KEY=${API_KEY}\n`;
/** The environment without any credential a developer's shell may hold. */
const CLEAN_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^OG_/.test(k)));

let base: string;
let rogue: RogueUpstream;
const started: RunningProcess[] = [];
beforeAll(async () => {
  mkdirSync(join(ROOT, "tmp"), { recursive: true });
  base = mkdtempSync(join(ROOT, "tmp", "og-mock-env-"));
  rogue = await startRogueUpstream();
});
afterAll(async () => {
  await Promise.all([rogue.close(), ...started.map((s) => s.stop())]);
  rmSync(base, { recursive: true, force: true });
});

function folder(name: string, files: Record<string, string>): string {
  const dir = join(base, name);
  mkdirSync(dir);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

async function ogMock(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const running = await startOgMock({ bin: BIN, cwd, args: ["--port", "0", ...args], env: { ...CLEAN_ENV, ...env } });
  started.push(running);
  return running;
}

describe("og-mock --upstream in a folder with og-contract's .env", () => {
  it("verifies signatures with it, and its banner names the settings and their source, never a value", async () => {
    const proxy = await ogMock(folder("filled", { ".env": DOT_ENV }), ["--upstream", rogue.url], {
      OG_API_KEY: "S3CRET-shell-api-key",
    });
    const send = async (hashKey: string) => {
      const { source, forwarded } = await signedPatchThrough(proxy.url, MERCHANT, hashKey, rogue);
      return { source, forwarded };
    };
    expect(await send("S3CRET-wrong-key")).toEqual({ source: "proxy", forwarded: false });
    expect(await send(MERCHANT.hashKey)).toEqual({ source: "real", forwarded: true });
    const output = proxy.output();
    expect(output).toContain(
      "  signatures:   verifying signatures with OG_PUBLIC_ID, OG_SIG_FIELD, OG_HASH_KEY from .env and OG_API_KEY from the environment\n",
    );
    for (const secret of [MERCHANT.hashKey, API_KEY, "S3CRET-shell-api-key"]) expect(output).not.toContain(secret);
  });

  it("without credentials, its banner says only the shape is checked and how to give them", async () => {
    const proxy = await ogMock(folder("empty", {}), ["--upstream", rogue.url]);
    expect(proxy.output()).toMatch(
      /\n {2}signatures: {3}not verified, only the headers' shape and age are checked; to verify them, set OG_PUBLIC_ID, OG_SIG_FIELD and OG_HASH_KEY \(or OG_API_KEY\) in the environment or \.\/\.env as for og-contract, or give --env-file FILE\n/,
    );
  });

  it("without --upstream, does not read the .env, even a broken one", async () => {
    const fake = await ogMock(folder("plain", { ".env": `not a settings file\n${DOT_ENV}` }), ["--log-level", "warn"]);
    expect(fake.output()).not.toContain("signatures:");
    const res = await fetch(`${fake.url}/products/`, { headers: { "x-api-key": "og-mock-api-key" } });
    expect(res.status).toBe(200);
  });

  it("refuses a malformed --env-file with exit 64, naming the line and printing no value", async () => {
    const dir = folder("slip", { "sandbox.env": `OG_PUBLIC_ID=shop\nOG_HASH_KEY ${MERCHANT.hashKey}\n` });
    const outcome = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", BIN, "--upstream", rogue.url, "--env-file", "sandbox.env"],
      { cwd: dir, env: CLEAN_ENV },
    ).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(outcome.code).toBe(64);
    expect(outcome.stderr).toBe(
      "og-mock: Failed to read the settings file sandbox.env: line 2 is not NAME=value (a comment starts with #). Fix the file there.\nRun og-mock --help for the options.\n",
    );
  });
});

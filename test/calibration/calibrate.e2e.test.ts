/**
 * Calibration end to end, over real HTTP and the real commands: og-contract records a profile of a
 * fake run with non-default settings, a fresh fake replays it (og-contract --profile) with the same
 * observations, and --compare reports drift with its own exit code, as a table and in JUnit.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CalibrationProfile } from "../../mock-server/core/calibration/behaviours.js";
import { validateProfile } from "../../mock-server/core/calibration/profile-file.js";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { ROOT, run, type Started, startOgMock } from "../helpers/spawn.js";

const CREDS = {
  OG_PUBLIC_ID: "og-mock-merchant",
  OG_SIG_FIELD: "og-mock-api-user",
  OG_HASH_KEY: "og-mock-hash-key",
  OG_API_KEY: "og-mock-api-key",
  OG_CONTRACT_PRODUCT_IDS: "og-coffee-beans-1kg,og-green-tea-100",
};

let dir: string;
let odd: Started;
let profileFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "og-calibrate-"));
  profileFile = join(dir, "og-profile.json");
  // A fake unlike the defaults: 200, the article's list form, 401 refusals, unknown fields refused.
  odd = await startOgMock(["--status", "200", "--form", "list", "--auth-status", "401", "--strict"]);
});
afterAll(() => odd?.stop());

const contract = (args: string[], env: Record<string, string> = {}) =>
  run("contract-tests/run.ts", args, { env: { OG_CONTRACT_TARGET: "", ...env }, timeoutMs: 120_000 });

/** The fenced block after `<!-- output: NAME -->` in docs/contract-tests.md. */
function readmeBlock(name: string): string {
  const readme = readFileSync(join(ROOT, "docs/contract-tests.md"), "utf8");
  const at = readme.indexOf(`<!-- output: ${name} -->`);
  if (at < 0) throw new Error(`docs/contract-tests.md has no <!-- output: ${name} --> block`);
  return /```text\n([\s\S]*?)\n```/.exec(readme.slice(at))![1]!;
}

/** Rewrites the block readmeBlock reads (UPDATE_DOCS=1), when the output changed on purpose. */
function writeReadmeBlock(name: string, text: string): void {
  const file = join(ROOT, "docs/contract-tests.md");
  const readme = readFileSync(file, "utf8");
  const at = readme.indexOf(`<!-- output: ${name} -->`);
  const tail = readme.slice(at).replace(/```text\n[\s\S]*?\n```/, () => `\`\`\`text\n${text}\n\`\`\``);
  writeFileSync(file, readme.slice(0, at) + tail);
}

/** examples/ci/ordergroove-contract.sh, with og-contract run from source. */
function ciScript(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", [join(ROOT, "examples/ci/ordergroove-contract.sh")], {
      cwd: ROOT,
      env: {
        ...process.env,
        NO_COLOR: "1",
        OG_CONTRACT: `${process.execPath} --import tsx ${join(ROOT, "contract-tests/run.ts")}`,
        ...env,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("og-contract --record, --profile and --compare", () => {
  it("--help documents the exit codes that tell a broken contract from drift", async () => {
    const { stdout, code } = await contract(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("1 the contract is broken");
    expect(stdout).toContain("2 drift only");
  }, 60_000);

  it("records what a target did as a valid profile: behaviours only, no secret, no product data", async () => {
    const result = await contract(["--target", odd.url, "--record", profileFile], CREDS);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/og-contract: recorded \d+ behaviours of http:\/\/127\.0\.0\.1:\d+ in /);
    const text = await readFile(profileFile, "utf8");
    const profile = validateProfile(JSON.parse(text), profileFile);
    expect(profile).toMatchObject({
      format: "og-profile/1",
      kit: expect.stringMatching(/^ordergroove-stock-kit@\d+\.\d+\.\d+/),
      target: new URL(odd.url).origin,
      productIds: ["og-coffee-beans-1kg", "og-green-tea-100"],
    });
    expect(profile.observations).toMatchObject({
      "answer.batchStatus": 200,
      "answer.batchForm": "list",
      "auth.failureStatus": 401,
      "auth.missing.status": 401,
      "auth.stale.status": 401,
      "behaviour.unknownFields": "refuse",
      "behaviour.tooManyItems": 400,
      "behaviour.retryAfter": "not-observed",
    });
    for (const secret of [CREDS.OG_HASH_KEY, CREDS.OG_API_KEY, "authorization", "Single-origin coffee", '"sig"']) {
      expect(text).not.toContain(secret);
    }
  }, 150_000);

  it("replays it: a fresh fake given the profile shows every behaviour as recorded (exit 0)", async () => {
    const junit = join(dir, "replay.xml");
    const result = await contract(["--profile", profileFile, "--compare", profileFile, "--junit", junit]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/No drift: \d+ behaviours as recorded \(1 new\)\./);
    // Identical observations: every behaviour the recording saw is the same; the only other row is
    // Retry-After, which a fake og-contract starts can show (a 429 provoked) and the recording could not.
    const rows = result.stdout
      .slice(result.stdout.indexOf("behaviour "))
      .split("\n")
      .slice(1)
      .filter((l) => /^\w+\.\w/.test(l));
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      if (row.startsWith("behaviour.retryAfter")) expect(row).toMatch(/-\s+seconds\s+new$/);
      else expect(row, row).toMatch(/^(\S+)\s+(\S.*?)\s+\2$/);
    }
    const xml = await readFile(junit, "utf8");
    expect(xml).toMatch(/<testsuite name="og-contract drift from [^"]+" tests="\d+" failures="0"/);
  }, 150_000);

  it("reports drift from a default fake as a table and in JUnit, with exit 2 (the contract holds)", async () => {
    const junit = join(dir, "drift.xml");
    const result = await contract(["--compare", profileFile, "--junit", junit]);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stdout).toMatch(/answer\.batchStatus\s+200\s+207\s+changed/);
    expect(result.stdout).toMatch(/answer\.batchForm\s+list\s+object\s+changed/);
    expect(result.stdout).toMatch(/behaviour\.unknownFields\s+refuse\s+ignore\s+changed/);
    expect(result.stdout).toMatch(/Drift: \d+ of \d+ behaviours changed since the profile was recorded( \(.*\))?\./);
    // docs/contract-tests.md shows this very output.
    const printed = result.stdout.slice(result.stdout.indexOf("Compared with")).trimEnd();
    if (process.env.UPDATE_DOCS === "1")
      writeReadmeBlock("calibrate-drift", printed.replaceAll(profileFile, "og-profile.json"));
    expect(printed.replaceAll(profileFile, "og-profile.json")).toBe(readmeBlock("calibrate-drift"));
    const xml = await readFile(junit, "utf8");
    expect(xml).toContain('type="drift"');
    expect(xml).toContain("answer.batchStatus drifted from");
    // The contract suite's own cases are in the same file.
    expect(xml).toContain("C1 a signed batch of existing products");
  }, 150_000);

  it("runs as the CI recipe's shell script: the committed profile holds (exit 0), a fresh one is written", async () => {
    const result = await ciScript({
      ...CREDS,
      OG_CONTRACT_TARGET: odd.url,
      OG_PROFILE: profileFile,
      OG_PROFILE_NEW: join(dir, "og-profile.new.json"),
      OG_CONTRACT_JUNIT: join(dir, "og-contract.xml"),
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(
      `ordergroove-contract: the contract holds and the target does what ${profileFile} says.`,
    );
    const fresh = validateProfile(JSON.parse(await readFile(join(dir, "og-profile.new.json"), "utf8")));
    expect(fresh.observations["answer.batchForm"]).toBe("list");
    expect(await readFile(join(dir, "og-contract.xml"), "utf8")).toContain("og-contract drift from");
  }, 150_000);

  it("records nothing when the run observed nothing (a bad product id), and keeps no stale observations", async () => {
    const fresh = join(dir, "never.json");
    const observations = join(dir, "observations.json");
    await writeFile(
      observations,
      JSON.stringify({ at: "2000-01-01T00:00:00.000Z", observations: { "answer.batchStatus": 200 } }),
    );
    const result = await contract(["--target", odd.url, "--record", fresh, "--observations", observations], {
      ...CREDS,
      OG_CONTRACT_PRODUCT_IDS: "no-such-product-1,no-such-product-2",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("og-contract: the run observed nothing");
    await expect(readFile(fresh, "utf8")).rejects.toThrow(/ENOENT/);
  }, 150_000);

  it("refuses a bad profile before running anything (exit 64, the field named)", async () => {
    const bad = join(dir, "bad.json");
    const profile = JSON.parse(await readFile(profileFile, "utf8")) as CalibrationProfile;
    await writeFile(
      bad,
      JSON.stringify({ ...profile, observations: { ...profile.observations, "answer.batchForm": "xml" } }),
    );
    const compare = await contract(["--compare", bad]);
    expect(compare.code).toBe(64);
    expect(compare.stderr).toContain(
      `Failed to read the calibration profile ${bad}: observations["answer.batchForm"]: must be one of "object", "list". Fix that field`,
    );
    const replay = await contract(["--profile", bad]);
    expect(replay.code).toBe(64);
    const remote = await contract(["--target", odd.url, "--profile", profileFile], CREDS);
    expect(remote.code).toBe(64);
    expect(remote.stderr).toContain("--profile calibrates the fake og-contract starts");
  }, 150_000);
});

/**
 * Every file a command reads, named wrong or written wrong, gets a message in one voice:
 * "<command>: Failed to read the <kind> <path>: <what is wrong>. <What to do>." with line and
 * column for a syntax error (shared/validation/user-file.ts), exit code 64, and nothing started.
 * Each command is run as a user types it. og-contract's `--env-file` is checked in
 * test/contract/settings.test.ts: on Node 20, node itself reads a `--env-file` given after the
 * script's name, before og-contract sees it.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, run } from "../helpers/spawn.js";

/** A JSON file with one slip: the colon after "b" is missing (line 3, column 7). */
const SLIP = '{\n  "a": 1,\n  "b" 2\n}\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "og-file-errors-"));
  await writeFile(join(dir, "slip.json"), SLIP);
  await writeFile(join(dir, "stock.csv"), "product_id,stock\nog-coffee-beans-1kg,2\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const COMMANDS = {
  "og-mock": "mock-server/cli/bin.ts",
  "og-stock": "src/cli/bin.ts",
  "og-contract": "contract-tests/run.ts",
} as const;

/** [command, arguments with FILE for the file, the kind the message names] */
const READERS: Array<[keyof typeof COMMANDS, string[], string]> = [
  ["og-mock", ["--port", "0", "--catalog", "FILE"], "catalog file"],
  ["og-mock", ["--port", "0", "--merchants", "FILE"], "merchants file"],
  ["og-mock", ["--port", "0", "--profile", "FILE"], "calibration profile"],
  ["og-stock", ["sync", "FILE", "--dry-run"], "stock file"],
  ["og-stock", ["sync", "STOCK", "--state", "FILE", "--dry-run"], "state file"],
  ["og-contract", ["--compare", "FILE"], "calibration profile"],
];

async function said(command: keyof typeof COMMANDS, args: string[], file: string) {
  const argv = args.map((a) => (a === "FILE" ? file : a === "STOCK" ? join(dir, "stock.csv") : a));
  const result = await run(COMMANDS[command], argv, { env: { OG_BASE_URL: "http://127.0.0.1:9", OG_API_KEY: "k" } });
  expect(result.code, result.stderr).toBe(64);
  expect(result.stdout).not.toMatch(/listening|would send|Test Files/);
  return result.stderr.trim();
}

describe("a file a command cannot use", () => {
  // A state file that is not there yet is the first run's: og-stock makes it.
  it.each(READERS.filter(([, , kind]) => kind !== "state file"))(
    "%s %j: a missing file names the path and where a relative one starts",
    async (command, args, kind) => {
      const stderr = await said(command, args, "no-such-file.json");
      expect(stderr.split("\n")[0]).toBe(
        `${command}: Failed to read the ${kind} no-such-file.json: no such file. Check the path (a relative one starts at ${ROOT.replace(/\/$/, "")}).`,
      );
    },
  );

  it.each(READERS)("%s %j: a syntax error names its line and column", async (command, args, kind) => {
    const file = join(dir, "slip.json");
    const stderr = await said(command, args, file);
    expect(stderr.split("\n")[0]).toBe(
      `${command}: Failed to read the ${kind} ${file}: not JSON at line 3, column 7 (unexpected number). Fix the file there.`,
    );
  });
});

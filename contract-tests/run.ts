#!/usr/bin/env node
/**
 * og-contract: runs the contract suite from the installed package, for other projects' CI.
 *
 *   npx og-contract                               against a fake started for the run
 *   npx og-contract --target sandbox --junit contract.xml
 *   npx og-contract --target https://og.internal.example --junit contract.xml
 *   npx og-contract --target sandbox --record og-profile.json      calibrate: write a profile
 *   npx og-contract --target sandbox --compare og-profile.json     report drift from it
 *   npx og-contract --profile og-profile.json                      the fake, calibrated
 *
 * Credentials and products come from the environment, or from ./.env or --env-file FILE where the
 * environment does not set them (see contract-tests/sandbox.env.example).
 * Needs vitest installed next to the kit.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type CalibrationProfile } from "../mock-server/core/calibration/behaviours.js";
import { profileSettings } from "../mock-server/core/apply-profile.js";
import { readProfile, validateProfile } from "../mock-server/core/calibration/profile-file.js";
import { parseFlags, UsageError } from "../shared/flags/flags.js";
import { buildProfile, compareProfiles, driftJunit, driftTable, hasDrift, mergeJunit } from "./calibration.js";
import type { ObservationsFile } from "./observations.js";
import { type EnvFile, loadEnvFile } from "../shared/flags/env-file.js";
import { chooseTarget, describeSettings } from "./settings.js";
import { targetProblem, UNREACHABLE_EXIT, unreachableProblem } from "./target.js";

const HELP = `og-contract: prove that a server (the fake, Ordergroove's sandbox, or any base URL) keeps the products API contract.

  --target mock|sandbox|URL   default mock (a fake started for the run)     OG_CONTRACT_TARGET
  --junit FILE                also write JUnit XML for CI systems (observations as "observed" properties)
  --observations FILE         write what the target did where Ordergroove's docs are silent, as JSON
                                                                            OG_CONTRACT_OBSERVATIONS
  --record FILE               calibrate: write what the target did as a profile for og-mock --profile
                              (behaviours only: no secret, no product data beyond the two ids used)
  --compare FILE              report drift from a saved profile: a table, and a JUnit suite with --junit
  --profile FILE              with --target mock: start the fake calibrated with this profile
  --allow-production          permit the production host (it changes real products)
  --env-file FILE             read settings from FILE (default: ./.env when present); the environment wins
Environment: OG_PUBLIC_ID, OG_SIG_FIELD, OG_HASH_KEY and/or OG_API_KEY; OG_CONTRACT_PRODUCT_IDS=id1,id2.
It prints the target and which kinds of credentials it uses (never their values) before it runs.
Exit code: 0 the contract holds (and, with --compare, nothing drifted)
           1 the contract is broken: a documented clause failed
           2 drift only: the contract holds, but a behaviour differs from the --compare profile
          64 bad usage (incl. missing credentials or product ids, or a --compare/--profile file that is
             not a valid profile: the error names the field)
          69 the target could not be reached (no network, wrong host, nothing listening): nothing ran
`;

async function main(): Promise<number> {
  let values: {
    target?: string;
    junit?: string;
    observations?: string;
    record?: string;
    compare?: string;
    profile?: string;
    "allow-production"?: boolean;
    "env-file"?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseFlags(process.argv.slice(2), {
      target: { type: "string" },
      junit: { type: "string" },
      observations: { type: "string" },
      record: { type: "string" },
      compare: { type: "string" },
      profile: { type: "string" },
      "allow-production": { type: "boolean" },
      "env-file": { type: "string" },
      help: { type: "boolean" },
    }) as { values: typeof values });
  } catch (error) {
    console.error(`og-contract: ${(error as Error).message}\n\n${HELP}`);
    return 64;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  let envFile: EnvFile;
  let target: string;
  try {
    envFile = loadEnvFile(values["env-file"], process.env);
    target = chooseTarget(values.target, process.env, envFile);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`og-contract: ${error.message}`);
    return 64;
  }
  process.env.OG_CONTRACT_TARGET = target;
  if (values["allow-production"]) process.env.OG_CONTRACT_ALLOW_PRODUCTION = "yes";
  // Checked before vitest starts: a missing credential is a usage error, said in one line.
  const problem = targetProblem(process.env);
  if (problem) {
    console.error(`og-contract: ${problem}`);
    return 64;
  }
  // Profiles are checked before anything runs: a bad one is a usage error naming the field.
  let saved: CalibrationProfile | undefined;
  let calibration: CalibrationProfile | undefined;
  try {
    if (values.compare) saved = readProfile(values.compare);
    if (values.profile) calibration = readProfile(values.profile);
  } catch (error) {
    console.error(`og-contract: ${(error as Error).message}`);
    return 64;
  }
  if (values.profile) {
    if (target !== "mock") {
      console.error("og-contract: --profile calibrates the fake og-contract starts; it goes with --target mock only.");
      return 64;
    }
    process.env.OG_CONTRACT_PROFILE = resolve(values.profile);
  }
  // --record and --compare read the run's observations: from the file asked for, or a scratch one.
  const observationsFile =
    values.observations ??
    (values.record || values.compare
      ? join(await mkdtemp(join(tmpdir(), "og-contract-")), "observations.json")
      : undefined);
  if (observationsFile) {
    // A file left by an earlier run must never pass for this one's (a run that dies early writes none).
    rmSync(resolve(observationsFile), { force: true });
    process.env.OG_CONTRACT_OBSERVATIONS = resolve(observationsFile);
  }
  const startedAt = new Date().toISOString();
  const here = dirname(fileURLToPath(import.meta.url));
  const suite = ["contract.test.js", "contract.test.ts"].map((f) => join(here, f)).find(existsSync);
  if (!suite) {
    console.error(`og-contract: the suite is missing next to ${here}.`);
    return 1;
  }
  let vitestNode: typeof import("vitest/node");
  try {
    vitestNode = await import("vitest/node");
  } catch {
    console.error("og-contract: needs vitest. Install it next to the kit: npm install -D vitest");
    return 64;
  }
  for (const line of describeSettings(target, process.env, envFile)) console.log(line);
  // A target that gives no answer at all is its own outcome: one line, no stack, not "a clause broke".
  const unreachable = await unreachableProblem(process.env);
  if (unreachable) {
    console.error(`og-contract: ${unreachable}`);
    return UNREACHABLE_EXIT;
  }
  const reporters: Array<string | [string, Record<string, unknown>]> = ["default"];
  if (values.junit) reporters.push(["junit", { outputFile: resolve(values.junit) }]);
  const vitest = await vitestNode.startVitest("test", [], {
    config: false,
    root: here,
    dir: here,
    include: [suite.slice(here.length + 1)],
    exclude: [],
    reporters: reporters as never,
    watch: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  });
  const failed = !vitest || vitest.state.getCountOfFailedTests() > 0 || vitest.state.getUnhandledErrors().length > 0;
  await vitest?.close();
  if (!values.record && !saved) return failed ? 1 : 0;
  let run: ObservationsFile | undefined;
  try {
    run = JSON.parse(readFileSync(resolve(observationsFile!), "utf8")) as ObservationsFile;
  } catch {
    run = undefined;
  }
  if (!run || run.at < startedAt || Object.keys(run.observations).length === 0) {
    console.error(
      "og-contract: the run observed nothing (it stopped before its probes: see above); nothing recorded or compared.",
    );
    return 1;
  }
  if (values.record) {
    const profile = buildProfile(run);
    try {
      validateProfile(profile, values.record); // what is written must load again
    } catch (error) {
      console.error(`og-contract: not recorded: ${(error as Error).message}`);
      return 1;
    }
    writeFileSync(values.record, `${JSON.stringify(profile, null, 2)}\n`);
    console.log(
      `og-contract: recorded ${Object.keys(profile.observations).length} behaviours of ${profile.target} in ${values.record}` +
        `${failed ? " (the contract is broken: see above; the profile says what the target did all the same)" : ""}.`,
    );
  }
  if (saved) {
    // Against the fake calibrated with a profile, what that fake cannot reproduce is not drift.
    const limits = calibration
      ? new Set(profileSettings(calibration).summary.unreplayable.map((u) => u.key))
      : undefined;
    const rows = compareProfiles(saved, run.observations, limits);
    console.log(driftTable(rows, values.compare!));
    if (values.junit) {
      const file = resolve(values.junit);
      const existing = existsSync(file) ? readFileSync(file, "utf8") : undefined;
      writeFileSync(file, mergeJunit(existing, driftJunit(rows, values.compare!)));
    }
    if (!failed && hasDrift(rows)) return 2;
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();

#!/usr/bin/env node
/**
 * og-contract: runs the contract suite from the installed package, for other projects' CI.
 *
 *   npx og-contract                               against a fake started for the run
 *   npx og-contract --target sandbox --junit contract.xml
 *   npx og-contract --target https://og.internal.example --junit contract.xml
 *
 * Credentials and products come from the environment (see contract-tests/sandbox.env.example).
 * Needs vitest installed next to the kit.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { targetProblem } from "./target.js";

const HELP = `og-contract: prove that a server (the fake, Ordergroove's sandbox, or any base URL) keeps the products API contract.

  --target mock|sandbox|URL   default mock (a fake started for the run)     OG_CONTRACT_TARGET
  --junit FILE                also write JUnit XML for CI systems (observations as "observed" properties)
  --observations FILE         write what the target did where Ordergroove's docs are silent, as JSON
                                                                            OG_CONTRACT_OBSERVATIONS
  --allow-production          permit the production host (it changes real products)
Environment: OG_PUBLIC_ID, OG_SIG_FIELD, OG_HASH_KEY and/or OG_API_KEY; OG_CONTRACT_PRODUCT_IDS=id1,id2.
Exit code: 0 the contract holds, 1 a clause broke, 64 bad usage (incl. missing credentials or product ids).
`;

async function main(): Promise<number> {
  let values: {
    target?: string;
    junit?: string;
    observations?: string;
    "allow-production"?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        target: { type: "string" },
        junit: { type: "string" },
        observations: { type: "string" },
        "allow-production": { type: "boolean" },
        help: { type: "boolean" },
      },
    }));
  } catch (error) {
    console.error(`og-contract: ${(error as Error).message}\n\n${HELP}`);
    return 64;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.target) process.env.OG_CONTRACT_TARGET = values.target;
  if (values["allow-production"]) process.env.OG_CONTRACT_ALLOW_PRODUCTION = "yes";
  // Checked before vitest starts: a missing credential is a usage error, said in one line.
  const problem = targetProblem(process.env);
  if (problem) {
    console.error(`og-contract: ${problem}`);
    return 64;
  }
  if (values.observations) process.env.OG_CONTRACT_OBSERVATIONS = resolve(values.observations);
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
  const target = process.env.OG_CONTRACT_TARGET || "mock";
  console.log(`og-contract: checking the contract against ${target}.`);
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
  return failed ? 1 : 0;
}

process.exitCode = await main();

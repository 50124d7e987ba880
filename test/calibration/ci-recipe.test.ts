/**
 * The CI recipe in examples/ci: the GitHub Actions workflow parses as YAML, has the shape GitHub
 * reads (checked against a JSON Schema of the keys it relies on), and does what README says it
 * does; the shell script is valid sh. The script itself runs in calibrate.e2e.test.ts.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../helpers/spawn.js";

const WORKFLOW = join(ROOT, "examples/ci/ordergroove-contract.yml");
const SCRIPT = join(ROOT, "examples/ci/ordergroove-contract.sh");

/** The part of GitHub's workflow syntax this recipe uses; unknown keys are refused to catch typos. */
const step = {
  type: "object",
  additionalProperties: false,
  properties: {
    name: { type: "string" },
    uses: { type: "string", pattern: "^[\\w.-]+/[\\w.-]+@v\\d+$" },
    run: { type: "string", minLength: 1 },
    if: { type: "string" },
    env: { type: "object", additionalProperties: { type: "string" } },
    with: { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } },
  },
  oneOf: [{ required: ["uses"] }, { required: ["run"] }],
};
const WORKFLOW_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["name", "on", "jobs"],
  properties: {
    name: { type: "string" },
    on: {
      type: "object",
      additionalProperties: false,
      required: ["schedule"],
      properties: {
        schedule: {
          type: "array",
          minItems: 1,
          items: {
            type: "object",
            additionalProperties: false,
            required: ["cron"],
            // five fields: minute hour day-of-month month day-of-week
            properties: { cron: { type: "string", pattern: "^(\\S+ ){4}\\S+$" } },
          },
        },
        workflow_dispatch: { type: ["object", "null"] },
      },
    },
    permissions: { type: "object", additionalProperties: { enum: ["read", "write", "none"] } },
    jobs: {
      type: "object",
      minProperties: 1,
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["runs-on", "steps"],
        properties: {
          "runs-on": { type: "string" },
          "timeout-minutes": { type: "integer", minimum: 1 },
          steps: { type: "array", minItems: 1, items: step },
        },
      },
    },
  },
};

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

describe("the CI recipe", () => {
  it("the workflow is YAML of the shape GitHub Actions reads", () => {
    const workflow = parse(readFileSync(WORKFLOW, "utf8"));
    const validate = new Ajv2020({
      allErrors: true,
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
    }).compile(WORKFLOW_SCHEMA);
    expect(validate(workflow), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The check can fail: a typo in a key GitHub would ignore, or a six-field cron.
    const typo = structuredClone(workflow);
    typo.jobs.contract["run-on"] = typo.jobs.contract["runs-on"];
    delete typo.jobs.contract["runs-on"];
    expect(validate(typo)).toBe(false);
    expect(validate({ ...workflow, on: { schedule: [{ cron: "0 17 6 * * *" }] } })).toBe(false);
  });

  it("runs the suite on a schedule with secrets, fails on drift from the committed profile, and uploads the JUnit file even then", () => {
    const workflow = parse(readFileSync(WORKFLOW, "utf8")) as { jobs: Record<string, { steps: Step[] }> };
    const steps = Object.values(workflow.jobs)[0]!.steps;
    const contract = steps.find((s) => s.run?.includes("og-contract"))!;
    expect(contract.run).toContain("--target sandbox");
    expect(contract.run).toContain("--compare og-profile.json");
    const junit = /--junit (\S+)/.exec(contract.run!)![1]!;
    // Credentials come from secrets only, never written in the file.
    for (const name of ["OG_PUBLIC_ID", "OG_SIG_FIELD", "OG_HASH_KEY", "OG_API_KEY"]) {
      expect(contract.env![name]).toBe(`\${{ secrets.${name} }}`);
    }
    expect(contract.if).toBeUndefined(); // a non-zero exit (1 broken, 2 drift) fails the job
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
    expect(upload.if).toBe("always()");
    expect(upload.with!.path).toContain(junit);
    expect(steps.indexOf(upload)).toBeGreaterThan(steps.indexOf(contract));
  });

  it("the shell script is valid sh and makes the same call", async () => {
    await promisify(execFile)("sh", ["-n", SCRIPT]);
    const script = readFileSync(SCRIPT, "utf8");
    expect(script).toContain('--compare "$profile"');
    expect(script).toMatch(/exit \$status\s*$/);
  });
});

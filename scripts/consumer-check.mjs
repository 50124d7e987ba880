#!/usr/bin/env node
// The consumer check: packs the kit, installs the tarball into fresh projects outside the repo
// and runs there the suite the README tells users to write (test/fixtures/consumer/):
//   vitest + msw 2 on Node 20 · jest + msw 2 on Node 20 · vitest + msw 3 on Node 22
// then proves the check has teeth: a broken export and broken types must make it fail.
// It also lints the package with publint and @arethetypeswrong/cli.
//
//   node scripts/consumer-check.mjs [--only vitest-msw2|jest-msw2|vitest-msw3]
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const fixtures = join(root, "test/fixtures/consumer");
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
const work = mkdtempSync(join(tmpdir(), "og-consumer-"));
const results = [];

function sh(cmd, args, cwd, env = {}) {
  console.log(`\n$ (${cwd.replace(work, "$WORK")}) ${cmd} ${args.join(" ")}`);
  execFileSync(cmd, args, { cwd, stdio: "inherit", env: { ...process.env, CI: "true", ...env } });
}

function fails(cmd, args, cwd) {
  try {
    execFileSync(cmd, args, { cwd, stdio: "pipe", env: { ...process.env, CI: "true" } });
    return false;
  } catch {
    return true;
  }
}

function check(name, fn) {
  const started = Date.now();
  try {
    fn();
    results.push(`ok    ${name} (${Math.round((Date.now() - started) / 1000)} s)`);
  } catch (error) {
    results.push(`FAIL  ${name}: ${error.message.split("\n")[0]}`);
  }
}

sh("npm", ["run", "-s", "build"], root);
const packed = JSON.parse(
  execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: root, encoding: "utf8" }),
);
const tarball = join(work, packed[0].filename);
console.log(`packed ${tarball} (${packed[0].entryCount} files, ${Math.round(packed[0].size / 1024)} KiB)`);

if (!only) {
  check("publint", () => sh("npx", ["--no-install", "publint", "--strict", root], root));
  check("attw (ESM only)", () =>
    sh(
      "npx",
      [
        "--no-install",
        "attw",
        tarball,
        "--profile",
        "esm-only",
        "--format",
        "table-flipped",
        "--exclude-entrypoints",
        "./spec/ordergroove.openapi.yaml",
        "./spec/admin.openapi.yaml",
      ],
      root,
    ),
  );
}

function project(name, deps, files) {
  const dir = join(work, name);
  cpSync(fixtures, dir, { recursive: true, filter: (src) => files.some((f) => src === fixtures || src.endsWith(f)) });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name, private: true, type: "module" }, null, 2)}\n`);
  sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball, ...deps], dir);
  return dir;
}

if (!only || only === "vitest-msw2") {
  check("vitest + msw 2 on Node 20", () => {
    const dir = project(
      "vitest-msw2",
      ["msw@^2.12", "vitest@4.1", "typescript@5.9", "@types/node@20"],
      ["inventory.js", "inventory.test.ts", "tsconfig.json"],
    );
    sh("npx", ["tsc", "-p", "."], dir);
    sh("npx", ["vitest", "run"], dir);
    // The contract suite from the installed package, as other projects' CI runs it.
    sh("npx", ["og-contract", "--junit", "contract.xml"], dir);
    if (!readFileSync(join(dir, "contract.xml"), "utf8").includes('failures="0"'))
      throw new Error("og-contract wrote no passing JUnit report");
    // Teeth: the same suite must fail when an export or the types are broken.
    const manifest = join(dir, "node_modules/ordergroove-stock-kit/package.json");
    const original = readFileSync(manifest, "utf8");
    const broken = JSON.parse(original);
    delete broken.exports["./msw"];
    writeFileSync(manifest, JSON.stringify(broken));
    if (!fails("npx", ["vitest", "run"], dir))
      throw new Error("a missing ./msw export did not make the consumer suite fail");
    writeFileSync(manifest, original);
    const types = join(dir, "node_modules/ordergroove-stock-kit/dist/mock-server/msw/index.d.ts");
    renameSync(types, `${types}.off`);
    if (!fails("npx", ["tsc", "-p", "."], dir))
      throw new Error("missing types did not make the consumer typecheck fail");
    renameSync(`${types}.off`, types);
    console.log("broken export and broken types were both caught");
  });
}

if (!only || only === "jest-msw2") {
  check("jest + msw 2 on Node 20", () => {
    const dir = project("jest-msw2", ["msw@^2.12", "jest@30", "@jest/globals@30"], ["inventory.js"]);
    // The same suite as README's, with its test functions from @jest/globals, as README says.
    const suite = readFileSync(join(fixtures, "inventory.test.ts"), "utf8");
    const jestSuite = suite.replace('from "vitest";', 'from "@jest/globals";');
    if (jestSuite === suite) throw new Error("inventory.test.ts no longer imports from vitest as expected");
    writeFileSync(join(dir, "inventory.jest.test.js"), jestSuite);
    writeFileSync(join(dir, "jest.config.json"), JSON.stringify({ testEnvironment: "node", transform: {} }));
    sh("node", ["--experimental-vm-modules", "node_modules/jest/bin/jest.js"], dir);
  });
}

if (!only || only === "vitest-msw3") {
  check("vitest + msw 3 on Node 22", () => {
    const dir = project("vitest-msw3", ["msw@^3", "vitest@4.1", "node@22"], ["inventory.js", "inventory.test.ts"]);
    const node22 = join(dir, "node_modules/node/bin/node");
    sh(node22, ["--version"], dir);
    sh(node22, ["node_modules/vitest/vitest.mjs", "run"], dir);
  });
}

console.log(`\nConsumer check:\n  ${results.join("\n  ")}`);
rmSync(work, { recursive: true, force: true });
if (results.some((r) => r.startsWith("FAIL"))) process.exit(1);

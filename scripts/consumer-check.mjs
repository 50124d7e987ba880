#!/usr/bin/env node
// The consumer check: the kit as another project gets it. It packs the kit once, lints the
// tarball (publint, @arethetypeswrong/cli), installs it into fresh projects outside the repo and
// runs there the examples README and docs/ show (taken from the pages themselves, see
// readme-examples.mjs):
//   vitest + msw 2 on Node 20 (ESM): the docs' suite type-checked and run, their client and
//     sync examples compiled and run against the installed og-mock, og-contract from the package
//   the typed matchers (ordergroove-stock-kit/vitest, /jest-globals): a misspelled one fails tsc
//   jest: both recipes of docs/testing-your-suite.md as printed (ESM JavaScript; ts-jest in a
//     CommonJS project), with msw 2 on Node 20 · vitest + msw 3 on Node 22 (plus require() there)
//   npm 11: after the docs' `npm install-scripts deny`, no install-script warning about the kit's
//     packages; og-contract reads .env; usage errors suggest the fix
//   lean (consumer-lean.mjs): what the kit adds to an msw 2 + vitest project (MB, packages, native
//     binaries, install-script prompts), failing past its bounds; README's first test there, the
//     installed og-mock answering a signed PATCH, the durable outbox, createApp() and og-mock's
//     pretty log first without their optional peers (the error must say what to install), then with
//   CommonJS + TypeScript: require() of every entry point on Node 20, and a TypeScript project
//     importing every entry point under moduleResolution node10 and under nodenext (CommonJS output)
// then proves the checks have teeth: a broken export, missing types and a missing typesVersions
// entry must each make them fail.
//
//   git: an install from git (of HEAD: commit first) builds dist/, without an approval prompt
//
//   node scripts/consumer-check.mjs [--only lint|vitest-msw2|jest-esm|jest-ts|vitest-msw3|cjs-ts|lean|git]
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gitInstall, leanCheck, quietInstall } from "./consumer-lean.mjs";
import { docPages, readmeExamples } from "./readme-examples.mjs";

const root = resolve(import.meta.dirname, "..");
const examples = readmeExamples(docPages(root));
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
const work = mkdtempSync(join(tmpdir(), "og-consumer-"));
const results = [];
const ENTRY_POINTS = [
  "ordergroove-stock-kit",
  "ordergroove-stock-kit/mock",
  "ordergroove-stock-kit/msw",
  "ordergroove-stock-kit/express",
  "ordergroove-stock-kit/server",
];

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

/** Runs a command expected to fail; returns its exit code and stderr. */
function failure(cmd, args, cwd, env = {}) {
  try {
    execFileSync(cmd, args, { cwd, stdio: "pipe", env: { ...process.env, CI: "true", ...env } });
  } catch (error) {
    return { code: error.status, stderr: String(error.stderr) };
  }
  throw new Error(`${cmd} ${args.join(" ")} succeeded; it should have failed`);
}

/** A shell block of the docs, run line by line as printed (comments and all, by sh). */
function shBlock(name, cwd) {
  for (const line of example(name)
    .split("\n")
    .filter((l) => l.trim()))
    sh("sh", ["-c", line], cwd, { NODE_OPTIONS: "" }); // only what the line itself sets
}

/** The docs' vitest test with its test functions (and matchers) from jest instead. */
function forJest(name) {
  const suite = example(name);
  const jestSuite = suite
    .replace('from "vitest";', 'from "@jest/globals";')
    .replace('import "ordergroove-stock-kit/vitest";', 'import "ordergroove-stock-kit/jest-globals";');
  if (!jestSuite.includes('from "@jest/globals";'))
    throw new Error(`the docs' ${name} no longer imports from vitest as expected`);
  return jestSuite;
}

/** The same file with a misspelled matcher, which type-checking must refuse. */
function typo(text) {
  const broken = text.replace("toHaveSetLive(", "toHaveSetLiv(");
  if (broken === text) throw new Error("the example uses no toHaveSetLive matcher any more");
  return broken;
}

async function check(name, fn) {
  if (only && !name.startsWith(only)) return;
  const started = Date.now();
  try {
    const note = await fn();
    results.push(
      `ok    ${name} (${Math.round((Date.now() - started) / 1000)} s)${typeof note === "string" ? `: ${note}` : ""}`,
    );
  } catch (error) {
    results.push(`FAIL  ${name}: ${error.message.split("\n")[0]}`);
  }
}

/** A fresh project in $WORK/name with the tarball and deps installed and the given files written. */
function project(name, { type = "module", deps, files }) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name, private: true, type }, null, 2)}\n`);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball, ...deps], dir);
  return dir;
}

function example(name) {
  const text = examples.get(name);
  if (text === undefined) throw new Error(`neither README nor docs/ shows the example ${name} any more`);
  return text;
}

const tsconfig = (compilerOptions, include) =>
  `${JSON.stringify({ compilerOptions: { target: "ES2022", strict: true, skipLibCheck: false, types: ["node"], ...compilerOptions }, include }, null, 2)}\n`;

// Plain CommonJS: require() each entry point and use it, the way a CommonJS service would.
const requireAll = `const assert = require("node:assert/strict");
const kit = require("ordergroove-stock-kit");
const { startMockServer } = require("ordergroove-stock-kit/server");
// Loads without express installed: only createApp() needs it, when called.
assert.equal(typeof require("ordergroove-stock-kit/express").createApp, "function");
const { createOrdergrooveMock } = require("ordergroove-stock-kit/mock");
const { setupOrdergrooveMock } = require("ordergroove-stock-kit/msw");
assert.equal(typeof setupOrdergrooveMock, "function");
assert.equal(typeof createOrdergrooveMock, "function");
(async () => {
  const og = await startMockServer({ port: 0 });
  const client = new kit.OrdergrooveClient({
    environment: { baseUrl: og.url },
    credentials: { kind: "hmac", publicId: "og-mock-merchant", sigField: "og-mock-api-user", hashKey: "og-mock-hash-key" },
  });
  const report = await client.setLive(["og-coffee-beans-1kg"], false);
  assert.deepEqual(report.updated.map((i) => i.status), [200]);
  await og.close();
  console.log("require() of ${ENTRY_POINTS.length} entry points works on Node " + process.version);
})();
`;

// Every entry point with its types, in one TypeScript file.
const everyEntry = `import { type BatchReport, OrdergrooveClient } from "ordergroove-stock-kit";
import { createApp } from "ordergroove-stock-kit/express";
import { createOrdergrooveMock, type MockOptions } from "ordergroove-stock-kit/mock";
import { setupOrdergrooveMock } from "ordergroove-stock-kit/msw";
import { startMockServer } from "ordergroove-stock-kit/server";

// One options object for every host, logger included (the server also takes a pino logger there).
const options: MockOptions = { throttle: false, logger: { warn: (message) => console.warn(message) } };
const msw: ReturnType<typeof setupOrdergrooveMock> = setupOrdergrooveMock(options);
void msw;
void createOrdergrooveMock(options).catalog;
// createApp() and its Express types: this project installed express and @types/express, its peers.
const app: import("express").Express = createApp(createOrdergrooveMock(options));
void app;

async function main(): Promise<void> {
  const og = await startMockServer({ ...options, port: 0 });
  const client = new OrdergrooveClient({
    environment: { baseUrl: og.url },
    credentials: { kind: "api-key", apiKey: "og-mock-api-key" },
  });
  const report: BatchReport = await client.setLive(["og-coffee-beans-1kg"], false);
  const status: number | null = report.items[0]!.status;
  if (status !== 200) throw new Error(\`expected 200, got \${status}\`);
  await og.close();
  console.log("every entry point type-checked and ran from TypeScript");
}
void main();
`;

// npm pack builds dist/ first (the prepack script).
const packed = JSON.parse(
  execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: root, encoding: "utf8" }),
);
const tarball = join(work, packed[0].filename);
console.log(`packed ${tarball} (${packed[0].entryCount} files, ${Math.round(packed[0].size / 1024)} KiB)`);

await check("lint: publint on the tarball", () =>
  sh("npx", ["--no-install", "publint", "run", tarball, "--strict"], root),
);
await check("lint: attw on the tarball", () =>
  sh(
    "npx",
    [
      "--no-install",
      "attw",
      tarball,
      "--format",
      "table-flipped",
      // attw models TypeScript's node16 rules, where CommonJS cannot require() an ES module. Node
      // 20.19+/22.12+ can, and TypeScript's nodenext (5.8+) knows it: the cjs-ts check below runs that.
      "--ignore-rules",
      "cjs-resolves-to-esm",
      // The specs are YAML files to read, not modules: no types or JavaScript to resolve.
      "--exclude-entrypoints",
      "./spec/ordergroove.openapi.yaml",
      "./spec/admin.openapi.yaml",
    ],
    root,
  ),
);

await check("vitest-msw2: the docs' suite, client and sync on Node 20 (ESM)", () => {
  const dir = project("vitest-msw2", {
    deps: ["msw@^2.12", "vitest@4.1", "typescript@5.9", "@types/node@20"],
    files: {
      "inventory.js": example("inventory.js"),
      "inventory.test.ts": example("inventory.test.ts"),
      "first-test.test.ts": example("first-test.test.ts"),
      "matchers.test.ts": example("matchers.test.ts"),
      "client.ts": example("client.ts"),
      "sync-service.ts": example("sync-service.ts"),
      "tsconfig.json": tsconfig({ module: "NodeNext", moduleResolution: "NodeNext", allowJs: true, noEmit: true }, [
        "*.ts",
        "*.js",
      ]),
      // The docs' client and sync examples, compiled, against the fake from the installed package.
      "tsconfig.run.json": JSON.stringify({
        extends: "./tsconfig.json",
        compilerOptions: { noEmit: false, outDir: "out" },
        include: ["client.ts", "sync-service.ts"],
      }),
      "run-examples.mjs": `import assert from "node:assert/strict";
import { startMockServer } from "ordergroove-stock-kit/server";
const og = await startMockServer({ port: 0 });
process.env.OG_BASE_URL = og.url;
await import("./out/client.js");
assert.equal(og.mock.catalog.get("og-coffee-beans-1kg").live, false);
const sync = await import("./out/sync-service.js");
sync.onStockChanged("og-green-tea-100", 3);
await sync.shutdown();
assert.equal(og.mock.catalog.get("og-green-tea-100").live, false);
await og.close();
console.log("the docs' client and sync examples ran against the packed kit");
`,
    },
  });
  sh("npx", ["tsc", "-p", "."], dir);
  sh("npx", ["tsc", "-p", "tsconfig.run.json"], dir);
  sh("node", ["run-examples.mjs"], dir);
  sh("npx", ["vitest", "run"], dir);
  // README's setup types the matchers: a misspelled one fails tsc.
  const firstTest = join(dir, "first-test.test.ts");
  writeFileSync(firstTest, typo(example("first-test.test.ts")));
  if (!failure("npx", ["tsc", "-p", "."], dir).code) throw new Error("a misspelled matcher type-checked");
  writeFileSync(firstTest, example("first-test.test.ts"));
  console.log("a misspelled matcher fails tsc");
  quietInstall(dir, root, sh);
  // og-contract reads .env, and refuses a target it does not know instead of testing the fake.
  writeFileSync(join(dir, ".env"), "OG_CONTRACT_TARGET=sandbx\n");
  const refused = failure("npx", ["og-contract"], dir);
  if (
    refused.code !== 64 ||
    !refused.stderr.includes("OG_CONTRACT_TARGET from .env must be mock, sandbox or a base URL")
  )
    throw new Error(`og-contract did not refuse the .env's target: ${refused.stderr}`);
  rmSync(join(dir, ".env"));
  // Usage errors suggest the fix.
  const usage = failure("npx", ["og-stock", "get", "x", "--baseurl", "http://127.0.0.1:1"], dir);
  if (!usage.stderr.includes("Did you mean --base-url?")) throw new Error(`og-stock: ${usage.stderr}`);

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
  if (!fails("npx", ["tsc", "-p", "."], dir)) throw new Error("missing types did not make the consumer typecheck fail");
  renameSync(`${types}.off`, types);
  console.log("broken export and broken types were both caught");
});

await check("jest-esm: docs' jest recipe for an ES module project, as printed, beside the vitest suite", () => {
  const dir = project("jest-esm", {
    deps: ["msw@^2.12"],
    files: {
      "inventory.js": example("inventory.js"),
      // The suite has no type annotations: as JavaScript it runs untransformed (transform: {}).
      "inventory.jest.js": forJest("inventory.test.ts"),
      "matchers.jest.js": forJest("matchers.test.ts"),
      "jest.config.js": example("jest.config.js"),
    },
  });
  shBlock("jest-esm.sh", dir);
  // Both recipes in one project: each runner runs its own files only (issue 38).
  writeFileSync(join(dir, "inventory.test.ts"), example("inventory.test.ts"));
  sh("npm", ["install", "-D", "--no-audit", "--no-fund", "--loglevel=error", "vitest@4.1"], dir);
  sh("npx", ["vitest", "run"], dir);
  sh("sh", ["-c", "NODE_OPTIONS=--experimental-vm-modules npx jest"], dir, { NODE_OPTIONS: "" });
});

await check("jest-ts: docs' ts-jest recipe in a CommonJS project, as printed, typed matchers", () => {
  const dir = project("jest-ts", {
    type: "commonjs",
    deps: ["msw@^2.12"],
    files: {
      // A TypeScript project's service is TypeScript: the docs' one, unannotated, as inventory.ts.
      "inventory.ts": `// @ts-nocheck -- the docs' JavaScript service, unannotated\n${example("inventory.js")}`,
      "inventory.jest.ts": forJest("inventory.test.ts"),
      "matchers.jest.ts": forJest("matchers.test.ts"),
      "jest.config.cjs": example("jest.config.cjs"),
      "tsconfig.json": example("jest-tsconfig.json"),
    },
  });
  shBlock("jest-ts.sh", dir);
  // ts-jest type-checks: a misspelled matcher fails the test file.
  writeFileSync(join(dir, "matchers.jest.ts"), typo(forJest("matchers.test.ts")));
  const broken = failure("npx", ["jest", "matchers"], dir, { NODE_OPTIONS: "--experimental-vm-modules" });
  if (!/TS2551|toHaveSetLiv/.test(broken.stderr)) throw new Error(`jest failed otherwise: ${broken.stderr}`);
  console.log("a misspelled matcher fails ts-jest");
});

await check("vitest-msw3: the docs' suite with msw 3 on Node 22, and require() there", () => {
  const dir = project("vitest-msw3", {
    deps: ["msw@^3", "vitest@4.1", "node@22"],
    files: {
      "inventory.js": example("inventory.js"),
      "inventory.test.ts": example("inventory.test.ts"),
      "require-all.cjs": requireAll,
    },
  });
  const node22 = join(dir, "node_modules/node/bin/node");
  sh(node22, ["--version"], dir);
  sh(node22, ["node_modules/vitest/vitest.mjs", "run"], dir);
  sh(node22, ["require-all.cjs"], dir);
});

await check("cjs-ts: require() on Node 20, TypeScript under node10 and nodenext (CommonJS)", () => {
  const dir = project("cjs-ts", {
    type: "commonjs",
    // express and its types: every-entry.ts uses createApp(), whose peers they are.
    deps: ["msw@^2.12", "typescript@5.9", "@types/node@20", "express@5", "@types/express@5"],
    files: {
      "require-all.cjs": requireAll,
      "every-entry.ts": everyEntry,
      // Many projects still resolve like Node 10: no "exports", typesVersions instead.
      // Library types are checked too (skipLibCheck off); pino's need esModuleInterop, as tsc --init sets.
      "tsconfig.node10.json": tsconfig(
        { module: "CommonJS", moduleResolution: "node10", esModuleInterop: true, noEmit: true },
        ["every-entry.ts"],
      ),
      // A CommonJS TypeScript project on current settings: compiled to require() calls, then run.
      "tsconfig.nodenext.json": tsconfig({ module: "NodeNext", moduleResolution: "NodeNext", outDir: "out" }, [
        "every-entry.ts",
      ]),
    },
  });
  sh("node", ["--version"], dir);
  sh("node", ["require-all.cjs"], dir);
  sh("npx", ["tsc", "-p", "tsconfig.node10.json"], dir);
  sh("npx", ["tsc", "-p", "tsconfig.nodenext.json"], dir);
  if (!readFileSync(join(dir, "out/every-entry.js"), "utf8").includes('require("ordergroove-stock-kit/server")'))
    throw new Error("the nodenext build is not CommonJS");
  sh("node", ["out/every-entry.js"], dir);
  // Teeth: without typesVersions, node10 cannot see the subpaths' types.
  const manifest = join(dir, "node_modules/ordergroove-stock-kit/package.json");
  const original = readFileSync(manifest, "utf8");
  const broken = JSON.parse(original);
  delete broken.typesVersions;
  writeFileSync(manifest, JSON.stringify(broken));
  if (!fails("npx", ["tsc", "-p", "tsconfig.node10.json"], dir))
    throw new Error("a missing typesVersions did not make the node10 typecheck fail");
  writeFileSync(manifest, original);
  console.log("a missing typesVersions was caught");
});

await check("lean: what the kit adds to msw 2 + vitest, bounded; first test, og-mock, outbox, peers", () =>
  leanCheck({ work, tarball, firstTest: example("first-test.test.ts") }),
);

await check("git: an install from git builds dist/ and asks no approval", () => gitInstall({ work, root, sh }));

console.log(`\nConsumer check:\n  ${results.join("\n  ")}`);
rmSync(work, { recursive: true, force: true });
if (results.length === 0) {
  console.error(`no check is named ${only}`);
  process.exit(64);
}
if (results.some((r) => r.startsWith("FAIL"))) process.exit(1);

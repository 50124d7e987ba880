// The lean install (issue 36), for scripts/consumer-check.mjs: what the kit adds to a test suite
// beside msw 2 and vitest, measured, not guessed, and bounded; then what such a user meets in that
// project: README's first test, the installed og-mock answering a signed PATCH, the durable
// outbox, and each optional peer (express for createApp(), pino-pretty for og-mock's pretty log on
// a terminal), first missing (the error must name it and its install line), then installed.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What the kit may add to an msw 2 + vitest project (the issue's bounds). */
export const BOUNDS = { megabytes: 10, packages: 30, nativeBinaries: 0, installScriptPrompts: 0 };
/** The base every user already has; its own install-script prompt (msw's postinstall) is not the kit's. */
const BASE_DEPS = ["msw@2", "vitest@4"];
const BASE_PROMPTS = new Set(["msw"]);

/** Installs `deps` into a fresh project; npm's own output kept, for its install-script prompts. */
function freshProject(dir, deps) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "lean", private: true, type: "module" })}\n`);
  console.log(`\n$ (${dir}) npm install -D ${deps.join(" ")}`);
  const npm = spawnSync("npm", ["install", "-D", "--no-audit", "--no-fund", ...deps], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  process.stdout.write(npm.stdout + npm.stderr);
  if (npm.status !== 0) throw new Error(`npm install ${deps.join(" ")} failed`);
  return npm.stderr;
}

/** Bytes, packages, native binaries and the packages npm 11 asks to approve install scripts of. */
export function measure(dir, npmOutput) {
  let bytes = 0;
  const native = [];
  const walk = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const file = join(path, entry.name);
      if (entry.isDirectory()) walk(file);
      else {
        bytes += lstatSync(file).size;
        if (entry.name.endsWith(".node")) native.push(file.slice(dir.length + 1));
      }
    }
  };
  try {
    walk(join(dir, "node_modules"));
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
  let packages = [];
  try {
    const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8"));
    packages = Object.keys(lock.packages).filter((p) => p.startsWith("node_modules/"));
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
  // npm 11: "npm warn install-scripts   name@1.2.3 (postinstall: …)", one line per package.
  const prompts = [...npmOutput.matchAll(/^npm warn install-scripts {3}(@?[^@\s]+)@\S+ \(/gm)].map((m) => m[1]);
  return { bytes, packages, native, prompts };
}

/** What `kit` has that `base` has not; each figure checked against BOUNDS (the failures, if any). */
export function added(base, kit) {
  const basePackages = new Set(base.packages);
  const baseNative = new Set(base.native);
  const figures = {
    megabytes: Math.round(((kit.bytes - base.bytes) / 1e6) * 10) / 10,
    packages: kit.packages.filter((p) => !basePackages.has(p)),
    nativeBinaries: kit.native.filter((f) => !baseNative.has(f)),
    installScriptPrompts: kit.prompts.filter((p) => !BASE_PROMPTS.has(p)),
  };
  const over = Object.entries(BOUNDS).flatMap(([name, bound]) => {
    const value = Array.isArray(figures[name]) ? figures[name].length : figures[name];
    return value > bound
      ? [`${name}: ${value} > ${bound}${Array.isArray(figures[name]) ? ` (${figures[name].join(", ")})` : ""}`]
      : [];
  });
  return { figures, over };
}

/** Starts the installed og-mock (through `command`, e.g. a pseudo-terminal); resolves with its URL and output so far. */
function startOgMock(dir, command, args) {
  const child = spawn(command, args, {
    cwd: dir,
    detached: true,
    env: { ...process.env, CI: "true", FORCE_COLOR: "0" },
  });
  let output = "";
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`og-mock did not start: ${output}`)), 30_000);
    const read = (chunk) => {
      output += chunk;
      const m = /og-mock listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => reject(new Error(`og-mock exited (${code}) before listening: ${output}`)));
  });
  const waitFor = (pattern) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`og-mock never printed ${pattern}: ${output}`)), 15_000);
      const poll = setInterval(() => {
        if (pattern.test(output)) {
          clearTimeout(timer);
          clearInterval(poll);
          resolve(output);
        }
      }, 50);
    });
  // The process group we started (npx, og-mock, and script's shell when there is one).
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", resolve);
      process.kill(-child.pid, "SIGTERM");
    });
  return { url, waitFor, stop, output: () => output };
}

const PATCH = (url) =>
  fetch(`${url}/products-batch/update/`, {
    method: "PATCH",
    headers: { "content-type": "application/json", "x-api-key": "og-mock-api-key" },
    body: JSON.stringify([{ product_id: "og-green-tea-100", live: false }]),
  });

/** og-mock on a terminal (a pseudo-terminal from util-linux's script): its log after one request. */
async function terminalLog(dir) {
  const og = startOgMock(dir, "script", ["-qefc", "npx og-mock --port 0", "/dev/null"]);
  try {
    const res = await PATCH(await og.url);
    if (res.status !== 207) throw new Error(`og-mock answered ${res.status}`);
    return await og.waitFor(/og-green-tea-100|"level":30|INFO/);
  } finally {
    await og.stop();
  }
}

const OUTBOX_RUN = `import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OrdergrooveClient, StockSync, openOutbox } from "ordergroove-stock-kit";
import { startMockServer } from "ordergroove-stock-kit/server";
const og = await startMockServer({ port: 0 });
const client = new OrdergrooveClient({ environment: { baseUrl: og.url }, credentials: { kind: "api-key", apiKey: "og-mock-api-key" } });
const dir = join(mkdtempSync(join(tmpdir(), "lean-outbox-")), "outbox");
const sync = await StockSync.start({ client, outbox: dir, thresholds: { lowStockAt: 5, restockAt: 10 } });
await sync.recordDurably({ productId: "og-coffee-beans-1kg", stock: 0 });
await sync.stop();
assert.equal(og.mock.catalog.get("og-coffee-beans-1kg").live, false);
const box = await openOutbox(dir);
assert.equal((await box.load()).size, 0);
await box.close();
await og.close();
console.log("the durable outbox works with no peer installed");
`;

const CREATE_APP = `import { createApp } from "ordergroove-stock-kit/express";
import { createOrdergrooveMock } from "ordergroove-stock-kit/mock";
const server = createApp(createOrdergrooveMock()).listen(0, "127.0.0.1", async () => {
  const res = await fetch(\`http://127.0.0.1:\${server.address().port}/products-batch/update/\`, {
    method: "PATCH",
    headers: { "content-type": "application/json", "x-api-key": "og-mock-api-key" },
    body: JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]),
  });
  server.close();
  if (res.status !== 207) throw new Error(\`createApp answered \${res.status}\`);
  console.log("createApp() serves once express is installed");
});
`;

/**
 * The whole lean check; `work` is the consumer check's folder, `tarball` the packed kit,
 * `firstTest` README's. Returns its figures, one line.
 */
export async function leanCheck({ work, tarball, firstTest }) {
  const baseDir = join(work, "lean-base");
  const dir = join(work, "lean");
  const base = measure(baseDir, freshProject(baseDir, BASE_DEPS));
  const kit = measure(dir, freshProject(dir, [tarball, ...BASE_DEPS]));
  // npm 11 asks about msw's postinstall: if none was read, the reading is broken, not the kit lean.
  if (!base.prompts.includes("msw"))
    throw new Error("npm's install-script prompts could not be read (npm 11 names msw's)");
  const { figures, over } = added(base, kit);
  console.log(
    `the kit adds ${figures.megabytes} MB, ${figures.packages.length} packages, ` +
      `${figures.nativeBinaries.length} native binaries, ${figures.installScriptPrompts.length} install-script prompts ` +
      `(bounds: ${BOUNDS.megabytes} MB, ${BOUNDS.packages} packages, none, none)\n  packages: ${figures.packages.map((p) => p.slice("node_modules/".length)).join(", ")}`,
  );
  if (over.length) throw new Error(`the kit adds more than its bounds: ${over.join("; ")}`);
  // Teeth: measured against an empty project, msw + vitest + the kit exceed the bounds.
  if (added(measure(join(work, "nowhere"), ""), kit).over.length === 0)
    throw new Error("the bounds would not catch msw + vitest added to an empty project");

  const run = (cmd, args, env = {}) => {
    console.log(`\n$ (${dir}) ${cmd} ${args.join(" ")}`);
    return execFileSync(cmd, args, { cwd: dir, encoding: "utf8", env: { ...process.env, CI: "true", ...env } });
  };
  // README's first test.
  writeFileSync(join(dir, "first-test.test.ts"), firstTest);
  process.stdout.write(run("npx", ["vitest", "run"]));
  // The installed og-mock answers a PATCH signed by the installed og-stock (HMAC).
  const og = startOgMock(dir, "npx", ["og-mock", "--port", "0", "--log-level", "warn"]);
  try {
    const env = {
      OG_BASE_URL: await og.url,
      OG_PUBLIC_ID: "og-mock-merchant",
      OG_SIG_FIELD: "og-mock-api-user",
      OG_HASH_KEY: "og-mock-hash-key",
    };
    run("npx", ["og-stock", "out", "og-coffee-beans-1kg"], env);
    if (!run("npx", ["og-stock", "get", "og-coffee-beans-1kg"], env).includes("live=false"))
      throw new Error("og-mock did not take the signed PATCH");
    console.log("the installed og-mock answered a signed PATCH");
  } finally {
    await og.stop();
  }
  // The durable outbox needs no peer.
  writeFileSync(join(dir, "outbox.mjs"), OUTBOX_RUN);
  process.stdout.write(run("node", ["outbox.mjs"]));
  // createApp() without express: the error names it and its install line; with it, it serves.
  writeFileSync(join(dir, "create-app.mjs"), CREATE_APP);
  const missing = spawnSync("node", ["create-app.mjs"], { cwd: dir, encoding: "utf8" });
  if (missing.status === 0 || !/express is not installed.*npm install express@5/.test(missing.stderr))
    throw new Error(`createApp() without express did not say what to install: ${missing.stderr}`);
  console.log(`createApp() without express: ${/MissingPeerError: ([^\n]*)/.exec(missing.stderr)?.[1]}`);
  // og-mock on a terminal without pino-pretty: JSON lines, and one line saying what to install.
  const plain = await terminalLog(dir);
  if (
    !plain.includes("pino-pretty is not installed") ||
    !plain.includes("npm install -D pino-pretty") ||
    !plain.includes('"level":30')
  )
    throw new Error(`og-mock on a terminal without pino-pretty: ${plain}`);
  console.log("og-mock on a terminal without pino-pretty: JSON lines, and it names pino-pretty");
  run("npm", ["install", "-D", "--no-audit", "--no-fund", "--loglevel=error", "express@5", "pino-pretty"]);
  process.stdout.write(run("node", ["create-app.mjs"]));
  const pretty = await terminalLog(dir);
  if (pretty.includes("pino-pretty is not installed") || pretty.includes('"level":30') || !pretty.includes("INFO"))
    throw new Error(`og-mock on a terminal with pino-pretty is not pretty: ${pretty}`);
  console.log("og-mock on a terminal with pino-pretty: a pretty log");
  return (
    `${figures.megabytes} MB (≤ ${BOUNDS.megabytes}), ${figures.packages.length} packages (≤ ${BOUNDS.packages}), ` +
    `${figures.nativeBinaries.length} native binaries, ${figures.installScriptPrompts.length} install-script prompts of its own`
  );
}

/**
 * npm 11: after the docs' `npm install-scripts deny msw`, an install of msw, vitest and the kit
 * asks about no install script at all (in a project with more, such as jest's @parcel/watcher,
 * those would be the project's own).
 */
export function quietInstall(dir, root, sh) {
  const deny = readFileSync(join(root, "docs/testing-your-suite.md"), "utf8").match(
    /^npm install-scripts deny [^#\n]*/m,
  );
  if (!deny) throw new Error("docs/testing-your-suite.md no longer shows `npm install-scripts deny`");
  sh("sh", ["-c", deny[0].trim()], dir);
  const { stderr } = spawnSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: dir, encoding: "utf8" });
  const noisy = stderr.split("\n").filter((l) => /install-scripts\s+\S+@/.test(l));
  if (noisy.length) throw new Error(`npm still asks about install scripts:\n${noisy.join("\n")}`);
  console.log("npm install: no install-script warning left");
}

/**
 * A git install: npm clones the repository, installs its dev dependencies there, builds dist/ by
 * postprepare and packs it. The commands run, and npm asks to approve no install script. Installs
 * HEAD (what is not committed is not in it).
 */
export function gitInstall({ work, root, sh }) {
  const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  const dir = join(work, "git");
  const npmOutput = freshProject(dir, [`git+file://${root}#${commit}`]);
  if (/install-scripts\s+\S+@/.test(npmOutput)) throw new Error("npm asks to approve an install script");
  sh("npx", ["og-mock", "--help"], dir);
  sh("npx", ["og-stock", "--help"], dir);
  return `commit ${commit.slice(0, 7)}`;
}

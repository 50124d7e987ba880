#!/usr/bin/env node
// `npm start`: runs og-mock from dist/ (its bundle, scripts/bundle-og-mock.mjs), building first only
// when dist/ is older than a source file. Compiling takes seconds; a fresh dist/ starts in well
// under one. Arguments go to og-mock:
//   npm start -- --port 9000
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..");
const entry = join(root, "dist/mock-server/bin/og-mock.js");
const SOURCES = ["shared", "src", "mock-server", "contract-tests"];
const CONFIGS = ["tsconfig.json", "tsconfig.build.json", "package.json"];

function newestSource() {
  let newest = Math.max(...CONFIGS.map((f) => statSync(join(root, f)).mtimeMs));
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCES) walk(join(root, dir));
  return newest;
}

function builtAt() {
  try {
    return statSync(entry).mtimeMs;
  } catch {
    return -1;
  }
}

if (builtAt() < newestSource()) {
  process.stderr.write("og-mock: compiling the kit into dist/ (only when a source file changed)…\n");
  execFileSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")],
    {
      stdio: "inherit",
    },
  );
  execFileSync(process.execPath, [join(root, "scripts/bundle-og-mock.mjs")], { stdio: "inherit" });
}
await import(pathToFileURL(entry).href);

#!/usr/bin/env node
// Part of `npm run build`: bundles og-mock (mock-server/cli/bin.ts) into one start-up module in
// dist/mock-server/bin/ (code split, should a lazily imported module come back). og-mock's own
// node:http host serves every route, so Express is not part of it. npm dependencies stay outside.
//
// Why: og-mock's cold start is measured against a bare node start (bench figure 4). Loaded as
// ~35 separate ES modules, resolving and reading them was about a third of what it adds; one
// bundle starts 25-30 ms sooner. The modules in dist/ (tsc's output) stay for library users.
//
// The bundle keeps its directory depth inside dist/ (dist/mock-server/bin, like
// dist/mock-server/ui): the dashboard finds its assets relative to the module it runs from.
//
//   node scripts/bundle-og-mock.mjs [outdir]   default dist/mock-server/bin (a test builds its own)
import { rm } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../", import.meta.url));
const outdir = resolve(root, process.argv[2] ?? "dist/mock-server/bin");

await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { "og-mock": "mock-server/cli/bin.ts" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  chunkNames: "og-mock-[name]-[hash]",
  logLevel: "warning",
});

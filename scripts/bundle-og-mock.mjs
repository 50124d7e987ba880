#!/usr/bin/env node
// Part of `npm run build`: bundles og-mock (mock-server/cli/og-mock.ts) into one CommonJS file,
// dist/mock-server/bin/og-mock.js, the installed bin. og-mock's own node:http host serves every
// route, so Express is not part of it. npm dependencies stay outside.
//
// Why: og-mock's cold start is measured against a bare node start (bench figure 4;
// docs/performance.md has the figures).
// - One bundle: loaded as ~35 separate ES modules, resolving and reading them was a large part
//   of what og-mock added to node's own start.
// - CommonJS, not an ES module: node then never starts its ES module loader (its set-up, and the
//   ES facade it builds for every node: module imported).
// - Whitespace and syntax minified, names kept (stack traces stay readable): less text for node
//   to read and V8 to scan.
// The modules in dist/ (tsc's output) stay ES modules, for library users.
//
// The bundle keeps its directory depth inside dist/ (dist/mock-server/bin, like
// dist/mock-server/ui): the dashboard finds its assets relative to the module it runs from.
//
//   node scripts/bundle-og-mock.mjs [outdir]   default dist/mock-server/bin (a test builds its own)
import { readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../", import.meta.url));
const outdir = resolve(root, process.argv[2] ?? "dist/mock-server/bin");
const BIN = "og-mock.js";

const common = {
  absWorkingDir: root,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
  minifyWhitespace: true,
  minifySyntax: true,
};

/**
 * The sources are ES modules; in the CommonJS bundle, `createRequire(import.meta.url)` (a require
 * relative to this file) is the bundle's own require, and any other `import.meta.url` is the
 * bundle's URL, made when first asked for. Both as they were in the ES modules, without loading
 * node:module and node:url's file-URL code on every start.
 */
const esmToCjs = {
  name: "esm-to-cjs",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8")
        .replaceAll("createRequire(import.meta.url)", "__ogMockRequire")
        .replaceAll("import.meta.url", "__ogMockModuleUrl()"),
      loader: "ts",
    }));
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  ...common,
  // bin.ts awaits main() at its top level, which CommonJS cannot: the same call, not awaited (a
  // rejection still ends the process with the error, as an unhandled rejection).
  stdin: {
    contents: '#!/usr/bin/env node\nimport { main } from "./mock-server/cli/og-mock.ts";\nvoid main();\n',
    resolveDir: root,
    sourcefile: "og-mock-entry.ts",
    loader: "ts",
  },
  outfile: join(outdir, BIN),
  plugins: [esmToCjs],
  banner: {
    js: [
      '"use strict";',
      "const __ogMockRequire = require;",
      "let __ogMockUrl;",
      'const __ogMockModuleUrl = () => (__ogMockUrl ??= require("node:url").pathToFileURL(__filename).href);',
    ].join("\n"),
  },
});

// The rewriting above must have left no ES-only syntax behind.
if (/\bimport\.meta\b/.test(readFileSync(join(outdir, BIN), "utf8"))) {
  throw new Error(`${BIN} has an import.meta the rewriting missed.`);
}
// og-mock.js is CommonJS in a package of ES modules ("type": "module"): this folder says so.
writeFileSync(join(outdir, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);

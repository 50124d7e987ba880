#!/usr/bin/env node
// Part of `npm run build`: bundles og-mock (mock-server/cli/og-mock.ts) into one CommonJS file,
// dist/mock-server/bin/og-mock-main.cjs, which og-mock.js (mock-server/cli/code-cache.ts, the
// bin) runs through V8's code cache. og-mock's own node:http host serves every route, so Express
// is not part of it. npm dependencies stay outside.
//
// Why: og-mock's cold start is measured against a bare node start (bench figure 4).
// - One bundle: loaded as ~35 separate ES modules, resolving and reading them was about a third
//   of what og-mock added; one file starts 25-30 ms sooner.
// - CommonJS, not an ES module: node then never starts its ES module loader (its set-up, and the
//   ES facade it builds for every node: module imported: ~8 ms of CPU of each start, measured),
//   and node:vm can compile a CommonJS function with a code cache, which Node 20 offers for
//   nothing else (~8 ms less again, measured; see code-cache.ts).
// - Whitespace and syntax minified, names kept (stack traces stay readable): a third less text
//   for node to read and V8 to scan.
// The modules in dist/ (tsc's output) stay ES modules, for library users.
//
// The bundle keeps its directory depth inside dist/ (dist/mock-server/bin, like
// dist/mock-server/ui): the dashboard finds its assets relative to the module it runs from.
//
//   node scripts/bundle-og-mock.mjs [outdir]   default dist/mock-server/bin (a test builds its own)
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../", import.meta.url));
const outdir = resolve(root, process.argv[2] ?? "dist/mock-server/bin");
const MAIN = "og-mock-main.cjs";

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
 * bundle's URL, made when first asked for. Both as they were in the ES bundle, without loading
 * node:module and node:url's file-URL code on every start (~1.5 ms, measured).
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
    contents: 'import { main } from "./mock-server/cli/og-mock.ts";\nvoid main();\n',
    resolveDir: root,
    sourcefile: "og-mock-entry.ts",
    loader: "ts",
  },
  outfile: join(outdir, MAIN),
  plugins: [esmToCjs],
  // The file is the function that code-cache.ts compiles and calls, CommonJS's module wrapper
  // written out: node:vm then compiles the file's text as it is, without first copying ~0.3 MB
  // into a wrapped string. Strict, as ES modules are.
  banner: {
    js: [
      "(function (exports, require, module, __filename, __dirname) {",
      '"use strict";',
      "const __ogMockRequire = require;",
      "let __ogMockUrl;",
      'const __ogMockModuleUrl = () => (__ogMockUrl ??= require("node:url").pathToFileURL(__filename).href);',
    ].join("\n"),
  },
  footer: { js: "})" },
});

const bundled = readFileSync(join(outdir, MAIN), "utf8");
// In a node:vm script, Node 20 runs no import() without a flag: one would fail only when
// reached. And the rewriting above must have left no ES-only syntax behind.
for (const [pattern, what] of [
  [/\bimport\(/, "an import(): use require (createRequire) instead"],
  [/\bimport\.meta\b/, "an import.meta the rewriting missed"],
]) {
  if (pattern.test(bundled)) throw new Error(`${MAIN} has ${what}.`);
}

// The cache's file name carries the bundle's hash: another build never reads this one's cache.
const key = createHash("sha256").update(bundled).digest("hex").slice(0, 16);
await build({
  ...common,
  stdin: {
    contents: [
      "#!/usr/bin/env node",
      'import { join } from "node:path";',
      'import { runWithCodeCache } from "./mock-server/cli/code-cache.ts";',
      `runWithCodeCache(join(__dirname, ${JSON.stringify(MAIN)}), ${JSON.stringify(key)}, require);`,
    ].join("\n"),
    resolveDir: root,
    sourcefile: "og-mock-bin.ts",
    loader: "ts",
  },
  outfile: join(outdir, "og-mock.js"),
  banner: { js: '"use strict";' },
  // The bin is a few lines anyone may open: left readable.
  minifyWhitespace: false,
  minifySyntax: false,
});
// og-mock.js is CommonJS in a package of ES modules ("type": "module"): this folder says so.
writeFileSync(join(outdir, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);

#!/usr/bin/env node
/**
 * Two rules for comments, checked on the kit's sources (test/structure/comments.test.ts runs them):
 *
 * 1. A comment says why, not how fast: no measured time (a tilde, "about", "took" or "costs"
 *    before a number of milliseconds or microseconds) in the sources, the bench and the tests. Measured figures
 *    belong in docs/performance.md, which the bench rewrites; a figure in a comment goes stale.
 * 2. A file a comment names exists: a path from the repository's root (`mock-server/core/mock.ts`)
 *    or relative to the file (`./check-structure.mjs`), in every source and test file.
 *
 * `node scripts/check-comments.mjs` prints what it finds and exits 1 when a rule is broken.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FOLDERS = ["shared", "src", "mock-server", "contract-tests", "scripts", "bench", "test"];
const TOP = ["shared", "src", "mock-server", "contract-tests", "scripts", "bench", "test", "docs", "spec", "examples"];
const SKIP = ["shared/generated", "test/fixtures"];

const MEASURED =
  /(?:~|≈|\babout |\baround |\btook |\btakes |\bcosts? |\bmeasured(?: as| at)? |\bspent )\s*\d+(?:[.,]\d+)?(?:[–-]\d+(?:\.\d+)?)?\s?(?:ms|µs|us|ns)\b/;
const RELATIVE = /(?<![\w/.])\.{1,2}\/[\w./-]*[\w-]\.(?:ts|mts|mjs|md|json|yaml)\b/g;
const FROM_ROOT = new RegExp(`(?<![\\w/.-])(?:${TOP.join("|")})/[\\w./-]*[\\w-]\\.(?:ts|mts|mjs|md|json|yaml)\\b`, "g");

function files(folder, root) {
  const out = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full).split(path.sep).join("/");
      if (SKIP.some((s) => rel === s || rel.startsWith(`${s}/`))) continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|mts|mjs)$/.test(name) && !name.endsWith(".d.ts") && !name.endsWith(".d.mts")) out.push(rel);
    }
  };
  walk(path.join(root, folder));
  return out;
}

/** The comment text of each line (line comments, block comments, doc comments), by line number. */
function comments(text) {
  const out = [];
  let inBlock = false;
  text.split("\n").forEach((line, i) => {
    const trimmed = line.trim();
    if (inBlock) {
      out.push([i + 1, trimmed]);
      if (trimmed.includes("*/")) inBlock = false;
      return;
    }
    // Not inside a string that starts at the marker (a test's fixture): a quote right before it.
    const block = line.search(/(^|[^:"'`])\/\*/);
    const lineComment = line.search(/(^|[^:"'`])\/\//);
    if (block >= 0 && (lineComment < 0 || block < lineComment)) {
      const start = line.indexOf("/*", block);
      out.push([i + 1, line.slice(start)]);
      if (!line.slice(start + 2).includes("*/")) inBlock = true;
    } else if (lineComment >= 0) out.push([i + 1, line.slice(line.indexOf("//", lineComment))]);
  });
  return out;
}

function exists(root, target) {
  const candidates = [target, target.replace(/\.js$/, ".ts"), target.replace(/\.mjs$/, ".mts")];
  return candidates.some((c) => existsSync(path.join(root, c)));
}

/** Every broken rule, as `file:line: what`; empty when the comments are in order. */
export function findings(root = ROOT) {
  const out = [];
  for (const folder of FOLDERS) {
    for (const file of files(folder, root)) {
      for (const [line, text] of comments(readFileSync(path.join(root, file), "utf8"))) {
        const measured = MEASURED.exec(text);
        if (measured)
          out.push(
            `${file}:${line}: a measured time in a comment (${measured[0].trim()}): put it in docs/performance.md`,
          );
        for (const match of text.matchAll(RELATIVE)) {
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[0]));
          if (!exists(root, target)) out.push(`${file}:${line}: names ${match[0]}, which does not exist`);
        }
        for (const match of text.matchAll(FROM_ROOT)) {
          if (!exists(root, match[0])) out.push(`${file}:${line}: names ${match[0]}, which does not exist`);
        }
      }
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const found = findings();
  for (const line of found) console.error(line);
  if (found.length > 0) {
    console.error(
      `Failed to check the comments: ${found.length} problem(s). A comment says why, and names files that exist.`,
    );
    process.exit(1);
  }
  console.log("comments: no measured time, every file named exists");
}

#!/usr/bin/env node
/**
 * The house's dependency rules, checked on the import graph of the kit's sources (what tsc
 * resolves: relative imports, `import type` included):
 *
 * 1. No import circle between source files.
 * 2. Inside mock-server/core/, the folders depend on each other one way: with each folder (and
 *    each file directly in core/) as one node, the graph has no circle, so no two of them import
 *    each other, directly or through a third.
 * 3. The top folders depend one way: shared/ imports neither src/ nor mock-server/; src/ does not
 *    import mock-server/; mock-server/ does not import src/ (ESLint's no-restricted-imports says
 *    the same per file, this checks it for the whole tree).
 *
 * Run by test/structure/structure.test.ts (the fast tier); `node scripts/check-structure.mjs`
 * prints the same findings. Exits 1 when a rule is broken.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SOURCE_FOLDERS = ["shared", "src", "mock-server", "contract-tests"];
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']+)\1/g;

function sourceFiles(folder) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|mts)$/.test(name) && !name.endsWith(".d.ts") && !/\.test\.ts$/.test(name)) out.push(full);
    }
  };
  if (existsSync(folder)) walk(folder);
  return out;
}

function resolve(from, specifier) {
  const target = path.resolve(path.dirname(from), specifier);
  for (const candidate of [target.replace(/\.js$/, ".ts"), target.replace(/\.mjs$/, ".mts"), target, `${target}.ts`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** The import graph: file (relative to the root) → the files it imports. */
export function importGraph(root = ROOT) {
  const graph = new Map();
  for (const folder of SOURCE_FOLDERS) {
    for (const file of sourceFiles(path.join(root, folder))) {
      const text = readFileSync(file, "utf8");
      const deps = new Set();
      for (const match of text.matchAll(SPECIFIER)) {
        const target = resolve(file, match[2]);
        if (target) deps.add(path.relative(root, target).split(path.sep).join("/"));
      }
      graph.set(path.relative(root, file).split(path.sep).join("/"), deps);
    }
  }
  return graph;
}

/** The circles of a graph (one per strongly connected component bigger than one node, or a self-loop). */
export function circles(graph) {
  let index = 0;
  const stack = [];
  const onStack = new Set();
  const indices = new Map();
  const low = new Map();
  const found = [];
  const connect = (node) => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), indices.get(next)));
    }
    if (low.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) connect(node);
  return found;
}

/** The graph of mock-server/core/'s folders (and the files directly in it), one node each. */
export function coreFolderGraph(graph) {
  const CORE = "mock-server/core/";
  const nodeOf = (file) => {
    const rest = file.slice(CORE.length);
    const slash = rest.indexOf("/");
    return slash === -1 ? rest : `${rest.slice(0, slash)}/`;
  };
  const folders = new Map();
  for (const [file, deps] of graph) {
    if (!file.startsWith(CORE)) continue;
    const from = nodeOf(file);
    if (!folders.has(from)) folders.set(from, new Set());
    for (const dep of deps) {
      if (!dep.startsWith(CORE)) continue;
      const to = nodeOf(dep);
      if (to !== from) folders.get(from).add(to);
    }
  }
  return folders;
}

const FORBIDDEN = [
  { from: "shared/", to: ["src/", "mock-server/", "contract-tests/"], why: "shared/ stands on its own" },
  { from: "src/", to: ["mock-server/", "contract-tests/"], why: "the client and its CLI never import the fake" },
  {
    from: "mock-server/",
    to: ["src/", "contract-tests/"],
    why: "the fake never imports the client, its CLI or the sync",
  },
];

/** Every broken rule, as a sentence; empty when the house is in order. */
export function findings(root = ROOT) {
  const graph = importGraph(root);
  const out = [];
  for (const circle of circles(graph)) out.push(`import circle between files: ${circle.join(" ↔ ")}`);
  for (const circle of circles(coreFolderGraph(graph))) {
    out.push(`mock-server/core/ parts import each other (directly or through a third): ${circle.join(" ↔ ")}`);
  }
  for (const [file, deps] of graph) {
    for (const rule of FORBIDDEN) {
      if (!file.startsWith(rule.from)) continue;
      for (const dep of deps) {
        if (rule.to.some((prefix) => dep.startsWith(prefix))) out.push(`${file} imports ${dep}: ${rule.why}`);
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
      `Failed to check the structure: ${found.length} broken rule(s). See docs/architecture.md#which-way-the-imports-go.`,
    );
    process.exit(1);
  }
  console.log("structure: no import circle, core folders one way, top folders one way");
}

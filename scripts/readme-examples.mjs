// The library examples of README.md and docs/*.md, as files: every fenced block right after an
// `<!-- example: NAME -->` comment is the file NAME. The docs tests and the consumer check run
// these, so what the pages show is what runs; there is no second copy to drift from them.
// Names are unique across all pages: they become files side by side in one project.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** README.md, then every docs/*.md in name order: the pages whose examples are run. */
export function docPages(root) {
  const docs = readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => join(root, "docs", f));
  return [join(root, "README.md"), ...docs];
}

/** Map of file name to contents, in page order then document order. */
export function readmeExamples(paths) {
  const examples = new Map();
  const where = new Map();
  for (const path of typeof paths === "string" ? [paths] : paths) {
    const text = readFileSync(path, "utf8");
    const page = relative(process.cwd(), path) || path;
    let found = 0;
    for (const m of text.matchAll(/^<!-- example: (\S+) -->\n```[a-z]*\n([\s\S]*?)```/gm)) {
      if (examples.has(m[1])) throw new Error(`${page} and ${where.get(m[1])} both show an example named ${m[1]}`);
      examples.set(m[1], m[2]);
      where.set(m[1], page);
      found++;
    }
    // A marker is a line of its own; one written about in prose (`<!-- example: NAME -->`) is not.
    if ((text.match(/^<!-- example: /gm) ?? []).length !== found)
      throw new Error(`${page} has an <!-- example: NAME --> comment not followed directly by a fenced block`);
  }
  return examples;
}

/**
 * The pages hold together: every relative link and #anchor in README.md and docs/*.md points at
 * a file that exists and a heading that is there, and README stays a map a newcomer reads in ten
 * minutes (at most 300 lines). Fast: it reads files and starts nothing.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/spawn.js";
import { docPages } from "./pages.js";

const README_MAX_LINES = 300;

/** The page's text without fenced blocks, where `# x` is not a heading. */
function withoutFences(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, "");
}

/** The page's text without fenced blocks and inline code, where `[x](y)` is not a link. */
function prose(text: string): string {
  return withoutFences(text).replace(/`[^`\n]*`/g, "``");
}

/** GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces to hyphens. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of withoutFences(text).matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const slug = heading!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1") // a link in a heading counts by its text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    result.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return result;
}

/** Every `[text](target)` and `![alt](target)` of a page that is not an absolute URL. */
function relativeLinks(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

const pages = docPages(ROOT).map((path) => ({ name: relative(ROOT, path), path, text: readFileSync(path, "utf8") }));

describe("README.md and docs/*.md", () => {
  it("are the pages the README's map promises", () => {
    expect(pages.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        "README.md",
        "docs/README.md",
        "docs/og-mock.md",
        "docs/dashboard.md",
        "docs/testing-your-suite.md",
        "docs/client-and-sync.md",
        "docs/og-stock.md",
        "docs/contract-tests.md",
        "docs/fidelity.md",
        "docs/performance.md",
        "docs/reliability.md",
        "docs/architecture.md",
      ]),
    );
  });

  it(`README is a map: at most ${README_MAX_LINES} lines`, () => {
    const lines = readFileSync(join(ROOT, "README.md"), "utf8").trimEnd().split("\n").length;
    expect(lines, "README.md is the map; move reference material into a page of docs/").toBeLessThanOrEqual(
      README_MAX_LINES,
    );
  });

  for (const { name, path, text } of pages) {
    it(`${name}: every relative link and anchor resolves`, () => {
      const broken: string[] = [];
      for (const link of relativeLinks(text)) {
        const [file, anchor] = link.split("#", 2) as [string, string | undefined];
        const target = file === "" ? path : join(dirname(path), decodeURI(file));
        if (!existsSync(target)) {
          broken.push(`${link}: no such file ${relative(ROOT, target)}`);
          continue;
        }
        if (anchor === undefined) continue;
        if (!target.endsWith(".md") || statSync(target).isDirectory()) {
          broken.push(`${link}: an anchor into a file that is not a markdown page`);
          continue;
        }
        const known = target === path ? anchors(text) : anchors(readFileSync(target, "utf8"));
        if (!known.has(anchor)) broken.push(`${link}: ${relative(ROOT, target)} has no heading #${anchor}`);
      }
      expect(broken).toEqual([]);
    });
  }

  it("computes GitHub's anchors the way GitHub does", () => {
    const text = "# A: `b()` and C's\n## 1. The fake: `og-mock`\n## Same\n## Same\n```sh\n# not a heading\n```\n";
    expect([...anchors(text)]).toEqual(["a-b-and-cs", "1-the-fake-og-mock", "same", "same-1"]);
  });
});

/**
 * Reading README.md and docs/*.md for the docs tests: a page's text, the fenced block after a
 * `<!-- marker -->` comment, and the shell lines of a block. Markers are looked up on the page
 * that shows them, so a block that moves to another page moves its marker with it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers/spawn.js";

export { docPages } from "../../scripts/readme-examples.mjs";

/** The text of a page, by its path from the repository's root (e.g. `docs/og-mock.md`). */
export function page(path: string): string {
  return readFileSync(join(ROOT, path), "utf8");
}

/** The fenced block right after `<!-- marker -->` on a page, and where its text starts. */
export function blockAt(text: string, marker: string, path: string): { at: number; text: string } {
  const start = text.indexOf(`<!-- ${marker} -->`);
  if (start < 0) throw new Error(`${path} has no <!-- ${marker} --> block`);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(text.slice(start));
  if (!m) throw new Error(`${path}: <!-- ${marker} --> is not followed by a fenced block`);
  return { at: start + m.index + m[0].indexOf("\n") + 1, text: m[1]! };
}

/** The text of the fenced block right after `<!-- marker -->` on a page. */
export function blockAfter(path: string, marker: string): string {
  return blockAt(page(path), marker, path).text;
}

/** Shell lines of a block, with backslash continuations joined and comment lines dropped. */
export function commands(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"));
}

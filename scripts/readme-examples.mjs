// README's library examples, as files: every fenced block right after an `<!-- example: NAME -->`
// comment is the file NAME. The README test and the consumer check run these, so what README
// shows is what runs; there is no second copy to drift from it.
import { readFileSync } from "node:fs";

/** Map of file name to contents, in README order. */
export function readmeExamples(readmePath) {
  const text = readFileSync(readmePath, "utf8");
  const examples = new Map();
  for (const m of text.matchAll(/<!-- example: (\S+) -->\n```[a-z]*\n([\s\S]*?)```/g)) {
    if (examples.has(m[1])) throw new Error(`README shows two examples named ${m[1]}`);
    examples.set(m[1], m[2]);
  }
  if (text.split("<!-- example: ").length - 1 !== examples.size)
    throw new Error("README has an <!-- example: NAME --> comment not followed directly by a fenced block");
  return examples;
}

// Comments say why, not how fast, and name files that exist (scripts/check-comments.mjs): shown
// on the real tree, and shown to catch a break on a small tree written for the purpose.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findings } from "../../scripts/check-comments.mjs";

describe("the kit's comments", () => {
  it("quote no measured time and name no file that does not exist", () => {
    expect(findings()).toEqual([]);
  });
});

describe("the comments check", () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  function tree(files: Record<string, string>): string {
    root = mkdtempSync(join(tmpdir(), "og-comments-"));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  it("reports a measured time in a comment, not a default or a test's scenario", () => {
    const found = findings(
      tree({
        "mock-server/core/a.ts":
          "// Built without spreads (measured ~1 µs of 5).\nexport const a = 1; // default 1000 ms\n",
        "src/b.ts": "/**\n * A page of 100 took 2 ms that way.\n */\nexport const b = 2;\n",
        "test/c.test.ts": "// The fake holds the answer back for 300 ms (a latency fault).\n",
      }),
    );
    expect(found).toEqual([
      "src/b.ts:2: a measured time in a comment (took 2 ms): put it in docs/performance.md",
      "mock-server/core/a.ts:1: a measured time in a comment (~1 µs): put it in docs/performance.md",
    ]);
  });

  it("reports a file named in a comment that moved, relative or from the root", () => {
    const found = findings(
      tree({
        "mock-server/node/exchange.ts": "// Shared with ./app.ts and ./dispatch.ts; see mock-server/core/safe.ts.\n",
        "mock-server/node/dispatch.ts": "export {};\n",
      }),
    );
    expect(found).toEqual([
      "mock-server/node/exchange.ts:1: names ./app.ts, which does not exist",
      "mock-server/node/exchange.ts:1: names mock-server/core/safe.ts, which does not exist",
    ]);
  });
});

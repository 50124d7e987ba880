// The house's dependency rules (docs/architecture.md#which-way-the-imports-go), checked on the
// real tree, and shown to catch a break on a small tree written for the purpose.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findings } from "../../scripts/check-structure.mjs";

describe("the kit's import structure", () => {
  it("has no import circle, core's folders import one way, and the fake never imports src/", () => {
    expect(findings()).toEqual([]);
  });
});

describe("the structure check", () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  function tree(files: Record<string, string>): string {
    root = mkdtempSync(join(tmpdir(), "og-structure-"));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  it("reports two files that import each other", () => {
    const found = findings(
      tree({
        "src/a.ts": 'import { b } from "./b.js";\nexport const a = b;\n',
        "src/b.ts": 'import type { a } from "./a.js";\nexport const b = 1 as unknown as typeof a;\n',
      }),
    );
    expect(found).toEqual(["import circle between files: src/a.ts ↔ src/b.ts"]);
  });

  it("reports core folders that import each other through a third, with no file circle", () => {
    const found = findings(
      tree({
        "mock-server/core/products/items.ts": 'import "../journal/trace.js";\n',
        "mock-server/core/journal/trace.ts": 'import "../auth/who.js";\n',
        "mock-server/core/auth/who.ts": 'import "../products/routes.js";\n',
        "mock-server/core/products/routes.ts": "export {};\n",
      }),
    );
    expect(found).toEqual([
      "mock-server/core/ parts import each other (directly or through a third): auth/ ↔ journal/ ↔ products/",
    ]);
  });

  it("reports the fake importing the client, and shared/ importing either", () => {
    const found = findings(
      tree({
        "src/client/client.ts": "export {};\n",
        "mock-server/core/mock.ts": 'import type {} from "../../src/client/client.js";\n',
        "shared/flags.ts": 'const m = await import("../mock-server/core/mock.js");\nexport { m };\n',
      }),
    );
    expect(found).toEqual([
      "shared/flags.ts imports mock-server/core/mock.ts: shared/ stands on its own",
      "mock-server/core/mock.ts imports src/client/client.ts: the fake never imports the client, its CLI or the sync",
    ]);
  });
});

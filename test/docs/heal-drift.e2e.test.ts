/**
 * docs/og-stock.md's "Heal drift" section is real: its commands run against the fake with the
 * embedded catalog, and the output shown is what they print. `UPDATE_DOCS=1` (or the older
 * `UPDATE_README=1`) rewrites the shown output.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { systemClock } from "../../mock-server/core/clock.js";
import { main } from "../../src/cli/main.js";
import { useMockServer } from "../helpers/mock-server.js";
import { ROOT } from "../helpers/spawn.js";
import { blockAt, page } from "./pages.js";

const sh = promisify(execFile);
const PAGE = "docs/og-stock.md";
const UPDATE = process.env.UPDATE_DOCS === "1" || process.env.UPDATE_README === "1";
const og = useMockServer({ clock: systemClock, throttle: false });

const block = (text: string, marker: string) => blockAt(text, marker, PAGE);

it("docs/og-stock.md's Heal drift section runs as shown and prints what it shows", async () => {
  let text = page(PAGE);
  const lines = block(text, "tested: heal-drift")
    .text.split("\n")
    .filter((l) => l.trim() && !l.startsWith("npm start"));
  const env: NodeJS.ProcessEnv = {};
  const outputs: Array<{ code: number; stdout: string }> = [];
  for (const line of lines) {
    if (line.startsWith("export ")) {
      for (const [, k, v] of line.matchAll(/(\w+)=(\S+)/g)) env[k!] = v!.replace("http://127.0.0.1:8787", og.url);
    } else if (line.startsWith("curl ")) {
      const { stdout } = await sh("sh", ["-c", line.replaceAll("http://127.0.0.1:8787", og.url)]);
      expect(JSON.parse(stdout)).toEqual({ upserted: 2, count: 24 });
    } else {
      expect(line).toMatch(/^bin\/og-stock /); // as printed: the repository's own command, started at once
      let stdout = "";
      const argv = line.replace(/^bin\/og-stock /, "").replace("examples/stock.csv", join(ROOT, "examples/stock.csv"));
      const code = await main(argv.split(" "), {
        env,
        stdout: (t) => {
          stdout += t;
        },
        stderr: () => {},
        isTTY: false,
      });
      outputs.push({ code, stdout });
    }
  }
  expect(outputs.map((o) => o.code)).toEqual([0, 3, 0, 0]);
  const shown = ["dry-run", "heal", "again"];
  for (const [i, name] of shown.entries()) {
    const out = outputs[i + 1]!.stdout;
    const b = block(text, `output: heal-drift ${name}`);
    if (UPDATE) {
      text = text.slice(0, b.at) + out + text.slice(b.at + b.text.length);
      writeFileSync(join(ROOT, PAGE), text);
    } else expect(out, `${PAGE} output block "${name}"`).toBe(b.text);
  }
  expect(outputs[3]!.stdout).toContain("No drift");
});

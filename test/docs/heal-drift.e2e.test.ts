/**
 * README's "Heal drift" section is real: its commands run against the fake with the embedded
 * catalog, and the output shown is what they print. `UPDATE_README=1` rewrites the shown output.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { systemClock } from "../mock-server/core/clock.js";
import { main } from "../src/cli/main.js";
import { useMockServer } from "./helpers/mock-server.js";
import { ROOT } from "./helpers/spawn.js";

const sh = promisify(execFile);
const README_PATH = join(ROOT, "README.md");
const og = useMockServer({ clock: systemClock, throttle: false });

function block(readme: string, marker: string): { at: number; text: string } {
  const start = readme.indexOf(`<!-- ${marker} -->`);
  if (start < 0) throw new Error(`README has no <!-- ${marker} --> block`);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(start))!;
  return { at: start + m.index + m[0].indexOf("\n") + 1, text: m[1]! };
}

it("README's Heal drift section runs as shown and prints what it shows", async () => {
  let readme = readFileSync(README_PATH, "utf8");
  const lines = block(readme, "tested: heal-drift")
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
      expect(line).toMatch(/^og-stock /);
      let stdout = "";
      const argv = line.replace(/^og-stock /, "").replace("examples/stock.csv", join(ROOT, "examples/stock.csv"));
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
    const b = block(readme, `output: heal-drift ${name}`);
    if (process.env.UPDATE_README === "1") {
      readme = readme.slice(0, b.at) + out + readme.slice(b.at + b.text.length);
      writeFileSync(README_PATH, readme);
    } else expect(out, `README output block "${name}"`).toBe(b.text);
  }
  expect(outputs[3]!.stdout).toContain("No drift");
});

/**
 * Figure 4: cold start, spawn to the first signed 207, against spawn to exit of a bare
 * `node -e ''`, alternating A B A B (the first pair warms the file caches and is dropped).
 */
import { spawn } from "node:child_process";
import { type Figure, fmt, headers, items, SMOKE } from "../figure.js";
import { median, PINNED, round, spread, startOgMockChild } from "../lib.js";

export const id = 4;
export const title = "cold start";
export const target = "≤ 1.3x bare node";

function spawnBare(): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const [cmd, argv] = PINNED ? ["taskset", ["-c", "0", process.execPath, "-e", ""]] : [process.execPath, ["-e", ""]];
    const child = spawn(cmd, argv, { stdio: "ignore" });
    child.once("error", reject);
    child.once("exit", () => resolve());
  });
}

export const figure: Figure = {
  id,
  title,
  target,
  async run() {
    const runs = SMOKE ? 2 : 15;
    const times: number[] = [];
    const bare: number[] = [];
    const ratiosPerPair: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      let started = performance.now();
      const fake = await startOgMockChild(["--port", "0", "--log-level", "silent"]);
      const res = await fetch(`${fake.url}/products-batch/update/`, {
        method: "PATCH",
        headers: headers(),
        body: items(1, 0, "og-coffee-beans-1kg"),
      });
      await res.text();
      if (res.status !== 207) throw new Error(`cold start: first request answered ${res.status}`);
      const fakeMs = performance.now() - started;
      await fake.stop();
      started = performance.now();
      await spawnBare();
      const bareMs = performance.now() - started;
      if (i === 0) continue; // warm-up pair: file caches
      times.push(fakeMs);
      bare.push(bareMs);
      ratiosPerPair.push(fakeMs / bareMs);
    }
    const ratio = spread(ratiosPerPair);
    return {
      id,
      figure: `cold start: spawn to the first signed 207 (${runs} pairs, alternating)`,
      value: `${Math.round(median(times))} ms [${Math.round(Math.min(...times))}–${Math.round(Math.max(...times))}]`,
      baseline: `bare \`node -e ''\`, spawn to exit: ${Math.round(median(bare))} ms [${Math.round(Math.min(...bare))}–${Math.round(Math.max(...bare))}]`,
      ratio: round(ratio.median),
      spread: fmt(ratio),
      target,
      met: ratio.median <= 1.3,
      numbers: {
        medianMs: median(times),
        bareNodeMs: median(bare),
        ratio: ratio.median,
        ratioMin: ratio.min,
        ratioMax: ratio.max,
      },
    };
  },
};

/** og-stock as the installed executable, in its own process: og-stock.test.ts calls main() in-process. */
import { describe, expect, it } from "vitest";
import { useMockServer } from "../helpers/mock-server.js";
import { run } from "../helpers/spawn.js";

const og = useMockServer({ throttle: false });

describe("og-stock usage", () => {
  it("runs as an executable with the same exit codes", async () => {
    const ok = await run("src/cli/bin.ts", ["out", "og-coffee-beans-1kg", "--base-url", og.url], {
      env: { OG_API_KEY: "og-mock-api-key" },
    });
    expect(ok.code).toBe(0);
    const usage = await run("src/cli/bin.ts", ["out", "x"], { env: { OG_BASE_URL: "", OG_ENV: "" } });
    expect(usage.code).toBe(64);
  });
});

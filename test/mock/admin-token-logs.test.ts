/**
 * The admin token never reaches a log line: not as `?token=` on any admin path (the
 * dashboard's sign-in link, and any other admin route a user pastes it onto), not in a refusal,
 * not on a 413, whatever the answer.
 */
import { Writable } from "node:stream";
import { pino } from "pino";
import { expect, it } from "vitest";
import { startMockServer } from "../../mock-server/node/server.js";
import { rawRequest } from "../helpers/raw-http.js";

const TOKEN = "tok-7f3a9c-never-logged";

it("logs no admin token, whichever admin path carries ?token=", async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  const og = await startMockServer({
    port: 0,
    adminToken: TOKEN,
    maxBodyBytes: 1024,
    logger: pino({ level: "debug" }, sink),
  });
  try {
    const q = `token=${TOKEN}`;
    for (const path of [
      `/__admin?${q}`,
      `/__admin/?${q}`,
      `/__admin/ui?${q}`,
      `/__admin/ui/?${q}`,
      `/__admin/journal?${q}`,
      `/__admin/journal/stream?${q}`,
      `/__admin/merchants/x?${q}`,
      `/__admin/nope?${q}#frag`,
      `/__admin/products/a%2Fb?${q}`,
    ]) {
      await rawRequest(og.url, "GET", path, {});
      await rawRequest(og.url, "GET", path, { host: "evil.example" });
      await rawRequest(og.url, "POST", path, { "content-type": "text/plain" }, "x");
    }
    await rawRequest(
      og.url,
      "POST",
      `/__admin/products?${q}`,
      { "content-type": "application/json" },
      "x".repeat(5000),
    );
    await rawRequest(og.url, "GET", "/__admin/health", { "x-admin-token": TOKEN });
    await rawRequest(og.url, "GET", "/__admin/health", { "x-admin-token": `${TOKEN}-wrong` });
  } finally {
    await og.close();
  }
  expect(lines.length).toBeGreaterThan(20);
  for (const line of lines) expect(line).not.toContain(TOKEN);
});

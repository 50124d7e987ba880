/**
 * The admin token never reaches a log line: not as `?token=` on any admin path (the
 * dashboard's sign-in link, and any other admin route a user pastes it onto), not in a refusal,
 * not on a 413, whatever the answer.
 */
import { expect, it } from "vitest";
import { startMockServer } from "../../mock-server/node/server.js";
import { capturedLog } from "../helpers/log-lines.js";
import { rawRequest } from "../helpers/raw-http.js";
import { startRogueUpstream } from "../proxy/upstreams.js";

const TOKEN = "tok-7f3a9c-never-logged";

it("logs no admin token, whichever admin path carries ?token=", async () => {
  const { lines, logger } = capturedLog("debug");
  const og = await startMockServer({
    port: 0,
    adminToken: TOKEN,
    maxBodyBytes: 1024,
    logger,
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

it("masks ?token= on products paths: in the log, the journal, the listing's links and every answer", async () => {
  const { lines, logger } = capturedLog("debug");
  const og = await startMockServer({
    port: 0,
    adminToken: TOKEN,
    maxBodyBytes: 1024,
    logger,
  });
  const answers: string[] = [];
  const send = async (method: string, path: string, headers: Record<string, string> = {}, body?: string) => {
    const answer = await rawRequest(og.url, method, path, { "x-api-key": "og-mock-api-key", ...headers }, body);
    answers.push(JSON.stringify(answer.headers), answer.text);
    return answer;
  };
  try {
    const q = `token=${TOKEN}`;
    const listing = await send("GET", `/products/?page_size=2&${q}`);
    expect(listing.status).toBe(200);
    const { next } = listing.body as { next: string };
    expect(new URL(next).searchParams.get("token")).toBe("[redacted]");
    expect(new URL(next).searchParams.get("page")).toBe("2");
    // Spelled otherwise, or as an API key.
    await send("GET", `/products/?TOKEN=${TOKEN}&page_size=2`);
    await send("GET", `/products/?to%6Ben=${TOKEN}&page_size=2`);
    await send("GET", `/products/?x-api-key=${TOKEN}&page_size=2`);
    await send("GET", `/products?${q}`); // redirected, the query kept
    await send("GET", "/products/", { referer: `http://localhost:8787/__admin/ui/?${q}` });
    await send("GET", `/nowhere/?${q}`);
    await send("PUT", `/products-batch/update/?${q}`);
    await send(
      "PATCH",
      `/products-batch/update/?${q}`,
      { "content-type": "application/json" },
      '[{"product_id":"og-coffee-beans-1kg","live":false}]',
    );
    await send("PATCH", `/products-batch/update/?${q}`, { "content-type": "application/json" }, "x".repeat(5000));
    const journal = await rawRequest(og.url, "GET", "/__admin/journal", { "x-admin-token": TOKEN });
    const entries = (journal.body as { entries: Array<{ path: string }> }).entries;
    expect(entries.length).toBe(10);
    expect(entries[0]!.path).toBe("/products/?page_size=2&token=[redacted]");
    answers.push(journal.text);
  } finally {
    await og.close();
  }
  expect(lines.some((line) => line.includes("token=[redacted]"))).toBe(true);
  for (const text of [...lines, ...answers]) expect(text).not.toContain(TOKEN);
});

it("masks ?token= on a path og-mock --upstream forwards: in its journal and the request log", async () => {
  const { lines, logger } = capturedLog("debug");
  const upstream = await startRogueUpstream();
  const og = await startMockServer({
    port: 0,
    logger,
    proxy: { target: { origin: upstream.url, production: false } },
  });
  try {
    const answer = await rawRequest(
      og.url,
      "PATCH",
      `/products-batch/update/?token=${TOKEN}`,
      { "content-type": "application/json", "x-api-key": "merchant-key" },
      '[{"product_id": "p-1", "live": false}]',
    );
    expect(answer.headers["x-og-mock-source"]).toBe("real");
    const journal = await rawRequest(og.url, "GET", "/__admin/journal", {});
    const entries = (journal.body as { entries: Array<{ path: string; source?: string }> }).entries;
    expect(entries).toMatchObject([{ path: "/products-batch/update/?token=[redacted]", source: "real" }]);
    expect(journal.text).not.toContain(TOKEN);
  } finally {
    await Promise.all([og.close(), upstream.close()]);
  }
  expect(lines.some((line) => line.includes("token=[redacted]"))).toBe(true);
  for (const line of lines) expect(line).not.toContain(TOKEN);
});

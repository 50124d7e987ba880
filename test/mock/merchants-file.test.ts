/** The merchants file read in-process; og-mock-merchants.e2e.test.ts starts og-mock with one. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readMerchantsFile } from "../../mock-server/core/merchants/merchants-file.js";

async function file(content: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "og-merchants-"));
  const path = join(dir, "merchants.json");
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("readMerchantsFile", () => {
  it("finds what one merchant's schema cannot see (shared ids and keys) without echoing a key", async () => {
    const clash = await file({
      merchants: [
        { publicId: "acme", apiKeys: ["dup-secret-key"] },
        { publicId: "acme", apiKeys: ["dup-secret-key"] },
      ],
    });
    let message = "";
    try {
      readMerchantsFile(clash);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split("\n")).toEqual([
      `Failed to read the merchants file ${clash}: it does not match spec/merchants.schema.json:`,
      "  merchants[1].publicId: is the public id of merchants[0] too",
      "  merchants[1].apiKeys[0]: is also merchants[0].apiKeys[0]; every API key belongs to one merchant",
      "",
    ]);
    const notJson = await file("{nope");
    expect(() => readMerchantsFile(notJson)).toThrow(
      `Failed to read the merchants file ${notJson}: not JSON at line 1, column 2 (expected property name or '}'). Fix the file there.`,
    );
    expect(() => readMerchantsFile("/nonexistent/m.json")).toThrow(
      `Failed to read the merchants file /nonexistent/m.json: no such file. Check the path (a relative one starts at ${process.cwd()}).`,
    );
  });
});

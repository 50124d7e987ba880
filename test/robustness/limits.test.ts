/** Limits that protect the fake: a slow body does not hold up others, a huge one is refused unread (load.e2e.test.ts: load). */
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { API_KEY, useMockServer } from "../helpers/mock-server.js";
import { rawRequest } from "../helpers/raw-http.js";

const og = useMockServer({ throttle: false, ipLimit: false, journalLimit: 1000 });
const headers = { "content-type": "application/json", "x-api-key": API_KEY };

describe("limits", () => {
  it("keeps answering other clients while one sends its body very slowly", async () => {
    const { port } = new URL(og.url);
    const slow = connect(Number(port), "127.0.0.1");
    await new Promise((r) => slow.once("connect", r));
    slow.write(
      `PATCH /products-batch/update/ HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-api-key: ${API_KEY}\r\ncontent-length: 100000\r\n\r\n[`,
    );
    const trickle = setInterval(() => slow.write(" "), 20);
    try {
      const started = performance.now();
      for (let i = 0; i < 20; i++) {
        const answer = await rawRequest(
          og.url,
          "PATCH",
          "/products-batch/update/",
          headers,
          JSON.stringify([{ product_id: "og-mug", live: false }]),
        );
        expect(answer.status).toBe(207);
      }
      // Twenty answers while the slow body is still arriving.
      expect(slow.destroyed).toBe(false);
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      clearInterval(trickle);
      slow.destroy();
    }
  });

  it("refuses a huge declared body at once with 413, without reading it", async () => {
    const { port } = new URL(og.url);
    const socket = connect(Number(port), "127.0.0.1");
    const reply = new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (d) => {
        text += d;
        if (text.includes("\r\n\r\n") && text.includes("}")) resolve(text);
      });
    });
    socket.write(
      `PATCH /products-batch/update/ HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-api-key: ${API_KEY}\r\ncontent-length: 500000000\r\n\r\n[`,
    );
    const text = await reply;
    socket.destroy();
    expect(text).toMatch(/^HTTP\/1.1 413/);
    expect(text).toContain('"detail":"Request body is 500000000 bytes; the limit is 1048576 bytes."');
    expect(og.running.mock.journal.entries().at(-1)).toMatchObject({
      fault: "body too large",
      response: { status: 413 },
    });
  });
});

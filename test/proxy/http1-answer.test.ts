/**
 * The proxy's reader of an upstream's HTTP/1.1 answer (mock-server/node/http1-answer.ts): every
 * framing RFC 9112 allows, read whole whichever way the bytes are split, headers kept as node's
 * own client kept them, and anything malformed or over its bound refused with a reason that names
 * no header's value.
 */
import { describe, expect, it } from "vitest";
import {
  AnswerReader,
  AnswerTooLarge,
  type Http1Answer,
  MalformedAnswer,
  MAX_HEAD_BYTES,
} from "../../mock-server/node/http1-answer.js";

const MB = 1024 * 1024;

/** Feeds `text` to a reader in pieces of `step` bytes; the answer, once whole, and the bytes left after it. */
function readIn(text: string | Buffer, step = Infinity, method = "PATCH", max = MB) {
  const bytes = typeof text === "string" ? Buffer.from(text, "latin1") : text;
  const reader = new AnswerReader(method, max);
  for (let at = 0; at < bytes.length; at += Math.min(step, bytes.length)) {
    const done = reader.read(bytes.subarray(at, Math.min(bytes.length, at + step)));
    if (done) return { ...done, reader };
  }
  return { answer: undefined, extra: 0, reader };
}

function whole(text: string | Buffer, step?: number, method?: string): Http1Answer {
  const { answer } = readIn(text, step, method);
  if (!answer) throw new Error("the answer was not read whole");
  return answer;
}

const CHUNKED =
  "HTTP/1.1 207 Multi-Status\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n" +
  '4;name=value\r\n{"re\r\n' +
  'c\r\nsults": [] }\r\n' +
  "0\r\nx-trailer: dropped\r\n\r\n";

describe("reading an answer", () => {
  it("framed by its length, whole whichever way its bytes are split", () => {
    const text =
      'HTTP/1.1 207 Multi-Status\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{"results":[]}';
    for (const step of [1, 2, 7, 40, Infinity]) {
      const answer = whole(text, step);
      expect(answer.status).toBe(207);
      expect(answer.headers).toEqual({ "content-type": "application/json", "content-length": "14" });
      expect(answer.body.toString()).toBe('{"results":[]}');
      expect(answer.reusable).toBe(true);
    }
  });

  it("in chunks, with extensions and trailers, whichever way split", () => {
    for (const step of [1, 3, 16, Infinity]) {
      const answer = whole(CHUNKED, step);
      expect(answer.body.toString()).toBe('{"results": [] }');
      expect(answer.headers["x-trailer"]).toBeUndefined();
      expect(answer.reusable).toBe(true);
    }
  });

  it("until the connection ends, when no length or chunks frame it: never reused", () => {
    const { answer, reader } = readIn("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nsome bytes");
    expect(answer).toBeUndefined();
    const ended = reader.end();
    expect(ended.body.toString()).toBe("some bytes");
    expect(ended.reusable).toBe(false);
  });

  it("without a body for HEAD, 204 and 304, whatever the length says", () => {
    expect(whole("HTTP/1.1 200 OK\r\ncontent-length: 120\r\n\r\n", Infinity, "HEAD").body.length).toBe(0);
    expect(whole("HTTP/1.1 204 No Content\r\n\r\n").status).toBe(204);
    const notModified = whole("HTTP/1.1 304 Not Modified\r\ncontent-length: 50\r\n\r\n");
    expect([notModified.status, notModified.body.length, notModified.headers["content-length"]]).toEqual([
      304,
      0,
      "50",
    ]);
  });

  it("past informational answers (100 Continue, 103 Early Hints) to the answer itself", () => {
    const answer = whole(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok",
      5,
    );
    expect([answer.status, answer.body.toString(), answer.headers.link]).toEqual([200, "ok", undefined]);
  });

  it("keeps headers as node's client did: lower-case names, set-cookie a list, kept-once repeats dropped, others joined", () => {
    const answer = whole(
      "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Type: application/json\r\ncontent-type: text/html\r\n" +
        "Vary: accept\r\nvary: origin\r\nX-Odd:  spaced value \t\r\ncontent-length: 0\r\n\r\n",
    );
    expect(answer.headers).toEqual({
      "set-cookie": ["a=1", "b=2"],
      "content-type": "application/json",
      vary: "accept, origin",
      "x-odd": "spaced value",
      "content-length": "0",
    });
  });

  it("is not reused after Connection: close, an HTTP/1.0 answer, a length beside chunks, or bytes after the answer", () => {
    expect(whole("HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n").reusable).toBe(false);
    expect(whole("HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n").reusable).toBe(false);
    const both = CHUNKED.replace("transfer-encoding: chunked", "transfer-encoding: chunked\r\ncontent-length: 3");
    expect(whole(both).reusable).toBe(false);
    const { answer, extra } = readIn("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n");
    expect([answer?.body.toString(), answer?.reusable, extra]).toEqual(["ok", false, 17]);
  });

  it("frames by the connection's end when the last transfer coding is not chunked", () => {
    const { answer, reader } = readIn("HTTP/1.1 200 OK\r\ntransfer-encoding: gzip\r\n\r\nabc");
    expect(answer).toBeUndefined();
    expect(reader.end().body.toString()).toBe("abc");
  });
});

describe("refusing an answer", () => {
  const refused = (text: string, method?: string) => {
    try {
      const { reader, answer } = readIn(text, Infinity, method, 64);
      if (!answer) reader.end();
      return undefined;
    } catch (error) {
      return error as Error;
    }
  };

  it.each([
    ["a status line that is not HTTP/1.x", "HTTP/2 200\r\n\r\n", /status line/],
    ["a header line without a name", "HTTP/1.1 200 OK\r\n: value\r\n\r\n", /header line 1/],
    ["an obsolete folded header", "HTTP/1.1 200 OK\r\nx-a: 1\r\n  folded\r\n\r\n", /header line 2/],
    ["a control character in a value", "HTTP/1.1 200 OK\r\nx-a: secret\u0001value\r\n\r\n", /control character/],
    ["two different lengths", "HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nok", /two different/],
    ["a length that is not a number", "HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n", /not a number/],
    [
      "a chunk size that is not hexadecimal",
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
      /hexadecimal/,
    ],
    [
      "a chunk longer than its size",
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
      /where its size/,
    ],
    ["a switch of protocols", "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n\r\n", /switched protocols/],
    ["an answer cut short", "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc", /middle of the answer/],
    ["no answer at all", "", /before an answer/],
  ])("%s", (_, text, why) => {
    const error = refused(text);
    expect(error).toBeInstanceOf(MalformedAnswer);
    expect(error?.message).toMatch(why);
    expect(error?.message).not.toContain("secret");
  });

  it.each([
    ["headers past their bound", `HTTP/1.1 200 OK\r\nx-big: ${"a".repeat(MAX_HEAD_BYTES)}\r\n\r\n`],
    ["headers past their bound, not yet ended", `HTTP/1.1 200 OK\r\nx-big: ${"a".repeat(MAX_HEAD_BYTES)}`],
    ["a length past the body's bound", "HTTP/1.1 200 OK\r\ncontent-length: 65\r\n\r\n"],
    [
      "chunks past the body's bound",
      `HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n40\r\n${"a".repeat(64)}\r\n1\r\n`,
    ],
    ["a body to the end past its bound", `HTTP/1.1 200 OK\r\n\r\n${"a".repeat(65)}`],
  ])("%s", (_, text) => {
    expect(refused(text)).toBeInstanceOf(AnswerTooLarge);
  });
});

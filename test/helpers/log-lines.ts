/**
 * A pino logger whose output a test reads: every chunk written, as text, in order. For tests that
 * check what og-mock logs (and that no secret is in it).
 */
import { Writable } from "node:stream";
import { type Logger, pino } from "pino";

export function capturedLog(level: string): { lines: string[]; logger: Logger } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  return { lines, logger: pino({ level }, sink) };
}

/**
 * A fetch that checks every answer against the spec as it passes. A violation fails the test
 * that caused it, with the clause of the contract it broke.
 */
import { checkAnswer } from "../shared/validation/response-validator.js";

export interface Exchange {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Where the answer breaks the spec. Ignored for exchanges of assumption clauses, which only observe. */
  problems: string[];
  /** Made by an assumption clause: a probe of undocumented behaviour, never held against the target. */
  assumption?: boolean;
}

export function recordingFetch(log: Exchange[]): (input: Request) => Promise<Response> {
  return async (input: Request) => {
    const response = await fetch(input);
    const text = await response.clone().text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const url = new URL(input.url);
    const headers: Record<string, string> = {};
    response.headers.forEach((v, k) => {
      headers[k] = v;
    });
    const problems =
      typeof body === "string"
        ? [
            `${input.method} ${url.pathname} → ${response.status}: the body is not JSON: ${JSON.stringify(text.slice(0, 120))}`,
          ]
        : checkAnswer({ method: input.method, path: url.pathname, status: response.status, headers, body });
    log.push({ method: input.method, path: url.pathname, status: response.status, headers, body, problems });
    return response;
  };
}

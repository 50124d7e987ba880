/**
 * og-contract asks whether a remote target answers at all before it runs a clause: a server never
 * heard from is not a broken contract (contract-tests/target.ts, unreachableProblem).
 */
import { describe, expect, it } from "vitest";
import { unreachableProblem } from "../../contract-tests/target.js";
import { closedUrl } from "../helpers/closed-port.js";
import { useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({ throttle: false });

const env = (target: string) => ({
  OG_CONTRACT_TARGET: target,
  OG_API_KEY: "k",
  OG_CONTRACT_PRODUCT_IDS: "a,b",
});

describe("a target that cannot be reached", () => {
  it("is said in one line naming the URL, the cause and what to check", async () => {
    const url = await closedUrl();
    expect(await unreachableProblem(env(url))).toBe(
      `Failed to reach the target ${url}: ECONNREFUSED: nothing is listening there. No clause was run. Check the network and the target (--target or OG_CONTRACT_TARGET).`,
    );
  });

  it("never shows a password written into the URL", async () => {
    const url = (await closedUrl()).replace("http://", "http://user:s3cret-pass@");
    const problem = await unreachableProblem(env(url));
    expect(problem).toContain("Failed to reach the target http://127.0.0.1:");
    expect(problem).not.toContain("s3cret-pass");
  });

  it("is no problem for a server that answers, whatever the status, nor for the fake og-contract starts", async () => {
    expect(await unreachableProblem(env(og.url))).toBeUndefined(); // HEAD / answers 404 here
    expect(await unreachableProblem(env("mock"))).toBeUndefined();
  });
});

/**
 * Where og-mock --upstream may forward (issue 37, point 1): Ordergroove's named targets, loopback,
 * and hosts the user names with --upstream-allow; anything else is bad usage (exit 64) naming
 * --upstream-allow, so og-mock never forwards to a host nobody chose.
 */
import { describe, expect, it } from "vitest";
import { parseCli } from "../../mock-server/cli/args.js";
import { UsageError } from "../../shared/flags/flags.js";

function proxyOf(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const cli = parseCli(argv, env);
  if (cli === "help") throw new Error("help");
  return cli.options.proxy;
}

function usage(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseCli(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${argv.join(" ")} was accepted`);
}

describe("--upstream", () => {
  it("resolves the named targets to Ordergroove's documented hosts", () => {
    expect(proxyOf(["--upstream", "sandbox"])?.target).toEqual({
      origin: "https://staging.restapi.ordergroove.com",
      production: false,
    });
    expect(proxyOf(["--upstream", "staging"])?.target.origin).toBe("https://staging.restapi.ordergroove.com");
    expect(proxyOf(["--upstream", "production"])?.target).toEqual({
      origin: "https://restapi.ordergroove.com",
      production: true,
    });
    expect(proxyOf([], { OG_MOCK_UPSTREAM: "sandbox" })?.target.origin).toBe("https://staging.restapi.ordergroove.com");
  });

  it("accepts Ordergroove's hosts and loopback addresses as URLs", () => {
    expect(proxyOf(["--upstream", "https://restapi.ordergroove.com"])?.target.production).toBe(true);
    expect(proxyOf(["--upstream", "http://127.0.0.1:9000"])?.target.origin).toBe("http://127.0.0.1:9000");
    expect(proxyOf(["--upstream", "http://localhost:9000"])?.target.origin).toBe("http://localhost:9000");
    expect(proxyOf(["--upstream", "http://[::1]:9000"])?.target.origin).toBe("http://[::1]:9000");
  });

  it("refuses any other host, naming --upstream-allow, and accepts it once allowed", () => {
    expect(usage(["--upstream", "https://evil.example.com"])).toMatch(
      /^Failed to use --upstream .*evil\.example\.com is neither .* --upstream-allow evil\.example\.com\.$/,
    );
    expect(proxyOf(["--upstream", "https://og.internal:8443", "--upstream-allow", "og.internal"])?.target.origin).toBe(
      "https://og.internal:8443",
    );
    // A look-alike of Ordergroove's host is not Ordergroove's host.
    expect(usage(["--upstream", "https://restapi.ordergroove.com.evil.example"])).toContain("--upstream-allow");
  });

  it("knows production by any spelling of its host: a trailing dot (the same host to DNS) is production too", () => {
    expect(proxyOf(["--upstream", "https://restapi.ordergroove.com."])?.target.production).toBe(true);
    expect(
      proxyOf(["--upstream", "https://RESTAPI.ordergroove.com.", "--upstream-allow", "restapi.ordergroove.com."])
        ?.target.production,
    ).toBe(true);
    expect(proxyOf(["--upstream", "https://staging.restapi.ordergroove.com."])?.target.production).toBe(false);
  });

  it("refuses what cannot be a target, each with its reason", () => {
    expect(usage(["--upstream", "sandbx"])).toContain("neither sandbox, staging, production nor a URL");
    expect(usage(["--upstream", "ftp://127.0.0.1"])).toContain("only http: and https:");
    expect(usage(["--upstream", "http://user:pw@127.0.0.1:9"])).toContain("carries credentials");
    expect(usage(["--upstream", "http://127.0.0.1:9/api"])).toContain("origin only");
  });

  it("refuses its companions without it, and reads the timeouts and the fallback with it", () => {
    expect(usage(["--upstream-timeout", "100"])).toContain("only works with --upstream");
    expect(usage(["--upstream", "sandbox", "--upstream-fallback", "real"])).toContain("fake");
    expect(
      proxyOf([
        "--upstream",
        "sandbox",
        "--upstream-timeout",
        "100",
        "--upstream-connect-timeout",
        "50",
        "--upstream-fallback",
        "fake",
      ]),
    ).toMatchObject({ fallback: "fake", timeouts: { answerMs: 100, connectMs: 50 } });
    expect(proxyOf([])).toBeUndefined();
  });
});

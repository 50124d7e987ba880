// Usage errors that suggest the fix, for all three commands (they share shared/flags/flags.ts).
import { describe, expect, it } from "vitest";
import { parseFlags, UsageError } from "../../shared/flags/flags.js";
import { parse } from "../../src/cli/options.js";
import { parseCli } from "../../mock-server/cli/args.js";
import { nearest } from "../../shared/flags/suggest.js";

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("no UsageError");
};

describe("unknown flags", () => {
  it("og-stock suggests the nearest flag, with no unclosed quote", () => {
    const text = message(() => parse(["get", "sku", "--baseurl", "http://x"]));
    expect(text).toBe("Unknown option --baseurl. Did you mean --base-url?");
    expect(text.split("'").length % 2).toBe(1);
    expect(message(() => parse(["get", "--base-ulr=http://x"]))).toBe(
      "Unknown option --base-ulr. Did you mean --base-url?",
    );
  });

  it("og-mock suggests too, and says --help when nothing is near", () => {
    expect(message(() => parseCli(["--prot", "9000"], {}))).toBe("Unknown option --prot. Did you mean --port?");
    expect(message(() => parseCli(["--frobnicate"], {}))).toBe("Unknown option --frobnicate.");
  });

  it("picks by edit distance and ignores separators", () => {
    expect(nearest("base_url", ["base-url", "api-key"])).toBe("base-url");
    expect(nearest("api-kye", ["base-url", "api-key"])).toBe("api-key");
    expect(nearest("zzz", ["base-url", "api-key"])).toBeUndefined();
  });
});

describe("npm kept a flag for itself", () => {
  // `npm start --port 9000`: npm sets npm_config_port=true and passes only "9000" on.
  const npmEnv = { npm_lifecycle_event: "start", npm_config_port: "true" };

  it("og-mock shows the npm start -- form with the user's own flag and value", () => {
    expect(message(() => parseCli(["9000"], npmEnv))).toBe(
      'Unexpected argument "9000": this command takes no positional arguments. npm kept --port for itself: put the command\'s flags after --, as in: npm start -- --port 9000',
    );
  });

  it("names npm run SCRIPT for other scripts, and says nothing about npm outside it", () => {
    const options = { port: { type: "string" as const } };
    expect(
      message(() => parseFlags(["9000"], options, { env: { npm_lifecycle_event: "dev", npm_config_port: "true" } })),
    ).toContain("npm run dev -- --port 9000");
    expect(message(() => parseFlags(["9000"], options, { env: {} }))).toBe(
      'Unexpected argument "9000": this command takes no positional arguments.',
    );
  });
});

describe("og-mock's values", () => {
  it("lists every log level it accepts, trace included, when one is wrong", () => {
    expect(message(() => parseCli(["--log-level", "verbose"], {}))).toBe(
      '--log-level must be fatal, error, warn, info, debug, trace or silent; got "verbose".',
    );
    expect(parseCli(["--log-level", "trace"], {})).toMatchObject({ logLevel: "trace" });
  });

  it("reads no file while parsing: the catalog file is named, and read by og-mock's main", () => {
    const cli = parseCli(["--catalog", "/nonexistent/catalog.json", "--low-memory", "on"], {});
    expect(cli).toMatchObject({ catalog: "/nonexistent/catalog.json", lowMemory: "on" });
    expect(cli !== "help" && cli.options.products).toBeUndefined();
  });
});

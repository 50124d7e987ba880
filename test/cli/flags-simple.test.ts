// parseFlags reads the common command line itself (start-up time) and leaves every other one to
// node's parseArgs: whatever the command line, it must give what parseArgs gives, or fail as it does.
import fc from "fast-check";
import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { type FlagOptions, parseFlags, UsageError } from "../../shared/flags/flags.js";

const OPTIONS: FlagOptions = {
  port: { type: "string" },
  "log-level": { type: "string" },
  "api-key": { type: "string", multiple: true },
  strict: { type: "boolean" },
  verbose: { type: "boolean", multiple: true },
  help: { type: "boolean", short: "h" },
};
const WITH_DEFAULT: FlagOptions = { ...OPTIONS, form: { type: "string", default: "object" } };

/** Words a command line is made of: known and unknown flags in every form, values, positionals. */
const value = fc.oneof(fc.constantFrom("0", "8787", "", "-", "-1", "--x", "silent", "a=b", "toString"), fc.string());
const word = fc.oneof(
  fc.constantFrom(
    "--port",
    "--log-level",
    "--api-key",
    "--strict",
    "--verbose",
    "--help",
    "--form",
    "--prot",
    "--no-strict",
    "--",
    "-h",
    "-p",
    "--port=",
    "--port=0",
    "--port=a=b",
    "--strict=true",
    "--api-key=k1",
    "--=x",
    "--__proto__",
    "--constructor",
  ),
  value,
);
/** Mostly well-formed command lines (a flag and its value), with stray words among them. */
const segment = fc.oneof(
  fc.tuple(fc.constantFrom("--port", "--log-level", "--api-key", "--form"), value),
  fc.constantFrom(["--strict"], ["--verbose"], ["--help"]),
  fc.tuple(fc.constantFrom("--port=", "--api-key=", "--form="), value).map(([f, v]) => [f + v]),
  fc.tuple(word),
);
const commandLine = fc.array(segment, { maxLength: 5 }).map((segments) => segments.flat());

/** parseArgs's answer as parseFlags gives it: values and positionals, or the UsageError's message. */
function viaParseArgs(argv: string[], options: FlagOptions, positionals: boolean): unknown {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: positionals, strict: true });
    return { values: parsed.values, positionals: parsed.positionals };
  } catch {
    return "error";
  }
}

function viaParseFlags(argv: string[], options: FlagOptions, positionals: boolean): unknown {
  try {
    return parseFlags(argv, options, { positionals, env: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return "error";
  }
}

describe("parseFlags without parseArgs", () => {
  it("gives what parseArgs gives, for any command line", () => {
    fc.assert(
      fc.property(commandLine, fc.boolean(), fc.boolean(), (argv, positionals, defaults) => {
        const options = defaults ? WITH_DEFAULT : OPTIONS;
        const ours = viaParseFlags(argv, options, positionals);
        expect(ours).toEqual(viaParseArgs(argv, options, positionals));
        // Same shape too: parseArgs's values have no prototype (a flag named like an Object method is safe).
        if (typeof ours === "object") expect(Object.getPrototypeOf((ours as { values: object }).values)).toBeNull();
      }),
      { numRuns: 3000 },
    );
  });

  it("reads og-mock's usual command line", () => {
    expect(
      parseFlags(["--port", "0", "--log-level=silent", "--api-key", "a", "--api-key=b", "--strict"], OPTIONS),
    ).toEqual({
      values: Object.assign(Object.create(null), {
        port: "0",
        "log-level": "silent",
        "api-key": ["a", "b"],
        strict: true,
      }),
      positionals: [],
    });
  });
});

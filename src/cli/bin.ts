#!/usr/bin/env node
/** The og-stock executable: wires main() to the real process. */
import { main } from "./main.js";

const code = await main(process.argv.slice(2), {
  env: process.env,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: process.stderr.isTTY === true,
});
process.exitCode = code;

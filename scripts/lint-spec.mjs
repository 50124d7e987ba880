#!/usr/bin/env node
// Redocly lint of both specs, quiet when they are valid: on Node 20 Redocly prints a large
// "Node.js 20 support is ending" box on every run, noise in `npm test`. Its full output is shown
// only when a spec has a problem.
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const specs = ["spec/ordergroove.openapi.yaml", "spec/admin.openapi.yaml"];
const result = spawnSync(
  process.execPath,
  [join(root, "node_modules/@redocly/cli/bin/cli.js"), "lint", "--config", "spec/redocly.yaml", ...specs],
  {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  },
);
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? "");
  process.stderr.write(result.stderr ?? "");
  process.exit(result.status ?? 1);
}
console.log(`redocly: ${specs.join(" and ")} are valid.`);

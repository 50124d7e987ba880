/**
 * "ordergroove-stock-kit@x.y.z", as a calibration profile names the kit that wrote it (og-contract
 * --record, og-mock --learn): read from the package's own package.json, which sits at a different
 * depth from the source tree, from dist/ and from og-mock's bundle in dist/mock-server/bin/.
 */
import { readFileSync } from "node:fs";

export function kitVersion(): string {
  for (const path of ["../package.json", "../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "ordergroove-stock-kit" && pkg.version) return `${pkg.name}@${pkg.version}`;
    } catch {
      // the next place
    }
  }
  return "ordergroove-stock-kit@unknown";
}

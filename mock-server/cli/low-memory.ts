/**
 * og-mock's --low-memory: V8 flags for a heap that stays near its live size, at some cost in
 * speed; `auto` turns it on for catalog files large enough to need it.
 */
import { statSync } from "node:fs";
import { createRequire } from "node:module";

export type LowMemory = "on" | "off" | "auto";

/** About 40,000 products: from here the fake trades some speed for memory unless told otherwise. */
const LOW_MEMORY_FROM_BYTES = 4 * 1024 * 1024;

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // readCatalog reports the problem
  }
}

/** Applies --low-memory; before the catalog is read, so parsing it is covered too. */
export function useLowMemory(setting: LowMemory, catalog: string | undefined): void {
  if (setting === "on" || (setting === "auto" && catalog && fileSize(catalog) >= LOW_MEMORY_FROM_BYTES)) {
    // V8 otherwise lets the heap of a large catalog grow far past what is live under load
    // (docs/performance.md, figure 7); this keeps it near the live size. Set before the catalog
    // is read, so parsing it is covered too. node:v8 is required only here: importing it up
    // front would add to every start.
    (createRequire(import.meta.url)("node:v8") as typeof import("node:v8")).setFlagsFromString("--optimize-for-size");
  }
}

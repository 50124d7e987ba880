/**
 * The spec as people read it: spec/ordergroove.openapi.yaml parsed, prose included. The module
 * og-mock loads (shared/generated/document.ts) leaves descriptions, examples and x-og-* notes out;
 * tests about those read them here.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { openapiDocument } from "../../shared/generated/document.js";

export const specWithProse = parse(
  readFileSync(new URL("../../spec/ordergroove.openapi.yaml", import.meta.url), "utf8"),
) as typeof openapiDocument & { info: { description: string } };

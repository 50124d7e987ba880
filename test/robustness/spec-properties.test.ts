/**
 * Both specs against a real server, cases generated from their schemas (a Schemathesis-style
 * check): a few per operation and kind here; spec-properties.e2e.test.ts runs more.
 * OG_SPEC_RUNS sets the count, OG_SPEC_TRACE=1 prints every request sent.
 */
import { checkBothSpecs } from "./spec-properties-suite.js";

checkBothSpecs(Number(process.env.OG_SPEC_RUNS ?? 20));

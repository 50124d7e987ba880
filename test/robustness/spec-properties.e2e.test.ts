/** The Schemathesis-style check of both specs (see spec-properties-suite.ts), with more cases. */
import { checkBothSpecs } from "./spec-properties-suite.js";

checkBothSpecs(Number(process.env.OG_SPEC_RUNS ?? 300));
